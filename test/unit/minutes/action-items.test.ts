import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_ACTION_ITEMS, MAX_ACTION_TEXT_CHARS, MAX_OWNERS, actionItemKey, parseActionItems } from "../../../src/minutes/action-items.js";
import { parseAttendance } from "../../../src/minutes/attendance.js";
import { isGitHubLogin } from "../../../src/minutes/github-mention.js";
import { parseItemNotes } from "../../../src/minutes/item-notes.js";
import { MAX_MINUTES_LINES } from "../../../src/minutes/minutes-lines.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/minutes/${name}`, import.meta.url), "utf8");
const MEETING = "https://github.com/nodejs/security-wg/issues/1500";
const parse = (markdown: string) => parseActionItems(markdown, { meeting: MEETING });
/** The items of an `## Action items` section holding `lines`, as `[owners, text, due]`. */
const section = (...lines: string[]) => parse(["# M", "", "## Action items", "", ...lines].join("\n")).items.map((item) => [item.owners, item.text, item.due]);

describe("parseActionItems on exported minutes", () => {
  it("reads the Node.js export's Action items section and the ACTION/AI lines in its notes", () => {
    const result = parse(fixture("loop/nodejs-2026-11-26.export.md"));
    expect(result.omitted).toBe(0);
    expect(result.truncated).toBe(false);
    expect(result.items.map(({ owners, teams, text, due, section: where, anchor, itemUrl, line, done, details, warnings }) => ({ owners, teams, text, due, where, anchor, itemUrl, line, done, details, warnings }))).toEqual([
      {
        owners: ["marco-ippolito"],
        teams: [],
        text: "review the workflow_dispatch permissions",
        due: "2026-12-03",
        where: "[StepSecurity] Apply security best practices [#1392](https://github.com/nodejs/security-wg/pull/1392)",
        anchor: "nodejssecurity-wg",
        itemUrl: "https://github.com/nodejs/security-wg/pull/1392",
        line: 34,
        done: false,
        details: "",
        warnings: [],
      },
      {
        owners: ["RafaelGSS"],
        teams: [],
        text: "write the symlink section of the threat model",
        due: null,
        where: "Permission model: --allow-fs-read with symlinks [#55031](https://github.com/nodejs/node/issues/55031)",
        anchor: "nodejsnode",
        itemUrl: "https://github.com/nodejs/node/issues/55031",
        line: 43,
        done: false,
        details: "",
        warnings: [],
      },
      // Line 54 repeats the AI of line 43: same owners, same words, so the same item.
      { owners: ["UlisesGascon", "marco-ippolito"], teams: [], text: "rotate the npm token", due: "2026-12-10", where: null, anchor: "action-items", itemUrl: null, line: 55, done: false, details: "", warnings: [] },
      { owners: ["mhdawson", "RafaelGSS"], teams: [], text: "ask the TSC about the “next” release line", due: "2026-12-17", where: null, anchor: "action-items", itemUrl: null, line: 56, done: false, details: "", warnings: [] },
      { owners: [], teams: [], text: "find a volunteer for the December triage rotation", due: null, where: null, anchor: "action-items", itemUrl: null, line: 57, done: false, details: "", warnings: [] },
      { owners: ["UlisesGascon"], teams: [], text: "Update the security release blog post template", due: null, where: null, anchor: "action-items", itemUrl: null, line: 58, done: false, details: "", warnings: [] },
      { owners: ["fraxken"], teams: [], text: "publish the SBOM draft", due: null, where: null, anchor: "action-items", itemUrl: null, line: 60, done: false, details: "", warnings: [] },
      { owners: ["fraxken"], teams: [], text: "open an issue about SBOM signing", due: "2026-12-10", where: null, anchor: "action-items", itemUrl: null, line: 61, done: false, details: "", warnings: [] },
      {
        owners: [],
        teams: [],
        text: "@someone_else: check the CVE feed",
        due: null,
        where: null,
        anchor: "action-items",
        itemUrl: null,
        line: 62,
        done: false,
        details: "",
        warnings: ["@someone_else is not a GitHub login: the item has no owner"],
      },
    ]);
  });

  it("reads the task-list items of the 2022-07-21 doc export", () => {
    expect(parse(fixture("nodejs-2022-07-21.export.md")).items.map((item) => [item.owners, item.text, item.anchor, item.line])).toEqual([
      [["mhdawson"], 'write the "what Node.js trusts" section of the Threat Model', "action-items", 72],
      [["facutuesca"], "open an issue about vulnerabilities without version ranges", "action-items", 73],
    ]);
  });

  it("reads the default preset's minutes: an ACTION under an item heading, a ticked box as done", () => {
    const items = parseActionItems(fixture("loop/default-2026-11-26.md"), { meeting: "https://github.com/acme/wg/issues/40" }).items;
    expect(items.map((item) => ({ owners: item.owners, text: item.text, due: item.due, section: item.section, anchor: item.anchor, done: item.done }))).toEqual([
      { owners: ["ada"], text: "write the runbook", due: "2026-12-15", section: "Rotate the signing keys ([acme/wg#31](https://github.com/acme/wg/issues/31))", anchor: "rotate-the-signing-keys-acmewg31", done: false },
      { owners: ["grace"], text: "review acme/tools#7", due: null, section: null, anchor: "action-items", done: false },
      { owners: ["ada"], text: "send the invite for the key ceremony", due: null, section: null, anchor: "action-items", done: true },
    ]);
  });

  it("reads CRLF, non-breaking spaces, trailing spaces, `+`/`-` bullets, `1)` numbers, tabs and export escapes", () => {
    const markdown = [
      "# **M**  ",
      "",
      "## **Action Items**  ",
      "",
      "+ @alice\u00A0: draft the announcement\u00A0(due\u00A02026-12-10)  ",
      "- @bob\\_builder: not a login, so no owner",
      "1) @carol: fix the \\*\\*bold\\*\\* escapes and the \\[links\\]",
      "2) @dave\\: escaped colon",
      "*\t@erin: a tab after the bullet",
      "* @frank: a line broken with Shift+Enter\\",
      "  that goes on here",
    ].join("\r\n");
    expect(parse(markdown).items.map((item) => [item.owners, item.text, item.due, item.line])).toEqual([
      [["alice"], "draft the announcement", "2026-12-10", 5],
      [[], "@bob_builder: not a login, so no owner", null, 6],
      [["carol"], "fix the **bold** escapes and the [links]", null, 7],
      [["dave"], "escaped colon", null, 8],
      [["erin"], "a tab after the bullet", null, 9],
      [["frank"], "a line broken with Shift+Enter that goes on here", null, 10],
    ]);
  });
});

