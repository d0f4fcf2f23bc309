import { MinutesDocError } from "./backend.js";

/**
 * True when a backend refused a doc because the App did not make it for this meeting (the
 * marker names another doc): a case the use cases log apart from an outage.
 */
export function isNotThisMeeting(error: unknown): error is MinutesDocError {
  return error instanceof MinutesDocError && error.kind === "not-this-meeting";
}

/**
 * What a backend's not-this-meeting error says the doc is instead (Google's DocMismatchError
 * carries `mismatch`), for the App's log only: it may name another group's repository, so it
 * never reaches a reply or an issue.
 */
export function mismatchOf(error: MinutesDocError): unknown {
  return "mismatch" in error ? (error as { mismatch: unknown }).mismatch : undefined;
}
