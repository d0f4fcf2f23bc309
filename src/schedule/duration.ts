
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