describe("the Action items section", () => {
  const withHeading = (heading: string) => parse(["# M", "", heading, "", "* @alice: draft the announcement", "", "## Upcoming Meetings", "", "* @bob: not an item"].join("\n")).items.map((item) => item.owners);

  it.each([
    "## Action items",
    "### Action Items",
    "## **Action items**",
    "## Action items:",
    "#### Action items {#action-items}",
    "## AIs",
    "## Action points",
    "## Actions",
    "## Next steps",
    "## TODOs",
    "**Action items:**",
    "**Action items**:",
    "Action items:",
    "_Action items_",
    "## Action items (new)",
  ])("is found under %j", (heading) => {
    expect(withHeading(heading)).toEqual([["alice"]]);
  });

  it.each(["## Previous action items", "## Action items from last meeting", "## Review of action items", "Action items from last week:"])("is not %j (earlier items, not new work)", (heading) => {
    expect(withHeading(heading)).toEqual([]);
  });

  it("also reads a `* Action items:` bullet's sub-bullets inside an agenda item's notes", () => {
    const markdown = [
      "### nodejs/node",
      "",
      "* Permission model [#55031](https://github.com/nodejs/node/issues/55031)",
      "  * discussion",
      "  * **AIs**:",
      "    * @RafaelGSS: write the threat model",
      "    * @mhdawson: ask the TSC",
      "* Next item [#1](https://github.com/nodejs/node/issues/1)",
    ].join("\n");
    expect(parse(markdown).items.map((item) => [item.owners, item.text, item.itemUrl, item.anchor])).toEqual([
      [["RafaelGSS"], "write the threat model", "https://github.com/nodejs/node/issues/55031", "nodejsnode"],
      [["mhdawson"], "ask the TSC", "https://github.com/nodejs/node/issues/55031", "nodejsnode"],
    ]);
  });

  it("counts a plain line only with an owner or a marker, and skips None, prompts, empty bullets and struck-through lines", () => {
    expect(section("* ~~@alice: dropped during the meeting~~", "* @bob: kept, with ~~one~~ word struck", "* ~~@carol~~ @dave: ~~not~~ struck as a whole")).toEqual([
      [["bob"], "kept, with ~~one~~ word struck", null],
      [[], "~~@carol~~ @dave: ~~not~~ struck as a whole", null],
    ]);
    expect(section("These came out of today's discussion:", "@alice: a plain line with an owner", "ACTION: a plain line with a marker", "* None", "* n/a", "* (notes)", "*", "* TODO: find a volunteer", "* just text, no owner")).toEqual([
      [["alice"], "a plain line with an owner", null],
      [[], "a plain line with a marker", null],
      [[], "find a volunteer", null],
      [[], "just text, no owner", null],
    ]);
  });

  it("gives an owners-only line's sub-bullets to its owners, and keeps other sub-bullets as details", () => {
    const markdown = ["## Action items", "", "* @fraxken, @alice:", "  * publish the SBOM draft", "    * with the signing notes", "  * open an issue", "* @bob: write the post", "  * mention the CVE", "  * and the fix date", ""].join("\n");
    expect(parse(markdown).items.map((item) => [item.owners, item.text, item.details])).toEqual([
      [["fraxken", "alice"], "publish the SBOM draft", "* with the signing notes"],
      [["fraxken", "alice"], "open an issue", ""],
      [["bob"], "write the post", "* mention the CVE\n* and the fix date"],
    ]);
  });
});

