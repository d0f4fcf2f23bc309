/**
 * The walking implementation of RRULE and repeating-interval occurrences as it stood before the
 * due decision became O(1) (issue 12): every rule is expanded period by period from its start.
 * Kept verbatim as the oracle that the property test (test/unit/schedule/due-property.test.ts)
 * and bench/due-decision.mjs hold the fast computation against. It lives with the tests, not in
 * src/, so the package does not ship it; the bench compiles it (bench/tsconfig.reference.json).
 */
import { hasCalendarPart, type IsoDuration, timePartMs } from "../../src/schedule/duration.js";
import { parseRepeatingInterval } from "../../src/schedule/repeating-interval.js";
import type { ByDay, RRule } from "../../src/schedule/rrule.js";
import { WEEKDAYS, parseRRule } from "../../src/schedule/rrule.js";
import type { Occurrence, RecurrenceSchedule } from "../../src/schedule/types.js";
import {
  type LocalTime,
  addCalendar,
  dayNumber,
  daysInMonth,
  fieldsOf,
  formatLocalDate,
  localAt,
  localFromFields,
  parseLocalDate,
  parseLocalDateTime,
  timeOfDay,
  toInstant,
  toLocal,
} from "../../src/schedule/wall-clock.js";
import { isValidZone } from "../../src/schedule/zones.js";

/**
 * Hard cap on the periods (days, weeks, months or years) one expansion may walk. A rule that can
 * never match (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`) would otherwise spin forever; 100 000
 * periods is 270 years of a daily rule, far more than any meeting series.
 */
const MAX_PERIODS = 100_000;

/**
 * Expands `rule` from `start` (wall-clock time in `zone`) in order, yielding occurrences until
 * the rule ends (COUNT / UNTIL), a period begins after local day `horizonDay`, or `MAX_PERIODS`.
 *
 * The expansion runs on wall-clock days in the series zone and converts each result with
 * `toInstant`, so 10:00 stays 10:00 across daylight saving; nonexistent times move forward and
 * ambiguous ones take the first instant. Like dateutil and rrule.js (and unlike some calendar
 * apps), `start` only counts when the rule itself matches it: a `start` off the pattern is not an
 * occurrence. COUNT counts rule occurrences; skip dates are removed afterwards by the caller, the
 * way EXDATE works in iCalendar.
 */
export function* referenceExpandRRule(rule: RRule, start: LocalTime, zone: string, horizonDay: number): Generator<{ local: LocalTime; start: Date }> {
  const first = fieldsOf(start);
  const startDay = dayNumber(start);
  const clock = timeOfDay(start);
  const filter = dayFilter(rule, first);
  const untilLocal = rule.until?.kind === "date" ? endOfLocalDate(rule.until.date) : rule.until?.kind === "local" ? parseLocalDateTime(rule.until.local) : null;
  const untilInstant = rule.until?.kind === "utc" ? rule.until.instant.getTime() : null;
  let emitted = 0;

  for (let period = 0; period < MAX_PERIODS; period++) {
    const [from, to] = periodDays(rule, first, startDay, period);
    if (from > horizonDay) return;
    let days: number[] = [];
    for (let day = from; day <= to; day++) if (filter(day)) days.push(day);
    if (rule.bySetPos.length > 0) days = pickSetPositions(days, rule.bySetPos);

    for (const day of days) {
      const local = localAt(day, clock);
      if (local < start) continue;
      if (untilLocal !== null && local > untilLocal) return;
      const instant = toInstant(local, zone);
      if (untilInstant !== null && instant.getTime() > untilInstant) return;
      yield { local, start: instant };
      emitted++;
      if (rule.count !== null && emitted >= rule.count) return;
    }
  }
}

function endOfLocalDate(date: string): LocalTime {
  const day = parseLocalDate(date);
  // parseRRule already checked the date; a failure here is a programming error.
  if (day === null) throw new Error(`invalid UNTIL date ${date}`);
  return localAt(dayNumber(day) + 1, -1);
}

/** The first and last local day number of the `period`-th period (already stepped by INTERVAL). */
function periodDays(rule: RRule, first: ReturnType<typeof fieldsOf>, startDay: number, period: number): [number, number] {
  const step = period * rule.interval;
  switch (rule.freq) {
    case "DAILY":
      return [startDay + step, startDay + step];
    case "WEEKLY": {
      // Weeks begin on WKST, which decides which weeks INTERVAL=2 skips.
      const weekStart = startDay - ((weekdayOf(startDay) - WEEKDAYS.indexOf(rule.wkst) + 7) % 7);
      return [weekStart + 7 * step, weekStart + 7 * step + 6];
    }
    case "MONTHLY": {
      const index = first.year * 12 + first.month - 1 + step;
      const year = Math.floor(index / 12);
      const month = index - year * 12 + 1;
      const firstDay = dayNumber(localFromFields({ year, month, day: 1, hour: 0, minute: 0, second: 0 }));
      return [firstDay, firstDay + daysInMonth(year, month) - 1];
    }
    case "YEARLY": {
      const year = first.year + step;
      const firstDay = dayNumber(localFromFields({ year, month: 1, day: 1, hour: 0, minute: 0, second: 0 }));
      const nextYear = dayNumber(localFromFields({ year: year + 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 }));
      return [firstDay, nextYear - 1];
    }
  }
}

