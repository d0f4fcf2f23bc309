import { tzOffset } from "@date-fns/tz";

/**
 * Wall-clock time (what a clock on the wall in some zone shows) and its conversion to and from
 * instants. Schedules are defined in wall-clock terms ("Thursdays 10:00 in New York"), so all
 * recurrence arithmetic happens here, away from instants, and only the final result is mapped to
 * an instant. Nothing here reads the machine's time zone.
 */

/** Milliseconds in one wall-clock day: local arithmetic treats every day as exactly this long. */
export const DAY_MS = 86_400_000;

/**
 * A wall-clock time with no zone attached, encoded as the number `Date.UTC` gives for the same
 * fields. Using the UTC timeline as a zone-less calendar makes "same time, three days later" a
 * plain addition, because that timeline has no daylight saving. Branded so it cannot be mixed up
 * with a real epoch instant.
 */
export type LocalTime = number & { readonly __brand: "LocalTime" };

/** The fields of a wall-clock time; `month` is 1–12. */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Builds a local time from its fields; out-of-range fields roll over like `Date.UTC`. */
export function localFromFields(f: LocalFields): LocalTime {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(f.year, f.month - 1, f.day);
  date.setUTCHours(f.hour, f.minute, f.second, 0);
  return date.getTime() as LocalTime;
}

/** The fields of a local time. */
export function fieldsOf(local: LocalTime): LocalFields {
  const date = new Date(local);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/** Days in a month (`month` 1–12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

const pad = (value: number, width = 2): string => String(value).padStart(width, "0");

/** The `YYYY-MM-DD` date of a local time. */
export function formatLocalDate(local: LocalTime): string {
  const f = fieldsOf(local);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
}

/** The `YYYY-MM-DDTHH:mm:ss` form of a local time. */
export function formatLocalDateTime(local: LocalTime): string {
  const f = fieldsOf(local);
  return `${formatLocalDate(local)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

/** Whole days since 1970-01-01 of a local time's date; the unit of recurrence expansion. */
export function dayNumber(local: LocalTime): number {
  return Math.floor(local / DAY_MS);
}

/** Milliseconds since local midnight. */
export function timeOfDay(local: LocalTime): number {
  return local - dayNumber(local) * DAY_MS;
}

/** The local time at `msOfDay` after midnight of day number `day`. */
export function localAt(day: number, msOfDay = 0): LocalTime {
  return (day * DAY_MS + msOfDay) as LocalTime;
}

/**
 * Parses `YYYY-MM-DD`, rejecting impossible dates (`2025-02-30`) instead of rolling them over,
 * so a typo in a skip list is an error rather than a silently different day.
 */
export function parseLocalDate(text: string): LocalTime | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return localFromFields({ year, month, day, hour: 0, minute: 0, second: 0 });
}

/** Parses `YYYY-MM-DDTHH:mm` or `YYYY-MM-DDTHH:mm:ss` (no zone), rejecting impossible values. */
export function parseLocalDateTime(text: string): LocalTime | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return null;
  const date = parseLocalDate(m[1]!);
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (date === null || hour > 23 || minute > 59 || second > 59) return null;
  return (date + ((hour * 60 + minute) * 60 + second) * 1000) as LocalTime;
}

const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/**
 * The zone's UTC offset in minutes at `instant` (`+120` for UTC+2). Accepts IANA names and fixed
 * `±HH:MM` offsets; throws on an unknown zone so a bad name cannot turn into `NaN` dates.
 */
export function zoneOffsetMinutes(zone: string, instant: number): number {
  // An out-of-range date (a runaway step count) is not the zone's fault: let NaN flow to the caller.
  if (!Number.isFinite(instant)) return Number.NaN;
  const fixed = FIXED_OFFSET.exec(zone);
  if (fixed) {
    // Parsed here rather than by tzOffset, whose fallback gets the sign of `-00:30` wrong.
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
    return fixed[1] === "-" ? -minutes : minutes;
  }
  const offset = zone === "" ? Number.NaN : tzOffset(zone, new Date(instant));
  if (!Number.isFinite(offset)) throw new Error(`unknown time zone "${zone}" (use an IANA name such as America/New_York)`);
  return offset;
}

/** The wall-clock time in `zone` at `instant`. Unambiguous: every instant has one local time. */
export function toLocal(instant: Date | number, zone: string): LocalTime {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  return (ms + zoneOffsetMinutes(zone, ms) * 60_000) as LocalTime;
}

/**
 * The instant at which the clock in `zone` shows `local`.
 *
 * Deliberately not `new TZDate(y, m, d, h, min, zone)`: for an ambiguous time that constructor's
 * answer depends on the machine's own zone (checked: Australia/Sydney 2024-04-07 02:30 gives
 * +11:00 under TZ=Pacific/Chatham but +10:00 under TZ=UTC). Instead, following RFC 5545 §3.3.5:
 * - a time that occurs twice (fall-back overlap) resolves to the first, earlier instant;
 * - a time that never occurs (spring-forward gap) is read with the offset in force before the
 *   gap, which moves it forward by the gap's length (02:30 on a New York change day → 03:30 EDT).
 */
export function toInstant(local: LocalTime, zone: string): Date {
  // Offsets a day either side bracket any transition that can affect this local time.
  const before = zoneOffsetMinutes(zone, local - DAY_MS);
  const after = zoneOffsetMinutes(zone, local + DAY_MS);
  const candidates = [before, after, zoneOffsetMinutes(zone, local)]
    .map((offset) => ({ offset, instant: local - offset * 60_000 }))
    .filter(({ offset, instant }) => zoneOffsetMinutes(zone, instant) === offset)
    .map(({ instant }) => instant);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(local - before * 60_000);
}

/**
 * Moves a local time by whole years, months and days. Years and months first, clamping the day to
 * the target month's length (Jan 31 + 1 month = Feb 28/29), then days: the same order and clamping
 * as date-fns `add`, so results match what users see elsewhere.
 */
export function addCalendar(local: LocalTime, years: number, months: number, days: number): LocalTime {
  if (years === 0 && months === 0 && days === 0) return local;
  const f = fieldsOf(local);
  const monthIndex = f.year * 12 + (f.month - 1) + years * 12 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(f.day, daysInMonth(year, month));
  return (localFromFields({ ...f, year, month, day }) + days * DAY_MS) as LocalTime;
}