describe("owners", () => {
  it.each([
    ["* @alice: draft it", ["alice"], "draft it"],
    ["* @alice, @bob: draft it", ["alice", "bob"], "draft it"],
    ["* @alice and @bob: draft it", ["alice", "bob"], "draft it"],
    ["* @alice & @bob - draft it", ["alice", "bob"], "draft it"],
    ["* @alice/@bob: draft it", ["alice", "bob"], "draft it"],
    ["* @alice @bob draft it", ["alice", "bob"], "draft it"],
    ["* @alice to draft it", ["alice"], "draft it"],
    ["* @alice: to be decided by the TSC", ["alice"], "to be decided by the TSC"],
    ["* @alice – draft it", ["alice"], "draft it"],
    ["* **@alice**: draft it", ["alice"], "draft it"],
    ["* **@alice:** draft it", ["alice"], "draft it"],
    ["* [@alice](https://github.com/alice): draft it", ["alice"], "draft it"],
    ["* @alice, @Alice: draft it", ["alice"], "draft it"],
    ["* draft it (@alice)", ["alice"], "draft it"],
    ["* draft it (@alice, @bob)", ["alice", "bob"], "draft it"],
    ["* draft it [@alice]", ["alice"], "draft it"],
    ["* draft it (owner: @alice)", ["alice"], "draft it"],
    ["* draft it — @alice", ["alice"], "draft it"],
    ["* draft it (@alice, due 2026-12-10)", ["alice"], "draft it"],
    ["* draft it with @bob (see #12)", [], "draft it with @bob (see #12)"],
    ["* alice@example.com: draft it", [], "alice@example.com: draft it"],
    ["* @alice and Bob: draft it", ["alice"], "and Bob: draft it"],
    ["* @-alice: draft it", [], "@-alice: draft it"],
    ["* @a-login-that-is-far-too-long-for-github-to-accept: draft it", [], "@a-login-that-is-far-too-long-for-github-to-accept: draft it"],
  ])("%j → %j %j", (line, owners, text) => {
    const [item] = parse(`## Action items\n\n${line}`).items;
    expect([item?.owners, item?.text]).toEqual([owners, text]);
  });

  it("keeps teams apart: they can be named, not assigned", () => {
    const [item] = parse("## Action items\n\n* @nodejs/security-wg, @alice: review the threat model").items;
    expect([item?.owners, item?.teams, item?.text]).toEqual([["alice"], ["nodejs/security-wg"], "review the threat model"]);
  });

  it(`keeps ${MAX_OWNERS} owners (GitHub's assignee limit) and names the rest in a warning`, () => {
    const mentions = Array.from({ length: 12 }, (_, i) => `@user${i + 1}`).join(", ");
    const [item] = parse(`## Action items\n\n* ${mentions}: everyone reviews`).items;
    expect(item?.owners).toHaveLength(MAX_OWNERS);
    expect(item?.owners.at(-1)).toBe("user10");
    expect(item?.warnings).toEqual(["more than 10 owners: @user11, @user12 not kept"]);
  });

  it(`counts teams against the ${MAX_OWNERS} owners, after the people: each team mentioned notifies all its members`, () => {
    const people = Array.from({ length: 8 }, (_, i) => `@user${i + 1}`);
    const teams = Array.from({ length: 4 }, (_, i) => `@acme/team-${i + 1}`);
    const [item] = parse(`## Action items\n\n* ${[...teams, ...people].join(", ")}: everyone reviews`).items;
    expect(item?.owners).toEqual(people.map((p) => p.slice(1)));
    expect(item?.teams).toEqual(["acme/team-1", "acme/team-2"]);
    expect(item?.warnings).toEqual(["more than 10 owners: @acme/team-3, @acme/team-4 not kept"]);
  });
});

