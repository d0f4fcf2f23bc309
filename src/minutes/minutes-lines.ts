import { HeadingSlugger } from "./heading-slug.js";

/**
 * The minutes as lines, each classified once (heading, list item, fenced code, plain text) so
 * that the after-meeting parsers (action items, decisions, agenda-item notes, attendance) read
 * the same structure the same way. Line based on purpose: the minutes are the Google Docs
 * export (normalised or not) or a hand-written Node.js file, and what matters is where a line
 * sits (under which heading, under which agenda item, how deeply indented), not a full
 * CommonMark tree.
 *
 * Forgiving of the export and of typing: CRLF and CR, non-breaking and zero-width spaces,
 * backslash escapes on punctuation (`\_`, `\*`, `\@`, `\[`), `*`/`-`/`+` bullets, `1.`/`1)`
 * numbers, `[ ]`/`[x]` checkboxes (also `\[ \]`), `>` quotes, bold-wrapped headings and
 * `{#id}` heading suffixes, trailing spaces and `\` hard breaks.
 *
 * What the rendered file hides is not read: an HTML comment block (`<!--` opening a line, up to
 * the line holding `-->`) counts as blank lines, so a heading, note or `ACTION:` line inside it
 * is nothing, as reviewers of the rendered minutes see it; so do the lines of a comment opened
 * in a line's text and closed further down the same paragraph (and the line's text from `<!--`).
 */

/** The most characters read from one minutes file; the rest is not read (`truncated`). */
export const MAX_MINUTES_CHARS = 1_000_000;
/** The most lines read from one minutes file; the rest is not read (`truncated`). */
export const MAX_MINUTES_LINES = 20_000;

/** One heading of the minutes, with the anchor GitHub gives it. */
export interface MinutesHeading {
  level: number;
  /** The heading as written, minus `#`s, a bold wrapper, a `{#id}` suffix and HTML comments (inline Markdown kept). */
  text: string;
  /** GitHub's anchor for it (no `#`), unique in the file: `q-a-other`, `nodejssecurity-wg-1`. */
  anchor: string;
  /** 1-based line number. */
  line: number;
}

/** A list item's marker. */
export interface ListMarker {
  ordered: boolean;
  /** `true` for `[x]`, `false` for `[ ]`, `null` without a checkbox. */
  checked: boolean | null;
}

/** One line of the minutes. */
export interface MinutesLine {
  /** 1-based. */
  number: number;
  /** As in the file, without the line end. */
  raw: string;
  /** Columns of leading whitespace (tabs to 4), before any marker. */
  indent: number;
  /** Inside (or delimiting) fenced code: never read as anything. */
  code: boolean;
  /**
   * Empty, or part of an HTML comment block (a line starting `<!--`, after any quote or list
   * marker, up to the line holding `-->`): hidden when rendered, so read as nothing.
   */
  blank: boolean;
  heading: MinutesHeading | null;
  list: ListMarker | null;
  /** Whether the line is in a `>` quote. */
  quote: boolean;
  /** The text after indentation, quote and list markers and a checkbox, read by {@link cleanInline}. */
  text: string;
  /** Index into {@link ScannedMinutes.headings} of the nearest heading at or above this line, or -1. */
  under: number;
}

/** The minutes, classified line by line. */
export interface ScannedMinutes {
  lines: MinutesLine[];
  headings: MinutesHeading[];
  /** Whether the input was over {@link MAX_MINUTES_CHARS} or {@link MAX_MINUTES_LINES}, so its end was not read. */
  truncated: boolean;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
/**
 * Zero-width characters the export leaves in text, except U+200B after `@`: escape-title.ts puts
 * it there so an agenda title mentions nobody, and it must not turn back into a mention here.
 */
const INVISIBLE = /(?<!@)\u200B|[\u200C\u200D\u2060\uFEFF]/g;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const LIST_ITEM = /^([*+-]|\d{1,9}[.)])(?:[ \t]+|$)/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** `[ ]`, `[x]`, as escaped by the export (`\[ \]`), or the ballot boxes a pasted checklist brings. */
const CHECKBOX = /^(?:\\?\[([ xX])\\?\]|([☐☑☒✅]))(?:[ \t]+|$)/;

/**
 * Classifies every line of `markdown` (see the module comment). Reads at most
 * {@link MAX_MINUTES_CHARS} characters and {@link MAX_MINUTES_LINES} lines.
 */
