/**
 * Text from minutes files (names, e-mails, logins typed by anyone who could edit the doc or open
 * a pull request) rendered into Markdown the App writes: ATTENDANCE.md and the quorum statement
 * of the minutes pull request. A code span shows the text as written and makes it inert: no
 * link, no HTML or HTML comment, no emphasis, and no `@` mention that would notify someone.
 */

/** Controls, zero-width and bidi formatting characters, separators, BOM and lone surrogates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Cs}/gu;

/** Longest text kept, in code points, before `…`. */
export const MAX_SPAN_TEXT = 80;

/**
 * `text` as one inline code span: unsafe characters dropped, white space collapsed, at most
 * `max` code points, fenced with more backticks than any run inside it. In a table cell (`cell`),
 * `|` is written `\|` (backslashes right before it dropped), which GitHub's tables read as a `|`
 * even inside code.
 */
export function inertSpan(text: string, options: { cell?: boolean; max?: number } = {}): string {
  const max = options.max ?? MAX_SPAN_TEXT;
  let clean = text.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  const points = [...clean];
  if (points.length > max) clean = `${points.slice(0, max - 1).join("")}…`;
  if (clean === "") clean = "?";
  // A backslash right before the pipe would escape the escape and end the cell: such runs go.
  if (options.cell) clean = clean.replace(/\\*\|/g, "\\|");
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") || (clean.startsWith(" ") && clean.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}