describe("due dates", () => {
  it.each([
    ["draft it (due 2026-12-10)", "2026-12-10", "draft it"],
    ["draft it (due: 2026-12-10)", "2026-12-10", "draft it"],
    ["draft it, due: 2026-12-10", "2026-12-10", "draft it"],
    ["draft it due by 2026-12-10.", "2026-12-10", "draft it."],
    ["draft it by 2026-12-10", "2026-12-10", "draft it"],
    ["draft it [due 2026-12-10]", "2026-12-10", "draft it"],
    ["draft it — deadline: 2026/12/10", "2026-12-10", "draft it"],
    ["draft it, Due Date: 2026-1-5", "2026-01-05", "draft it"],
    ["draft it (due 10 December 2026)", "2026-12-10", "draft it"],
    ["draft it (due 1st Dec 2026)", "2026-12-01", "draft it"],
    ["draft it by Dec 10, 2026", "2026-12-10", "draft it"],
    ["draft it by September 3 2026", "2026-09-03", "draft it"],
    ["by 2026-12-10 draft it", "2026-12-10", "draft it"],
    ["draft it (due next meeting)", null, "draft it (due next meeting)"],
    ["draft it by Friday", null, "draft it by Friday"],
    ["draft it by 12/10/2026", null, "draft it by 12/10/2026"],
    ["draft it due Dec 10", null, "draft it due Dec 10"],
    ["standby 2026-12-10 is no due date", null, "standby 2026-12-10 is no due date"],
  ])("%j → %j, %j", (written, due, text) => {
    const [item] = parse(`## Action items\n\n* @alice: ${written}`).items;
    expect([item?.due, item?.text, item?.warnings]).toEqual([due, text, []]);
  });

  it("keeps a date that does not exist in the text, with a warning, and takes a later real one", () => {
    const items = parse("## Action items\n\n* @alice: draft it (due 2026-02-30)\n* @bob: review it due 2026-13-01 or by 2026-12-10").items;
    expect(items.map((item) => [item.text, item.due, item.warnings])).toEqual([
      ["draft it (due 2026-02-30)", null, ["due date 2026-02-30 is not a real date: February 2026 has 28 days"]],
      ["review it due 2026-13-01 or", "2026-12-10", ["due date 2026-13-01 is not a real date: there is no month 13"]],
    ]);
  });
});

describe("inline markers in the notes", () => {
  const inline = (line: string) => parse(["## Announcements", "", "### nodejs/node", "", "* Item [#5](https://github.com/nodejs/node/issues/5)", `  * ${line}`].join("\n")).items.map((item) => [item.owners, item.text, item.itemUrl]);
  const URL = "https://github.com/nodejs/node/issues/5";

  it.each([
    ["ACTION: @alice to draft it", ["alice"], "draft it"],
    ["Action: @alice: draft it", ["alice"], "draft it"],
    ["action item: draft it", [], "draft it"],
    ["**ACTION**: @alice to draft it", ["alice"], "draft it"],
    ["**ACTION: @alice to draft it**", ["alice"], "draft it"],
    ["ACTION @alice: draft it", ["alice"], "draft it"],
    ["ACTION(@alice): draft it", ["alice"], "draft it"],
    ["AI(@alice, @bob): draft it", ["alice", "bob"], "draft it"],
    ["AI (@alice): draft it", ["alice"], "draft it"],
    ["AI: @alice to draft it", ["alice"], "draft it"],
    ["ACTION: @alice to draft it (due 2026-12-10)", ["alice"], "draft it"],
  ])("%j is an action item", (line, owners, text) => {
    expect(inline(line)).toEqual([[owners, text, URL]]);
  });

  it.each([
    "AI: we discussed LLM-written vulnerability reports",
    "ai(@alice): lower case AI is a word",
    "Ai: @alice said so",
    "TODO: only the Action items section reads TODO",
    "we agreed that ACTION: @alice to do it",
    "Actions speak louder: @alice",
    "Action (follow-up): nobody named",
  ])("%j is not", (line) => {
    expect(inline(line)).toEqual([]);
  });

  it("ignores markers in fenced code", () => {
    expect(parse("## Notes\n\n```\nACTION: @alice to draft it\n```\n~~~\nAI(@bob): no\n~~~").items).toEqual([]);
  });
});

