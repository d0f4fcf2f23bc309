import type { ByDay, RRule } from "./rrule.js";
import { WEEKDAYS } from "./rrule.js";
import {
  type LocalTime,
  dayNumber,
  daysInMonth,
  fieldsOf,
  localAt,
  localFromFields,
  parseLocalDate,
  parseLocalDateTime,
  timeOfDay,
  toInstant,
} from "./wall-clock.js";

/** One expanded occurrence: its wall-clock time in the series zone and the instant that is. */
export interface ExpandedOccurrence {
  local: LocalTime;
  start: Date;
}

/**
 * Hard cap on the periods (days, weeks, months or years) one expansion may walk. A rule that can
 * never match (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`) would otherwise spin forever; 100 000
 * periods is 270 years of a daily rule, far more than any meeting series.
 */
export const MAX_PERIODS = 100_000;

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
export function* expandRRule(rule: RRule, start: LocalTime, zone: string, horizonDay: number): Generator<ExpandedOccurrence> {
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
