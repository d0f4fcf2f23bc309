import { hasCalendarPart, type IsoDuration, timePartMs } from "./duration.js";
import { addCalendar, toInstant, toLocal } from "./wall-clock.js";

// Apart from duration.ts (parsing, exact time parts): the server reads durations from its
// environment at start-up, and only this arithmetic needs the time-zone library.

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
