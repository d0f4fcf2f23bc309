import { CYCLE_DAYS, civilFromDay, dayFromCivil, isLeapYear, monthLength, weekdayOfDay } from "./civil-days.js";
import type { ByDay, RRule } from "./rrule.js";
import { WEEKDAYS } from "./rrule.js";
import { type LocalTime, dayNumber, localAt, parseLocalDate, parseLocalDateTime, timeOfDay, toInstant } from "./wall-clock.js";

/** One expanded occurrence: its wall-clock time in the series zone and the instant that is. */
export interface ExpandedOccurrence {
  local: LocalTime;
  start: Date;
}

/**
 * Hard cap on the periods (days, weeks, months or years) one expansion may walk. A rule that can
 * never match (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`) would otherwise spin forever; 100 000
 * periods is 270 years of a daily rule, far more than any meeting series. Occurrences in later
 * periods do not exist for the App (`rrule-series.ts` keeps that bound without walking to it).
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
 *
 * This walks from the start; `rruleSeries` (`rrule-series.ts`) gives the same occurrences
 * from any instant without walking.
 */
export function* expandRRule(rule: RRule, start: LocalTime, zone: string, horizonDay: number): Generator<ExpandedOccurrence> {
  const periods = rulePeriods(rule, start);
  const limit = ruleLimit(rule);
  let emitted = 0;

  for (let period = 0; period < MAX_PERIODS; period++) {
    if (periods.range(period)[0] > horizonDay) return;
    for (const day of periods.days(period)) {
      const local = localAt(day, periods.clock);
      if (limit.local !== null && local > limit.local) return;
      const instant = toInstant(local, zone);
      if (limit.instant !== null && instant.getTime() > limit.instant) return;
      yield { local, start: instant };
      emitted++;
      if (rule.count !== null && emitted >= rule.count) return;
    }
  }
}

/** UNTIL as the last wall-clock time (`date` / `local` forms) or the last instant (`utc` form) an occurrence may have. */
export interface RuleLimit {
  local: LocalTime | null;
  instant: number | null;
}

/** The UNTIL bound of a rule, `null`s when it has none. */
export function ruleLimit(rule: RRule): RuleLimit {
  const until = rule.until;
  return {
    local: until?.kind === "date" ? endOfLocalDate(until.date) : until?.kind === "local" ? parseLocalDateTime(until.local) : null,
    instant: until?.kind === "utc" ? until.instant.getTime() : null,
  };
}

function endOfLocalDate(date: string): LocalTime {
  const day = parseLocalDate(date);
  // parseRRule already checked the date; a failure here is a programming error.
  if (day === null) throw new Error(`invalid UNTIL date ${date}`);
  return localAt(dayNumber(day) + 1, -1);
}

/**
 * A rule cut into its periods: period 0 holds the start's day, period p is p × INTERVAL days,
 * weeks (from WKST), months or years later. Every question about the rule is asked per period,
 * so any period can be looked at without visiting the ones before it.
 */
export interface RulePeriods {
  rule: RRule;
  /** Local day number of the start. */
  startDay: number;
  /** Milliseconds after local midnight of every occurrence (the start's time of day). */
  clock: number;
  /** The BY parts with the defaults RFC 5545 takes from the start filled in. */
  effective: { byDay: ByDay[]; byMonthDay: number[]; byMonth: number[] };
  /** First and last local day number of period `p`. */
  range(p: number): [number, number];
  /** The last period beginning on or before local day `day` (negative before the start's period). */
  periodOf(day: number): number;
  /** The occurrence days of period `p`, ascending: matched, BYSETPOS applied, and none before the start. */
  days(p: number): number[];
  /** The days in `[from, to]` (one whole period) that the BY parts and BYSETPOS pick. */
  pick(from: number, to: number): number[];
  /**
   * Periods in one 400-year Gregorian cycle of this rule: periods `p` and `p + cycle` lie on
   * identical calendars (dates and weekdays), so from period 1 on they hold the same days.
   */
  cycle: number;
}

