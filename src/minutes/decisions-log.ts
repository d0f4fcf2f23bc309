import { posix } from "node:path";
import { meetingDateParts } from "./meeting-date.js";

/**
 * The decisions log: one Markdown file in the repository (`decisions.log`, by default
 * `meetings/decisions.md`) listing every meeting's decisions, newest first, each linking the
 * minutes. The minutes pull request carries the log's change, so a meeting's decisions go on
 * record when its minutes are merged, and not before.
 *
 * Each meeting's entry sits between two hidden lines naming its series and date:
 *
 * ```md
 * <!-- wg-meetings:decisions {"series":"security-wg","date":"2026-12-02"} -->
 * ## [Node.js Security team Meeting 2026-12-02](2026-12-02.md)
 *
 * * The channel stays private until the CNA work lands ([minutes](2026-12-02.md#nodejssecurity-wg))
 * <!-- wg-meetings:decisions-end {"series":"security-wg","date":"2026-12-02"} -->
 * ```
 *
 * so a second `/minutes` replaces that entry instead of adding another, and several series can
 * share one log. Everything else in the file (a title, entries written by hand) is kept as it
 * is. Only a whole line that is exactly a marker counts: text from the doc is written with its
 * `<!--` and `-->` neutralised, so no decision can pose as a marker or hide what follows it.
 */

/** The most a decisions log may weigh to be rewritten, in bytes (the Contents API's own limit is 1 MB). */
export const MAX_DECISIONS_LOG_BYTES = 900_000;

/** One decision as the log lists it. */
export interface LoggedDecision {
  text: string;
  /** The minutes file's anchor of the part it was decided in (no `#`), or null. */
  anchor: string | null;
}

/** One meeting's entry in the log. */
export interface DecisionsLogEntry {
  series: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** The meeting's title, e.g. `Node.js Security team Meeting`. */
  title: string;
  /** The minutes file's path in the repository. */
  minutesPath: string;
  /** The log's path in the repository (links are relative to it). */
  logPath: string;
  decisions: readonly LoggedDecision[];
}

/** What a new log starts with. */
export const NEW_LOG_HEADER =
  "# Decisions\n\nThe decisions of each meeting, newest first, each linking its minutes. Entries between `wg-meetings:decisions` lines are written by the minutes pull requests; anything else here is kept as written.\n";

const MARKER = /^<!-- wg-meetings:decisions(-end)? (\{[^\n]*\}) -->$/;

/**
 * The log with the meeting's entry written: its old entry replaced where it was, or a new one
 * placed before the first entry of an earlier date (before the first `## ` heading when the file
 * has no entry of the App's, at the end when it has none at all). With no decisions the
 * meeting's entry is removed. `current` null: there is no log yet; the result is null when
 * there is nothing to write either.
 *
 * @throws RangeError when the date is not a real `YYYY-MM-DD` date.
 */
export function writeDecisionsLog(current: string | null, entry: DecisionsLogEntry): string | null {
  meetingDateParts(entry.date, "decisions log");
  if (current === null && entry.decisions.length === 0) return null;
  const eol = current?.includes("\r\n") ? "\r\n" : "\n";
  const lines = (current ?? NEW_LOG_HEADER).split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();

  const entries = findEntries(lines);
  const mine = entries.find((found) => found.series === entry.series && found.date === entry.date);
  const block = entry.decisions.length === 0 ? [] : entryLines(entry);

  if (mine) {
    // A blank line after the removed entry would be doubled; it goes with the entry.
    const end = block.length === 0 && lines[mine.end] === "" ? mine.end + 1 : mine.end;
    lines.splice(mine.start, end - mine.start, ...block);
  } else if (block.length > 0) {
    const older = entries.find((found) => found.date < entry.date);
    const at = older?.start ?? (entries.length > 0 ? entries.at(-1)!.end : firstSectionLine(lines));
    const before = at > 0 && lines[at - 1] !== "" ? [""] : [];
    const after = at < lines.length && lines[at] !== "" ? [""] : [];
    lines.splice(at, 0, ...before, ...block, ...after);
  }
  return lines.join(eol) + eol;
}