export function scanMinutes(markdown: string): ScannedMinutes {
  let text = markdown.replace(/^\uFEFF/, "");
  let truncated = false;
  if (text.length > MAX_MINUTES_CHARS) {
    text = text.slice(0, MAX_MINUTES_CHARS);
    truncated = true;
  }
  let rawLines = text.split(/\r\n?|\n/);
  if (rawLines.length > MAX_MINUTES_LINES) {
    rawLines = rawLines.slice(0, MAX_MINUTES_LINES);
    truncated = true;
  }

  const slugger = new HeadingSlugger();
  const headings: MinutesHeading[] = [];
  const lines: MinutesLine[] = [];
  let fence: string | null = null;
  let comment = false;
  const normalized = rawLines.map((raw) => raw.replace(/[\u00A0\u202F\u2007]/g, " ").replace(INVISIBLE, ""));
  const inParagraph = paragraphComments(normalized);
  /** The last line of a comment opened inside a paragraph: the lines up to it are hidden. */
  let hiddenThrough = -1;

  rawLines.forEach((raw, index) => {
    const number = index + 1;
    const line = normalized[index]!;
    const base = { number, raw, indent: columns(/^[ \t]*/.exec(line)![0]), heading: null, list: null, quote: false };
    const fenceMatch = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (fenceMatch && fenceMatch[0] === fence[0] && fenceMatch.length >= fence.length && line.trim() === fenceMatch) fence = null;
      lines.push({ ...base, code: true, blank: false, text: "", under: headings.length - 1 });
      return;
    }
    if (comment || index <= hiddenThrough) {
      if (line.includes("-->")) comment = false;
      lines.push({ ...base, code: false, blank: true, text: "", under: headings.length - 1 });
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch;
      lines.push({ ...base, code: true, blank: false, text: "", under: headings.length - 1 });
      return;
    }
    if (line.trim() === "") {
      lines.push({ ...base, code: false, blank: true, text: "", under: headings.length - 1 });
      return;
    }
    const heading = HEADING.exec(line);
    if (heading?.[1]) {
      const headingText = unwrapHeading(withoutComments(heading[2] ?? ""));
      const entry: MinutesHeading = { level: heading[1].length, text: headingText, anchor: slugger.slug(headingText), line: number };
      headings.push(entry);
      lines.push({ ...base, code: false, blank: false, heading: entry, text: cleanInline(headingText), under: headings.length - 1 });
      return;
    }
    let rest = line.trimStart();
    let quote = false;
    while (rest.startsWith(">")) {
      quote = true;
      rest = rest.slice(1).trimStart();
    }
    let list: ListMarker | null = null;
    const item = THEMATIC_BREAK.test(rest) ? null : LIST_ITEM.exec(rest);
    if (item?.[1]) {
      rest = rest.slice(item[0].length);
      const box = CHECKBOX.exec(rest);
      if (box) rest = rest.slice(box[0].length);
      const mark = box ? (box[1] ?? box[2] ?? " ") : null;
      list = { ordered: /\d/.test(item[1]), checked: mark === null ? null : !/^[ ☐]$/.test(mark) };
    }
    // `<!-->` and `<!--->` close themselves: CommonMark's `-->` may overlap the opening.
    if (rest.startsWith("<!--") && !rest.includes("-->", 2)) {
      comment = true;
      lines.push({ ...base, code: false, blank: true, text: "", under: headings.length - 1 });
      return;
    }
    // A comment opened in the text and closed further down the same paragraph hides the rest of
    // the line and the lines up to its end (only plain lines continue a paragraph).
    const opened = unclosedComment(rest);
    const hiddenEnd = opened === -1 ? -1 : inParagraph(index);
    if (hiddenEnd !== -1) {
      hiddenThrough = hiddenEnd;
      rest = rest.slice(0, opened);
    }
    lines.push({ ...base, code: false, blank: false, list, quote, text: cleanInline(rest), under: headings.length - 1 });
  });

  return { lines, headings, truncated };
}

