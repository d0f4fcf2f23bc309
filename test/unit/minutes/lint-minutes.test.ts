import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintMinutes } from "../../../src/minutes/lint-minutes.js";

describe("lintMinutes", () => {
  it("fixes messy Markdown with markdownlint's fixes", () => {
    const messy = [
      "#Title   ",
      "## Present",
      "- Rafael Gonzaga: @rafaelgss  ",
      "+ Ulises Gascon: @ulisesgascon",
      "",
      "",
      "",
      "##  Notes\t",
      "Some text:",
      "* item",
      "  - nested item   ",
      "```js",
      "const a = 1;   ",
      "",
      "",
      "",
      "```",
      "| a | b |",
      "|---|---|",
      "| 1 | 2 |",
      "",
      "",
    ].join("\r\n");
    expect(lintMinutes(messy)).toBe(
      [
        "# Title",
        "",
        "## Present",
        "",
        "* Rafael Gonzaga: @rafaelgss",
        "* Ulises Gascon: @ulisesgascon",
        "",
        "## Notes",
        "",
        "Some text:",
        "",
        "* item",
        "  * nested item",
        "",
        "```js",
        "const a = 1;   ",
        "",
        "",
        "",
        "```",
        "",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "",
      ].join("\n"),
    );
  });

  it("keeps a hard line break (two trailing spaces inside a paragraph) and long lines", () => {
    const long = `${"word ".repeat(60).trim()}`;
    expect(lintMinutes(`# T\n\nfirst line  \nsecond line\n\n${long}\n`)).toBe(`# T\n\nfirst line  \nsecond line\n\n${long}\n`);
  });

  it("ends with exactly one newline", () => {
    expect(lintMinutes("# T")).toBe("# T\n");
    expect(lintMinutes("# T\n\n\n\n")).toBe("# T\n");
  });

  it("ignores markdownlint comments in the notes", () => {
    expect(lintMinutes("# T\n\n<!-- markdownlint-disable -->\n- a\n")).toBe("# T\n\n<!-- markdownlint-disable -->\n* a\n");
  });

  it("leaves a real Node.js minutes file as it is, but for its doubled blank line", () => {
    const real = readFileSync(new URL("../../fixtures/nodejs/minutes-2022-07-21.md", import.meta.url), "utf8");
    expect(lintMinutes(real)).toBe(real.replace("## Present\n\n\n", "## Present\n\n").replace(/\n+$/, "\n"));
  });

  it("is idempotent on a composed minutes file", () => {
    const expected = readFileSync(new URL("../../fixtures/minutes/nodejs-2022-07-21.expected.md", import.meta.url), "utf8");
    expect(lintMinutes(expected)).toBe(expected);
  });
});
