/**
 * The anchors GitHub gives a Markdown file's headings, so the App can link one agenda item's
 * part of the minutes (`meetings/2022-07-21.md#nodejssecurity-wg`). GitHub takes the heading's
 * rendered text, lower-cases it, drops every character that is not a letter, mark, number,
 * connector (`_`), hyphen or space, and turns each space into a hyphen; a repeated anchor gets
 * `-1`, `-2`… in document order. The tests check the result against markdownlint's MD051,
 * which implements the same rule.
 */

/** The anchor of one heading's inline Markdown, before de-duplication (no `#`). */
export function headingSlug(heading: string): string {
  return headingPlainText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** Hands out a file's anchors in order, numbering repeats as GitHub does. */
export class HeadingSlugger {
  private readonly used = new Set<string>();

  /** The anchor of the next heading of the file. */
  slug(heading: string): string {
    const base = headingSlug(heading);
    let candidate = base;
    for (let n = 1; this.used.has(candidate); n++) candidate = `${base}-${n}`;
    this.used.add(candidate);
    return candidate;
  }
}

/**
 * The text a heading renders to: code spans' content, links' text (not their URL), no images,
 * HTML tags, emphasis markers or backslash escapes.
 */
export function headingPlainText(heading: string): string {
  let out = "";
  let i = 0;
  while (i < heading.length) {
    const ch = heading[i]!;
    if (ch === "`") {
      const run = /^`+/.exec(heading.slice(i))![0];
      const close = heading.indexOf(run, i + run.length);
      if (close !== -1 && heading[close + run.length] !== "`") {
        out += heading.slice(i + run.length, close);
        i = close + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    if (ch === "\\" && i + 1 < heading.length && /[!-/:-@[-`{-~]/.test(heading[i + 1]!)) {
      out += heading[i + 1];
      i += 2;
      continue;
    }
    const image = /^!\[[^\]]*\]\([^)]*\)/.exec(heading.slice(i));
    if (image) {
      i += image[0].length;
      continue;
    }
    const link = /^\[([^\]]*)\]\([^)]*\)/.exec(heading.slice(i));
    if (link) {
      // The label may hold code or emphasis of its own.
      out += headingPlainText(link[1]!);
      i += link[0].length;
      continue;
    }
    const autolink = /^<((?:https?|mailto):[^>\s]*)>/i.exec(heading.slice(i));
    if (autolink) {
      out += autolink[1];
      i += autolink[0].length;
      continue;
    }
    const tag = /^<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^>]*)?>/.exec(heading.slice(i));
    if (tag) {
      i += tag[0].length;
      continue;
    }
    if (ch === "*" || ch === "_" || ch === "~") {
      // Emphasis markers render as nothing; a `_` inside a word is text (GFM).
      const before = heading[i - 1] ?? "";
      const after = heading[i + 1] ?? "";
      if (ch === "_" && /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after)) out += ch;
      i++;
      continue;
    }
    out += ch;
    i++;
  }
  return out.trim();
}
