/**
 * The meeting's date names the minutes file, the branch and the pull request. The Node.js
 * history has a `2025-06-11.md` holding the 2025-11-06 meeting: a date that is not a real
 * `YYYY-MM-DD` is refused everywhere it would be written.
 */

/** The parts of a checked `YYYY-MM-DD` date. */
export interface DateParts {
  year: string;
  month: string;
  day: string;
}

/**
 * Checks that `date` is a real calendar date written `YYYY-MM-DD` (no 2022-02-30, no
 * 2022-7-21) and returns its parts. `what` starts the error message (e.g. `minutes.path`).
 */
export function meetingDateParts(date: string, what = "meeting date"): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match?.[1] || !match[2] || !match[3]) {
    throw new RangeError(`${what}: "${date}" is not a date written YYYY-MM-DD`);
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 02-30 over to 03-02; a real date survives the round trip unchanged.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`${what}: "${date}" is not a real calendar date`);
  }
  return { year: match[1], month: match[2], day: match[3] };
}