/** JS weekday (0 = Sunday) of a day number; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * The predicate a day must pass to be an occurrence. Each BY part limits the period's days; the
 * defaults fill in from `start` what the rule leaves open (RFC 5545: "information not contained
 * in the rule … is derived from DTSTART"), e.g. a plain MONTHLY rule repeats start's day of month.
 */
function dayFilter(rule: RRule, first: ReturnType<typeof fieldsOf>): (day: number) => boolean {
  let { byDay, byMonthDay, byMonth } = rule;
  const startWeekday = WEEKDAYS[weekdayOf(dayNumber(localFromFields(first)))]!;
  if (rule.freq === "WEEKLY" && byDay.length === 0) byDay = [{ weekday: startWeekday, ordinal: null }];
  if (rule.freq === "MONTHLY" && byDay.length === 0 && byMonthDay.length === 0) byMonthDay = [first.day];
  if (rule.freq === "YEARLY" && byDay.length === 0 && byMonthDay.length === 0) {
    byMonthDay = [first.day];
    if (byMonth.length === 0) byMonth = [first.month];
  }
  // Ordinals in a YEARLY rule count within the month when BYMONTH narrows it, else within the year.
  const ordinalsByYear = rule.freq === "YEARLY" && byMonth.length === 0;

  return (day) => {
    const f = fieldsOf(localAt(day));
    if (byMonth.length > 0 && !byMonth.includes(f.month)) return false;
    if (byMonthDay.length > 0) {
      const length = daysInMonth(f.year, f.month);
      if (!byMonthDay.some((n) => (n > 0 ? n : length + n + 1) === f.day)) return false;
    }
    if (byDay.length > 0) {
      const weekday = WEEKDAYS[weekdayOf(day)]!;
      const [index, length] = ordinalsByYear ? dayOfYear(f) : [f.day, daysInMonth(f.year, f.month)];
      if (!byDay.some((entry) => matchesByDay(entry, weekday, index, length))) return false;
    }
    return true;
  };
}

function dayOfYear(f: ReturnType<typeof fieldsOf>): [number, number] {
  const jan1 = dayNumber(localFromFields({ ...f, month: 1, day: 1, hour: 0, minute: 0, second: 0 }));
  const day = dayNumber(localFromFields({ ...f, hour: 0, minute: 0, second: 0 }));
  const length = dayNumber(localFromFields({ ...f, year: f.year + 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 })) - jan1;
  return [day - jan1 + 1, length];
}

/** `index` is the 1-based day within the month or year of `length` days. */
function matchesByDay(entry: ByDay, weekday: string, index: number, length: number): boolean {
  if (entry.weekday !== weekday) return false;
  if (entry.ordinal === null) return true;
  // The n-th such weekday is in days 7(n-1)+1 … 7n; counting from the end mirrors that.
  const nth = entry.ordinal > 0 ? Math.floor((index - 1) / 7) + 1 : -(Math.floor((length - index) / 7) + 1);
  return nth === entry.ordinal;
}

/** BYSETPOS: keeps the given 1-based (or from-the-end negative) positions of a period's days. */
function pickSetPositions(days: number[], positions: number[]): number[] {
  const picked = new Set<number>();
  for (const position of positions) {
    const day = position > 0 ? days[position - 1] : days[days.length + position];
    if (day !== undefined) picked.add(day);
  }
  return [...picked].sort((a, b) => a - b);
}

/**
 * Bound on occurrences returned by one `occurrencesBetween` call, so a huge range over a tiny
 * period (PT1M for a century) fails fast instead of exhausting memory.
 */
const MAX_OCCURRENCES = 100_000;

/** How far past its argument `nextOccurrence` looks before concluding a series has ended. */
const LOOKAHEAD_DAYS = 366 * 10;

/**
 * Occurrences starting in `[from, to)`, in order, with skip dates removed. Bounded: a rule that
 * never matches stops after `MAX_PERIODS` periods, and more than `MAX_OCCURRENCES` results throw.
 */
export function referenceOccurrencesBetween(schedule: RecurrenceSchedule, from: Date, to: Date): Occurrence[] {
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
export function referenceNextOccurrence(schedule: RecurrenceSchedule, atOrAfter: Date): Occurrence | null {
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
export function referencePreviousOccurrence(schedule: RecurrenceSchedule, before: Date): Occurrence | null {
  const series = compile(schedule);
  return series.previous(before.getTime());
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
    const { rule, start, zone } = compileRRule(schedule.rrule, schedule.start, schedule.zone);
    const occurrence = make(zone);
    function* walk(_from: number, horizonDay: number): Iterable<Date> {
      // COUNT and INTERVAL are anchored at the start, so an RRULE is always walked from there.
      for (const expanded of referenceExpandRRule(rule, start, zone, horizonDay)) yield expanded.start;
    }
    return {
      zone,
      firstDay: dayNumber(start),
      walk,
      occurrence,
      previous(before) {
        let last: Occurrence | null = null;
        for (const at of walk(before, dayNumber(toLocal(before, zone)) + 1)) {
          if (at.getTime() >= before) break;
          last = occurrence(at) ?? last;
        }
        return last;
      },
    };
  }
  return compileInterval(schedule.interval, make);
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
 * never by chaining, so month-end clamping cannot drift (Jan 31, Feb 28, Mar 31, not Mar 28) and
 * any index can be reached by binary search instead of walking from the start.
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
  /** Smallest k with at(k) ≥ instant (may equal `limit`): exponential then binary search on a monotone sequence. */
  const firstIndexAtOrAfter = (instant: number): number => {
    if (at(0) >= instant) return 0;
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
