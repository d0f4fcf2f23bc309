import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_TITLE_LENGTH, escapeTitle } from "../../../src/agenda/escape-title.js";

const ZWSP = "\u200B";

describe("escapeTitle", () => {
  // The six titles of the 2022-07-21 meeting, plus the one with brackets from a real issue:
  // ordinary titles come out byte-for-byte as typed, except for `[`/`]` as Node.js always did.
  it.each([
    ["OpenJS Foundation Slack channel", "OpenJS Foundation Slack channel"],
    ["Open discussion about VM module", "Open discussion about VM module"],
    [
      "Automatic check for dependencies' vulnerabilities in Node.js CI",
      "Automatic check for dependencies' vulnerabilities in Node.js CI",
    ],
    ["Threat Model", "Threat Model"],
    ["Permission Model", "Permission Model"],
    [
      "What security guidance would be most useful for Node.js developers?",
      "What security guidance would be most useful for Node.js developers?",
    ],
    ["[StepSecurity] Apply security best practices", "\\[StepSecurity\\] Apply security best practices"],
    ["src: add WDAC integration (Windows)", "src: add WDAC integration (Windows)"],
    ["doc: fix #123 - don't use `fs.exists()`", "doc: fix #123 - don't use `fs.exists()`"],
    ["R&D: 100% done?", "R&D: 100% done?"],
  ])("leaves ordinary title %j as %j", (raw, expected) => {
    expect(escapeTitle(raw)).toBe(expected);
  });

  it.each([
    // Mentions: a zero-width space after @ stops GitHub from notifying anyone.
    ["@everyone please look", `@${ZWSP}everyone please look`],
    ["cc @nodejs/tsc and @octocat", `cc @${ZWSP}nodejs/tsc and @${ZWSP}octocat`],
    ["mail a@b.org", `mail a@${ZWSP}b.org`],
    // HTML cannot open: `<` is literal (and so is `>`).
    ["<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"],
    // A zero-width space after "!" so the raw issue body can never hold a comment opener from a title.
    ["<!-- wg-meetings:series=x -->", "\\<!\u200B-- wg-meetings:series=x --\\>"],
    ["`<!-- wg-meetings:meeting {} -->`", "`<!\u200B-- wg-meetings:meeting {} -->`"],
    // Links and images die with their bracket.
    ["[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"],
    ["![x](https://evil.example/pixel.png)", "!\\[x\\](https://evil.example/pixel.png)"],
    // Template syntax is only data: never interpreted, never altered.
    ["{{x}} {{{y}}} {{> partial}}", "{{x}} {{{y}}} {{\\> partial}}"],
    // Placeholders stay literal (and `$` cannot start GitHub math).
    ["$MINUTES_DOC$", "\\$MINUTES\\_DOC\\$"],
    // One line, whatever the title holds.
    ["line one\r\nline two\n\n\tthree\u2028four", "line one line two three four"],
    ["  padded \u0007 bell  ", "padded bell"],
    ["a\u202Etxt.exe", "atxt.exe"],
    // Backticks: balanced code spans are verbatim (inert inside), unmatched ones are escaped.
    ["fix `a[0]` and `@user` in `<b>`", "fix `a[0]` and `@user` in `<b>`"],
    ["``a ` b`` c", "``a ` b`` c"],
    ["unbalanced ` tick", "unbalanced \\` tick"],
    ["\\`<img src=x>`", "\\\\\\`\\<img src=x\\>\\`"],
    // Emphasis, tables, strikethrough, entities.
    ["*bold* _it_ __init__", "\\*bold\\* \\_it\\_ \\_\\_init\\_\\_"],
    ["a | b", "a \\| b"],
    ["~~gone~~", "\\~\\~gone\\~\\~"],
    ["&lt;script&gt; &#64;x", "\\&lt;script\\&gt; \\&#64;x"],
    ["C:\\path\\[x]", "C:\\\\path\\\\\\[x\\]"],
    // Block syntax at the start of the list item.
    ["# heading", "\\# heading"],
    ["### heading", "\\### heading"],
    ["#123 follow-up", "#123 follow-up"],
    ["- item", "\\- item"],
    ["+ item", "\\+ item"],
    ["1. first", "1\\. first"],
    ["2) second", "2\\) second"],
    ["> quote", "\\> quote"],
  ])("escapes %j as %j", (raw, expected) => {
    expect(escapeTitle(raw)).toBe(expected);
  });

  it.each([
    // Block syntax only where CommonMark has it: up to six #, one to nine digits, a lone - or +.
    ["#", "\\#"],
    ["###### six", "\\###### six"],
    ["####### seven is no heading", "####### seven is no heading"],
    ["#hashtag", "#hashtag"],
    ["-", "\\-"],
    ["-x", "-x"],
    ["--", "--"],
    ["+", "\\+"],
    ["+1", "+1"],
    ["1.", "1\\."],
    ["123456789. nine digits", "123456789\\. nine digits"],
    ["1234567890. ten digits is no list", "1234567890. ten digits is no list"],
    ["1)x", "1)x"],
    ["1.5 release", "1.5 release"],
    // & only where it starts an entity, numeric or named, with its semicolon.
    ["&#x41; &amp &amp; a&b;", "\\&#x41; &amp \\&amp; a\\&b;"],
    // NEL is a line break; the C1 controls and every bidi isolate or embedding are dropped.
    ["a\u0085b", "a b"],
    ["a\u0080b\u009Fc\u0084d", "abcd"],
    ["a\u2066b\u2069c\u202Ad", "abcd"],
    ["a\u00A0b", "a b"],
    // A mention needs a name right after the @.
    ["a @ b", "a @ b"],
    ["@-y", `@${ZWSP}-y`],
    ["@9lives", `@${ZWSP}9lives`],
    // Code spans: an unmatched run stays text; a longer run does not close a shorter one.
    ["a ` b ``c`` d", "a \\` b ``c`` d"],
    ["``a```b``", "``a```b``"],
    ["```", "\\`\\`\\`"],
    ["`a`<!--`b`", `\`a\`\\<!${ZWSP}--\`b\``],
  ])("escapes only what needs it: %j as %j", (raw, expected) => {
    expect(escapeTitle(raw)).toBe(expected);
  });

  it("cuts a long title at a space without leaving the space before the …", () => {
    expect(escapeTitle(`${"x".repeat(255)} yyy`)).toBe(`${"x".repeat(255)}…`);
  });

  it("truncates a 1,000-character title at MAX_TITLE_LENGTH code points with …", () => {
    const escaped = escapeTitle("x".repeat(1000));
    expect(MAX_TITLE_LENGTH).toBe(256);
    expect(escaped).toBe("x".repeat(256) + "…");
  });

  it("keeps a title of exactly MAX_TITLE_LENGTH untouched and never splits a surrogate pair", () => {
    expect(escapeTitle("y".repeat(256))).toBe("y".repeat(256));
    const emoji = "😀".repeat(300);
    expect(escapeTitle(emoji)).toBe("😀".repeat(256) + "…");
  });

  it("never yields a line break or an HTML comment opener, whatever the title is made of", () => {
    const piece = fc.constantFrom("<", "!", "-", "--", "`", "``", "\\", "\n", "\r", "\u2028", "\u0085", "@", "a", " ", "[", "#", "1.", "&", "\u202E");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const out = escapeTitle(parts.join(""));
        expect(out).not.toMatch(/[\r\n\u0085\u2028\u2029\u202E]/);
        expect(out).not.toContain("<!--");
        expect(escapeTitle(parts.join(""))).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });

  it("never yields a newline, an unescaped bracket or a live mention for hostile input", () => {
    const hostile = "@a\n[b](c)<d>`e\r\n@f/g";
    const out = escapeTitle(hostile);
    expect(out).not.toMatch(/[\r\n]/);
    expect(out).not.toMatch(/(^|[^\\])[[<]/);
    expect(out).not.toMatch(/@[A-Za-z]/);
  });
});
