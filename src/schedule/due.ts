import type { IsoDuration } from "./duration.js";
import { subtractDuration } from "./zoned-duration.js";
import { nextOccurrence, previousOccurrence } from "./occurrences.js";
import type { OccurrenceSource } from "./occurrence-source.js";
import type { Occurrence, RecurrenceSchedule } from "./types.js";

/** What `dueOccurrence` needs: the series, its lead time and the current instant (never read from the clock here). */
export interface DueInput {
  schedule: RecurrenceSchedule;
  /** How long before the meeting its issue opens, e.g. P3D. */
  createBefore: IsoDuration;
  now: Date;
}

/** An occurrence whose issue should exist now, and the instant its lead time began. */
export interface DueOccurrence {
  occurrence: Occurrence;
  opensAt: Date;
}

/** Everything a tick needs to log about one series, as data. */
export interface DueExplanation {
  now: Date;
  /** The next meeting that has not started yet (start > now), or `null` if the series has ended. */
  next: Occurrence | null;
  /** When `next`'s issue opens (start − createBefore, on the wall clock of the series zone). */
  opensAt: Date | null;
  /** Whether `next` is due now (`opensAt ≤ now`). */
  due: boolean;
  /** The last meeting that started at or before `now`, if any: the one whose issue may still be open. */
  previous: Occurrence | null;
}

/**
 * The next meeting that has not started (start > now) if its issue should already be open
 * (start − createBefore ≤ now), else `null`.
 *
 * The lead time is subtracted on the series' wall clock, so "P3D before Thursday 10:00" is Monday
 * 10:00 local even across a daylight-saving change. Once a meeting starts it is never due again:
 * the bot stops touching a meeting at its start. If `createBefore` is longer than the gap between
 * meetings, the earliest upcoming one is returned; the next becomes due when that one starts.
 */
export function dueOccurrence(input: DueInput): DueOccurrence | null {
  const { next, opensAt, due } = explainDue(input);
  return due && next !== null && opensAt !== null ? { occurrence: next, opensAt } : null;
}

/**
 * `dueOccurrence`'s reasoning as data (next meeting, when it opens, the previous one) for logs and
 * `preview`. Its cost does not grow with the series' age: the rule is entered at the period
 * holding `now` (`rrule-series.ts`), a repeating interval at the index `now` gives.
 */
export function explainDue({ schedule, createBefore, now }: DueInput): DueExplanation {
  // "Not started yet" is strict: a meeting starting exactly now has started.
  const next = nextOccurrence(schedule, new Date(now.getTime() + 1));
  const previous = previousOccurrence(schedule, new Date(now.getTime() + 1));
  return explanation(now, createBefore, next, previous);
}

/**
 * `explainDue` for any schedule, calendar-backed ones included: the same reasoning over the
 * occurrences an `OccurrenceSource` reports (`next` is strictly after `now`, `previous` at or
 * before it). Rejects when the source does (calendar unreachable, feed malformed).
 */
export async function explainDueFrom(source: OccurrenceSource, createBefore: IsoDuration, now: Date): Promise<DueExplanation> {
  const [next, previous] = await Promise.all([source.next(now), source.previous(now)]);
  return explanation(now, createBefore, next, previous);
}

/** The one place "due" is decided, from the two neighbouring occurrences. */
function explanation(now: Date, createBefore: IsoDuration, next: Occurrence | null, previous: Occurrence | null): DueExplanation {
  const opensAt = next === null ? null : subtractDuration(next.start, createBefore, next.zone);
  return { now, next, opensAt, due: opensAt !== null && opensAt.getTime() <= now.getTime(), previous };
}
