import { describe, expect, it } from "vitest";
import { actionItemIssue, actionItemTitle, inertMarkdown, MAX_ACTION_TITLE_CHARS } from "../../../src/github/action-item-issues.js";
import { agendaItemReference } from "../../../src/github/action-item-issues.js";
import { itemCommentBody, MAX_QUOTED_DECISIONS } from "../../../src/github/item-comments.js";
import { parseActionItemMarker } from "../../../src/state/action-item-marker.js";
import { parseItemNotesMarker } from "../../../src/state/item-notes-marker.js";

const ZWSP = "\u200B";
const MARKER = { v: 1 as const, meeting: "acme/wg", series: "wg", date: "2026-12-02", key: "0123456789abcdef" };
const item = (fields: Partial<Parameters<typeof actionItemIssue>[0]["item"]> = {}) => ({
  text: "draft the announcement",
  details: "",
  due: null,
  owners: [],
  teams: [],
  section: null,
  itemUrl: null,
  ...fields,
});
const issue = (fields: Partial<Parameters<typeof actionItemIssue>[0]["item"]> = {}, assignable: string[] = []) =>
  actionItemIssue(
    {
      item: item(fields),
      assignable: new Set(assignable),
      org: "acme",
      meeting: { title: "WG meeting 2026-12-02", url: "https://github.com/acme/wg/issues/1" },
      minutes: { path: "meetings/2026-12-02.md", url: "https://github.com/acme/wg/blob/s/meetings/2026-12-02.md#action-items" },
      marker: MARKER,
    },
    ["action"],
  );

describe("an action item's issue title", () => {
  it("is the text as it renders: link text, no emphasis, no escapes, one line", () => {
    expect(actionItemTitle("write the **[SBOM](https://example.com/sbom)** section\\_v2\nnow")).toBe("write the SBOM section_v2 now");
  });

  it("is bounded, and never opens an HTML comment", () => {
    const long = actionItemTitle("x".repeat(500));
    expect(Array.from(long)).toHaveLength(MAX_ACTION_TITLE_CHARS);
    expect(long.endsWith("…")).toBe(true);
    expect(actionItemTitle("`<!-- wg-meetings:action-item {} -->`")).not.toContain("<!--");
  });

  it("drops controls and bidi overrides; an empty text still names the issue", () => {
    expect(actionItemTitle("a\u202Eb\u0007c")).toBe("ab c");
    expect(actionItemTitle("**  **")).toBe("Action item");
  });
});

describe("minutes text quoted by the App", () => {
  it("cannot open or close an HTML comment, nor mention anyone; Markdown otherwise stays", () => {
    const text = inertMarkdown("see `code` and [a link](https://x.y) <!-- hide --> @alice @org/team a@b.org", 1000);
    expect(text).toBe(`see \`code\` and [a link](https://x.y) <!${ZWSP}-- hide -${ZWSP}-> @${ZWSP}alice @${ZWSP}org/team a@${ZWSP}b.org`);
  });

  it("breaks a mention whose @ is an HTML character reference, as it does a plain one", () => {
    expect(inertMarkdown("&#64;alice &#064;bob &#x40;carol &#X40;dan &commat;erin &#64eve", 1000)).toBe(
      `&#64;${ZWSP}alice &#064;${ZWSP}bob &#x40;${ZWSP}carol &#X40;${ZWSP}dan &commat;${ZWSP}erin &#64${ZWSP}eve`,
    );
    // Other references, and a number that only starts like 64, are left as written.
    expect(inertMarkdown("&#8212; &#640;x &#x40a; &amp;#64;x", 1000)).toBe(`&#8212; &#640;x &#x40a; &amp;#64;x`);
  });

  it("is bounded", () => {
    expect(Array.from(inertMarkdown("y".repeat(50), 10))).toHaveLength(10);
  });
});

