import { hasCalendarPart, type IsoDuration, timePartMs } from "./duration.js";
import { parseRepeatingInterval } from "./repeating-interval.js";
import { type RRule, parseRRule } from "./rrule.js";
import { MAX_PERIODS } from "./rrule-expand.js";
import { type RRuleSeries, rruleSeries } from "./rrule-series.js";
import { feedUrl } from "./feed-url.js";
import type { Occurrence, RecurrenceSchedule, Schedule } from "./types.js";
import {
  DAY_MS,
  type LocalTime,
  addCalendar,
  dayNumber,
  formatLocalDate,
  parseLocalDate,
  parseLocalDateTime,
  toInstant,
  toLocal,
} from "./wall-clock.js";
import { isValidZone } from "./zones.js";

/** The `schedule` value of a series as the config schema outputs it (after defaults). */
export type ScheduleConfig =
  | { rrule: string; start: string; zone: string; skip?: string[] }
  | { interval: string; skip?: string[] }
  | { googleCalendar: { id: string; summary: string }; zone?: string | undefined; skip?: string[] }
  | { ical: { url: string; summary?: string | undefined }; zone?: string | undefined; skip?: string[] };

/**
 * Turns a series' configured `schedule` into a `Schedule`. Re-validates what the config schema
 * already checked (so a `Schedule` built any other way fails here, not deep in a tick) and throws
 * an `Error` naming the bad value. Skip dates are de-duplicated and sorted.
 */
export function scheduleFromConfig(s: Extract<ScheduleConfig, { rrule: string } | { interval: string }>): RecurrenceSchedule;
export function scheduleFromConfig(s: ScheduleConfig): Schedule;
export function scheduleFromConfig(s: ScheduleConfig): Schedule {
  const skip = [...new Set(s.skip ?? [])].sort();
  for (const date of skip) {
    if (parseLocalDate(date) === null) throw new Error(`skip date "${date}" is not a real date (expected YYYY-MM-DD)`);
  }
  if ("googleCalendar" in s || "ical" in s) {
    const zone = s.zone ?? null;
    if (zone !== null && !isValidZone(zone)) throw new Error(`unknown time zone "${zone}" (use an IANA name such as America/New_York)`);
    if ("googleCalendar" in s) {
      const calendarId = s.googleCalendar.id.trim();
      const summary = s.googleCalendar.summary.trim();
      if (calendarId === "") throw new Error("googleCalendar.id is empty (expected the calendar's id, e.g. c_0123abcd@group.calendar.google.com)");
      if (summary === "") throw new Error("googleCalendar.summary is empty (expected the meeting's event title)");
      return { kind: "google-calendar", calendarId, summary, zone, skip };
    }
    const summary = s.ical.summary?.trim() || null;
    return { kind: "ical", url: feedUrl(s.ical.url).href, summary, zone, skip };
  }
  if ("interval" in s) {
    parseRepeatingInterval(s.interval);
    return { kind: "interval", interval: s.interval.trim(), skip };
  }
  compileRRule(s.rrule, s.start, s.zone);
  return { kind: "rrule", rrule: s.rrule.trim(), start: s.start, zone: s.zone, skip };
}

/** Whether a schedule is computed from a rule (no I/O), as opposed to read from a calendar. */
export function isRecurrenceSchedule(schedule: Schedule): schedule is RecurrenceSchedule {
  return schedule.kind === "rrule" || schedule.kind === "interval";
}

/**
 * The one zone every occurrence of the series is named in, or `null` for a calendar schedule
 * without a configured `zone` (each occurrence then carries its event's zone).
 */
export function seriesZone(schedule: Schedule): string | null {
  switch (schedule.kind) {
    case "rrule":
      return schedule.zone;
    case "interval":
      return parseRepeatingInterval(schedule.interval).zone;
    default:
      return schedule.zone;
  }
}

/**
 * Bound on occurrences returned by one `occurrencesBetween` call, so a huge range over a tiny
 * period (PT1M for a century) fails fast instead of exhausting memory.
 */
export const MAX_OCCURRENCES = 100_000;

/** How far past its argument `nextOccurrence` looks before concluding a series has ended. */
export const LOOKAHEAD_DAYS = 366 * 10;

/**
 * Occurrences starting in `[from, to)`, in order, with skip dates removed. Bounded: a rule that
 * never matches stops after `MAX_PERIODS` periods, and more than `MAX_OCCURRENCES` results throw.
 */