describe("identity (key)", () => {
  const keyOf = (line: string, meeting = MEETING) => parseActionItems(`## Action items\n\n${line}`, { meeting }).items[0]?.key;

  it("is 16 hex digits, the same for the same meeting, owners and normalised text", () => {
    const key = keyOf("* @alice, @bob: Draft the announcement");
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    for (const same of [
      "* @bob and @Alice: draft the announcement.",
      "* @alice @bob:   *Draft*  the\u00A0announcement",
      "- [ ] @alice, @bob: draft the announcement (due 2026-12-10)",
      "* draft the announcement (@bob, @alice)",
      "* @alice, @bob: Draft the \\_announcement\\_",
    ]) {
      expect(keyOf(same), same).toBe(key);
    }
  });

  it("changes with the meeting, the owners or the words", () => {
    const key = keyOf("* @alice: draft the announcement");
    expect(keyOf("* @alice: draft the announcement", "https://github.com/nodejs/security-wg/issues/1501")).not.toBe(key);
    expect(keyOf("* @bob: draft the announcement")).not.toBe(key);
    expect(keyOf("* draft the announcement")).not.toBe(key);
    expect(keyOf("* @alice: draft the blog post")).not.toBe(key);
    expect(keyOf("* @alice, @nodejs/tsc: draft the announcement")).not.toBe(key);
    expect(keyOf("* @nodejs/tsc: draft the announcement")).not.toBe(keyOf("* @nodejs/security-wg: draft the announcement"));
  });

  it("treats smart and straight quotes alike", () => {
    expect(keyOf("* @alice: ask about the “next” line")).toBe(keyOf('* @alice: ask about the "next" line'));
    expect(keyOf("* @alice: fix Node’s docs")).toBe(keyOf("* @alice: fix Node's docs"));
  });

  it("is stable across releases: a change here would reopen every item of a re-run meeting", () => {
    expect(actionItemKey("https://github.com/nodejs/security-wg/issues/1500", ["alice"], "draft the announcement")).toBe(
      actionItemKey("https://github.com/nodejs/security-wg/issues/1500", ["ALICE"], "Draft the announcement."),
    );
    expect(actionItemKey("https://github.com/nodejs/security-wg/issues/1500", ["alice"], "draft the announcement")).toBe("fb2bc905e0b354c5");
  });

  it("reports a line repeated in the same meeting once, at its first place", () => {
    const markdown = ["## Notes", "", "* ACTION: @alice to draft it", "", "## Action items", "", "* @alice: draft it", "* @alice: Draft it."].join("\n");
    expect(parse(markdown).items.map((item) => [item.line, item.section])).toEqual([[3, "Notes"]]);
  });
});

describe("bounds", () => {
  it(`returns ${MAX_ACTION_ITEMS} items and counts the rest as omitted`, () => {
    const lines = Array.from({ length: MAX_ACTION_ITEMS + 10 }, (_, i) => `* @alice: task ${i + 1}`);
    const result = parse(`## Action items\n\n${lines.join("\n")}`);
    expect(result.items).toHaveLength(MAX_ACTION_ITEMS);
    expect(result.items.at(-1)?.text).toBe(`task ${MAX_ACTION_ITEMS}`);
    expect(result.omitted).toBe(10);
  });

  it(`cuts an item's text at ${MAX_ACTION_TEXT_CHARS} characters`, () => {
    const [item] = parse(`## Action items\n\n* @alice: ${"x".repeat(5000)}`).items;
    expect(item?.text).toHaveLength(MAX_ACTION_TEXT_CHARS);
    expect(item?.text.endsWith("…")).toBe(true);
  });

  it("reads only the first lines of a huge file and says so", () => {
    const filler = Array.from({ length: MAX_MINUTES_LINES }, () => "");
    const result = parse(["## Action items", "", "* @alice: early", ...filler, "* @bob: too late"].join("\n"));
    expect(result.items.map((item) => item.text)).toEqual(["early"]);
    expect(result.truncated).toBe(true);
  });

  it("gets through hostile lines (mention floods, bracket runs, long dates) without choking", () => {
    const hostile = ["## Action items", "", `* ${"@a ".repeat(20_000)}x`, `* ${"(".repeat(20_000)}`, `* ${"due ".repeat(20_000)}2026-12-10`, `* ${"[@a](https://github.com/a) ".repeat(2_000)}: x`].join("\n");
    const result = parse(hostile);
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items[0]?.owners).toEqual(["a"]);
  });
});

