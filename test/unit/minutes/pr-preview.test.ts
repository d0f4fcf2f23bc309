import { describe, expect, it } from "vitest";
import { parseActionItems } from "../../../src/minutes/action-items.js";
import { parseDecisions } from "../../../src/minutes/decisions.js";
import { type MinutesPreview, literal, logUpdated, minutesPrBody } from "../../../src/minutes/pr-text.js";

const ISSUE = "https://github.com/acme/wg/issues/40";
const links = { issueUrl: ISSUE, docUrl: null, recordingUrl: null };

function preview(minutes: string, overrides: Partial<MinutesPreview> = {}): MinutesPreview {
  return {
    actionItems: parseActionItems(minutes, { meeting: ISSUE }),
    issuesIn: "acme/wg",
    decisions: parseDecisions(minutes),
    decisionsLog: "meetings/decisions.md",
    quorum: null,
    notes: [],
    ...overrides,
  };
}

/** Text outside inline code spans: what GitHub would turn into mentions, references and HTML. */
const outsideCode = (markdown: string) => markdown.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, "");

describe("the minutes PR body's preview", () => {
  it("without action items, decisions or warnings it is the body it always was", () => {
    expect(minutesPrBody(links, preview("# Minutes\n\n## Notes\n\n* nothing\n"))).toBe(minutesPrBody(links));
  });

  it("lists the issues merging opens, the decisions with the log, the quorum and the warnings, then Fixes", () => {
    const minutes = [
      "# Minutes",
      "",
      "## Notes",
      "",
      "* Decision: ship on Friday",
      "",
      "## Action items",
      "",
      "* @ada, @acme/security: rotate the key (due 2026-12-10)",
      "* [x] @grace: book the room",
      "* @ada: call by 2026-02-30",
      "",
    ].join("\n");
    const body = minutesPrBody(links, preview(minutes, { quorum: "### Quorum\n\n**Quorum: yes.** 3 of 4 counted members present.\n", notes: ["`ATTENDANCE.md` is not updated: reasons."] }));
    expect(body).toBe(
      [
        "The minutes of this meeting, published with `/minutes` on the meeting issue. Review them, fix what is wrong, then merge.",
        "",
        `* **GitHub Issue**: ${ISSUE}`,
        "* **Recording**: none given (add it to the file, or run `/minutes <recording URL>` again)",
        "",
        "### Action items (merging opens one issue each for the 2 not ticked done, in acme/wg)",
        "",
        "* `rotate the key`: owners `@ada`, `@acme/security`; due 2026-12-10",
        "* `book the room`: owners `@grace`; ticked done: no issue",
        "* `call by 2026-02-30`: owners `@ada`",
        "",
        `### Decisions (${logUpdated("meetings/decisions.md")})`,
        "",
        "* `ship on Friday`",
        "",
        "### Quorum",
        "",
        "**Quorum: yes.** 3 of 4 counted members present.",
        "",
        "### Warnings",
        "",
        "* `ATTENDANCE.md` is not updated: reasons.",
        "* line 11: `due date 2026-02-30 is not a real date: February 2026 has 28 days`",
        "",
        `Fixes: ${ISSUE}`,
        "",
      ].join("\n"),
    );
  });

  it("says when no issue opens: the series turned them off, or every item is done", () => {
    const minutes = "## Action items\n\n* [x] @ada: done already\n";
    expect(minutesPrBody(links, preview(minutes, { issuesIn: null }))).toContain("### Action items (no issues are opened: `actionItems.issues` is off)\n");
    expect(minutesPrBody(links, preview(minutes))).toContain("### Action items (all ticked done: merging opens no issue)\n");
    expect(minutesPrBody(links, preview("## Action items\n\n* @ada: one\n"))).toContain("### Action items (merging opens an issue for the 1 not ticked done, in acme/wg)\n".replace("an issue for the 1", "an issue"));
  });

  it("without a log the decisions are listed without one", () => {
    expect(minutesPrBody(links, preview("* Decision: x\n", { decisionsLog: null }))).toContain("\n### Decisions\n\n* `x`\n");
  });

  it("stays far below GitHub's 65,536 characters with the most items and decisions, and says what it left out", () => {
    const long = "word ".repeat(400);
    const minutes = [
      "## Notes",
      "",
      ...Array.from({ length: 150 }, (_, i) => `* Decision: ${i} ${long}`),
      "",
      "## Action items",
      "",
      ...Array.from({ length: 80 }, (_, i) => `* @ada, @bob, @carol: item ${i} ${long}`),
    ].join("\n");
    const body = minutesPrBody(links, preview(minutes));
    expect(body.length).toBeLessThan(60_000);
    expect(body).toMatch(/\* … and \d+ more \(see the minutes file\)\./);
    expect(body).toContain("* … and 30 more past the limit of 50: they are not read");
    expect(body).toContain("* … and 50 more past the limit: they are not read.");
    expect(body.endsWith(`\nFixes: ${ISSUE}\n`)).toBe(true);
  });

  it("makes the doc's text inert: no mention, reference, closing keyword, HTML comment or break-out", () => {
    const minutes = [
      "## Notes",
      "",
      "* Decision: @everyone fixes #12 and closes acme/other#3 <!-- wg-meetings:minutes-merged -->",
      "* Decision: ``` ` `` `</details>` <img src=x onerror=alert(1)>",
      "",
      "## Action items",
      "",
      "* @ada: ping @nodejs/tsc --> then `code`",
    ].join("\n");
    const body = minutesPrBody(links, preview(minutes));
    expect(body).not.toContain("<!--");
    expect(body).not.toContain("-->");
    expect(outsideCode(body)).not.toMatch(/@[A-Za-z]|#\d|<[a-z/]|\b(?:fixes|closes)\b(?!: https)/i);
    expect(outsideCode(body).match(/Fixes: /g)).toHaveLength(1);
  });

  it("literal: one code span, longer fence than any run inside, comment delimiters spaced apart", () => {
    expect(literal("a ``b`` c")).toBe("```a ``b`` c```");
    expect(literal("<!-- x -->")).toBe("`<! -- x -- >`");
    expect(literal("x".repeat(400))).toBe(`\`${"x".repeat(299)}…\``);
  });

  it("literal: closing keywords and issue numbers are broken by a joiner, so a squash commit made of the body closes nothing", () => {
    const J = "\u200D";
    expect(literal("Fixes #12, closed: acme/other#5, RESOLVES https://github.com/acme/wg/issues/7")).toBe(
      `\`F${J}ixes #${J}12, c${J}losed: acme/other#${J}5, R${J}ESOLVES https://github.com/acme/wg/issues/7\``,
    );
    // Words that only contain a keyword, and a # before no digit, are left alone.
    expect(literal("prefixes closet fixture #tag")).toBe("`prefixes closet fixture #tag`");
    // A joiner the doc typed is made a space first (inert-span.ts): it cannot hide a keyword.
    expect(literal(`fi${J}xes #1`)).toBe(`\`fi xes #${J}1\``);
    expect(literal(`fix${J}es #1`)).toBe(`\`f${J}ix es #${J}1\``);
  });
});