/** The entry's lines, from its start marker to its end marker. */
function entryLines(entry: DecisionsLogEntry): string[] {
  const id = JSON.stringify({ series: entry.series, date: entry.date });
  const minutes = relativeLink(entry.logPath, entry.minutesPath);
  const named = entry.title.replace(/\s+/g, " ").trim();
  const title = named.includes(entry.date) ? named : `${entry.date}: ${named}`;
  return [
    `<!-- wg-meetings:decisions ${id} -->`,
    `## [${escapeLinkText(title)}](${minutes})`,
    "",
    ...entry.decisions.map((decision) => `* ${neutralise(decision.text)} ([minutes](${minutes}${decision.anchor ? `#${decision.anchor}` : ""}))`),
    `<!-- wg-meetings:decisions-end ${id} -->`,
  ];
}

interface FoundEntry {
  series: string;
  date: string;
  /** Index of its start marker. */
  start: number;
  /** Index just past its end marker (or past its last line when the end marker was removed by hand). */
  end: number;
}

/** The App's entries in the log, in file order. Markers inside fenced code are text. */
function findEntries(lines: readonly string[]): FoundEntry[] {
  const found: FoundEntry[] = [];
  let fence: string | null = null;
  let open: { series: string; date: string; start: number } | null = null;
  const close = (end: number) => {
    if (open) found.push({ ...open, end });
    open = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark && (fence === null || fenceMark.startsWith(fence))) {
      fence = fence === null ? fenceMark : null;
      continue;
    }
    if (fence !== null) continue;
    const marker = MARKER.exec(line.trimEnd());
    const id = marker ? markerId(marker[2]!) : null;
    if (marker && id) {
      if (marker[1]) {
        if (open && open.series === id.series && open.date === id.date) close(i + 1);
        continue;
      }
      close(i);
      open = { ...id, start: i };
      continue;
    }
    // An entry whose end marker was deleted ends before the next heading of its level or above.
    if (open && i > open.start + 1 && /^ {0,3}#{1,2}(?:[ \t]|$)/.test(line)) close(trimBlank(lines, open.start, i));
  }
  if (open) close(trimBlank(lines, (open as { start: number }).start, lines.length));
  return found;
}

function trimBlank(lines: readonly string[], start: number, end: number): number {
  let at = end;
  while (at > start + 1 && lines[at - 1]!.trim() === "") at--;
  return at;
}

function markerId(json: string): { series: string; date: string } | null {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== "object" || value === null) return null;
    const { series, date } = value as Record<string, unknown>;
    return typeof series === "string" && typeof date === "string" ? { series, date } : null;
  } catch {
    return null;
  }
}

/** Where a new log's first entry goes: before the first `#`/`##` heading after the title, else at the end. */
function firstSectionLine(lines: readonly string[]): number {
  const title = lines.findIndex((line) => /^ {0,3}#(?:[ \t]|$)/.test(line));
  for (let i = title + 1; i < lines.length; i++) if (/^ {0,3}#{1,2}(?:[ \t]|$)/.test(lines[i]!)) return i;
  return lines.length;
}

/** A link from the log to another file of the repository, relative to the log's folder. */
export function relativeLink(from: string, to: string): string {
  const path = posix.relative(posix.dirname(from), to);
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * Doc text on one line of a file the App writes: `<!--` and `-->` cannot open or close an HTML
 * comment (which would hide the rest of the file, or pose as a marker), and line breaks are spaces.
 */
export function neutralise(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/<!--/g, "&lt;!--")
    .replace(/--!?>/g, (end) => `--${end.slice(2, -1)}&gt;`)
    .trim();
}

/** Text inside `[…]`: brackets and backslashes escaped so it cannot end the link early. */
export function escapeLinkText(text: string): string {
  return neutralise(text).replace(/[\\[\]]/g, (ch) => `\\${ch}`);
}
