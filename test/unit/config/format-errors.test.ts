import { describe, expect, it } from "vitest";
import { formatConfigErrors } from "../../../src/config/format-errors.js";
import { makeError, parseConfigText, validateConfigObject } from "../../../src/config/load-config.js";

describe("formatConfigErrors", () => {
  it("prints one line per error, FILE:LINE: path: message, sorted by line", () => {
    const errors = [
      makeError("meetings[0].createBefor", 12, 5, 'unknown key "createBefor" (did you mean "createBefore"?)'),
      makeError("meetings[0].schedule.zone", 7, 13, 'unknown time zone "Mars/Olympus"'),
      makeError("", 3, 1, "YAML syntax error: bad"),
    ];
    expect(formatConfigErrors(errors, ".github/meetings.yml")).toBe(
      [
        ".github/meetings.yml:3: YAML syntax error: bad",
        '.github/meetings.yml:7: meetings[0].schedule.zone: unknown time zone "Mars/Olympus"',
        '.github/meetings.yml:12: meetings[0].createBefor: unknown key "createBefor" (did you mean "createBefore"?)',
        "",
      ].join("\n"),
    );
  });

  it("prints FILE: path: message for errors without a line", () => {
    const result = validateConfigObject({ meetings: 5 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatConfigErrors(result.errors, "org/.github")).toBe("org/.github: meetings: expected a list, got a number (5) (write [5] for a one-item list)\n");
  });

  it("prints file-level errors without a path", () => {
    const result = parseConfigText("");
    if (result.ok) throw new Error("expected errors");
    expect(formatConfigErrors(result.errors, "m.yml")).toBe("m.yml: the file is empty: it needs a `meetings:` list\n");
  });

  it("prints nothing for no errors", () => {
    expect(formatConfigErrors([], "m.yml")).toBe("");
  });
});
