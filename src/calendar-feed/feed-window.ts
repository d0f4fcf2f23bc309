import { calendarIo } from "../schedule/calendar-io.js";
import type { calendar_v3 } from "@googleapis/calendar";
import { calendarOccurrencesBetween, occurrenceSource, type OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { occurrencesBetween } from "../schedule/occurrences.js";
import type { Occurrence, Schedule } from "../schedule/types.js";
import { DAY_MS } from "../schedule/wall-clock.js";

/** Which meetings a feed lists: some recent ones and the coming year, each side bounded. */
export interface FeedWindow {
  pastDays: number;
  futureDays: number;
  /** Most recent past meetings kept (those starting at or before now). */
  maxPast: number;
  /** Nearest upcoming meetings kept. */
  maxUpcoming: number;
}

/** 90 days back (about 13 weekly meetings), a year ahead; a daily series is cut to 30 + 100. */
export const FEED_WINDOW: FeedWindow = { pastDays: 90, futureDays: 365, maxPast: 30, maxUpcoming: 100 };

/**
 * The occurrences a series' feed lists at `now`, in start order: those starting in
 * `[now − pastDays, now]` (the last `maxPast`) and `(now, now + futureDays]` (the first
 * `maxUpcoming`). At most one calendar read (Google `events.list` or feed download) per call.
 */
export async function feedOccurrences(
  schedule: Schedule,
  io: OccurrenceSourceIo,
  now: Date,
  window: FeedWindow = FEED_WINDOW,
): Promise<Occurrence[]> {
  const from = now.getTime() - window.pastDays * DAY_MS;
  const to = now.getTime() + window.futureDays * DAY_MS;

  if (schedule.kind === "interval") {
    // Each step is a binary search over the interval's index, whatever its period.
    const source = occurrenceSource(schedule, io);
    const past: Occurrence[] = [];
    for (let at = now; past.length < window.maxPast; ) {
      const found = await source.previous(at);
      if (found === null || found.start.getTime() < from) break;
      past.unshift(found);
      at = new Date(found.start.getTime() - 1);
    }
    const upcoming: Occurrence[] = [];
    for (let after = now; upcoming.length < window.maxUpcoming; ) {
      const found = await source.next(after);
      if (found === null || found.start.getTime() > to) break;
      upcoming.push(found);
      after = found.start;
    }
    return [...past, ...upcoming];
  }

  // An RRULE meets at most once a day (no BYHOUR), so the window holds at most ~460 meetings:
  // one walk of the rule. Calendars are read once for the whole window, because their source
  // reads the calendar again for every distinct instant it is asked about.
  const occurrences =
    schedule.kind === "rrule"
      ? occurrencesBetween(schedule, new Date(from), new Date(to + 1))
      : // Google filters by end time: an event that started before `from` may still come back.
        (await calendarOccurrencesBetween(schedule, io, new Date(from), new Date(to + 1))).filter((o) => o.start.getTime() >= from);
  const past = occurrences.filter((o) => o.start.getTime() <= now.getTime());
  const upcoming = occurrences.filter((o) => o.start.getTime() > now.getTime());
  return [...past.slice(Math.max(0, past.length - window.maxPast)), ...upcoming.slice(0, window.maxUpcoming)];
}

/**
 * The `io` of the feed route in production, as the tick reads calendars: `ical` feeds over HTTPS
 * with limits, Google Calendar through `calendar()` (built at most once; `null` without Google
 * credentials, and then a `googleCalendar` series' feed answers 502 with the reason logged).
 */
export function feedIo(deps: { calendar?: () => Promise<calendar_v3.Calendar | null> } = {}): OccurrenceSourceIo {
  return calendarIo(deps);
}
