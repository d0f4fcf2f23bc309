import { civilFromDay, dayFromCivil, isLeapYear, monthLength, weekdayOfDay } from "./civil-days.js";
import type { RRule } from "./rrule.js";
import { type ExpandedOccurrence, MAX_PERIODS, type RulePeriods, ruleLimit, rulePeriods } from "./rrule-expand.js";
import { type LocalTime, dayNumber, localAt, toInstant, toLocal } from "./wall-clock.js";

/**
 * An RRULE series that can be entered at any instant: the occurrences around `now` cost the same
 * whether the series started last month or in 1753 (issue 12). It yields exactly what
 * `expandRRule` (the walk from the start) yields, including COUNT, UNTIL and `MAX_PERIODS`.
 */
export interface RRuleSeries {
  zone: string;
  /** Local day number of the start. */
  firstDay: number;
  /**
   * Occurrences in order, from the first period that begins on or before local day `fromDay`
   * (or the first period) on, while periods begin on or before local day `horizonDay`.
   */
  forward(fromDay: number, horizonDay: number): Generator<ExpandedOccurrence>;
  /**
   * Occurrences starting strictly before the instant `before` (epoch ms), latest first. Starts
   * at the period of `before` (or of the series' end by UNTIL, COUNT or `MAX_PERIODS`) and looks
   * back period by period only as far as the previous occurrence: for a rule that matches rarely
   * or never, at most one 400-year cycle of empty periods (`RulePeriods.cycle`) or back to the
   * start, whichever is nearer.
   */
  backward(before: number): Generator<ExpandedOccurrence>;
}

/**
 * How many occurrences the periods before period `p` hold, exact while that is below COUNT;
 * at or above COUNT it may stop counting and return any number ≥ COUNT (the series has ended,
 * and by how much is not needed).
 */
interface Counts {
  before(p: number): number;
}

/**
 * Jumps straight to a period. Period p of a rule is found by arithmetic (`RulePeriods.periodOf`):
 * whole days, WKST weeks, months or years from the start's period, divided by INTERVAL. The
 * one thing the walk from the start gave for free is the occurrence's index, which COUNT needs:
 * see `countModel`.
 */
export function rruleSeries(rule: RRule, start: LocalTime, zone: string): RRuleSeries {
  const periods = rulePeriods(rule, start);
  const limit = ruleLimit(rule);
  const count = rule.count;
  const { clock } = periods;
  let counts: Counts | null = null;
  const countsOf = (): Counts => (counts ??= countModel(periods, count ?? Number.POSITIVE_INFINITY));

  return {
    zone,
    firstDay: periods.startDay,
    *forward(fromDay, horizonDay) {
      let p = Math.max(0, periods.periodOf(fromDay));
      let index = count === null ? 0 : countsOf().before(p);
      for (; p < MAX_PERIODS; p++) {
        if (periods.range(p)[0] > horizonDay) return;
        for (const day of periods.days(p)) {
          if (count !== null && index >= count) return;
          const local = localAt(day, clock);
          if (limit.local !== null && local > limit.local) return;
          const instant = toInstant(local, zone);
          if (limit.instant !== null && instant.getTime() > limit.instant) return;
          yield { local, start: instant };
          index++;
        }
      }
    },
    *backward(before) {
      // Two days of margin: a local day and the instant's UTC day differ by less than that.
      let p = Math.min(periods.periodOf(dayNumber(toLocal(before, zone)) + 2), MAX_PERIODS - 1);
      if (limit.local !== null) p = Math.min(p, periods.periodOf(dayNumber(limit.local)));
      if (limit.instant !== null) p = Math.min(p, periods.periodOf(dayNumber(toLocal(limit.instant, zone)) + 2));
      if (p < 0) return;
      let index = 0;
      if (count !== null) {
        const model = countsOf();
        index = model.before(p);
        if (index >= count) {
          // The series ended before period p: start from the period of its COUNT-th occurrence.
          p = lastPeriodBelow(model, count, p);
          index = model.before(p);
        }
      }
      let days = periods.days(p);
      // A whole cycle of empty periods means every period is empty (see RulePeriods.cycle).
      let empty = 0;
      for (;;) {
        empty = days.length === 0 ? empty + 1 : 0;
        if (empty >= periods.cycle) return;
        if (empty >= SPARSE[rule.freq]) {
          // A rule that matches rarely or never: jump to the last period holding any day, found
          // by binary search on the counts instead of looking at each empty period.
          const model = countsOf();
          const below = model.before(p);
          if (below === 0) return;
          p = lastPeriodBelow(model, below, p);
          days = periods.days(p);
          index = model.before(p);
          empty = 0;
        }
        for (let i = days.length - 1; i >= 0; i--) {
          if (count !== null && index + i >= count) continue;
          const local = localAt(days[i]!, clock);
          if (limit.local !== null && local > limit.local) continue;
          const instant = toInstant(local, zone);
          if (limit.instant !== null && instant.getTime() > limit.instant) continue;
          if (instant.getTime() >= before) continue;
          yield { local, start: instant };
        }
        if (--p < 0) return;
        days = periods.days(p);
        index -= days.length;
      }
    },
  };
}