export function occurrencesBetween(schedule: RecurrenceSchedule, from: Date, to: Date): Occurrence[] {
  const series = compile(schedule);
  const result: Occurrence[] = [];
  const horizonDay = dayNumber(toLocal(to, series.zone)) + 1;
  for (const start of series.walk(from.getTime(), horizonDay)) {
    if (start.getTime() >= to.getTime()) break;
    if (start.getTime() < from.getTime()) continue;
    const occurrence = series.occurrence(start);
    if (occurrence === null) continue;
    result.push(occurrence);
    if (result.length > MAX_OCCURRENCES) {
      throw new Error(`more than ${MAX_OCCURRENCES} occurrences between ${from.toISOString()} and ${to.toISOString()}`);
    }
  }
  return result;
}

/** The first occurrence starting at or after `atOrAfter` (skip dates excluded), or `null` if the series has ended. */
export function nextOccurrence(schedule: RecurrenceSchedule, atOrAfter: Date): Occurrence | null {
  const series = compile(schedule);
  const horizonDay = Math.max(dayNumber(toLocal(atOrAfter, series.zone)), series.firstDay) + LOOKAHEAD_DAYS;
  for (const start of series.walk(atOrAfter.getTime(), horizonDay)) {
    if (start.getTime() < atOrAfter.getTime()) continue;
    const occurrence = series.occurrence(start);
    if (occurrence !== null) return occurrence;
  }
  return null;
}

/** The last occurrence starting strictly before `before` (skip dates excluded), or `null` if none has. */
export function previousOccurrence(schedule: RecurrenceSchedule, before: Date): Occurrence | null {
  const series = compile(schedule);
  return series.previous(before.getTime());
}

/**
 * The occurrence whose date in the series zone is `date` (`YYYY-MM-DD`), or `null` if the series
 * does not meet that day (including skipped dates). With several on one day, the first.
 */
export function occurrenceOnDate(schedule: RecurrenceSchedule, date: string): Occurrence | null {
  const local = parseLocalDate(date);
  if (local === null) throw new Error(`"${date}" is not a real date (expected YYYY-MM-DD)`);
  // A two-day margin covers any offset between local midnight and the instants of that date.
  const from = new Date(local - 2 * DAY_MS);
  const to = new Date(local + 3 * DAY_MS);
  return occurrencesBetween(schedule, from, to).find((occurrence) => occurrence.date === date) ?? null;
}

/** A schedule prepared for walking: its zone, where it starts, and how to enumerate it. */
interface CompiledSeries {
  zone: string;
  /** Local day number of the first possible occurrence. */
  firstDay: number;
  /** Candidate starts in order, beginning at or before the first one ≥ `from`, up to local day `horizonDay`. */
  walk(from: number, horizonDay: number): Iterable<Date>;
  /** The `Occurrence` for a start, or `null` if its date is skipped. */
  occurrence(start: Date): Occurrence | null;
  previous(before: number): Occurrence | null;
}

function compile(schedule: RecurrenceSchedule): CompiledSeries {
  const skip = new Set(schedule.skip);
  const make = (zone: string) => (start: Date): Occurrence | null => {
    const date = formatLocalDate(toLocal(start, zone));
    return skip.has(date) ? null : { start, zone, date };
  };
  if (schedule.kind === "rrule") {
    const series = cachedRRuleSeries(schedule.rrule, schedule.start, schedule.zone);
    const { zone } = series;
    const occurrence = make(zone);
    return {
      zone,
      firstDay: series.firstDay,
      *walk(from, horizonDay) {
        // The period two local days before `from` holds every occurrence at or after it.
        for (const expanded of series.forward(dayNumber(toLocal(from, zone)) - 2, horizonDay)) yield expanded.start;
      },
      occurrence,
      previous(before) {
        // Latest first: only skipped dates are passed over.
        for (const expanded of series.backward(before)) {
          const found = occurrence(expanded.start);
          if (found !== null) return found;
        }
        return null;
      },
    };
  }
  return compileInterval(schedule.interval, make);
}

/** Prepared RRULE series by `rrule`, `start` and `zone`: a tick asks about the same few series every time. */
const rruleSeriesCache = new Map<string, RRuleSeries>();
const RRULE_SERIES_CACHE_SIZE = 1000;

/** Forgets every prepared RRULE series, so a benchmark can time a first call (what a fresh process pays). */
export function forgetPreparedSchedules(): void {
  rruleSeriesCache.clear();
}

