import { minutesPath } from "./minutes-path.js";

/**
 * Finding a series' minutes files in a folder tree, by the series' `minutes.path` template,
 * without trusting the tree: the walk is the same over GitHub's contents API (the App) and over
 * a local clone (`wg-meetings attendance --dir`), and both are bounded in listings, files and
 * bytes. A file counts only when its path is exactly what the template renders for the date its
 * name holds, so `meetings/2022-07-21.md` is the 2022-07-21 meeting and `meetings/notes.md`,
 * `meetings/2022-07-21` (no `.md`) or `meetings/2022-02-30.md` are nothing.
 */

/** One entry of a folder listing. */
export interface FolderEntry {
  name: string;
  type: "file" | "dir" | "other";
  /** Bytes, for files (what the listing says; a file read later may differ). */
  size: number;
}

/** How a walk reaches the files: a GitHub repository at a ref, or a local folder. */
export interface MinutesFolderIo {
  /** The entries of a folder (`""` is the root), or null when there is no such folder. */
  list(path: string): Promise<FolderEntry[] | null>;
  /** The text of a file, or null when it has gone. */
  read(path: string): Promise<string | null>;
}

/** Bounds of one walk. */
export interface MinutesWalkLimits {
  /** Folder listings at most (one for `meetings/{{date}}.md`; more with `{{year}}/` folders). */
  listings: number;
  /** A file larger than this is skipped, not read. */
  fileBytes: number;
  /** Bytes read at most over all files; the walk stops before a file that would pass it. */
  totalBytes: number;
}

/** Files read at the same time (GitHub's guidance: a few concurrent requests, not many). */
export const READS_AT_ONCE = 4;

/** The bounds the App and the CLI use. */
export const MINUTES_WALK_LIMITS: MinutesWalkLimits = { listings: 20, fileBytes: 512 * 1024, totalBytes: 8 * 1024 * 1024 };

/** A minutes file read. */
export interface MinutesFile {
  /** The meeting's date, `YYYY-MM-DD`, from the file's path. */
  date: string;
  /** Path relative to the walk's root (the repository for the App). */
  path: string;
  text: string;
}

/** What a walk found. */
export interface MinutesWalk {
  /** Newest first. */
  files: MinutesFile[];
  /** Files that matched but were not read, and why. */
  skipped: Array<{ path: string; reason: string }>;
  /** Whether a bound stopped the walk before it had `count` files or had seen every folder. */
  truncated: boolean;
}

/** One segment of the template: a literal name, or a pattern with placeholders. */
type Segment = { literal: string } | { pattern: RegExp; fields: string[] };

const PLACEHOLDER = /\{\{\s*(date|year|month|day)\s*\}\}/g;
const FIELD_PATTERN: Record<string, string> = { date: "(\\d{4}-\\d{2}-\\d{2})", year: "(\\d{4})", month: "(\\d{2})", day: "(\\d{2})" };

function segmentOf(text: string): Segment {
  const fields: string[] = [];
  let source = "";
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(text.slice(last, match.index)) + FIELD_PATTERN[match[1]!]!;
    fields.push(match[1]!);
    last = match.index + match[0].length;
  }
  if (fields.length === 0) return { literal: text };
  return { pattern: new RegExp(`^${source}${escapeRegExp(text.slice(last))}$`), fields };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The date a path names under `template` (`meetings/{{date}}.md`), or null when the path is not
 * one the template renders for a real date.
 *
 * @throws MinutesPathError when the template itself cannot name a minutes file.
 */
export function minutesFileDate(template: string, path: string): string | null {
  minutesPath(template, "2000-01-01");
  const segments = template.split("/").map(segmentOf);
  const names = path.split("/");
  if (names.length !== segments.length) return null;
  const values: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ("literal" in segment) {
      if (segment.literal !== names[i]) return null;
      continue;
    }
    const match = segment.pattern.exec(names[i]!);
    if (!match) return null;
    for (const [k, field] of segment.fields.entries()) {
      const value = match[k + 1]!;
      if (values[field] !== undefined && values[field] !== value) return null;
      values[field] = value;
    }
  }
  const date = values.date ?? (values.year && values.month && values.day ? `${values.year}-${values.month}-${values.day}` : null);
  if (date === null) return null;
  if (values.date && values.year && !values.date.startsWith(`${values.year}-`)) return null;
  try {
    return minutesPath(template, date) === path ? date : null;
  } catch {
    // Not a real date (2022-02-30).
    return null;
  }
}

