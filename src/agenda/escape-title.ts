/**
 * Turning an untrusted issue title into Markdown that is safe to put in a list item.
 *
 * Anyone who can label an issue (or open one that a triager labels) controls its title, and the
 * title lands in a meeting issue that is seen by a whole working group and, later, committed as
 * minutes. The escaped title must therefore:
 *
 * - render exactly as GitHub shows the title (text, and `code` spans, which GitHub also renders
 *   in titles), so ordinary titles are left byte-for-byte alone: `'`, `?`, `.`, `-`, `(`, `)`,
 *   `:`, `/`, `#123` and the like are never touched;
 * - never break out of the one line of the list item (no newlines, no block syntax at the start);
 * - never become a link, image, HTML, emphasis, table cell, math or strikethrough;
 * - never mention (and so notify) a user or a team.
 *
 * Every escape used is a CommonMark backslash escape of ASCII punctuation, which renders as the
 * bare character, so the escaped title *reads* the same as the raw one. This extends the
 * original `node-meeting-agenda` tool, which escaped only `[` and `]` (hence `\[StepSecurity\]`
 * in real Node.js meeting issues).
 */

/**
 * Longest title kept, in code points, before `…` is appended. GitHub itself caps issue titles at
 * 256 characters, so a title from a real search is never cut; the limit only stops a
 * hand-written agenda file (or a future API change) from flooding the meeting issue.
 */
export const MAX_TITLE_LENGTH = 256;

/** U+200B ZERO WIDTH SPACE, see {@link breakMentions}. */
const ZWSP = "\u200B";

/**
 * Escapes an issue or pull request title for inline use in a Markdown list item (see the
 * module comment for the guarantees). Pure and idempotent in effect: it never interprets
 * `{{…}}` or `$PLACEHOLDER$`, which therefore stay literal.
 */
export function escapeTitle(raw: string): string {
  const line = truncate(normalizeWhitespace(raw));
  return defuseCommentOpeners(
    escapeBlockStart(
      splitCodeSpans(line)
        .map((part) => (part.code ? part.text : breakMentions(escapeInline(part.text))))
        .join(""),
    ),
  );
}

/**
 * The App keeps its state in HTML comments inside the issue body (the meeting marker, the
 * section markers). A title that contains `<!--` — even inside a code span, where it renders
 * as text — could plant a fake one when the App reads the raw body back, so every `<!--` gets a
 * zero-width space after its `!`: it renders the same and is no longer a comment opener.
 */
function defuseCommentOpeners(text: string): string {
  // Also covers `\<!--` (an escaped `<` outside code spans): the `<!--` in it is still there.
  return text.replace(/<!--/g, `<!${ZWSP}--`);
}

/**
 * Collapses every run of whitespace, including CR/LF, tabs and the Unicode line and paragraph
 * separators, into one space, and drops control characters and bidirectional overrides: a
 * newline would end the list item, and bidi overrides can make the text read differently from
 * what it is ("trojan source").
 */
function normalizeWhitespace(raw: string): string {
  return raw
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    // Controls that are not whitespace (tab, LF, VT, FF, CR and NEL are collapsed below).
    .replace(/[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g, "")
    .replace(/[\s\u0085\u2028\u2029]+/g, " ")
    .trim();
}

/** Cuts at {@link MAX_TITLE_LENGTH} code points (never inside a surrogate pair). */
function truncate(text: string): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= MAX_TITLE_LENGTH) return text;
  return codePoints.slice(0, MAX_TITLE_LENGTH).join("").trimEnd() + "…";
}

interface Part {
  text: string;
  code: boolean;
}

/**
 * Splits a line into text and CommonMark code spans (a backtick run closed by a run of the same
 * length, not preceded by a backslash). Code spans are kept verbatim: GitHub renders them as code in the title too, and
 * inside a code span Markdown, HTML, `$` math and @-mentions are all inert — while backslash
 * escapes would show up literally there. An unmatched backtick run is plain text (and escaped).
 */
function splitCodeSpans(line: string): Part[] {
  const parts: Part[] = [];
  const run = /`+/g;
  let textStart = 0;
  let open: RegExpExecArray | null;
  while ((open = run.exec(line)) !== null) {
    const ticks = open[0];
    // `\`` is an escaped backtick, not an opener; keeping it verbatim would let the rest be raw.
    if (open.index > 0 && line[open.index - 1] === "\\") continue;
    const close = new RegExp(`(?<!\`)${ticks}(?!\`)`, "g");
    close.lastIndex = open.index + ticks.length;
    const end = close.exec(line);
    if (!end) continue; // unmatched: stays text; later runs may still pair up
    if (open.index > textStart) parts.push({ text: line.slice(textStart, open.index), code: false });
    parts.push({ text: line.slice(open.index, end.index + ticks.length), code: true });
    textStart = end.index + ticks.length;
    run.lastIndex = textStart;
  }
  if (textStart < line.length) parts.push({ text: line.slice(textStart), code: false });
  return parts;
}

/**
 * Backslash-escapes the punctuation that could change meaning inline:
 * `\` (so a title cannot cancel our escapes), `` ` `` (unmatched runs only reach here),
 * `*` `_` (emphasis), `[` `]` (links, images, footnotes, task boxes — `[x](javascript:…)` is
 * dead once `[` is literal), `<` `>` (HTML, autolinks, comments that could fake our hidden
 * markers), `|` (table cells, if a template puts titles in a table), `~` (strikethrough),
 * `$` (GitHub renders `$…$` as math; this also keeps a title like `$MINUTES_DOC$` from looking
 * like one of our placeholders), and `&` only where it starts an entity (`&lt;` must show as
 * typed, `R&D` is left alone).
 */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>|~$]/g, "\\$&").replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&");
}

/**
 * Inserts a zero-width space after every `@` that starts a name. GitHub turns `@user`,
 * `@org/team` and `@everyone`-style text into notifications when it renders the body, and a
 * backslash does not stop it (the escape is gone by then, the rendered text still reads
 * `@user`). The invisible U+200B keeps the title readable while the mention pattern, which
 * needs the name right after `@`, no longer matches. Emails (`a@b.org`) are broken too, which
 * only stops them from auto-linking.
 */
function breakMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWSP}`);
}

/**
 * The title follows `* ` in a list item, where a leading `#`, `>`, `-`/`+` + space or `1.` + space
 * would start a heading, quote or nested list. (`>` is already escaped inline.)
 */
function escapeBlockStart(text: string): string {
  return text
    .replace(/^#(?=#{0,5}(?: |$))/, "\\#")
    .replace(/^([-+])(?= |$)/, "\\$1")
    .replace(/^(\d{1,9})([.)])(?= |$)/, "$1\\$2");
}
