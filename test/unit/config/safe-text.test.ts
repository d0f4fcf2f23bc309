import { describe, expect, it } from "vitest";
import { formatConfigErrors } from "../../../src/config/format-errors.js";
import { MAX_CONFIG_BYTES } from "../../../src/config/limits.js";
import { makeError, parseConfigText } from "../../../src/config/load-config.js";
import { escapeUnsafe, quoteUserText, safeMessage } from "../../../src/config/safe-text.js";

describe("escapeUnsafe", () => {
  it.each([
    ["\u001b[31mred", "\\u001b[31mred"],
    ["tab\there\nnewline", "tab\\u0009here\\u000anewline"],
    ["bell\u0007 del\u007f c1\u009b", "bell\\u0007 del\\u007f c1\\u009b"],
    ["bidi \u202eevil\u202c and \u2066isolate\u2069", "bidi \\u202eevil\\u202c and \\u2066isolate\\u2069"],
    ["zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"],
    ["lone \ud800 surrogate", "lone \\ud800 surrogate"],
    ["plain text, accents é and emoji 👍 stay", "plain text, accents é and emoji 👍 stay"],
  ])("%j", (input, expected) => {
    expect(escapeUnsafe(input)).toBe(expected);
  });
});

describe("quoteUserText and safeMessage", () => {
  it("quotes user text short and inert", () => {
    expect(quoteUserText("a".repeat(100))).toBe(`"${"a".repeat(59)}…"`);
    expect(quoteUserText("x\u001by", 10)).toBe('"x\\u001by"');
  });

  it("shortens every long quoted run and caps the message", () => {
    expect(safeMessage(`unknown time zone "${"Z".repeat(200)}" (use an IANA name)`)).toBe(`unknown time zone "${"Z".repeat(79)}…" (use an IANA name)`);
    expect(safeMessage("y".repeat(10_000)).length).toBe(500);
  });
});

describe("makeError: every config message is safe, whoever wrote it", () => {
  it("escapes a parser's message that quotes the file raw", () => {
    const error = makeError('meetings[0]["a\u001bb"]', 3, 5, 'malformed RRULE part "FREQ\u001b[2J" (expected NAME=VALUE)');
    expect(error.message).toBe('meetings[0]["a\\u001bb"] (line 3): malformed RRULE part "FREQ\\u001b[2J" (expected NAME=VALUE)');
    expect(formatConfigErrors([error], "m.yml")).toBe('m.yml:3: meetings[0]["a\\u001bb"]: malformed RRULE part "FREQ\\u001b[2J" (expected NAME=VALUE)\n');
  });
});

describe("parseConfigText: text it does not parse", () => {
  it("refuses text over the limit, counted in UTF-8 bytes", () => {
    const text = `meetings: []\n# ${"é".repeat(MAX_CONFIG_BYTES / 2)}\n`;
    expect(text.length).toBeLessThan(MAX_CONFIG_BYTES);
    const result = parseConfigText(text, ".github/meetings.yml");
    expect(result).toEqual({
      ok: false,
      errors: [{ path: "", line: null, column: null, message: "the file is 64.1 KB, over the 64 KB limit for a meetings config (nothing was parsed)" }],
      omitted: 0,
    });
  });

  it("refuses text with NUL bytes as not text", () => {
    const result = parseConfigText("meetings:\u0000\n");
    expect(result.ok ? [] : result.errors.map((error) => error.message)).toEqual(["not a text file: it contains NUL bytes (a meetings config is UTF-8 YAML)"]);
  });
});
