import type { Occurrence } from "./types.js";
import { formatLocalDate, toLocal } from "./wall-clock.js";

/**
 * A timed event instance as any calendar reports it (Google Calendar, an iCalendar feed), after
 * recurrences are expanded and moved or cancelled instances applied.
 */
export interface CalendarEvent {
  /** Stable id of the instance: unchanged when the instance is moved. */
  id: string;
  summary: string;
  start: Date;
  /** The IANA zone the event is defined in, or `null` when the calendar does not say. */
  zone: string | null;
}

/**
 * Whether an event's title names the series: equal after trimming, ignoring case (and Unicode
 * normalization form). Exact rather than "contains", so "Security-WG meeting (prep)" or a
 * "Cancelled: Security-WG meeting" placeholder is not taken for the meeting itself.
 */
export function summaryMatches(title: string | null | undefined, wanted: string): boolean {
  // toLowerCase, not toLocaleLowerCase: the machine's locale must not change the answer (Turkish İ).
  const normal = (text: string) => text.normalize("NFC").trim().toLowerCase();
  return title !== null && title !== undefined && normal(title) === normal(wanted);
}

/** How calendar events become a series' occurrences. */
export interface EventOccurrenceOptions {
  /** The configured zone; `null` uses each event's own zone, then `fallbackZone`. */
  zone: string | null;
  /** The calendar-wide zone (Google's calendar `timeZone`, a feed's X-WR-TIMEZONE), else UTC. */
  fallbackZone?: string | null;
  /** Dates (`YYYY-MM-DD`, in each occurrence's zone) with no meeting. */
  skip: readonly string[];
}

/**
 * The occurrences the events make, in start order: each named by its date in its zone, skip
 * dates removed, and one occurrence per instant (a calendar holding the same meeting twice,
 * e.g. imported into two calendars, must not open two issues).
 */
export function eventOccurrences(events: readonly CalendarEvent[], options: EventOccurrenceOptions): Occurrence[] {
  const skip = new Set(options.skip);
  const byStart = new Map<number, Occurrence>();
  for (const event of [...events].sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id))) {
    if (byStart.has(event.start.getTime())) continue;
    const zone = options.zone ?? event.zone ?? options.fallbackZone ?? "UTC";
    const date = formatLocalDate(toLocal(event.start, zone));
    if (skip.has(date)) continue;
    byStart.set(event.start.getTime(), { start: event.start, zone, date, eventId: event.id });
  }
  return [...byStart.values()];
}
