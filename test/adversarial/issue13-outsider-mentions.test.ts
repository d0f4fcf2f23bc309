import { describe, expect, it } from "vitest";
import { actionItemIssue, inertMarkdown } from "../../src/github/action-item-issues.js";
import { itemCommentBody } from "../../src/github/item-comments.js";
import { MAX_ACTION_ITEMS, MAX_OWNERS, parseActionItems } from "../../src/minutes/action-items.js";

/**
 * Who writes it: anyone who can edit the meeting's Google Doc. Owners are any valid GitHub
 * logins, members of the organisation or not. The issue the merge opens mentions every owner,
 * including those GitHub will not let the App assign (`@outsider (not assignable in this
 * repository)`): 50 items of 10 strangers each make one merge notify 500 accounts that have
 * nothing to do with the group, from the organisation's repository. Issue 13 asks that owners
 * who cannot be assigned be "named plainly".
 */
const strangers = (item: number) => Array.from({ length: MAX_OWNERS }, (_, i) => `@stranger-${item}-${i}`).join(" ");
const MINUTES = `# Meeting 2026-12-02\n\n## Action items\n\n${Array.from({ length: MAX_ACTION_ITEMS }, (_, n) => `* ${strangers(n)}: task number ${n}`).join("\n")}\n`;

/** Live mentions: `@login` not preceded by a word character or the App's zero-width space. */
function liveMentions(body: string): string[] {
  return Array.from(body.matchAll(/(?<![\w\u200B@/`-])@([A-Za-z\d][A-Za-z\d-]{0,38}(?:\/[A-Za-z\d._-]+)?)/g), (m) => m[1]!);
}

/** The text GitHub reads after decoding HTML character references (`&#64;` is `@`). */
function decoded(body: string): string {
  return body
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&commat;/g, "@");
}

const draftFor = (item: ReturnType<typeof parseActionItems>["items"][number], assignable: Set<string>) =>
  actionItemIssue(
    {
      item: { ...item, itemUrl: null },
      assignable,
      org: "acme",
      meeting: { title: "Hello team meeting 2026-12-02", url: "https://github.com/acme/wg/issues/1" },
      minutes: { path: "meetings/2026-12-02.md", url: "https://github.com/acme/wg/blob/abc/meetings/2026-12-02.md" },
      marker: { v: 1, meeting: "acme/wg", series: "hello", date: "2026-12-02", key: item.key },
    },
    [],
  );

describe("issue 13, adversarial: mentions of people who are not the group's", () => {
  // Guards: owners GitHub will not assign are named as code, not mentioned: a merge notifies none of the strangers the doc names.
  it("owners who cannot be assigned are named without a notifying mention (one merge of 50 items of 10 strangers notifies nobody)", () => {
    const { items } = parseActionItems(MINUTES, { meeting: "acme/wg:hello:2026-12-02" });
    expect(items).toHaveLength(MAX_ACTION_ITEMS);
    const mentioned = items.flatMap((item) => liveMentions(draftFor(item, new Set()).body));
    expect(mentioned).toEqual([]);
  });

  // Holds today, pinned: an assignable owner is still named with a mention (GitHub notifies the assignee anyway).
  it("an owner GitHub lets the App assign is assigned and mentioned", () => {
    const { items } = parseActionItems("# M\n\n## Action items\n\n* @alice: write it\n", { meeting: "acme/wg:hello:2026-12-02" });
    const draft = draftFor(items[0]!, new Set(["alice"]));
    expect(draft.assignees).toEqual(["alice"]);
    expect(liveMentions(draft.body)).toEqual(["alice"]);
  });

  // Guards: a `@` written as an HTML character reference (`&#64;`, `&#x40;`, `&commat;`) is broken too (not checked against GitHub's renderer).
  it("minutes text quoted in an issue or comment holds no mention once HTML character references are decoded", () => {
    const quoted = inertMarkdown("ping &#64;alice and &#x40;bob and &commat;carol", 1_000);
    expect(liveMentions(decoded(quoted))).toEqual([]);
    const comment = itemCommentBody({
      meeting: { title: "Hello team meeting 2026-12-02", url: "https://github.com/acme/wg/issues/1" },
      minutes: { path: "meetings/2026-12-02.md", url: "https://github.com/acme/wg/blob/abc/meetings/2026-12-02.md" },
      decisions: ["ship it, says &#64;everyone-in-the-org"],
      actionItems: [],
      marker: { v: 1, meeting: "acme/wg", series: "hello", date: "2026-12-02" },
    });
    expect(liveMentions(decoded(comment))).toEqual([]);
  });

  // Holds today, pinned: a plain `@name` in quoted minutes text is broken with a zero-width space.
  it("a plain @name in quoted minutes text is broken", () => {
    expect(liveMentions(inertMarkdown("thanks @alice and @acme/team", 1_000))).toEqual([]);
  });
});
