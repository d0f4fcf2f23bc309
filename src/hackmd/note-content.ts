import { isMarkerLine, markerLine, NOTE_TAG, type NoteMarker } from "./note-marker.js";

/**
 * A minutes note's content as the App writes it, and what `/minutes` and `/move` do to it:
 *
 *     ---
 *     title: "Node.js Security team Meeting 2024-10-24"
 *     tags: wg-meetings
 *     ---
 *
 *     # Node.js Security team Meeting 2024-10-24
 *     …the rendered minutes-doc template…
 *
 *     <!-- wg-meetings-minutes {…} -->
 *
 * HackMD takes the note's title and tags from the front-matter. Everything between it and
 * the marker is the people's: the App changes none of it but, on `/move`, the first heading
 * when it is still the old title.
 */

/**
 * HackMD's embeds (`{%youtube id %}`, `{%pdf URL %}`, `{%hackmd noteId %}`, `{%gist …%}`, …)
 * work anywhere in a line, headings included, and GitHub's Markdown escaping knows nothing of
 * them. The note's template is the App's own and never means one, so any `{%` came from text
 * it quotes (an agenda item's title): a zero-width space after the `{` reads the same and
 * embeds nothing.
 */
function defuseEmbeds(markdown: string): string {
  return markdown.replace(/\{%/g, "{\u200B%");
}

/** The note's content for a new meeting: front-matter, the Markdown (embeds defused), the marker. */
export function renderNoteContent(title: string, markdown: string, marker: NoteMarker): string {
  const defused = defuseEmbeds(markdown);
  const body = defused.endsWith("\n") ? defused : `${defused}\n`;
  return `${frontMatter(title)}\n${body}\n${markerLine(marker)}\n`;
}

function frontMatter(title: string): string {
  return `---\ntitle: ${yamlString(title)}\ntags: ${NOTE_TAG}\n---\n`;
}

/** A YAML double-quoted scalar: JSON's string syntax is valid YAML, and needs no judging of what plain text may hold. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** Where the App's front-matter block ends (the index of its closing line), or null when the note does not start with it. */
function appFrontMatterEnd(lines: readonly string[]): number | null {
  if (lines[0]?.trimEnd() !== "---") return null;
  for (let i = 1; i < lines.length && i <= 100; i++) {
    const line = lines[i]!.trimEnd();
    if (line === "---" || line === "...") {
      const ours = lines.slice(1, i).some((l) => isOurTagsLine(l));
      return ours ? i : null;
    }
  }
  return null;
}

/** `tags: wg-meetings`, `tags: a, wg-meetings` or `tags: [a, wg-meetings]`. */
function isOurTagsLine(line: string): boolean {
  const match = /^tags:\s*(.*)$/.exec(line.trimEnd());
  if (!match) return false;
  const list = match[1]!.replace(/^\[|\]$/g, "");
  return list.split(",").some((tag) => tag.trim().replace(/^["']|["']$/g, "") === NOTE_TAG);
}

/**
 * The note's Markdown for the minutes file: CRLF line ends become LF; the App's front-matter
 * (the leading block carrying the `wg-meetings` tag) and the blank line after it are removed;
 * each marker line and the blank line before it are removed. Nothing else changes: the note
 * is Markdown already.
 */
export function noteMarkdown(content: string): string {
  const lines = content.replace(/\r\n/g, "\n").split("\n");
  let from = 0;
  const end = appFrontMatterEnd(lines);
  if (end !== null) {
    from = end + 1;
    if (lines[from] === "") from++;
  }
  const kept: string[] = [];
  for (const line of lines.slice(from)) {
    if (isMarkerLine(line)) {
      if (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
      continue;
    }
    kept.push(line);
  }
  return kept.join("\n");
}

/**
 * The content of a moved meeting's note: the front-matter's title and the first heading (when
 * it still reads as the old title) become the new title, and the marker records the new start.
 * Line ends become LF; nothing else changes.
 */
export function movedNoteContent(content: string, oldTitle: string, to: { title: string; start: string }, marker: NoteMarker): string {
  const lines = content.replace(/\r\n/g, "\n").split("\n");
  const end = appFrontMatterEnd(lines);
  const titles = new Set([oldTitle.trim()]);
  let from = 0;
  if (end !== null) {
    for (let i = 1; i < end; i++) {
      const value = /^title:\s*(.*)$/.exec(lines[i]!.trimEnd())?.[1];
      if (value === undefined) continue;
      titles.add(readYamlScalar(value));
      lines[i] = `title: ${yamlString(to.title)}`;
    }
    from = end + 1;
  }
  for (let i = from; i < lines.length; i++) {
    const heading = headingText(lines[i]!);
    if (heading === null) continue;
    if (titles.has(heading)) lines[i] = `# ${to.title}`;
    break;
  }
  const moved = markerLine({ ...marker, movedTo: to.start });
  const at = lastMarkerIndex(lines);
  if (at >= 0) lines[at] = moved;
  else {
    const ends = lines[lines.length - 1] === "";
    lines.splice(ends ? lines.length - 1 : lines.length, 0, "", moved);
  }
  return lines.join("\n");
}

/**
 * The text of a level-1 ATX heading (`# Title`, `# Title #`), or null for any other line.
 * String operations, not a regular expression: a line is people's text, up to 1 MB, and a
 * backtracking pattern over a long run of spaces would take quadratic time.
 */
function headingText(line: string): string | null {
  if (!line.startsWith("#") || !(line[1] === " " || line[1] === "\t")) return null;
  let text = line.slice(1).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  // A closing sequence of #s counts only after white space (or as the whole text).
  if (end < text.length && (end === 0 || text[end - 1] === " " || text[end - 1] === "\t")) text = text.slice(0, end).trim();
  return text;
}

function lastMarkerIndex(lines: readonly string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (isMarkerLine(lines[i]!)) return i;
  return -1;
}

/** A front-matter title as YAML reads it: double-quoted (JSON's escapes), single-quoted, or plain. */
function readYamlScalar(value: string): string {
  const text = value.trim();
  if (text.startsWith('"')) {
    try {
      return String(JSON.parse(text));
    } catch {
      return text;
    }
  }
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}