/**
 * Empty periods (about three years' worth, enough for Feb 29 rules across a century year)
 * `backward` looks at one by one before it jumps over the rest using the counts, whose setup
 * costs more than that many periods.
 */
const SPARSE = { DAILY: 1100, WEEKLY: 160, MONTHLY: 36, YEARLY: 8 } as const;

/** The period holding the `count`-th occurrence, given that it lies before period `above`: a binary search on the monotone counts. */
function lastPeriodBelow(model: Counts, count: number, above: number): number {
  let [low, high] = [0, above - 1];
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (model.before(mid + 1) >= count) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Occurrences before period p, without walking when the rule allows. From period 1 on (period 0
 * may lose days before the start), a period's occurrences depend only on its calendar, and the
 * calendar repeats: `cycleWeights` gives c(p) for each residue of p modulo a cycle C, and then
 * before(p) = c(0) + whole cycles × their sum + a partial cycle: O(C) once, O(1) per call.
 *
 * DAILY rules with BYMONTH or BYMONTHDAY and WEEKLY rules with BYMONTH have no short cycle (their
 * counts follow the calendar, whose cycle is 400 years of days or weeks). They are counted a
 * calendar year at a time (`monthStrides`): O(years between the start and `now`), each a table
 * lookup once its kind of year has been seen (14 × the offsets INTERVAL allows), a kind of year
 * counted by its months, likewise looked up.
 * Counts at every `CHECKPOINT` periods are kept, so while the series stays prepared a later call
 * counts at most that many periods; counting stops once COUNT is reached.
 */
function countModel(periods: RulePeriods, count: number): Counts {
  const weights = cycleWeights(periods);
  if (weights !== null) {
    const cycle = weights.length;
    // Up to 4 801 sums for a MONTHLY rule: typed, as a prepared series stays in memory.
    const prefix = new Float64Array(cycle + 1);
    weights.forEach((weight, j) => (prefix[j + 1] = prefix[j]! + weight));
    const total = prefix[cycle]!;
    const upTo = (x: number): number => Math.floor(x / cycle) * total + prefix[x % cycle]!;
    const first = periods.days(0).length;
    return { before: (p) => (p <= 0 ? 0 : first + upTo(p) - upTo(1)) };
  }
  const strides = monthStrides(periods);
  const add = (from: number, to: number, n: number): number => (n >= count ? n : n + strides(from, to));
  // Kept counts: marks[i] is the first period of a year, totals[i] the occurrences before it.
  // Marks on year boundaries keep every year between two of them a looked-up one.
  const marks = [0];
  const totals = [0];
  const firstOfYear = (p: number): number => periods.periodOf(dayFromCivil(civilFromDay(periods.range(p)[0]).year, 1, 1) - 1) + 1;
  return {
    before(p) {
      while (marks.at(-1)! + CHECKPOINT <= p) {
        const from = marks.at(-1)!;
        const next = firstOfYear(from + CHECKPOINT);
        totals.push(add(from, next, totals.at(-1)!));
        marks.push(next);
      }
      let [low, high] = [0, marks.length - 1];
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (marks[mid]! <= p) low = mid;
        else high = mid - 1;
      }
      return add(marks[low]!, p, totals[low]!);
    },
  };
}

/**
 * Occurrences in periods [from, to) of a DAILY or WEEKLY rule, a calendar year or month at a
 * time. The periods whose first day falls in one month hold a number of occurrences fixed by that
 * month's number, whether its year is leap, the weekday of its 1st and the offset of the first
 * such period in it (a WEEKLY period may run into the next month, whose calendar those also fix).
 * Likewise for a year: whether it is leap, the weekday of 1 January and the first period's
 * offset. Each kind of year and month is counted once, then looked up; months cut by `from` or
 * `to` are counted period by period. So a first call costs O(years) lookups, later ones less.
 */
function monthStrides(periods: RulePeriods): (from: number, to: number) => number {
  const step = periods.rule.freq === "DAILY" ? periods.rule.interval : 7 * periods.rule.interval;
  const byMonth = new Map<number, number>();
  const byYear = new Map<number, number>();
  const direct = (from: number, to: number): number => {
    let n = 0;
    for (let q = from; q < to; q++) n += periods.days(q).length;
    return n;
  };
  /** Periods [from, to), from ≥ 1, by months. */
  const months = (from: number, to: number): number => {
    let n = 0;
    for (let p = from; p < to; ) {
      const anchor = periods.range(p)[0];
      const { year, month, day } = civilFromDay(anchor);
      const last = periods.periodOf(anchor - day + monthLength(year, month));
      if (day - 1 >= step || last >= to) {
        // Not the month's first period, or the month runs past `to`.
        const end = Math.min(last + 1, to);
        n += direct(p, end);
        p = end;
        continue;
      }
      const key = (((month - 1) * 2 + (isLeapYear(year) ? 1 : 0)) * 7 + weekdayOfDay(anchor - day + 1)) * step + day - 1;
      let inMonth = byMonth.get(key);
      if (inMonth === undefined) byMonth.set(key, (inMonth = direct(p, last + 1)));
      n += inMonth;
      p = last + 1;
    }
    return n;
  };
  return (from, to) => {
    let n = 0;
    if (from <= 0 && to > 0) {
      // Period 0 loses the days before the start: never part of a looked-up month or year.
      n += periods.days(0).length;
      from = 1;
    }
    for (let p = from; p < to; ) {
      const anchor = periods.range(p)[0];
      const { year } = civilFromDay(anchor);
      const jan1 = dayFromCivil(year, 1, 1);
      const last = periods.periodOf(dayFromCivil(year + 1, 1, 1) - 1);
      if (anchor - jan1 >= step || last >= to) {
        // Not the year's first period, or the year runs past `to`: its months one by one.
        const end = Math.min(last + 1, to);
        n += months(p, end);
        p = end;
        continue;
      }
      const key = ((isLeapYear(year) ? 7 : 0) + weekdayOfDay(jan1)) * step + anchor - jan1;
      let inYear = byYear.get(key);
      if (inYear === undefined) byYear.set(key, (inYear = months(p, last + 1)));
      n += inYear;
      p = last + 1;
    }
    return n;
  };
}