/** `text` with its code spans blanked out (same length), so `<!--` inside one is not found. */
function maskCodeSpans(text: string): string {
  return text.replace(/`+[^`]*`+/g, (span) => " ".repeat(span.length));
}

/**
 * Where `text` opens an HTML comment it does not close (outside code spans), or -1: `note <!--`.
 */
function unclosedComment(text: string): number {
  const masked = maskCodeSpans(text);
  const open = masked.lastIndexOf("<!--");
  return open !== -1 && !masked.includes("-->", open + 2) ? open : -1;
}

/**
 * `text` without the HTML comments it opens and closes (outside code spans), as GitHub renders
 * it: `Keys <!-- [#5](…) -->` → `Keys `. An unclosed `<!--` is kept: CommonMark shows it.
 */
export function withoutComments(text: string): string {
  if (!text.includes("<!--")) return text;
  const masked = maskCodeSpans(text);
  let out = "";
  let from = 0;
  for (;;) {
    const open = masked.indexOf("<!--", from);
    const close = open === -1 ? -1 : masked.indexOf("-->", open + 2);
    if (close === -1) return out + text.slice(from);
    out += text.slice(from, open);
    from = close + 3;
  }
}

/**
 * For a comment opened on line `index` inside a paragraph: the line that closes it, when that
 * line comes before anything that ends the paragraph (a blank line, a heading, a list item, a
 * quote, a fence, a line opening a comment block), else -1 (then CommonMark shows `<!--` as
 * text). Both "next" lines are found in one backward pass, so asking costs nothing.
 */
function paragraphComments(lines: readonly string[]): (index: number) => number {
  const closeAt = new Array<number>(lines.length + 1).fill(lines.length);
  const breakAt = new Array<number>(lines.length + 1).fill(lines.length);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const rest = line.trimStart();
    const ends = rest === "" || HEADING.test(line) || FENCE.test(line) || rest.startsWith(">") || rest.startsWith("<!--") || THEMATIC_BREAK.test(rest) || LIST_ITEM.test(rest);
    closeAt[i] = line.includes("-->") ? i : closeAt[i + 1]!;
    breakAt[i] = ends ? i : breakAt[i + 1]!;
  }
  return (index) => (closeAt[index + 1]! < breakAt[index + 1]! ? closeAt[index + 1]! : -1);
}

/**
 * Inline text as people mean it: non-breaking and zero-width spaces (except a zero-width space
 * right after `@`, which the agenda puts there so a title mentions nobody), the export's backslash
 * escapes on ASCII punctuation (`\_` → `_`, `\@` → `@`), a trailing `\` line break and runs of
 * whitespace are undone. Markdown such as links, code and emphasis is kept.
 */
export function cleanInline(text: string): string {
  return text
    .replace(/[\u00A0\u202F\u2007]/g, " ")
    .replace(INVISIBLE, "")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/\s+/g, " ")
    .replace(/ ?\\$/, "")
    .trim();
}

/**
 * The key a heading or label is recognised by: no emphasis markers, escapes, trailing colon,
 * case or repeated spaces; typographic apostrophes as `'`. `**Action Items:**` → `action items`.
 */
