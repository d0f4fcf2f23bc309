/**
 * Turns what Google Docs' Markdown export produces into Markdown fit to commit: the same
 * rendering, minus the export's noise. Pure and idempotent (normalising twice changes nothing).
 *
 * What the export does, and what becomes of it:
 * - CRLF line ends, non-breaking spaces, a BOM → LF, plain spaces, nothing.
 * - Backslash escapes on punctuation that needs none (`ls \-l`, `Thanks\!`, `IMG\_2024`,
 *   `\[TOC\]`, `var i \= 0`) → removed; kept wherever dropping one could change the rendering
 *   (line starts, `\<tag`, `\*` next to a word, `\_` at a word boundary, code spans).
 * - Two trailing spaces after every list item and line → gone; where they were a real line
 *   break (Shift+Enter in the doc), a visible `\` break instead.
 * - Headings: `**bold**` wrapped around the whole text, `{#heading-id}` suffixes and empty
 *   headings removed; skipped levels closed up (`#` then `###` → `#`, `##`).
 * - Lists: one bullet marker, `1)` → `1.`, Google's `1. 1. 1.` renumbered, nesting re-indented
 *   to exactly the parent's content column.
 * - Pasted images, exported as megabytes of base64 `data:` URIs → a short note.
 * - `[https://x](https://x)` → `<https://x>`; runs of blank lines → one; one final newline.
 * Fenced code blocks are left exactly as they are.
 */
export function normalizeExportedMarkdown(markdown: string, options: NormalizeOptions = {}): string {
  const bullet = options.bullet ?? "*";
  const baseLevel = options.baseLevel ?? 1;
  const lines = markdown
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");

  const fenced = markFences(lines);
  const dataImages = collectDataImageLabels(lines, fenced);
  const definitions = collectDefinitionLabels(lines, fenced);
  const out: string[] = [];
  const headings = new HeadingLeveller(baseLevel);
  const lists = new ListFormatter(bullet);

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (fenced[i]) {
      lists.noteFence(raw);
      out.push(raw);
      continue;
    }
    let line = raw.replace(/[\u00A0\u202F]/g, " ").replace(/\u200B/g, "");
    if (/^\s*$/.test(line)) {
      // One blank line at most, and none at the start (fenced code keeps its own).
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      continue;
    }
    if (isDataImageDefinition(line)) continue;

    line = trailingWhitespace(line, nextLine(lines, fenced, i));
    const heading = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/.exec(line);
    if (heading) {
      lists.reset();
      const text = headingText(unescapeLine(heading[2] ?? "", { definitions, atBlockStart: false }));
      if (text !== "") out.push(`${"#".repeat(headings.level(heading[1]!.length))} ${text}`);
      continue;
    }
    line = lists.format(line);
    line = unescapeLine(line, { definitions, atBlockStart: true });
    line = replaceDataImages(line, dataImages);
    out.push(autolinkBareLinks(line));
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.join("\n") + "\n";
}

/** Choices where Markdown has two equivalent spellings. */
export interface NormalizeOptions {
  /** Bullet marker for unordered lists; `*` matches Google's export and the Node.js minutes. */
  bullet?: "*" | "-";
  /** Level of the top heading (2 when the doc is embedded under a file's own `#` title). */
  baseLevel?: number;
}

// ---------------------------------------------------------------------------------------------
// Blocks

const FENCE = /^\s*(`{3,}|~{3,})/;

/** True for each line inside (or delimiting) a fenced code block: those are left untouched. */
function markFences(lines: readonly string[]): boolean[] {
  const marks: boolean[] = [];
  let open: string | null = null;
  for (const line of lines) {
    const fence = FENCE.exec(line)?.[1];
    if (open === null) {
      if (fence) open = fence;
      marks.push(open !== null);
    } else {
      marks.push(true);
      if (fence && fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = null;
    }
  }
  return marks;
}

function nextLine(lines: readonly string[], fenced: readonly boolean[], i: number): string | null {
  return i + 1 < lines.length && !fenced[i + 1] ? lines[i + 1]! : i + 1 < lines.length ? "```" : null;
}

