import { describe, expect, it } from "vitest";
import { configChangedOnDefaultBranch } from "../../../src/handlers/config-pushed.js";

const repository = { default_branch: "main", full_name: "acme/wg" };

describe("configChangedOnDefaultBranch", () => {
  it.each([
    ["added on main", { ref: "refs/heads/main", commits: [{ added: [".github/meetings.yml"] }] }, true],
    ["modified on main", { ref: "refs/heads/main", commits: [{ modified: ["a", ".github/meetings.yml"] }] }, true],
    ["other files on main", { ref: "refs/heads/main", commits: [{ modified: ["README.md"] }] }, false],
    ["removed on main (nothing to open)", { ref: "refs/heads/main", commits: [{ removed: [".github/meetings.yml"] }] }, false],
    ["on another branch", { ref: "refs/heads/topic", commits: [{ modified: [".github/meetings.yml"] }] }, false],
    ["a tag", { ref: "refs/tags/main", commits: [{ modified: [".github/meetings.yml"] }] }, false],
    ["more commits than the payload lists", { ref: "refs/heads/main", size: 25, commits: [{ modified: ["x"] }] }, true],
  ])("%s → %s", (_name, push, expected) => {
    expect(configChangedOnDefaultBranch({ repository, ...push })).toBe(expected);
  });
});
