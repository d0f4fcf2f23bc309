import type { calendar_v3 } from "@googleapis/calendar";
import { type CalendarEvent, summaryMatches } from "../schedule/calendar-events.js";
import { isValidZone } from "../schedule/zones.js";
import { requireAllowed, UNRESTRICTED, type GoogleAllowList } from "./allow-list.js";
import { readFailure } from "./errors.js";

/** What a Calendar client may read: the operator's allow-list, for which owner (null: not known). */
interface CalendarGuard {
  allow: GoogleAllowList;
  owner: string | null;
}

/**
 * The guard of each client the gateway handed out. A client is the generated googleapis object
 * the schedule code passes back in; keeping the guard beside it (not in it) leaves that type
 * as it is. A client the gateway did not make (tests) has none and reads anything.
 */
const guards = new WeakMap<calendar_v3.Calendar, CalendarGuard>();

/** Ties a client to the allow-list it must obey (`loadGoogleCalendar` does this). */
export function guardCalendar(calendar: calendar_v3.Calendar, allow: GoogleAllowList): calendar_v3.Calendar {
  guards.set(calendar, { allow, owner: null });
  return calendar;
}

/**
 * The same client, reading for `owner`'s repositories: entries of the allow-list scoped to
 * that owner count too. Without it only entries for any owner do.
 */
export function calendarForOwner(calendar: calendar_v3.Calendar, owner: string): calendar_v3.Calendar {
  const view = Object.create(calendar) as calendar_v3.Calendar;
  guards.set(view, { allow: guards.get(calendar)?.allow ?? UNRESTRICTED, owner });
  return view;
}

/**
 * An occurrence-source I/O (anything with `calendar()`) whose Calendar client reads for
 * `owner`, e.g. `withCalendarOwner(io, repo.owner)` before reading a repository's schedules.
 */
export function withCalendarOwner<T extends { calendar(): Promise<calendar_v3.Calendar> }>(io: T, owner: string): T {
  return { ...io, calendar: async () => calendarForOwner(await io.calendar(), owner) };
}

/** Which events `listCalendarEvents` asks for. */
export interface CalendarEventQuery {
  calendarId: string;
  /** The meeting's title; matched exactly (case-insensitive, trimmed) after Google's looser `q` search. */
  summary: string;
  /** Events ending after this instant (Google filters `timeMin` by end time)… */
  timeMin: Date;
  /** …and starting before this one. */
  timeMax: Date;
}

/** The matching event instances of a calendar, and the calendar's own zone. */
export interface CalendarEventList {
  /** The calendar's `timeZone` (IANA), the zone of events that do not name one; `null` if Google gave none. */
  timeZone: string | null;
  /** In start order; see `listCalendarEvents` for what is left out. */
  events: CalendarEvent[];
}

/** Google's page size ceiling for events.list: a year of weekly meetings is one page. */
const PAGE_SIZE = 2500;
/** A misbehaving page token must not loop forever. */
const MAX_PAGES = 50;

/**
 * The instances of the meeting `summary` in `[timeMin, timeMax)`, read with `events.list`.
 *
 * `singleEvents: true` makes Google expand recurring events into instances, so a moved instance
 * is reported at its new time and a cancelled one is gone (`showDeleted: false`), exactly as
 * people see the calendar. `q` narrows the download to events mentioning the title; the exact
 * match is done here, since `q` also searches descriptions and attendees. Also dropped: anything
 * still `status: "cancelled"`, and all-day events (`start.date`, no `start.dateTime`): a holiday
 * or "no meeting this week" marker titled like the meeting is not a meeting.
 *
 * Errors are rethrown as plain `Error`s fit for an issue comment: which calendar, and whether it
 * is missing, not shared with the App, or Google is unavailable. No request or response detail
 * (tokens) is carried along. A calendar the operator's allow-list does not name (for the owner
 * the client reads for, see calendarForOwner) is refused before any request, with a
 * GoogleDocsError of kind `not-allowed`.
 */
export async function listCalendarEvents(calendar: calendar_v3.Calendar, query: CalendarEventQuery): Promise<CalendarEventList> {
  const guard = guards.get(calendar);
  if (guard) requireAllowed(guard.allow, "calendar", query.calendarId, guard.owner);
  const events: CalendarEvent[] = [];
  let timeZone: string | null = null;
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let data: calendar_v3.Schema$Events;
    try {
      const response = await calendar.events.list({
        calendarId: query.calendarId,
        singleEvents: true,
        orderBy: "startTime",
        showDeleted: false,
        timeMin: query.timeMin.toISOString(),
        timeMax: query.timeMax.toISOString(),
        q: query.summary,
        maxResults: PAGE_SIZE,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      data = response.data;
    } catch (error) {
      throw calendarError(error, query.calendarId);
    }
    if (typeof data.timeZone === "string" && isValidZone(data.timeZone)) timeZone ??= data.timeZone;
    for (const item of data.items ?? []) {
      const event = toCalendarEvent(item, query.summary);
      if (event !== null) events.push(event);
    }
    pageToken = data.nextPageToken ?? undefined;
    if (pageToken === undefined) break;
  }
  events.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { timeZone, events };
}

function toCalendarEvent(item: calendar_v3.Schema$Event, summary: string): CalendarEvent | null {
  if (item.status === "cancelled" || !summaryMatches(item.summary, summary)) return null;
  const dateTime = item.start?.dateTime;
  if (!dateTime || !item.id) return null;
  const start = new Date(dateTime);
  if (Number.isNaN(start.getTime())) return null;
  const zone = item.start?.timeZone;
  return { id: item.id, summary: item.summary ?? "", start, zone: zone && isValidZone(zone) ? zone : null };
}

function calendarError(error: unknown, calendarId: string): Error {
  const { status, reason, isTokenError } = readFailure(error);
  const name = `Google Calendar "${calendarId}"`;
  if (isTokenError || status === 401) return new Error(`${name}: Google rejected the App's credentials${reason ? ` (${reason})` : ""}`);
  if (status === 404) return new Error(`${name} was not found, or is not shared with the App's Google account`);
  if (status === 403) {
    return new Error(`${name}: the App's Google account may not read it${reason ? ` (${reason})` : ""}; share the calendar with it ("See all event details")`);
  }
  return new Error(`${name} could not be read: Google answered ${status ?? "nothing"}${reason ? ` (${reason})` : ""}; the next tick retries`);
}