const LIST_ITEM = /^(\s*)([*+-]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** Does `next` continue the paragraph `line` is in (so a line break between them matters)? */
function continuesParagraph(next: string | null): boolean {
  if (next === null || /^\s*$/.test(next)) return false;
  const t = next.replace(/[\u00A0\u202F]/g, " ").trimStart();
  if (/^(#{1,6}(\s|$)|>|\||`{3}|~{3})/.test(t)) return false;
  return !LIST_ITEM.test(next) && !THEMATIC_BREAK.test(next);
}

/**
 * The export ends list items and lines with two spaces. Before a line that continues the same
 * paragraph they are a hard line break, kept as a visible `\`; anywhere else, noise.
 */
function trailingWhitespace(line: string, next: string | null): string {
  const trimmed = line.replace(/[ \t]+$/, "");
  const trailing = line.length - trimmed.length;
  if (trailing >= 2 && / {2}$/.test(line) && !/^\s*(#|\|)/.test(trimmed) && continuesParagraph(next)) return `${trimmed}\\`;
  return trimmed;
}

// ---------------------------------------------------------------------------------------------
// Headings

function headingText(text: string): string {
  let t = text.replace(/\s*\{#[^}\s]*\}\s*$/, "").trim();
  // Bold around the whole heading adds nothing: headings are bold already.
  const bold = /^(\*\*|__)(.*)\1$/.exec(t);
  if (bold && !bold[2]!.includes(bold[1]!)) t = bold[2]!.trim();
  return t;
}

/**
 * Closes up skipped levels: a heading is one level below the nearest shallower heading before
 * it, whatever level the doc gave it.
 */
class HeadingLeveller {
  private readonly open: number[] = [];
  private readonly base: number;

  constructor(base: number) {
    this.base = base;
  }

  level(original: number): number {
    while (this.open.length > 0 && this.open[this.open.length - 1]! >= original) this.open.pop();
    this.open.push(original);
    return Math.min(6, this.open.length + this.base - 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Lists

interface OpenItem {
  /** Where the marker was in the export. */
  indent: number;
  /** Where the item's text was in the export. */
  content: number;
  /** Where the item's text is now. */
  newContent: number;
}

interface LevelState {
  ordered: boolean;
  next: number;
}

/**
 * Re-emits list items with one bullet style, sequential numbers and each nested item indented
 * to its parent's content column, whatever the export used (2 spaces under `*`, 3 under `1.`).
 */
class ListFormatter {
  private items: OpenItem[] = [];
  private levels: LevelState[] = [];
  private readonly bullet: "*" | "-";

  constructor(bullet: "*" | "-") {
    this.bullet = bullet;
  }

  reset(): void {
    this.items = [];
    this.levels = [];
  }

  /** A fence at column 0 ends the list; an indented one belongs to it. */
  noteFence(line: string): void {
    if (!/^\s/.test(line) && FENCE.test(line)) this.reset();
  }

  format(line: string): string {
    const match = THEMATIC_BREAK.test(line) ? null : LIST_ITEM.exec(line);
    const indent = columns(/^\s*/.exec(line)![0]);
    if (!match) {
      if (indent === 0 || this.items.length === 0) {
        this.reset();
        return line;
      }
      // A continuation line: keep its position relative to the item it belongs to.
      const owner = [...this.items].reverse().find((item) => indent > item.indent) ?? this.items[0]!;
      return " ".repeat(owner.newContent + Math.max(0, indent - owner.content)) + line.trimStart();
    }
    const [, , marker, gap, text] = match as unknown as [string, string, string, string, string];
    while (this.items.length > 0 && indent <= this.items[this.items.length - 1]!.indent) this.items.pop();
    const depth = this.items.length;
    this.levels.length = Math.min(this.levels.length, depth + 1);
    const ordered = /\d/.test(marker);
    let state = this.levels[depth];
    if (!state || state.ordered !== ordered) {
      state = { ordered, next: ordered ? Number.parseInt(marker, 10) : 0 };
      this.levels[depth] = state;
    }
    const newMarker = ordered ? `${state.next++}.` : this.bullet;
    const newIndent = depth === 0 ? 0 : this.items[depth - 1]!.newContent;
    this.items.push({
      indent,
      content: indent + marker.length + columns(gap || " "),
      newContent: newIndent + newMarker.length + 1,
    });
    return `${" ".repeat(newIndent)}${newMarker}${text === "" ? "" : ` ${text}`}`;
  }
}

function columns(whitespace: string): number {
  let n = 0;
  for (const ch of whitespace) n = ch === "\t" ? n + 4 - (n % 4) : n + 1;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Escapes

interface EscapeContext {
  /** Labels of `[label]: url` definitions (lower-case): `[label]` is a link there. */
  definitions: ReadonlySet<string>;
  /** Whether the line starts a block (so `#`, `>`, `-`, `1.` there would mean something). */
  atBlockStart: boolean;
}

/** Punctuation whose escape the export adds and this module may drop; others are kept as they are. */
const DROPPABLE = new Set(["_", "*", "-", "#", ".", "[", "]", "<", ">", "!", "=", "+", "&"]);

/** Offset where the block's text starts: after indentation, list markers and `>` quotes. */
function blockStart(line: string): number {
  const m = /^(?:\s*(?:[*+-]|\d{1,9}[.)])[ \t]+|\s*>[ \t]?)*\s*/.exec(line);
  return m ? m[0].length : 0;
}

/** Removes the backslash escapes that change nothing, outside code spans. */
function unescapeLine(line: string, context: EscapeContext): string {
  const start = context.atBlockStart ? blockStart(line) : -1;
  let out = "";
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === "`") {
      const run = /^`+/.exec(line.slice(i))![0];
      const close = findClosingBackticks(line, i + run.length, run.length);
      if (close === -1) {
        out += run;
        i += run.length;
      } else {
        out += line.slice(i, close + run.length);
        i = close + run.length;
      }
      continue;
    }
    if (ch === "\\" && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1]!)) {
      const next = line[i + 1]!;
      if (DROPPABLE.has(next) && !escapeNeeded(line, i, start, context)) out += next;
      else out += ch + next;
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function findClosingBackticks(line: string, from: number, length: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(line); m; m = re.exec(line)) if (m[0].length === length) return m.index;
  return -1;
}

/** Would dropping the backslash at `at` (before line[at + 1]) change how the line renders? */
function escapeNeeded(line: string, at: number, blockAt: number, context: EscapeContext): boolean {
  const ch = line[at + 1]!;
  const before = charBefore(line, at);
  const after = line[at + 2] ?? "";
  if (at === blockAt) {
    // At the start of a block these would start a heading, quote, list, rule or setext line.
    if ("#>-+*=".includes(ch)) return true;
  }
  switch (ch) {
    case "_":
      // Inside a word `_` never emphasises (GFM), at a word's edge it may.
      return !(isWordChar(before) && isWordChar(after));
    case "*":
      // Only a `*` with space on both sides can neither open nor close emphasis.
      return !(/\s/.test(before) && /\s/.test(after));
    case ".":
      // `1\.` at a block start would make an ordered list.
      return blockAt >= 0 && /^\d{1,9}$/.test(line.slice(blockAt, at));
    case "!":
      return after === "[";
    case "<":
      return /[A-Za-z/!?]/.test(after);
    case "&":
      return /^(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/.test(line.slice(at + 2));
    case "#":
      // Only a heading's closing sequence (` #` at the end) would swallow it; otherwise inert.
      return (before === "" || /\s/.test(before)) && /^#*[ \t]*$/.test(line.slice(at + 2));
    case "[":
      return bracketNeeded(line, at, blockAt, context);
    case "]":
      return closingBracketNeeded(line, at, blockAt, context);
    default:
      // `-`, `+`, `=`, `>` only mean something at a block start (handled above).
      return false;
  }
}

/** `\[…\]` may go unless it would become a link, a reference, or a task-list checkbox. */
function bracketNeeded(line: string, at: number, blockAt: number, context: EscapeContext): boolean {
  const close = line.indexOf("\\]", at + 2);
  if (close === -1) return true;
  const inner = line.slice(at + 2, close);
  if (inner.includes("[") || inner.includes("]")) return true;
  const follower = line[close + 2] ?? "";
  if (follower === "(" || follower === "[" || follower === ":") return true;
  if (at === blockAt && /^[ xX]$/.test(inner)) return true;
  return context.definitions.has(inner.replace(/\\(.)/g, "$1").toLowerCase());
}

function closingBracketNeeded(line: string, at: number, blockAt: number, context: EscapeContext): boolean {
  const open = line.lastIndexOf("\\[", at);
  // A lone `]` cannot close anything; a paired one follows its opening bracket's fate.
  if (open === -1) return false;
  return bracketNeeded(line, open, blockAt, context);
}

function charBefore(line: string, at: number): string {
  // An escaped character before counts as itself (`\_\_init` → the second `_` follows `_`).
  return at > 0 ? line[at - 1]! : "";
}

function isWordChar(ch: string): boolean {
  return /[\p{L}\p{N}]/u.test(ch);
}

// ---------------------------------------------------------------------------------------------
// Links and images

function collectDefinitionLabels(lines: readonly string[], fenced: readonly boolean[]): Set<string> {
  const labels = new Set<string>();
  lines.forEach((line, i) => {
    const m = fenced[i] ? null : /^ {0,3}\[([^\]]+)\]:/.exec(line);
    if (m) labels.add(m[1]!.toLowerCase());
  });
  return labels;
}

const DATA_IMAGE_DEFINITION = /^ {0,3}\[([^\]]+)\]:\s*<?data:/;

function isDataImageDefinition(line: string): boolean {
  return DATA_IMAGE_DEFINITION.test(line);
}

function collectDataImageLabels(lines: readonly string[], fenced: readonly boolean[]): Set<string> {
  const labels = new Set<string>();
  lines.forEach((line, i) => {
    const m = fenced[i] ? null : DATA_IMAGE_DEFINITION.exec(line);
    if (m) labels.add(m[1]!.toLowerCase());
  });
  return labels;
}

/** Images pasted into the doc are exported inline as base64: far too big to commit. */
function replaceDataImages(line: string, labels: ReadonlySet<string>): string {
  return line
    .replace(/!\[([^\]]*)\]\[([^\]]+)\]/g, (whole, alt: string, label: string) => (labels.has(label.toLowerCase()) ? imageNote(alt) : whole))
    .replace(/!\[([^\]]*)\]\(<?data:[^)]*\)/g, (_whole, alt: string) => imageNote(alt));
}

function imageNote(alt: string): string {
  return alt.trim() ? `*(image: ${alt.trim()}; see the minutes doc)*` : "*(image; see the minutes doc)*";
}

/** `[https://x](https://x)`, the export's spelling of a bare link, → `<https://x>`. */
function autolinkBareLinks(line: string): string {
  return line.replace(/\[(https?:\/\/[^\s\]<>()]+)\]\(\1\)/g, "<$1>");
}
