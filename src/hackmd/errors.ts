import { MinutesDocError, type DocFailureKind } from "../minutes-doc/backend.js";
import { HACKMD_ENV } from "./env.js";

/**
 * A failed HackMD call. Its message is public-safe (see MinutesDocError): built from the
 * status, HackMD's short error code and what the App was doing, never from the token, headers
 * or a response body, and it has no `cause`.
 */
export class HackmdError extends MinutesDocError {
  /**
   * True when the request may have been carried out although it failed (a server error, a
   * timeout or a lost connection after it was sent): a create is not simply sent again, the
   * App first looks whether it happened.
   */
  readonly mayHaveHappened: boolean;

  constructor(kind: DocFailureKind, message: string, options: { status?: number | undefined; mayHaveHappened?: boolean } = {}) {
    super(kind, message, options.status);
    this.mayHaveHappened = options.mayHaveHappened ?? false;
  }
}

/** What the App was doing when a call failed, completing "HackMD could not …". */
export interface HackmdAction {
  /** E.g. `read note abc123`, `create the minutes note in team nodejs`. */
  action: string;
  /** The team the call was about, for the hint on a 403; null: the token's own workspace. */
  team?: string | null | undefined;
}

/** A timeout, in words. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Translates an HTTP status HackMD answered with into a public-safe error. */
export function statusError(status: number, context: HackmdAction): HackmdError {
  const { action } = context;
  if (status === 401) {
    return new HackmdError("not-configured", `HackMD refused the App's API token (401) when asked to ${action}: the App's operator must set a valid ${HACKMD_ENV.token}`, { status });
  }
  if (status === 403) {
    return new HackmdError("forbidden", `HackMD refused to ${action} (403): ${accessHint(context.team)}`, { status });
  }
  if (status === 404) {
    return new HackmdError("not-found", `HackMD could not ${action}: it was not found (404); ${accessHint(context.team)}`, { status });
  }
  if (status === 429) {
    return new HackmdError("unavailable", `HackMD's rate limit was reached when the App tried to ${action} (429); the next run tries again`, { status });
  }
  if (status >= 500 || status === 408) {
    return new HackmdError("unavailable", `HackMD could not ${action} (${status === 408 ? "408, it timed out" : `${status}, a server error`}); the next run tries again`, { status, mayHaveHappened: true });
  }
  if (status >= 300 && status < 400) {
    return new HackmdError(
      "failed",
      `HackMD answered with a redirect (${status}) when asked to ${action}; the App follows no redirects (check ${HACKMD_ENV.apiUrl} if it is set)`,
      { status },
    );
  }
  return new HackmdError("failed", `HackMD could not ${action} (${status})`, { status });
}

/** The monthly quota, which HackMD reports as a 429 with the code `quota_exceeded`. */
export function quotaError(context: HackmdAction): HackmdError {
  return new HackmdError(
    "unavailable",
    `HackMD's monthly API quota for the App's token is used up (429 quota_exceeded), so the App could not ${context.action}; later runs try again, and the App's operator can raise the quota on HackMD`,
    { status: 429 },
  );
}

/** No answer in time. */
export function timeoutError(context: HackmdAction, timeoutMs: number): HackmdError {
  return new HackmdError("unavailable", `HackMD did not answer within ${durationText(timeoutMs)} when asked to ${context.action}; the next run tries again`, {
    mayHaveHappened: true,
  });
}

/**
 * The run's deadline (one installation's part of a tick) passed: before the request
 * (`inFlight` false, nothing was asked) or while it was under way (it may have been carried out).
 */
export function deadlineError(context: HackmdAction, inFlight: boolean): HackmdError {
  return new HackmdError("unavailable", `the run's time ran out ${inFlight ? "while" : "before"} the App asked HackMD to ${context.action}; the next run tries again`, {
    mayHaveHappened: inFlight,
  });
}

/** No answer at all (DNS, refused or reset connection); `code` is the system's short code, when there is one. */
export function networkError(context: HackmdAction, code: string | undefined): HackmdError {
  return new HackmdError("unavailable", `the App could not reach HackMD to ${context.action}${code ? ` (${code})` : ""}; the next run tries again`, {
    mayHaveHappened: true,
  });
}

/** An answer the App cannot use (not JSON, or without the fields it needs). */
export function unexpectedAnswer(context: HackmdAction, what: string): HackmdError {
  return new HackmdError("failed", `HackMD answered with ${what} when asked to ${context.action}`);
}

function accessHint(team: string | null | undefined): string {
  if (team === undefined) return "check that the note is in the App's HackMD workspace";
  if (team === null) return "the note must be in the API token's own workspace";
  return `the API token's user must be a member of HackMD team ${team} who may create and edit its notes`;
}