describe("docs/templates.md", () => {
  /** The fenced `md` blocks of the docs' "### <heading>" section. */
  const examples = (heading: string) => {
    const docs = readFileSync(new URL("../../../docs/templates.md", import.meta.url), "utf8");
    const section = docs.split(/^### /m).find((part) => part.startsWith(`${heading}\n`)) ?? "";
    return [...section.matchAll(/```md\n([\s\S]*?)```/g)].map((m) => m[1]!);
  };

  it("reads the Action items examples as the docs describe them", () => {
    const [list, table, inline] = examples("Action items");
    expect(parse(`## Action items\n\n${table!}`).items.map((item) => [item.owners, item.text, item.due])).toEqual([[["RafaelGSS"], "Update the threat model", "2024-11-07"]]);
    expect(parse(list!).items.map((item) => [item.owners, item.text, item.due, item.done])).toEqual([
      [["alice"], "draft the announcement", "2026-12-10", false],
      [["alice", "bob"], "rotate the npm token", null, false],
      [["alice", "bob"], "ask the TSC", "2026-12-17", false],
      [["alice", "bob"], "review the threat model", "2026-12-17", false],
      [["carol"], "Update the blog post template", null, false],
      [[], "find a volunteer for the triage rotation", null, false],
      [["dave"], "open an issue about SBOM signing", null, false],
      [["erin"], "publish the SBOM draft", null, false],
      [["erin"], "write the release note", null, false],
    ]);
    expect(parse(`## Notes\n\n${inline!}`).items.map((item) => [item.owners, item.text, item.due])).toEqual([
      [["alice"], "review the workflow permissions", "2026-12-03"],
      [["alice", "bob"], "write the symlink section", null],
      // Not the line above again: its owners differ, so it is another item.
      [["alice"], "write the symlink section", null],
      [[], "someone to book the room", null],
    ]);
  });
});

describe("properties over random minutes", () => {
  /** Lines built from the pieces the grammar cares about, so random documents hit its branches. */
  const piece = fc.constantFrom(
    "## Action items", "### nodejs/node", "## Present", "**Decisions:**", "* ", "  * ", "    - ", "1. ", "> ", "```", "[ ] ", "[x] ",
    "@alice", "@bob_x", "@nodejs/tsc", "[@carol](https://github.com/carol)", ": ", ", ", " and ", " - ", " to ", "(", ")", "[", "]",
    "ACTION: ", "AI(@dave): ", "AI: ", "TODO: ", "Decision: ", "RESOLVED: ", "due ", "by ", "2026-12-10", "2026-02-30", "Dec 10, 2026",
    "[#5](https://github.com/nodejs/node/issues/5)", "draft it", "\\_", "\u00A0", "\u200B", "“", "Name: @handle", "(notes)", "~~", "**", "\t",
  );
  const shaped = fc
    .tuple(
      fc.constantFrom("", "* ", "- ", "  * ", "    + ", "1. ", "> ", "* [ ] ", "* [x] ", "\t* "),
      fc.constantFrom("", "", "ACTION: ", "AI(@dave): ", "AI: ", "TODO: ", "**Decision**: ", "RESOLVED: ", "Name: "),
      fc.constantFrom("", "@alice: ", "@alice, @bob: ", "@bob_x: ", "@nodejs/tsc ", "[@carol](https://github.com/carol) - ", "@alice to "),
      fc.constantFrom("draft it", "review [#5](https://github.com/nodejs/node/issues/5)", "“quoted” text", "(notes)", "", "none"),
      fc.constantFrom("", " (due 2026-12-10)", " by Dec 10, 2026", " due 2026-02-30", " (@erin)", " — @frank"),
    )
    .map((parts) => parts.join(""));
  const line = fc.oneof(shaped, shaped, fc.array(piece, { maxLength: 8 }).map((parts) => parts.join("")));
  const documents = fc.tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom("\n", "\r\n")).map(([lines, end]) => lines.join(end));

  it("never throw, and give valid logins, real dates, unique 16-digit keys and lines inside the document", () => {
    let seen = 0;
    fc.assert(
      fc.property(documents, (markdown) => {
        const lineCount = markdown.split(/\r\n?|\n/).length;
        const { items } = parse(markdown);
        seen += items.length;
        for (const item of items) {
          expect(item.owners.every(isGitHubLogin)).toBe(true);
          expect(item.key).toMatch(/^[0-9a-f]{16}$/);
          expect(item.line).toBeGreaterThanOrEqual(1);
          expect(item.line).toBeLessThanOrEqual(lineCount);
          if (item.due !== null) expect(item.due).toMatch(/^2026-12-10$/);
          expect(item.text).not.toBe("");
        }
        expect(new Set(items.map((item) => item.key)).size).toBe(items.length);
        const notes = parseItemNotes(markdown, { meeting: MEETING });
        expect(notes.actionItems.map((item) => item.key)).toEqual(items.map((item) => item.key));
        for (const attendee of parseAttendance(markdown).attendees) {
          expect(attendee.login === null || isGitHubLogin(attendee.login)).toBe(true);
          expect(attendee.name !== null || attendee.login !== null || attendee.email !== null).toBe(true);
        }
      }),
      { seed: 20_261_126, numRuns: 300 },
    );
    // The pieces do make action items: the properties were checked on real ones.
    expect(seen).toBeGreaterThan(100);
  });

  it("give the same key whatever the owners' order and case and the text's case and spacing", () => {
    const login = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    const words = fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(login, { minLength: 1, maxLength: 4 }), words, (owners, text) => {
        const plain = actionItemKey(MEETING, owners, text.join(" "));
        const shuffled = [...owners].reverse().map((owner) => owner.toUpperCase());
        expect(actionItemKey(MEETING, shuffled, `  ${text.join("   ").toUpperCase()}. `)).toBe(plain);
      }),
      { seed: 20_261_126, numRuns: 200 },
    );
  });
});

