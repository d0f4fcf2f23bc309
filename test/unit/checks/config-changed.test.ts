import { describe, expect, it } from "vitest";
import { pullFilesTouchConfig, pushTouchesConfig } from "../../../src/checks/config-changed.js";

const CONFIG = ".github/meetings.yml";

describe("pushTouchesConfig", () => {
  it.each([
    ["added on the default branch", { ref: "refs/heads/main", commits: [{ added: [CONFIG] }] }, true],
    ["modified on a feature branch", { ref: "refs/heads/topic", commits: [{ modified: ["a"] }, { modified: [CONFIG] }] }, true],
    ["removed (reported as neutral)", { ref: "refs/heads/topic", commits: [{ removed: [CONFIG] }] }, true],
    ["other files only", { ref: "refs/heads/main", commits: [{ modified: ["README.md", ".github/meetings.yaml"] }] }, false],
    ["no commits (a branch created at an existing commit)", { ref: "refs/heads/new", commits: [] }, false],
    ["a tag", { ref: "refs/tags/v1", commits: [{ modified: [CONFIG] }] }, false],
    ["a deleted branch", { ref: "refs/heads/topic", deleted: true, commits: [] }, false],
    ["more commits than the payload lists", { ref: "refs/heads/main", size: 25, commits: [{ modified: ["x"] }] }, true],
    ["as many commits as a payload can list", { ref: "refs/heads/main", commits: Array.from({ length: 2048 }, () => ({ modified: ["x"] })) }, true],
  ])("%s → %s", (_name, push, expected) => {
    expect(pushTouchesConfig(push)).toBe(expected);
  });
});

describe("pullFilesTouchConfig", () => {
  it.each([
    ["modified", [{ filename: "src/a.ts" }, { filename: CONFIG, status: "modified" }], true],
    ["removed", [{ filename: CONFIG, status: "removed" }], true],
    ["renamed away", [{ filename: ".github/old-meetings.yml", previous_filename: CONFIG, status: "renamed" }], true],
    ["renamed into place", [{ filename: CONFIG, previous_filename: "meetings.yml", status: "renamed" }], true],
    ["other files", [{ filename: "docs/meetings.yml" }], false],
    ["no files", [], false],
  ])("%s → %s", (_name, files, expected) => {
    expect(pullFilesTouchConfig(files)).toBe(expected);
  });
});
