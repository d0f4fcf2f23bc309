import { describe, expect, it } from "vitest";
import { parseActionItems } from "../../../src/minutes/action-items.js";
import { parseItemNotes } from "../../../src/minutes/item-notes.js";
import { scanMinutes, withoutComments } from "../../../src/minutes/minutes-lines.js";

/** Each line of `markdown` as the scanner reads it: `blank`, `code`, `heading` or its text. */
function kinds(markdown: string): string[] {
  return scanMinutes(markdown).lines.map((line) => (line.blank ? "blank" : line.code ? "code" : line.heading ? "heading" : line.text));
}

describe("scanMinutes: HTML comment blocks read as nothing", () => {
  it("a block from a line opening `<!--` to the line holding `-->` is blank lines, headings and all", () => {
    expect(kinds("a\n<!--\n### hidden\n* ACTION: @m: x\n-->\nb")).toEqual(["a", "blank", "blank", "blank", "blank", "b"]);
    expect(scanMinutes("<!-- start\n## Hidden\nend -->\n").headings).toEqual([]);
  });

  it("opens after a quote or list marker too, and runs to the end when never closed", () => {
    expect(kinds("* a\n* <!-- hidden\n  still hidden -->\n* b")).toEqual(["a", "blank", "blank", "b"]);
    expect(kinds("> <!--\n> hidden\n> -->")).toEqual(["blank", "blank", "blank"]);
    expect(kinds("<!--\n* ACTION: @m: x\n\n## Later")).toEqual(["blank", "blank", "blank", "blank"]);
  });

  it("a comment closed on its line, `<!-->`, an escaped `\\<!--`, one in a code fence or mid-line opens no block", () => {
    expect(kinds("* <!-- notes -->\nb")).toEqual(["<!-- notes -->", "b"]);
    expect(kinds("<!-->\nb")).toEqual(["<!-->", "b"]);
    expect(kinds("\\<!--\nb")).toEqual(["<!--", "b"]);
    expect(kinds("```\n<!--\n```\nb")).toEqual(["code", "code", "code", "b"]);
    expect(kinds("Use `<!--` to hide\nb")).toEqual(["Use `<!--` to hide", "b"]);
  });

  it("a comment opened in a line's text and closed further down its paragraph hides the lines up to its end", () => {
    expect(kinds("Notes <!-- hidden\nACTION: @m: x\nstill -->\nb")).toEqual(["Notes", "blank", "blank", "b"]);
    expect(kinds("* ACTION: @a: y <!--\nACTION: @m: x\n-->")).toEqual(["ACTION: @a: y", "blank", "blank"]);
    // Not closed before the paragraph ends: CommonMark shows `<!--` and what follows.
    expect(kinds("Notes <!--\nACTION: @m: x\n\n-->")).toEqual(["Notes <!--", "ACTION: @m: x", "blank", "-->"]);
    expect(kinds("Notes <!--\n* ACTION: @m: x\n-->")).toEqual(["Notes <!--", "ACTION: @m: x", "-->"]);
    expect(kinds("Use `<!--`\nACTION: @m: x\n`-->`")).toEqual(["Use `<!--`", "ACTION: @m: x", "`-->`"]);
    expect(parseActionItems("## Notes\n\nWe agreed <!--\nACTION: @mallory: hidden\n-->\n", { meeting: "m" }).items).toEqual([]);
  });

  it("an action-items list goes on past a comment between its items; the comment is no item and no note", () => {
    const minutes = "## Agenda\n\n### Keys ([acme/wg#31](https://github.com/acme/wg/issues/31))\n\n* rotate\n<!--\n* hidden @mallory\n-->\n\n## Action items\n\n* @alice: one\n<!--\n* @mallory: hidden\n-->\n* @bob: two\n";
    expect(parseActionItems(minutes, { meeting: "m" }).items.map((item) => item.text)).toEqual(["one", "two"]);
    expect(parseItemNotes(minutes, { meeting: "m" }).items.map((item) => item.notes)).toEqual(["* rotate"]);
  });

  it.each([
    ["Keys <!-- [#5](https://github.com/acme/other/issues/5) --> today", "Keys  today"],
    ["a <!--> b <!---> c", "a  b  c"],
    ["`<!-- kept -->` and <!-- gone -->", "`<!-- kept -->` and "],
    ["open <!-- never closed", "open <!-- never closed"],
    ["<!-- x --> y <!-- z", " y <!-- z"],
  ])("withoutComments(%j) → %j", (text, plain) => {
    expect(withoutComments(text)).toBe(plain);
  });

  it("a heading's text and anchor leave its comments out", () => {
    expect(scanMinutes("## Keys <!-- acme/other#5 --> today").headings.map((h) => [h.text, h.anchor])).toEqual([["Keys today", "keys-today"]]);
  });
});
