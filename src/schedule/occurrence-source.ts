import type { calendar_v3 } from "@googleapis/calendar";
import { listCalendarEvents } from "../google/calendar.js";
import { eventOccurrences } from "./calendar-events.js";
import { type ExpansionLimits, FEED_EXPANSION_LIMITS, FeedBudgetError, parseIcalFeed } from "./ical-feed.js";
import { feedUrl } from "./feed-url.js";
import { nextOccurrence, occurrenceOnDate, previousOccurrence } from "./occurrences.js";
import type { CalendarSchedule, Occurrence, Schedule } from "./types.js";
import { DAY_MS, parseLocalDate } from "./wall-clock.js";

/**
 * Where a series' occurrences come from, whatever the schedule kind: computed from a rule, or
 * read from a calendar. Asynchronous because a calendar can only be known by asking it. Methods
 * reject with an `Error` fit for the user (calendar not shared, feed malformed, …).
 */
export interface OccurrenceSource {
  /** The first occurrence starting strictly after `after`, or `null` if there is none (see `LOOKAHEAD_DAYS`). */
  next(after: Date): Promise<Occurrence | null>;
  /** The last occurrence starting at or before `atOrBefore`, or `null` (see `LOOKBACK_DAYS`). */
  previous(atOrBefore: Date): Promise<Occurrence | null>;
  /** The occurrence whose date (in its zone) is `date` (`YYYY-MM-DD`); with several, the first. */
  onDate(date: string): Promise<Occurrence | null>;
}

/** What a calendar-backed source needs from the outside; rule-based sources use neither. */
export interface OccurrenceSourceIo {
  /** The text at an iCalendar feed URL (production: `fetchFeedText` from `fetch-feed.ts`). */
  fetchText(url: string): Promise<string>;
  /** An authenticated Calendar client (calendar.readonly scope); only called for Google schedules. */
  calendar(): Promise<calendar_v3.Calendar>;
  /**
   * What reading one calendar may cost: an iCalendar feed's parse and expansion, or the number
   * of event instances Google returns (default `FEED_EXPANSION_LIMITS`). Tests inject a clock.
   */
  limits?: Partial<ExpansionLimits> & { clock?: () => number };
}

/**
 * How far `next` looks ahead in a calendar. A calendar has no "series has ended" signal, so a
 * meeting more than this far away counts as none; 400 days covers yearly meetings.
 */
export const LOOKAHEAD_DAYS = 400;
/** How far `previous` looks back in a calendar. */
export const LOOKBACK_DAYS = 400;

/**
 * The source for a schedule. Rule-based schedules wrap the pure functions of `occurrences.ts`
 * (no I/O). Calendar schedules read one window of `[t − LOOKBACK_DAYS, t + LOOKAHEAD_DAYS]`
 * per distinct `t`, so `next(now)` and `previous(now)` (what a tick asks) cost one calendar read
 * or feed download, and the feed is downloaded and parsed at most once per source. Build one
 * source per series per tick: nothing is cached beyond it.
 */
export function occurrenceSource(schedule: Schedule, io: OccurrenceSourceIo): OccurrenceSource {
  switch (schedule.kind) {
    case "rrule":
    case "interval":
      return {
        // The pure functions take "at or after" / "strictly before"; +1 ms turns them into these
        // (instants are whole milliseconds).
        next: async (after) => nextOccurrence(schedule, new Date(after.getTime() + 1)),
        previous: async (atOrBefore) => previousOccurrence(schedule, new Date(atOrBefore.getTime() + 1)),
        onDate: async (date) => occurrenceOnDate(schedule, date),
      };
    case "google-calendar":
    case "ical":
      return windowedSource(calendarLoader(schedule, io));
  }
}

type Loader = (from: Date, to: Date) => Promise<Occurrence[]>;

/** A calendar schedule's occurrences in `[from, to)`, with one read of its calendar or feed. */
export function calendarOccurrencesBetween(schedule: CalendarSchedule, io: OccurrenceSourceIo, from: Date, to: Date): Promise<Occurrence[]> {
  return calendarLoader(schedule, io)(from, to);
}

function calendarLoader(schedule: CalendarSchedule, io: OccurrenceSourceIo): Loader {
  const { zone, skip } = schedule;
  if (schedule.kind === "google-calendar") {
    return async (from, to) => {
      const list = await listCalendarEvents(await io.calendar(), {
        calendarId: schedule.calendarId,
        summary: schedule.summary,
        timeMin: from,
        timeMax: to,
      });
      // Google expands recurrences itself; what is left to bound here is how many it sent.
      const max = io.limits?.maxInstances ?? FEED_EXPANSION_LIMITS.maxInstances;
      if (list.events.length > max) {
        throw new FeedBudgetError(`Google Calendar "${schedule.calendarId}"`, "instances", `it lists more than ${max} meetings in ${Math.round((to.getTime() - from.getTime()) / DAY_MS)} days`);
      }
      return eventOccurrences(list.events, { zone, fallbackZone: list.timeZone, skip });
    };
  }
  const { clock, ...limits } = io.limits ?? {};
  let feed: ReturnType<typeof load> | undefined;
  const load = async () =>
    parseIcalFeed(await io.fetchText(schedule.url), { floatingZone: zone, name: feedHost(schedule.url), limits, ...(clock ? { clock } : {}) });
  return async (from, to) => {
    feed ??= load();
    const parsed = await feed;
    return eventOccurrences(parsed.eventsBetween(from, to, schedule.summary), { zone, fallbackZone: parsed.zone, skip });
  };
}

function windowedSource(load: Loader): OccurrenceSource {
  const windows = new Map<number, Promise<Occurrence[]>>();
  const around = (t: Date): Promise<Occurrence[]> => {
    const key = t.getTime();
    let window = windows.get(key);
    if (window === undefined) {
      window = load(new Date(key - LOOKBACK_DAYS * DAY_MS), new Date(key + LOOKAHEAD_DAYS * DAY_MS));
      windows.set(key, window);
    }
    return window;
  };
  return {
    async next(after) {
      return (await around(after)).find((o) => o.start.getTime() > after.getTime()) ?? null;
    },
    async previous(atOrBefore) {
      return (await around(atOrBefore)).findLast((o) => o.start.getTime() <= atOrBefore.getTime()) ?? null;
    },
    async onDate(date) {
      const local = parseLocalDate(date);
      if (local === null) throw new Error(`"${date}" is not a real date (expected YYYY-MM-DD)`);
      // Local midnight of `date` is within ±14 h of UTC midnight in any zone; two days of margin is plenty.
      const occurrences = await load(new Date(local - 2 * DAY_MS), new Date(local + 3 * DAY_MS));
      return occurrences.find((o) => o.date === date) ?? null;
    },
  };
}

/** The host of a feed URL, which names it in errors (the path holds the calendar's key). */
function feedHost(url: string): string | null {
  try {
    return feedUrl(url).host;
  } catch {
    return null;
  }
}