/** Periods (over a year's worth) between kept counts of a COUNT rule counted by years (`monthStrides`). */
const CHECKPOINT = 4096;

/** Years 2001–2028 hold all 14 kinds of year (leap or not × weekday of 1 January), hence every calendar a month can have. */
const SAMPLE_YEARS = Array.from({ length: 28 }, (_, i) => 2001 + i);

/**
 * `weights[j]` = the occurrences of every period p ≥ 1 with p ≡ j (mod weights.length), or
 * `null` when no cycle short enough to tabulate exists. Each case is proven from the rule's shape:
 * - DAILY without BYMONTH and BYMONTHDAY: a day's fate depends on its weekday only (C = 7).
 * - WEEKLY without BYMONTH: every week has the same weekdays (C = 1).
 * - MONTHLY: a month's count depends on its number, length and the weekday of its 1st, measured
 *   on real months for every such calendar (at most 91). If each month number gives one count,
 *   C = 12; else C = the rule's 400-year cycle in months (≤ 4 800), each looked up.
 * - YEARLY: likewise by leap year × weekday of 1 January (14 kinds): C = 1 if all agree, else the
 *   400-year cycle in years (≤ 400).
 */
function cycleWeights(periods: RulePeriods): number[] | null {
  const { rule, effective } = periods;
  const byResidue = (cycle: number, count: (p: number) => number): number[] =>
    // Residue j is read from the real period cycle + j (≥ 1, same residue).
    Array.from({ length: cycle }, (_, j) => count(cycle + j));
  const days = (p: number): number => periods.days(p).length;
  switch (rule.freq) {
    case "DAILY":
      if (effective.byMonth.length > 0 || effective.byMonthDay.length > 0) return null;
      return byResidue(effective.byDay.length > 0 ? 7 : 1, days);
    case "WEEKLY":
      return effective.byMonth.length > 0 ? null : byResidue(1, days);
    case "MONTHLY": {
      // Counts by calendar: slot ((month − 1) × 4 + length − 28) × 7 + weekday of the 1st.
      const counts = new Int32Array(12 * 4 * 7).fill(-1);
      const monthCount = (year: number, month: number): number => {
        const firstDay = dayFromCivil(year, month, 1);
        const length = monthLength(year, month);
        const slot = ((month - 1) * 4 + length - 28) * 7 + weekdayOfDay(firstDay);
        if (counts[slot]! < 0) counts[slot] = periods.pick(firstDay, firstDay + length - 1).length;
        return counts[slot]!;
      };
      let regular = true;
      for (let month = 1; month <= 12 && regular; month++) {
        const first = monthCount(SAMPLE_YEARS[0]!, month);
        regular = SAMPLE_YEARS.every((year) => monthCount(year, month) === first);
      }
      if (regular) return byResidue(12, days);
      const start = civilFromDay(periods.range(0)[0]);
      const startMonth = start.year * 12 + start.month - 1;
      return byResidue(periods.cycle, (p) => {
        const index = startMonth + p * rule.interval;
        const year = Math.floor(index / 12);
        return monthCount(year, index - year * 12 + 1);
      });
    }
    case "YEARLY": {
      // Counts by kind of year: slot 7 × leap + weekday of 1 January.
      const counts = new Int32Array(14).fill(-1);
      const yearCount = (year: number): number => {
        const jan1 = dayFromCivil(year, 1, 1);
        const slot = (isLeapYear(year) ? 7 : 0) + weekdayOfDay(jan1);
        if (counts[slot]! < 0) counts[slot] = periods.pick(jan1, dayFromCivil(year + 1, 1, 1) - 1).length;
        return counts[slot]!;
      };
      const first = yearCount(SAMPLE_YEARS[0]!);
      if (SAMPLE_YEARS.every((year) => yearCount(year) === first)) return byResidue(1, days);
      const startYear = civilFromDay(periods.range(0)[0]).year;
      return byResidue(periods.cycle, (p) => yearCount(startYear + p * rule.interval));
    }
  }
}
