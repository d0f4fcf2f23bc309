import { describe, expect, it } from "vitest";
import { actionItemIssue } from "../../src/github/action-item-issues.js";
import { MAX_OWNERS, parseActionItems } from "../../src/minutes/action-items.js";
import { minutesPrBody } from "../../src/minutes/pr-text.js";

/**
 * Who writes it: anyone who can edit the meeting's Google Doc (the PR body says "anyone with the
 * doc's link may edit it"). An action item line may name owners, and `@org/team` owners of the
 * repository's own organisation are *mentioned* in the issue the merge opens: GitHub notifies
 * every member of every team mentioned. People are capped at MAX_OWNERS (10, with a warning);
 * teams are not capped at all, so one line can make the App notify every team of the org.
 */
const REPO_ORG = "acme";
const TEAMS = Array.from({ length: 40 }, (_, i) => `@${REPO_ORG}/team-${i}`);
const MINUTES = `# Meeting 2026-12-02

## Action items

* ${TEAMS.join(" ")}: read the announcement
`;

/** Live mentions in a body: `@` not preceded by a word character or the App's zero-width space. */
function liveMentions(body: string): string[] {
  return Array.from(body.matchAll(/(?<![\w\u200B@/`-])@([A-Za-z\d][A-Za-z\d-]{0,38}(?:\/[A-Za-z\d._-]+)?)/g), (m) => m[1]!);
}

describe("issue 13, adversarial: team mentions in action items", () => {
  // Guarded: teams count against MAX_OWNERS with people, so one doc line cannot make the issue mention 40 teams.
  it("an action item keeps at most MAX_OWNERS owners, people and teams together, and warns about the rest", () => {
    const { items } = parseActionItems(MINUTES, { meeting: "acme/wg:hello:2026-12-02" });
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item.owners.length + item.teams.length).toBeLessThanOrEqual(MAX_OWNERS);
    expect(item.warnings.join(" ")).toMatch(/more than 10 owners/);
  });

  // Guarded: the issue opened on merge mentions only the teams the item kept.
  it("the issue opened for an item naming 40 teams of the org mentions at most MAX_OWNERS of them", () => {
    const { items } = parseActionItems(MINUTES, { meeting: "acme/wg:hello:2026-12-02" });
    const draft = actionItemIssue(
      {
        item: { ...items[0]!, itemUrl: null },
        assignable: new Set(),
        org: REPO_ORG,
        meeting: { title: "Hello team meeting 2026-12-02", url: "https://github.com/acme/wg/issues/1" },
        minutes: { path: "meetings/2026-12-02.md", url: "https://github.com/acme/wg/blob/abc/meetings/2026-12-02.md" },
        marker: { v: 1, meeting: "acme/wg", series: "hello", date: "2026-12-02", key: "0123456789abcdef" },
      },
      [],
    );
    expect(liveMentions(draft.body).length).toBeLessThanOrEqual(MAX_OWNERS);
  });

  // Holds today, pinned: the PR body preview shows the 40 teams as inline code, so reviewing the minutes notifies nobody.
  it("the minutes PR preview names the teams without mentioning any of them", () => {
    const actionItems = parseActionItems(MINUTES, { meeting: "acme/wg:hello:2026-12-02" });
    const body = minutesPrBody(
      { issueUrl: "https://github.com/acme/wg/issues/1", docUrl: null, recordingUrl: null },
      { actionItems, issuesIn: "acme/wg", decisions: { decisions: [], omitted: 0, truncated: false } as never, decisionsLog: null, quorum: null, notes: [] },
    );
    const outsideCode = body.replace(/`+[^`]*`+/g, "");
    expect(liveMentions(outsideCode)).toEqual([]);
  });
});
