import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalizeExportedMarkdown as normalize } from "../../../src/google/normalize-exported-markdown.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/google/${name}`, import.meta.url), "utf8");

describe("normalizeExportedMarkdown", () => {
  it("turns a realistic Google Docs export of meeting minutes into the expected Markdown", () => {
    expect(normalize(fixture("minutes-export.md"))).toBe(fixture("minutes-export.normalized.md"));
  });

  it("is idempotent and line-ending agnostic", () => {
    const once = normalize(fixture("minutes-export.md"));
    expect(normalize(once)).toBe(once);
    expect(normalize(fixture("minutes-export.md").replace(/\n/g, "\r\n"))).toBe(once);
  });

  it.each([
    ["unneeded escapes go", "Run ls \\-l, var i \\= 0, done\\! See \\[TOC\\] and \\#812.", "Run ls -l, var i = 0, done! See [TOC] and #812."],
    ["`_` inside a word is inert", "IMG\\_2024\\_01.jpg and workflow\\_dispatch", "IMG_2024_01.jpg and workflow_dispatch"],
    ["`_` at a word's edge could emphasise", "\\_\\_proto\\_\\_ and \\_x\\_", "\\_\\_proto\\_\\_ and \\_x\\_"],
    ["`*` next to a word could emphasise", "a\\*b\\* but 2 \\* 3", "a\\*b\\* but 2 * 3"],
    ["block starts keep theirs", "\\# not a heading", "\\# not a heading"],
    ["a quote", "\\> not a quote", "\\> not a quote"],
    ["a list", "\\- not a list", "\\- not a list"],
    ["an ordered list", "2024\\. was a year", "2024\\. was a year"],
    ["after a list marker too", "* \\- not nested", "* \\- not nested"],
    ["`<` before a letter is a tag", "\\<script\\> vs 1 \\< 2", "\\<script> vs 1 < 2"],
    ["an entity stays literal", "\\&amp; vs Q\\&A", "\\&amp; vs Q&A"],
    ["`!` before `[` is an image", "\\![alt](x) vs hi\\!", "\\![alt](x) vs hi!"],
    ["brackets before ( stay a non-link", "\\[not\\](a link)", "\\[not\\](a link)"],
    ["a task box stays literal", "* \\[ \\] not a task", "* \\[ \\] not a task"],
    ["code spans are verbatim", "`a\\_b \\-x` and a\\_b", "`a\\_b \\-x` and a_b"],
    ["a literal backslash stays", "C:\\\\Users and \\\\\\<tag\\>", "C:\\\\Users and \\\\\\<tag>"],
    ["a heading's closing # stays", "# Version \\#", "# Version \\#"],
  ])("escapes: %s", (_name, input, expected) => {
    expect(normalize(input)).toBe(`${expected}\n`);
  });

  it("fixes headings: bold wrappers, ids, empty ones, skipped levels", () => {
    const input = ["# **Title** {#title}", "", "### Skipped", "", "#### Deeper", "", "## **Back**", "", "##   \t", "", "#### Again"].join("\n");
    expect(normalize(input)).toBe(["# Title", "", "## Skipped", "", "### Deeper", "", "## Back", "", "### Again", ""].join("\n"));
    expect(normalize("# T\n\n### S\n", { baseLevel: 2 })).toBe("## T\n\n### S\n");
  });

  it("normalises list markers, numbering and nesting", () => {
    const input = ["+ a", "- b", "    * deep", "1) one", "1) two", "   1. nested", "   1. nested"].join("\n");
    expect(normalize(input)).toBe(["* a", "* b", "  * deep", "1. one", "2. two", "   1. nested", "   2. nested", ""].join("\n"));
    expect(normalize("- a\n  - b\n", { bullet: "-" })).toBe("- a\n  - b\n");
    // Nine items renumbered: the tenth's children move to its wider content column.
    const ten = [...Array.from({ length: 10 }, () => "1. item"), "   * child"].join("\n");
    expect(normalize(ten).split("\n").slice(-3)).toEqual(["10. item", "    * child", ""]);
  });

  it("keeps real line breaks visible, drops trailing spaces elsewhere", () => {
    expect(normalize("first  \nsecond  \n\n* item  \n* next  \n")).toBe("first\\\nsecond\n\n* item\n* next\n");
  });

  it("cleans whitespace: NBSP, BOM, blank-line runs, final newline", () => {
    expect(normalize("\uFEFF\n\na\u00A0b\n\n\n\n\nc")).toBe("a b\n\nc\n");
  });

  it("leaves fenced code alone", () => {
    const code = "```\n$ ls \\-l  \n\n\n* x\n```\n";
    expect(normalize(code)).toBe(code);
  });

  it("replaces pasted images' base64 with a note, and spells bare links as autolinks", () => {
    const input = "![chart][image1] [https://x.org/a](https://x.org/a) [text](https://x.org/a)\n\n[image1]: <data:image/png;base64,AAAA>\n";
    expect(normalize(input)).toBe("*(image: chart; see the minutes doc)* <https://x.org/a> [text](https://x.org/a)\n");
  });
});
