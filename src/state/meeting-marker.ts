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
  /**
   * The chat announcements sent for this meeting, one key per moment and destination
   * (`opened:slack`, `reminder-PT1H:slack`, `moved@<iso>:slack`, …; see src/announce/). At most
   * {@link MAX_ANNOUNCED} keys, so the marker stays one short line.
   */
  announced?: string[];
  /**
   * Failed announcements not yet sent, by key: how many times they failed and when last
   * (ISO). At most {@link MAX_ANNOUNCE_FAILURES} keys. Counts only: why a post failed is never
   * written here.
   */
  announceFailures?: Record<string, AnnounceFailure>;
}

/** How often one announcement failed, and when it last did. */
export interface AnnounceFailure {
  n: number;
  at: string;
}

/**
 * The most announcement keys a marker keeps: 5 destinations × every moment fit, with moves.
 * With the failures below, the marker stays under the ~5,500 characters a rendered body leaves
 * for the App's markers (MAX_ISSUE_BODY in src/render/templates.ts), even with 64-character names.
 */
export const MAX_ANNOUNCED = 40;

/** The most failing announcement keys a marker keeps. */
export const MAX_ANNOUNCE_FAILURES = 10;

/** An announcement key as the App writes it: `<moment>:<destination>`, short, no space or quote. */
const ANNOUNCE_KEY = /^[A-Za-z0-9@:._+-]{1,120}:[A-Za-z0-9._-]+$/;

/** Renders the marker as one HTML comment line (invisible on GitHub). */
export function formatMarker(marker: MeetingMarker): string {
  // "--" is escaped: a calendar event id or a chat destination name (`a--b`) may hold it, and
  // "-->" would end the comment early.
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
      ...announcedOf(value.announced),
      ...failuresOf(value.announceFailures),
    };
  } catch {
    return null;
  }
}


/** The well-formed announcement keys of a marker's `announced`, at most {@link MAX_ANNOUNCED}. */
function announcedOf(value: unknown): { announced?: string[] } {
  if (!Array.isArray(value)) return {};
  const keys = [...new Set(value.filter((key): key is string => typeof key === "string" && ANNOUNCE_KEY.test(key)))];
  return keys.length > 0 ? { announced: keys.slice(-MAX_ANNOUNCED) } : {};
}

/** The well-formed entries of a marker's `announceFailures`, at most {@link MAX_ANNOUNCE_FAILURES}. */
function failuresOf(value: unknown): { announceFailures?: Record<string, AnnounceFailure> } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const entries = Object.entries(value as Record<string, unknown>).flatMap(([key, entry]): Array<[string, AnnounceFailure]> => {
    if (!ANNOUNCE_KEY.test(key) || typeof entry !== "object" || entry === null) return [];
    const { n, at } = entry as { n?: unknown; at?: unknown };
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || typeof at !== "string" || Number.isNaN(Date.parse(at))) return [];
    return [[key, { n: Math.min(n, 1000), at: new Date(at).toISOString() }]];
  });
  return entries.length > 0 ? { announceFailures: Object.fromEntries(entries.slice(-MAX_ANNOUNCE_FAILURES)) } : {};
}
