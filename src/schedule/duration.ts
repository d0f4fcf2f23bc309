import { addCalendar, toInstant, toLocal } from "./wall-clock.js";

/**
 * An ISO-8601 duration split into its parts. Calendar parts (years … days) and time parts
 * (hours … seconds) are kept apart because they mean different things across daylight saving:
 * P1D is "same clock time tomorrow", PT24H is "24 hours of elapsed time".
 */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Parses an ISO-8601 duration such as `P3D`, `PT12H`, `P1W`, `P2W` or `P1DT2H30M`.
 *
 * Only whole, non-negative numbers are accepted (fractions and signs add nothing a meeting
 * schedule needs). Empty, zero-length (`P0D`), `P`/`PT` alone and anything else throw an `Error`
 * whose message can be shown to the user as is.
 */
export function parseDuration(text: string): IsoDuration {
  const trimmed = text.trim();
  const m = DURATION.exec(trimmed);
  // "P" and "P1DT" match the pattern but are not durations: a T must be followed by a time part.
  if (!m || trimmed === "P" || trimmed.endsWith("T")) {
    throw new Error(`invalid ISO-8601 duration "${text}" (expected e.g. P3D, PT12H, P1W)`);
  }
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number, number, number, number, number, number, number,
  ];
  const duration: IsoDuration = { years, months, weeks, days, hours, minutes, seconds };
  if (Object.values(duration).some((value) => !Number.isSafeInteger(value) || value > 1_000_000)) {
    throw new Error(`ISO-8601 duration "${text}" is too large`);
  }
  if (Object.values(duration).every((value) => value === 0)) {
    throw new Error(`ISO-8601 duration "${text}" is zero; a lead time or period must be longer than that`);
  }
  return duration;
}

/** The duration's exact-time part (hours, minutes, seconds) in milliseconds. */
export function timePartMs(d: IsoDuration): number {
  return ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
}

/** Whether the duration has any calendar part (years, months, weeks, days). */
export function hasCalendarPart(d: IsoDuration): boolean {
  return d.years !== 0 || d.months !== 0 || d.weeks !== 0 || d.days !== 0;
}

/**
 * `instant + d`. Calendar parts move the wall clock in `zone` (so P1D across a daylight-saving
 * change keeps the hour, and P1M from Jan 31 clamps to the end of February); then time parts add
 * exact elapsed time. A wall time that lands in a gap or overlap resolves as in `toInstant`.
 */
export function addDuration(instant: Date, d: IsoDuration, zone: string): Date {
  return shift(instant, d, zone, 1);
}

/**
 * `instant − d`, the mirror of `addDuration`: exact time parts first, then calendar parts on the
 * wall clock in `zone`. "Open the issue P3D before Thursday 10:00" gives Monday 10:00 local, even
 * when a daylight-saving change falls in between.
 */
export function subtractDuration(instant: Date, d: IsoDuration, zone: string): Date {
  return shift(instant, d, zone, -1);
}

function shift(instant: Date, d: IsoDuration, zone: string, sign: 1 | -1): Date {
  const moveCalendar = (at: Date): Date =>
    // Skipping the round trip when there is nothing to move keeps an instant in the second pass
    // of a fall-back hour from being snapped to the first.
    hasCalendarPart(d)
      ? toInstant(addCalendar(toLocal(at, zone), sign * d.years, sign * d.months, sign * (d.weeks * 7 + d.days)), zone)
      : at;
  const moveTime = (at: Date): Date => new Date(at.getTime() + sign * timePartMs(d));
  return sign === 1 ? moveTime(moveCalendar(instant)) : moveCalendar(moveTime(instant));
}
