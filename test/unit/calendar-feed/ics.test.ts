import { describe, expect, it } from "vitest";
import { escapeText, foldLine, serializeLines, utcDateTime } from "../../../src/calendar-feed/ics.js";

describe("iCalendar text", () => {
  it("escapes backslash, semicolon, comma and line breaks in TEXT, and drops control characters", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\rg")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng");
    expect(escapeText("bell\u0007 tab\t")).toBe("bell tab\t");
  });

  it("writes UTC date-times in the basic format", () => {
    expect(utcDateTime(new Date("2024-03-07T15:00:00.000Z"))).toBe("20240307T150000Z");
  });

  it("folds at 75 octets, continuation lines starting with a space, never inside a UTF-8 character", () => {
    const line = `SUMMARY:${"é".repeat(60)}🎉${"x".repeat(80)}`;
    const folded = foldLine(line);
    expect(folded.length).toBeGreaterThan(1);
    for (const [index, physical] of folded.entries()) {
      expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
      if (index > 0) expect(physical.startsWith(" ")).toBe(true);
      expect(physical).not.toContain("\uFFFD");
    }
    expect(folded.map((physical, index) => (index === 0 ? physical : physical.slice(1))).join("")).toBe(line);
    expect(foldLine("SHORT:x")).toEqual(["SHORT:x"]);
    expect(foldLine(`X:${"a".repeat(73)}`)).toEqual([`X:${"a".repeat(73)}`]);
  });

  it("ends every line, the last included, with CRLF and never lets a value break a line", () => {
    const text = serializeLines([["BEGIN", "VCALENDAR"], ["URL", "https://x.test/\r\nEVIL:1"], ["END", "VCALENDAR"]]);
    expect(text).toBe("BEGIN:VCALENDAR\r\nURL:https://x.test/EVIL:1\r\nEND:VCALENDAR\r\n");
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });
});
