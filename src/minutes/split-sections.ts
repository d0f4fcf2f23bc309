/**
 * Splits a Markdown document — the minutes doc as Google Docs exports it, or a rendered
 * template — into its `# title` and its `## ` sections, so the two can be matched section by
 * section. Deeper headings (`### nodejs/security-wg`) stay inside their section's body.
 */

/** One `#`/`##` section: its heading and everything up to the next one. */
export interface MarkdownSection {
  /** The heading text as written, minus the `##`, closing `#`s and an emphasis wrapper (`**Present**` → `Present`). */
  heading: string;
  /** What sections are matched by: see {@link sectionKey}. */
  key: string;
  /** 1 for a further `#` heading after the title (people add those too), else 2. */
  level: number;
  /** The lines under the heading, without leading and trailing blank lines (may be empty). */
  body: string;
}

/** A document as title, the text before its first section, and its sections in order. */
export interface SplitDocument {
  /** The first `#` heading's text when it comes before any `##`, else null. */
  title: string | null;
  /** Text between the title (or the start) and the first section, trimmed of blank lines. */
  preamble: string;
  sections: MarkdownSection[];
}

/** An ATX heading of level 1 or 2; `#` alone (an empty heading) counts too. */
const HEADING = /^ {0,3}(#{1,2})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits `markdown` into title, preamble and sections, keeping their order. Headings inside
 * fenced code are text. CRLF is read as LF. Tolerates what Google Docs exports: bold headings
 * (`# **Title**`), trailing spaces, escaped punctuation (`Q\&A`).
 */
export function splitSections(markdown: string): SplitDocument {
  const lines = markdown.split(/\r\n?|\n/);
  let title: string | null = null;
  const preamble: string[] = [];
  const sections: Array<Omit<MarkdownSection, "body"> & { lines: string[] }> = [];
  let fence: string | null = null;

  for (const line of lines) {
    const current = sections.at(-1)?.lines ?? preamble;
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch?.[1] && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && line.trim() === fenceMatch[1]) fence = null;
      current.push(line);
      continue;
    }
    if (fenceMatch?.[1]) {
      fence = fenceMatch[1];
      current.push(line);
      continue;
    }
    const heading = HEADING.exec(line);
    if (!heading?.[1]) {
      current.push(line);
      continue;
    }
    const text = headingText(heading[2] ?? "");
    if (heading[1] === "#" && title === null && sections.length === 0) {
      title = text;
      continue;
    }
    sections.push({ heading: text, key: sectionKey(text), level: heading[1].length, lines: [] });
  }

  return {
    title,
    preamble: trimBlankLines(preamble),
    sections: sections.map(({ lines: body, ...section }) => ({ ...section, body: trimBlankLines(body) })),
  };
}

/**
 * The key two headings are matched by: without emphasis markers and backslash escapes, a
 * trailing colon, case and repeated spaces. `**Q\&A, Other:**` and `Q&A, other` match.
 */
export function sectionKey(heading: string): string {
  return heading
    .replace(/[\\*_]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\s*:$/, "")
    .toLowerCase();
}

/** The heading text without an emphasis wrapper around all of it, which Google Docs adds to bold headings. */
function headingText(raw: string): string {
  let text = raw.trim();
  for (;;) {
    const wrapped = /^(\*\*|__|\*|_)(.+)\1$/.exec(text);
    // `**A** and **B**` starts and ends with `**` but is not one wrapper.
    if (!wrapped?.[1] || !wrapped[2] || wrapped[2].includes(wrapped[1]) || /^\s|\s$/.test(wrapped[2])) {
      return text.replace(/\s+/g, " ");
    }
    text = wrapped[2];
  }
}

function trimBlankLines(lines: readonly string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "") start++;
  while (end > start && lines[end - 1]!.trim() === "") end--;
  return lines.slice(start, end).join("\n");
}
