import { describe, expect, it } from "vitest";
import { minutesBranch, minutesCommitMessage, minutesPrBody, minutesPrTitle } from "../../../src/minutes/pr-text.js";

const ISSUE = "https://github.com/nodejs/security-wg/issues/813";
const DOC = "https://docs.google.com/document/d/1h5nVlBnSzEyOxOOWjO4Qm3Dd7Auo33IwdnPOAJOBIsM/edit";
const RECORDING = "https://www.youtube.com/watch?v=g4s439-Lfmw";

describe("minutes pull request text", () => {
  it("titles the PR like the Node.js minutes PRs", () => {
    expect(minutesPrTitle("2022-07-21")).toBe("doc: add 2022-07-21 meeting notes");
  });

  it.each(["2025-6-11", "2025-11-31", "", "2022-07-21.md"])("refuses the date %j", (date) => {
    expect(() => minutesPrTitle(date)).toThrow(/minutes PR title: .* (not a date written YYYY-MM-DD|not a real calendar date)/);
  });

  it("links the issue, the doc and the recording, and closes the issue on merge", () => {
    expect(minutesPrBody({ issueUrl: ISSUE, docUrl: DOC, recordingUrl: RECORDING })).toBe(
      [
        "The minutes of this meeting, published with `/minutes` on the meeting issue. Review them, fix what is wrong, then merge.",
        "",
        `* **GitHub Issue**: ${ISSUE}`,
        `* **Minutes Google Doc**: ${DOC}`,
        `* **Recording**: ${RECORDING}`,
        "",
        `Fixes: ${ISSUE}`,
        "",
      ].join("\n"),
    );
  });

  it("says when there is no doc or recording", () => {
    const body = minutesPrBody({ issueUrl: ISSUE, docUrl: null, recordingUrl: null });
    expect(body).not.toContain("Minutes Google Doc");
    expect(body).toContain("* **Recording**: none given");
    expect(body).toMatch(new RegExp(`\\nFixes: ${ISSUE.replace(/[./]/g, "\\$&")}\\n$`));
  });

  it("names one branch per series and date", () => {
    expect(minutesBranch("security-wg", "2022-07-21")).toBe("wg-meetings/minutes-security-wg-2022-07-21");
    expect(() => minutesBranch("Security WG", "2022-07-21")).toThrow("series id");
    expect(() => minutesBranch("security-wg", "2022-07-32")).toThrow("not a real calendar date");
  });

  it("writes the commit message", () => {
    expect(minutesCommitMessage("2022-07-21", "Node.js Security team  Meeting 2022-07-21\n")).toBe(
      "doc: add 2022-07-21 meeting notes\n\nMinutes of Node.js Security team Meeting 2022-07-21.\n",
    );
  });
});