/**
 * The `count` newest minutes files under `template` dated before `before` (all dates when null),
 * newest first. Folders named by placeholders (`meetings/{{year}}/{{date}}.md`) are listed
 * newest name first until `limits.listings` is spent, or, for folders named year first, until
 * the newer ones hold `count` files. Files are read newest first,
 * {@link READS_AT_ONCE} at a time; a file over `limits.fileBytes` is skipped (and named in
 * `skipped`); the walk stops at `limits.totalBytes`.
 *
 * @throws MinutesPathError when the template cannot name a minutes file.
 */
export async function walkMinutesFiles(
  io: MinutesFolderIo,
  template: string,
  options: { before: string | null; count: number; limits?: MinutesWalkLimits },
): Promise<MinutesWalk> {
  const limits = options.limits ?? MINUTES_WALK_LIMITS;
  minutesPath(template, "2000-01-01");
  const segments = template.split("/").map(segmentOf);
  const found: Array<{ date: string; path: string; size: number }> = [];
  let listings = 0;
  let truncated = false;

  // Literal leading folders are not listed: they are only the way down.
  let start = 0;
  while (start < segments.length - 1 && "literal" in segments[start]!) start++;
  const root = template.split("/").slice(0, start).join("/");

  const visit = async (folder: string, depth: number): Promise<void> => {
    if (listings >= limits.listings) {
      truncated = true;
      return;
    }
    listings++;
    const entries = await io.list(folder);
    if (entries === null) return;
    const segment = segments[depth]!;
    const last = depth === segments.length - 1;
    const names = entries
      .filter((entry) => (last ? entry.type === "file" : entry.type === "dir"))
      .filter((entry) => ("literal" in segment ? entry.name === segment.literal : segment.pattern.test(entry.name)))
      .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    // Folders named year first (`{{year}}`, `{{date}}`) sort by name as by date: once the newer
    // ones hold enough files, the older ones are not listed.
    const chronological = "pattern" in segment && segment.pattern.source.startsWith("^(") && (segment.fields[0] === "year" || segment.fields[0] === "date");
    for (const entry of names) {
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (!last) {
        if (chronological && found.length >= options.count) break;
        await visit(path, depth + 1);
        continue;
      }
      const date = minutesFileDate(template, path);
      if (date !== null && (options.before === null || date < options.before)) found.push({ date, path, size: entry.size });
    }
  };
  await visit(root, start);

  found.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.path < b.path ? -1 : 1));
  const files: MinutesFile[] = [];
  const skipped: MinutesWalk["skipped"] = [];
  let bytes = 0;
  let next = 0;
  // `lastWave`: the listing says the next file would pass the total; `full`: what was read did.
  let lastWave = false;
  let full = false;
  while (files.length < options.count && next < found.length && !lastWave && !full) {
    // A wave of reads at once, chosen by the listing's sizes; what was read decides after.
    const wave: typeof found = [];
    let reserved = bytes;
    while (wave.length < Math.min(READS_AT_ONCE, options.count - files.length) && next < found.length) {
      const candidate = found[next]!;
      if (candidate.size > limits.fileBytes) {
        skipped.push({ path: candidate.path, reason: `larger than ${limits.fileBytes} bytes` });
        next++;
        continue;
      }
      if (reserved + candidate.size > limits.totalBytes) {
        lastWave = true;
        break;
      }
      reserved += candidate.size;
      wave.push(candidate);
      next++;
    }
    const texts = await Promise.all(wave.map((candidate) => io.read(candidate.path)));
    wave.forEach((candidate, i) => {
      if (full) return;
      const text = texts[i]!;
      if (text === null) {
        skipped.push({ path: candidate.path, reason: "gone or not a file" });
        return;
      }
      // The listing's size is a claim; what was read is what counts.
      const size = Buffer.byteLength(text, "utf8");
      if (size > limits.fileBytes) {
        skipped.push({ path: candidate.path, reason: `larger than ${limits.fileBytes} bytes` });
        return;
      }
      if (bytes + size > limits.totalBytes) {
        full = true;
        return;
      }
      bytes += size;
      files.push({ date: candidate.date, path: candidate.path, text });
    });
  }
  return { files, skipped, truncated: truncated || lastWave || full };
}
