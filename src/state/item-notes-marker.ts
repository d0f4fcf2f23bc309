/**
 * The hidden last line of the App's comment on an agenda item discussed at a meeting, e.g.
 * `<!-- wg-meetings:item-notes {"v":1,"meeting":"nodejs/security-wg","series":"security","date":"2026-12-02"} -->`.
 *
 * One such comment per item per meeting: a redelivered merge, or a second minutes PR of the same
 * meeting, finds it by this marker and edits it instead of adding another
 * (src/meetings/follow-up-on-merge.ts). The repository is part of it: two repositories may run
 * series with the same id on the same day and discuss the same item.
 *
 * Trust rule: the marker counts only in the App's own comments (the caller lists comments by the
 * App's login), and only as the comment's last line, where the App writes it. Anyone can paste
 * it into a comment of their own; believed there, it would make the App edit nothing and say
 * nothing.
 */

export const ITEM_NOTES_MARKER_PREFIX = "<!-- wg-meetings:item-notes ";
const LAST_LINE = /(?:^|\n)<!-- wg-meetings:item-notes (\{[^\n]*?\}) -->\s*$/;

/** Which meeting an item comment is about. */
export interface ItemNotesMarker {
  v: 1;
  /** The meeting's repository, `owner/name`. */
  meeting: string;
  series: string;
  /** `YYYY-MM-DD`. */
  date: string;
}

/** The marker as one HTML comment line (invisible on GitHub). */
export function formatItemNotesMarker(marker: ItemNotesMarker): string {
  const ordered = { v: 1, meeting: marker.meeting, series: marker.series, date: marker.date };
  return `${ITEM_NOTES_MARKER_PREFIX}${JSON.stringify(ordered).replace(/--/g, "-\\u002d")} -->`;
}

/** The marker on a comment's last line; null when the last line is not one. */
export function parseItemNotesMarker(body: string | null | undefined): ItemNotesMarker | null {
  const match = body ? LAST_LINE.exec(body) : null;
  if (!match?.[1]) return null;
  try {
    const value = JSON.parse(match[1]) as Partial<Record<keyof ItemNotesMarker, unknown>>;
    const { meeting, series, date } = value;
    if (value.v !== 1 || typeof meeting !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(meeting)) return null;
    if (typeof series !== "string" || series === "" || typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
    return { v: 1, meeting, series, date };
  } catch {
    return null;
  }
}

/** Whether a comment's marker is this meeting's (repository names compared in any case). */
export function isItemNotesOf(body: string, meeting: ItemNotesMarker): boolean {
  const marker = parseItemNotesMarker(body);
  return marker !== null && marker.meeting.toLowerCase() === meeting.meeting.toLowerCase() && marker.series === meeting.series && marker.date === meeting.date;
}