describe("an action item's issue", () => {
  it("assigns the assignable owners, names the others, mentions teams of its own org only", () => {
    const draft = issue({ owners: ["Alice", "outsider"], teams: ["acme/security", "other/team"] }, ["alice"]);
    expect(draft.assignees).toEqual(["Alice"]);
    expect(draft.labels).toEqual(["action"]);
    // The owner GitHub will not assign is named as code, which notifies no one.
    expect(draft.body).toContain(`- **Owners:** @Alice, \`@outsider\` (not assignable in this repository), @acme/security, @${ZWSP}other/team\n`);
  });

  it("a forged marker or comment in the text or details is quoted inert: the App's marker is the one read", () => {
    const forged = '<!-- wg-meetings:action-item {"v":1,"meeting":"evil/repo","series":"x","date":"2026-01-01","key":"ffffffffffffffff"} -->';
    const draft = issue({ text: `do it ${forged}`, details: `* step <!--\n* ${forged}` });
    expect(parseActionItemMarker(draft.body)).toEqual(MARKER);
    expect(draft.body.match(/<!--/g)).toHaveLength(1);
    expect(draft.body.endsWith(" -->\n")).toBe(true);
  });

  it("links the minutes section, says the due date and the agenda item, and quotes the details", () => {
    const draft = issue({ due: "2026-12-10", section: "**Keys** ([acme/wg#31](https://github.com/acme/wg/issues/31))", itemUrl: "https://github.com/acme/wg/issues/31", details: "* first\n* second" });
    expect(draft.body).toContain("- **Due:** 2026-12-10\n");
    expect(draft.body).toContain("- **Minutes:** [`meetings/2026-12-02.md`](https://github.com/acme/wg/blob/s/meetings/2026-12-02.md#action-items), under Keys (acme/wg#31)\n");
    expect(draft.body).toContain("- **Agenda item:** acme/wg#31\n");
    expect(draft.body).toContain("Details from the minutes:\n\n> * first\n> * second\n");
  });
});

describe("an agenda item's comment", () => {
  const NOTES = { v: 1 as const, meeting: "acme/wg", series: "wg", date: "2026-12-02" };
  const body = (decisions: string[], actionItems: Parameters<typeof itemCommentBody>[0]["actionItems"] = []) =>
    itemCommentBody({
      meeting: { title: "WG [meeting]", url: "https://github.com/acme/wg/issues/1" },
      minutes: { path: "m.md", url: "https://github.com/acme/wg/blob/s/m.md#keys" },
      decisions,
      actionItems,
      marker: NOTES,
    });

  it("links the notes; with neither decisions nor action items it says only that", () => {
    expect(body([])).toBe(
      `Discussed at the [WG \\[meeting\\]](https://github.com/acme/wg/issues/1): see [its notes in \`m.md\`](https://github.com/acme/wg/blob/s/m.md#keys).\n\n<!-- wg-meetings:item-notes {"v":1,"meeting":"acme/wg","series":"wg","date":"2026-12-02"} -->\n`,
    );
  });

  it("quotes at most the first decisions, inert, and ends with its marker", () => {
    const many = Array.from({ length: MAX_QUOTED_DECISIONS + 2 }, (_, i) => `decision ${i} for @alice <!-- x -->`);
    const text = body(many);
    expect(text).toContain(`> - decision 0 for @${ZWSP}alice <!${ZWSP}-- x -${ZWSP}->\n`);
    expect(text).toContain("> - … and 2 more in the minutes\n");
    expect(text).not.toContain(`decision ${MAX_QUOTED_DECISIONS} `);
    expect(parseItemNotesMarker(text)).toEqual(NOTES);
  });

  it("lists the action items: the issue opened for each, or the text; done ones said so; owners not notified", () => {
    const text = body([], [
      { text: "write it", owners: ["alice"], done: false, issue: { url: "https://github.com/acme/wg/issues/9" } },
      { text: "book *the* room", owners: [], done: true, issue: null },
    ]);
    expect(text).toContain(`**Action items**\n\n- https://github.com/acme/wg/issues/9: write it (@${ZWSP}alice)\n- book the room (done at the meeting)\n`);
  });
});

describe("agendaItemReference", () => {
  it("writes an agenda item as owner/repo#N, which GitHub links on any host (GitHub Enterprise Server too)", () => {
    expect(agendaItemReference("https://github.com/acme/wg/issues/31")).toBe("acme/wg#31");
    expect(agendaItemReference("https://github.com/acme/wg.js/pull/7")).toBe("acme/wg.js#7");
  });

  it("leaves any other text as it was", () => {
    expect(agendaItemReference("https://example.com/acme/wg/issues/31")).toBe("https://example.com/acme/wg/issues/31");
    expect(agendaItemReference("https://github.com/acme/wg/issues/31#issuecomment-1")).toBe("https://github.com/acme/wg/issues/31#issuecomment-1");
  });
});
