/**
 * The few pieces of RFC 5545 a published feed needs: TEXT escaping, UTC date-times, content
 * lines folded at 75 octets, CRLF. Writing them is simpler than configuring a library to, and
 * the tests parse every feed back with ical.js.
 */

/** Longest content line, in octets, before it must be folded (RFC 5545 §3.1). */
export const MAX_LINE_OCTETS = 75;

/**
 * A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`. Other control
 * characters are not allowed in TEXT and are dropped (HTAB stays).
 */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "")
    .replace(/[\\;,\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/** `20240307T150000Z`: a DATE-TIME in UTC (whole seconds). */
export function utcDateTime(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/**
 * Folds one content line so no physical line exceeds 75 octets of UTF-8, never splitting a
 * character (a surrogate pair stays whole): continuation lines start with one space, which counts.
 */
export function foldLine(line: string): string[] {
  const lines: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > MAX_LINE_OCTETS) {
      lines.push(current);
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines;
}

/** A property whose value is already in its wire form (a date-time, a URI, an escaped TEXT). */
export type ContentLine = readonly [name: string, value: string];

/** Content lines joined into iCalendar text: each folded, every line ending in CRLF. */
export function serializeLines(lines: readonly ContentLine[]): string {
  return lines.flatMap(([name, value]) => foldLine(`${name}:${value.replace(/[\r\n]/g, "")}`)).join("\r\n") + "\r\n";
}