function cachedRRuleSeries(rrule: string, startText: string, zoneName: string): RRuleSeries {
  const key = `${rrule}\n${startText}\n${zoneName}`;
  let series = rruleSeriesCache.get(key);
  if (series !== undefined) {
    // Least recently used goes first: a hit moves to the end of the Map's order.
    rruleSeriesCache.delete(key);
    rruleSeriesCache.set(key, series);
  } else {
    const { rule, start, zone } = compileRRule(rrule, startText, zoneName);
    series = rruleSeries(rule, start, zone);
    if (rruleSeriesCache.size >= RRULE_SERIES_CACHE_SIZE) rruleSeriesCache.delete(rruleSeriesCache.keys().next().value!);
    rruleSeriesCache.set(key, series);
  }
  return series;
}

function compileRRule(text: string, startText: string, zone: string): { rule: RRule; start: LocalTime; zone: string } {
  const rule = parseRRule(text);
  const start = parseLocalDateTime(startText);
  if (start === null) throw new Error(`schedule start "${startText}" is not a date-time like 2025-08-07T10:00`);
  if (!isValidZone(zone)) throw new Error(`unknown time zone "${zone}" (use an IANA name such as America/New_York)`);
  if (rule.until?.kind === "utc" && rule.until.instant.getTime() < toInstant(start, zone).getTime()) {
    throw new Error(`RRULE UNTIL ${rule.until.instant.toISOString()} is before the schedule start ${startText}`);
  }
  return { rule, start, zone };
}

/**
 * A repeating interval's k-th meeting is computed from the start directly (start + k × period),
 * never by chaining, so month-end clamping cannot drift (Jan 31, Feb 28, Mar 31, not Mar 28), and
 * the index of any instant is estimated from the period's mean length and corrected in a few
 * steps instead of walking from the start.
 */
function compileInterval(text: string, make: (zone: string) => (start: Date) => Occurrence | null): CompiledSeries {
  const parsed = parseRepeatingInterval(text);
  const { zone, period, count } = parsed;
  const start = parseLocalDateTime(parsed.start)!;
  const occurrence = make(zone);
  const limit = count ?? Number.MAX_SAFE_INTEGER;

  const at = (k: number): number => {
    const local = calendarStep(start, period, k);
    const ms = toInstant(local, zone).getTime() + k * timePartMs(period);
    return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
  };
  // The period's mean length on the Gregorian calendar: k ≈ elapsed / mean is off by a step or
  // two at most (month lengths, clamping, daylight saving), whatever the series' age.
  const meanMs = (period.years * 365.2425 + period.months * (365.2425 / 12) + period.weeks * 7 + period.days) * DAY_MS + timePartMs(period);
  /** Smallest k with at(k) ≥ instant (may equal `limit`): from the estimate, a few steps on a monotone sequence. */
  const firstIndexAtOrAfter = (instant: number): number => {
    const origin = at(0);
    if (origin >= instant) return 0;
    let k = Math.min(limit, Math.floor((instant - origin) / meanMs));
    for (let steps = 0; steps < 16 && Number.isSafeInteger(k); steps++) {
      if (k < limit && at(k) < instant) k++;
      else if (k > 0 && at(k - 1) >= instant) k--;
      else return k;
    }
    return searchIndexAtOrAfter(instant);
  };
  /** The same by exponential then binary search: only if the estimate were ever far off. */
  const searchIndexAtOrAfter = (instant: number): number => {
    let high = 1;
    while (high < limit && at(high) < instant && high < 2 ** 40) high *= 2;
    high = Math.min(high, limit);
    let low = Math.floor(high / 2);
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (at(mid) >= instant) high = mid;
      else low = mid + 1;
    }
    return low;
  };

  return {
    zone,
    firstDay: dayNumber(start),
    *walk(from, horizonDay) {
      for (let k = firstIndexAtOrAfter(from), steps = 0; k < limit && steps < MAX_PERIODS; k++, steps++) {
        const ms = at(k);
        if (!Number.isFinite(ms) || dayNumber(toLocal(ms, zone)) > horizonDay) return;
        yield new Date(ms);
      }
    },
    occurrence,
    previous(before) {
      for (let k = firstIndexAtOrAfter(before) - 1, steps = 0; k >= 0 && steps < MAX_PERIODS; k--, steps++) {
        const found = occurrence(new Date(at(k)));
        if (found !== null) return found;
      }
      return null;
    },
  };
}

function calendarStep(start: LocalTime, period: IsoDuration, k: number): LocalTime {
  if (!hasCalendarPart(period)) return start;
  return addCalendar(start, k * period.years, k * period.months, k * (period.weeks * 7 + period.days));
}
