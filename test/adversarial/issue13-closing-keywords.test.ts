import { describe, expect, it } from "vitest";
import { parseActionItems } from "../../src/minutes/action-items.js";
import { parseDecisions } from "../../src/minutes/decisions.js";
import { minutesPrBody } from "../../src/minutes/pr-text.js";

/**
 * Who writes it: anyone who can edit the meeting's Google Doc. The minutes PR body previews the
 * doc's action items and decisions as inline code, which keeps them inert *as Markdown*. But a
 * repository whose squash merges default to "Pull request title and description"
 * (`squash_merge_commit_message: PR_BODY`) copies the PR body into the commit on the default
 * branch, and a commit message is plain text: `Fixes #12` there closes issue 12 (and
 * `closes acme/other#5` an issue of another repository) whatever backticks surround it.
 */
const MINUTES = `# Hello team meeting 2026-12-02

## Notes

* ACTION: @alice: Fixes #12 by next week
* Decision: this closes acme/other#5 for good

## Action items

* resolves https://github.com/acme/wg/issues/7
`;

const CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+(?:#\d+|[\w.-]+\/[\w.-]+#\d+|https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/issues\/\d+)/gi;

describe("issue 13, adversarial: closing keywords from the doc in the minutes PR body", () => {
  // Guards: doc text in the PR body keeps no closing keyword or issue reference, even in a squash commit message made of it.
  it("the PR body's only closing keyword is the App's own `Fixes:` line for the meeting issue, even read as plain text", () => {
    const body = minutesPrBody(
      { issueUrl: "https://github.com/acme/wg/issues/1", docUrl: null, recordingUrl: null },
      {
        actionItems: parseActionItems(MINUTES, { meeting: "acme/wg:hello:2026-12-02" }),
        issuesIn: "acme/wg",
        decisions: parseDecisions(MINUTES),
        decisionsLog: null,
        quorum: null,
        notes: [],
      },
    );
    const plain = body.replace(/`/g, "");
    expect((plain.match(CLOSING) ?? []).filter((found) => found !== "Fixes: https://github.com/acme/wg/issues/1")).toEqual([]);
    expect(body).toContain("Fixes: https://github.com/acme/wg/issues/1");
  });
});