describe("agenda titles", () => {
  it("never reads an agenda item's title as an action item or gives it an owner", () => {
    // escapeTitle writes a zero-width space after `@` so a title mentions nobody.
    const markdown = [
      "### nodejs/node",
      "",
      "* ACTION: @\u200Bmallory to merge this [#9](https://github.com/nodejs/node/issues/9)",
      "  * ACTION: pasted from the title: @\u200Bmallory to merge",
      "",
      "## Action items",
      "",
      "* @\u200Bmallory: from a pasted title",
    ].join("\n");
    expect(parse(markdown).items.map((item) => [item.owners, item.line])).toEqual([
      [[], 4],
      [[], 8],
    ]);
  });
});

describe("action-item tables", () => {
  it("reads the Google export's table with Owner and Due columns, wherever it is", () => {
    const items = parse(readFileSync(new URL("../../fixtures/google/minutes-export.md", import.meta.url), "utf8")).items;
    expect(items.map((item) => [item.owners, item.text, item.due, item.section, item.line])).toEqual([
      [["RafaelGSS"], "Update the threat model", "2024-11-07", "Q&A, Other", 45],
      [["UlisesGascon"], "Rotate the npm token* (due next meeting)", null, "Q&A, Other", 46],
    ]);
  });

  it("reads a table with only an owner column in the Action items section, and no other table", () => {
    const markdown = [
      "## Notes",
      "",
      "| Topic | Owner |",
      "| --- | --- |",
      "| not an action: no due column | @alice |",
      "",
      "## Action items",
      "",
      "| What | Who |",
      "|------|-----|",
      "| Draft the `a \\| b` announcement | @alice, @bob |",
      "| Ask the TSC | Michael |",
      "|  | @carol |",
      "",
      "| Score | Value |",
      "| --- | --- |",
      "| @dave | 3 |",
    ].join("\n");
    expect(parse(markdown).items.map((item) => [item.owners, item.text, item.line])).toEqual([
      [["alice", "bob"], "Draft the `a | b` announcement", 11],
      [[], "Ask the TSC (Michael)", 12],
    ]);
  });
});