export function labelKey(text: string): string {
  return cleanInline(text)
    .replace(/[*_]/g, "")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s*[:：]\s*$/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/**
 * The name a section heading or label is recognised by: its {@link labelKey} without a trailing
 * parenthetical (`## Present (12)`, `## Action items (new)` → `present`, `action items`).
 */
export function sectionName(text: string): string {
  return labelKey(text).replace(/\s*\([^()]*\)$/, "");
}

/**
 * A line that is a bold or colon-ended label, and what follows it on the line:
 * `**Present**: a, b`, `**Present:** a, b`, `Present: a, b`, `*Decision*: x`, or a whole
 * line in bold (`**Action items**`, then `rest` is empty). `null` when the line is no label.
 */
export function splitLabel(text: string): { key: string; rest: string } | null {
  const emphasised = /^(\*\*|__|\*|_)([^*_]{1,60}?)(?:[:：]\1|\1[ \t]*[:：]|\1(?=[ \t]*$))[ \t]*(.*)$/.exec(text);
  if (emphasised?.[2]) return { key: labelKey(emphasised[2]), rest: (emphasised[3] ?? "").trim() };
  // An ASCII colon needs a space after it (`https://` is no label); a full-width one does not.
  const plain = /^([^:：*_[\]()@/]{1,60}?)[ \t]*(?::(?=[ \t]|$)|：)[ \t]*(.*)$/.exec(text);
  if (plain?.[1] && !/^https?$/i.test(plain[1])) return { key: labelKey(plain[1]), rest: (plain[2] ?? "").trim() };
  return null;
}

/**
 * The lines that belong to the list item or label on line `at` (index into `lines`): blank
 * lines and lines indented deeper than it, up to the first line that is not. For a paragraph
 * label (no list marker), the list right after it belongs to it too (blank lines between
 * allowed), as in `**Action items:**` followed by bullets.
 */
export function childRange(lines: readonly MinutesLine[], at: number): { start: number; end: number } {
  const owner = lines[at]!;
  let end = at + 1;
  let seenList = false;
  while (end < lines.length) {
    const line = lines[end]!;
    if (line.heading) break;
    if (!line.blank && !line.code) {
      const deeper = line.indent > owner.indent;
      const listAfterLabel = owner.list === null && line.list !== null && line.indent >= owner.indent;
      const continues = owner.list === null && seenList && line.indent > owner.indent;
      if (!deeper && !listAfterLabel && !continues) break;
      if (line.list) seenList = true;
    } else if (line.code && line.indent <= owner.indent) {
      // Fenced code at the owner's level or left of it ends the list.
      break;
    }
    end++;
  }
  while (end > at + 1 && lines[end - 1]!.blank) end--;
  return { start: at + 1, end };
}

/** The heading text without a bold wrapper around all of it and without a `{#id}` suffix. */
function unwrapHeading(raw: string): string {
  let text = raw.replace(/\s*\{#[^}\s]*\}\s*$/, "").trim();
  for (;;) {
    const wrapped = /^(\*\*|__)(.+)\1$/.exec(text);
    if (!wrapped?.[1] || !wrapped[2] || wrapped[2].includes(wrapped[1])) return text.replace(/\s+/g, " ");
    text = wrapped[2].trim();
  }
}

function columns(whitespace: string): number {
  let n = 0;
  for (const ch of whitespace) n = ch === "\t" ? n + 4 - (n % 4) : n + 1;
  return n;
}

/** A prompt the minutes-doc templates leave for people to overwrite: `(notes)`, `<!-- notes -->`, `Name: @handle`. */
export function isPromptText(text: string): boolean {
  return /^(?:\(notes\)|<!-- ?notes ?-->|Name: @handle)$/i.test(text);
}

/**
 * Lines `start` to `end` (indexes) as a Markdown block, dedented to the least indented of them,
 * without the templates' prompts, trailing spaces, or blank lines at either end or in runs.
 */
export function blockText(lines: readonly MinutesLine[], start: number, end: number): string {
  const kept = lines.slice(start, end).filter((line) => !(line.list && isPromptText(line.text)));
  const indents = kept.filter((line) => !line.blank && !line.code).map((line) => line.indent);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  const out: string[] = [];
  for (const line of kept) {
    if (line.blank) {
      if (out.length > 0 && out.at(-1) !== "") out.push("");
      continue;
    }
    const expanded = line.raw.replace(/^[ \t]*/, (ws) => " ".repeat(columns(ws)));
    const leading = /^ */.exec(expanded)![0].length;
    out.push(expanded.slice(Math.min(cut, leading)).replace(/[ \t]+$/, ""));
  }
  while (out.at(-1) === "") out.pop();
  return out.join("\n");
}

/** The text without bold wrapped around all of it (`**RESOLVED: ship it**` → `RESOLVED: ship it`). */
export function unwrapBold(text: string): string {
  const wrapped = /^(\*\*|__)(.+)\1$/.exec(text);
  return wrapped?.[1] && wrapped[2] && !wrapped[2].includes(wrapped[1]) ? wrapped[2].trim() : text;
}

/** Whether the whole text is struck through (`~~Sam: @sam~~`): crossed out in the doc, so not meant any more. */
export function isStruckThrough(text: string): boolean {
  return /^~~(?:(?!~~).)+~~$/.test(text);
}

/** `text` cut to `max` code points, ending in `…` when cut. */
export function truncateText(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("").trimEnd()}…` : text;
}

/** The integers from `start` up to `end` (excluded). */
export function indexRange(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k);
}

/**
 * Text as compared for identity (action-item and decision keys): case, whitespace, emphasis and
 * code markers, backslash escapes, typographic quotes and a final `.`, `!`, `;` or `,` do not count.
 */
export function identityText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/[*_~`]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.!;,]+$/, "")
    .toLowerCase();
}
