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
 * The longest heading read for its text, in characters; the rest is not read. No real heading
 * comes near it: it bounds the work one line of the doc can cost.
 */
export const MAX_HEADING_CHARS = 10_000;

/**
 * The text a heading renders to: code spans' content, links' text (not their URL), no images,
 * HTML tags, emphasis markers or backslash escapes. Linear in the heading's length: every
 * search for a closing `]`, `)`, `>` or backtick run only moves forward, so a heading of
 * unclosed links (`[a](url [a](url …`, never a `)`) is read once, not once per `[`.
 */
export function headingPlainText(heading: string): string {
  return plainText(heading.length > MAX_HEADING_CHARS ? heading.slice(0, MAX_HEADING_CHARS) : heading);
}

function plainText(heading: string): string {
  const nextBracket = forwardSearch(heading, (from) => heading.indexOf("]", from));
  const nextParen = forwardSearch(heading, (from) => heading.indexOf(")", from));
  const nextAngle = forwardSearch(heading, (from) => heading.indexOf(">", from));
  const nextSpace = forwardSearch(heading, (from) => {
    const space = /\s/g;
    space.lastIndex = from;
    return space.exec(heading)?.index ?? -1;
  });
  const closingRun = backtickRuns(heading);
  let out = "";
  let i = 0;
  while (i < heading.length) {
    const ch = heading[i]!;
    if (ch === "`") {
      let end = i;
      while (heading[end] === "`") end++;
      const run = end - i;
      const close = closingRun(run, end);
      if (close !== -1) {
        out += heading.slice(end, close);
        i = close + run;
        continue;
      }
      out += heading.slice(i, end);
      i = end;
      continue;
    }
    if (ch === "\\" && i + 1 < heading.length && /[!-/:-@[-`{-~]/.test(heading[i + 1]!)) {
      out += heading[i + 1];
      i += 2;
      continue;
    }
    // An image (`![alt](url)`) renders as nothing here; a link (`[text](url)`) as its text.
    const image = ch === "!" && heading[i + 1] === "[";
    if (image || ch === "[") {
      const labelStart = i + (image ? 2 : 1);
      const labelEnd = nextBracket(labelStart);
      const close = labelEnd < heading.length && heading[labelEnd + 1] === "(" ? nextParen(labelEnd + 2) : heading.length;
      if (close < heading.length) {
        // The label may hold code or emphasis of its own.
        if (!image) out += plainText(heading.slice(labelStart, labelEnd));
        i = close + 1;
        continue;
      }
    }
    if (ch === "<") {
      const scheme = /(?:https?|mailto):/iy;
      scheme.lastIndex = i + 1;
      if (scheme.test(heading)) {
        const end = nextAngle(scheme.lastIndex);
        if (end < heading.length && end < nextSpace(scheme.lastIndex)) {
          out += heading.slice(i + 1, end);
          i = end + 1;
          continue;
        }
      }
      const name = /<\/?[A-Za-z][A-Za-z0-9-]*/y;
      name.lastIndex = i;
      if (name.test(heading)) {
        const after = name.lastIndex;
        const end = heading[after] === ">" ? after : /\s/.test(heading[after] ?? "") ? nextAngle(after + 1) : heading.length;
        if (end < heading.length) {
          i = end + 1;
          continue;
        }
      }
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

/**
 * `search(from)` (an index, or -1 for none) remembered: asked again from a point at or before
 * its last answer, it answers without searching, so searches that only move forward look at each
 * character once. The answer for none is `text.length`.
 */
function forwardSearch(text: string, search: (from: number) => number): (from: number) => number {
  let from = Number.POSITIVE_INFINITY;
  let found = text.length;
  return (at) => {
    if (at >= from && at <= found) return found;
    const index = search(at);
    from = at;
    found = index === -1 ? text.length : index;
    return found;
  };
}

/**
 * For a code span opened by `length` backticks ending at `after`: where the first run of
 * exactly that many backticks at or past `after` starts (the span's closing run), or -1.
 * The runs are found once; each length's pointer only moves forward.
 */
function backtickRuns(text: string): (length: number, after: number) => number {
  const runs = new Map<number, number[]>();
  for (const m of text.matchAll(/`+/g)) {
    const list = runs.get(m[0].length) ?? [];
    list.push(m.index);
    runs.set(m[0].length, list);
  }
  const next = new Map<number, number>();
  return (length, after) => {
    const list = runs.get(length);
    if (!list) return -1;
    let k = next.get(length) ?? 0;
    while (k < list.length && list[k]! < after) k++;
    next.set(length, k);
    return k < list.length ? list[k]! : -1;
  };
}