/** `RulePeriods` for a rule and its start. */
export function rulePeriods(rule: RRule, start: LocalTime): RulePeriods {
  const startDay = dayNumber(start);
  const first = civilFromDay(startDay);
  const effective = effectiveParts(rule, first.month, first.day, weekdayOfDay(startDay));
  const matches = dayFilter(rule, effective);
  const n = rule.interval;
  // Weeks begin on WKST, which decides which weeks INTERVAL=2 skips.
  const weekStart = startDay - ((weekdayOfDay(startDay) - WEEKDAYS.indexOf(rule.wkst) + 7) % 7);
  const startMonth = first.year * 12 + first.month - 1;

  const range = (p: number): [number, number] => {
    const step = p * n;
    switch (rule.freq) {
      case "DAILY":
        return [startDay + step, startDay + step];
      case "WEEKLY":
        return [weekStart + 7 * step, weekStart + 7 * step + 6];
      case "MONTHLY": {
        const index = startMonth + step;
        const year = Math.floor(index / 12);
        const month = index - year * 12 + 1;
        const firstDay = dayFromCivil(year, month, 1);
        return [firstDay, firstDay + monthLength(year, month) - 1];
      }
      case "YEARLY": {
        const year = first.year + step;
        return [dayFromCivil(year, 1, 1), dayFromCivil(year + 1, 1, 1) - 1];
      }
    }
  };
  const periodOf = (day: number): number => {
    switch (rule.freq) {
      case "DAILY":
        return Math.floor((day - startDay) / n);
      case "WEEKLY":
        return Math.floor((day - weekStart) / (7 * n));
      case "MONTHLY": {
        const f = civilFromDay(day);
        return Math.floor((f.year * 12 + f.month - 1 - startMonth) / n);
      }
      case "YEARLY":
        return Math.floor((civilFromDay(day).year - first.year) / n);
    }
  };
  const pick = (from: number, to: number): number[] => {
    const days: number[] = [];
    for (let day = from; day <= to; day++) if (matches(day)) days.push(day);
    return rule.bySetPos.length > 0 ? pickSetPositions(days, rule.bySetPos) : days;
  };
  const unitsPerCycle = { DAILY: CYCLE_DAYS, WEEKLY: CYCLE_DAYS / 7, MONTHLY: 4800, YEARLY: 400 }[rule.freq];

  return {
    rule,
    startDay,
    clock: timeOfDay(start),
    effective,
    range,
    periodOf,
    pick,
    days(p) {
      const [from, to] = range(p);
      const days = pick(from, to);
      // Only the start's own period can hold days before the start; BYSETPOS counted them first.
      return p === 0 ? days.filter((day) => day >= startDay) : days;
    },
    cycle: unitsPerCycle / gcd(unitsPerCycle, n),
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The BY parts a day is tested against. The defaults fill in from `start` what the rule leaves
 * open (RFC 5545: "information not contained in the rule … is derived from DTSTART"), e.g. a
 * plain MONTHLY rule repeats start's day of month.
 */
function effectiveParts(rule: RRule, startMonth: number, startDayOfMonth: number, startWeekday: number): RulePeriods["effective"] {
  let { byDay, byMonthDay, byMonth } = rule;
  if (rule.freq === "WEEKLY" && byDay.length === 0) byDay = [{ weekday: WEEKDAYS[startWeekday]!, ordinal: null }];
  if (rule.freq === "MONTHLY" && byDay.length === 0 && byMonthDay.length === 0) byMonthDay = [startDayOfMonth];
  if (rule.freq === "YEARLY" && byDay.length === 0 && byMonthDay.length === 0) {
    byMonthDay = [startDayOfMonth];
    if (byMonth.length === 0) byMonth = [startMonth];
  }
  return { byDay, byMonthDay, byMonth };
}

/** The predicate a day must pass to be an occurrence: each BY part limits the period's days. */
function dayFilter(rule: RRule, { byDay, byMonthDay, byMonth }: RulePeriods["effective"]): (day: number) => boolean {
  // Ordinals in a YEARLY rule count within the month when BYMONTH narrows it, else within the year.
  const ordinalsByYear = rule.freq === "YEARLY" && byMonth.length === 0;
  const entries = byDay.map((entry) => ({ weekday: WEEKDAYS.indexOf(entry.weekday), ordinal: entry.ordinal }));

  return (day) => {
    const f = civilFromDay(day);
    if (byMonth.length > 0 && !byMonth.includes(f.month)) return false;
    if (byMonthDay.length > 0) {
      const length = monthLength(f.year, f.month);
      if (!byMonthDay.some((n) => (n > 0 ? n : length + n + 1) === f.day)) return false;
    }
    if (entries.length > 0) {
      const weekday = weekdayOfDay(day);
      const index = ordinalsByYear ? day - dayFromCivil(f.year, 1, 1) + 1 : f.day;
      const length = ordinalsByYear ? (isLeapYear(f.year) ? 366 : 365) : monthLength(f.year, f.month);
      if (!entries.some((entry) => matchesByDay(entry, weekday, index, length))) return false;
    }
    return true;
  };
}

/** `index` is the 1-based day within the month or year of `length` days. */
function matchesByDay(entry: { weekday: number; ordinal: number | null }, weekday: number, index: number, length: number): boolean {
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
