/**
 * Proleptic Gregorian dates as plain integer arithmetic on day numbers (days since 1970-01-01,
 * `wall-clock.ts`'s `dayNumber`). RRULE matching looks at thousands of days per series; doing it
 * without building a `Date` per day is what keeps a tick's schedule work small. The formulas are
 * the well-known era/day-of-era decomposition of the 400-year Gregorian cycle.
 */

/** Days in one 400-year Gregorian cycle: also a whole number of weeks (20 871), so weekdays repeat with it. */
export const CYCLE_DAYS = 146_097;

/** The year, month (1–12) and day of month of a day number. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar date of a day number. */
export function civilFromDay(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / CYCLE_DAYS);
  const doe = z - era * CYCLE_DAYS;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** The day number of a calendar date; `day` may run past the month's end (it counts on). */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * CYCLE_DAYS + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** Whether a year has 366 days. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1–12) of `year`. */
export function monthLength(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_LENGTHS[month - 1]!;
}

/** JS weekday (0 = Sunday) of a day number; 1970-01-01 was a Thursday. */
export function weekdayOfDay(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}
