/**
 * The hidden marker at the end of every meeting issue. GitHub is the App's only store: the
 * marker says which series and which occurrence an issue belongs to, so every run can find
 * its own work again without a database. Only issues created by the App itself are trusted
 * (the caller filters by creator), so a pasted marker cannot suppress a meeting.
 */

export const MARKER_PREFIX = "<!-- wg-meetings:meeting ";
const MARKER_PATTERN = /<!-- wg-meetings:meeting (\{[^\n]*?\}) -->/g;

/**
 * The App's marker is the LAST one in the body: it always appends it at the end, and anything
 * earlier (text people pasted, or an untrusted title that slipped through) must not count.
 */
function lastMarker(body: string): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (const match of body.matchAll(MARKER_PATTERN)) last = match;
  return last;
}

/** What the marker records. */
export interface MeetingMarker {
  /** Marker format version. */
  v: 1;
  /** Series id from config. */
  series: string;
  /** The occurrence's start instant, ISO-8601 UTC. */
  at: string;
  /** The occurrence's local date, YYYY-MM-DD. */
  date: string;
  /** The minutes doc id, once there is one. */
  doc: string | null;
  /**
   * The calendar event behind the occurrence (calendar schedules only): it stays the same when
   * the meeting is moved, so a moved meeting is still recognised as the same one.
   */
  event?: string;
  /** The scheduled start this meeting was moved away from (`/move`), so the tick still recognises it. */
  movedFrom?: string;
  /** Set by `/cancel`: this occurrence does not happen. */
  cancelled?: true;
  /** The zone that dates the meeting (a calendar event's own zone may differ from any config). */
  zone?: string;
}

/** Renders the marker as one HTML comment line (invisible on GitHub). */
export function formatMarker(marker: MeetingMarker): string {
  // JSON.stringify never emits "-->" for our fields: ids are [a-z0-9-], dates are digits.
  const json = JSON.stringify(marker).replace(/--/g, "-\\u002d");
  return `${MARKER_PREFIX}${json} -->`;
}

/** Appends (or replaces) the marker at the end of an issue body. */
export function withMarker(body: string, marker: MeetingMarker): string {
  const last = lastMarker(body);
  const without = last ? body.slice(0, last.index) + body.slice(last.index + last[0].length) : body;
  const stripped = without.replace(/\s+$/, "");
  return `${stripped}\n\n${formatMarker(marker)}\n`;
}

/** Reads the marker from an issue body; null when absent or malformed. */
export function parseMarker(body: string | null | undefined): MeetingMarker | null {
  const match = body ? lastMarker(body) : null;
  if (!match?.[1]) return null;
  try {
    const value = JSON.parse(match[1]) as Partial<MeetingMarker>;
    if (value.v !== 1 || typeof value.series !== "string" || typeof value.at !== "string") return null;
    if (Number.isNaN(Date.parse(value.at))) return null;
    return {
      v: 1,
      series: value.series,
      at: new Date(value.at).toISOString(),
      date: typeof value.date === "string" ? value.date : value.at.slice(0, 10),
      doc: typeof value.doc === "string" ? value.doc : null,
      ...(typeof value.event === "string" ? { event: value.event } : {}),
      ...(typeof value.movedFrom === "string" && !Number.isNaN(Date.parse(value.movedFrom))
        ? { movedFrom: new Date(value.movedFrom).toISOString() }
        : {}),
      ...(value.cancelled === true ? { cancelled: true as const } : {}),
      ...(typeof value.zone === "string" && value.zone ? { zone: value.zone } : {}),
    };
  } catch {
    return null;
  }
}

