import { formatCount } from "./limits.js";

/**
 * Most config errors any report lists: `validate`, the tick's log and alarm, the check run (whose
 * annotations then fit the one request GitHub takes 50 in). A file with more gets the first 50,
 * in file order, and a count of the rest; fixing those and running again shows the next ones.
 * A 64 KB file can hold 16,000 errors: listing them all cost a 64 KB+ message in every log line
 * and alarm, and 320 check-run requests.
 */
export const MAX_LISTED_ERRORS = 50;

/** The errors a report lists and how many it leaves out. */
export interface CappedErrors<T> {
  /** At most `MAX_LISTED_ERRORS`, in the order given. */
  listed: T[];
  /** How many errors there were beyond `listed` (0 when all are listed). */
  omitted: number;
}

/**
 * The first `MAX_LISTED_ERRORS` of `errors` (already in file order) and the count of the rest.
 * The one place the cap is applied: config errors leave `src/config` through here.
 */
export function capErrors<T>(errors: readonly T[]): CappedErrors<T> {
  return { listed: errors.slice(0, MAX_LISTED_ERRORS), omitted: Math.max(0, errors.length - MAX_LISTED_ERRORS) };
}

/** `1 error`, `31,950 errors`. */
export function errorCountText(count: number): string {
  return `${formatCount(count)} error${count === 1 ? "" : "s"}`;
}

/**
 * The line that stands for the errors a report leaves out: `… and 31,950 more errors (the first
 * 50 are listed; fix them and check again)`. Empty when none were left out.
 */
export function omittedErrorsText(omitted: number): string {
  if (omitted <= 0) return "";
  return `… and ${formatCount(omitted)} more error${omitted === 1 ? "" : "s"} (the first ${MAX_LISTED_ERRORS} are listed; fix them and check again)`;
}
