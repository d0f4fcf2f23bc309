/**
 * The hidden marker at the end of every action-item issue, e.g.
 * `<!-- wg-meetings:action-item {"v":1,"meeting":"nodejs/security-wg","series":"security","date":"2026-12-02","key":"0123456789abcdef"} -->`.
 *
 * It says which meeting (the repository holding the minutes, the series, the date) and which
 * item (`key`, minutes/action-items.ts's `actionItemKey`) the issue was opened for, so a
 * redelivered merge, or a second minutes PR of the same meeting, finds the issue again instead
 * of opening another (src/meetings/follow-up-on-merge.ts).
 *
 * Trust rule: the marker counts only in issues the App opened itself (the caller lists them with
 * `creator` = the App's login and checks the author), and only the last one in the body: the
 * App writes its marker last, and defuses every `<!--` in the minutes text it quotes above it.
 */

export const ACTION_ITEM_MARKER_PREFIX = "<!-- wg-meetings:action-item ";
const ACTION_ITEM_MARKER_PATTERN = /<!-- wg-meetings:action-item (\{[^\n]*?\}) -->/g;

/** What an action-item issue's marker records. */
export interface ActionItemMarker {
  v: 1;
  /** The meeting's repository, `owner/name` (where its minutes are). */
  meeting: string;
  /** The series id. */
  series: string;
  /** The meeting's date, `YYYY-MM-DD`. */
  date: string;
  /** The item's identity within the meeting: 16 hex digits. */
  key: string;
}

/**
 * The meeting identity every action item's key is made with (`actionItemKey(meeting, …)`): the
 * meeting's repository in lower case, its series and its date. Two meetings never share it, and
 * it does not change when the meeting issue is edited or the App's web address does.
 */
export function actionItemMeetingId(repository: string, series: string, date: string): string {
  return `${repository.toLowerCase()}:${series}:${date}`;
}

/** The marker as one HTML comment line (invisible on GitHub). */
export function formatActionItemMarker(marker: ActionItemMarker): string {
  const ordered = { v: 1, meeting: marker.meeting, series: marker.series, date: marker.date, key: marker.key };
  // Repository names and series ids may hold "--" (`acme/wg--notes`, `a--b`): escaped, so no value can end the comment.
  return `${ACTION_ITEM_MARKER_PREFIX}${JSON.stringify(ordered).replace(/--/g, "-\\u002d")} -->`;
}

/** Reads the marker from an issue body (the last one); null when absent or malformed. */
export function parseActionItemMarker(body: string | null | undefined): ActionItemMarker | null {
  const match = body ? Array.from(body.matchAll(ACTION_ITEM_MARKER_PATTERN)).at(-1) : undefined;
  if (!match?.[1]) return null;
  try {
    const value = JSON.parse(match[1]) as Partial<Record<keyof ActionItemMarker, unknown>>;
    if (value.v !== 1) return null;
    const { meeting, series, date, key } = value;
    if (typeof meeting !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(meeting)) return null;
    if (typeof series !== "string" || series === "" || typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
    if (typeof key !== "string" || !/^[0-9a-f]{16}$/.test(key)) return null;
    return { v: 1, meeting, series, date, key };
  } catch {
    return null;
  }
}

/** Whether two markers name the same item of the same meeting (repository names compared in any case). */
export function sameActionItem(a: ActionItemMarker, b: ActionItemMarker): boolean {
  return a.meeting.toLowerCase() === b.meeting.toLowerCase() && a.series === b.series && a.date === b.date && a.key === b.key;
}
