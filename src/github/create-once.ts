import { isRateLimited, isTimeout, outcomeUnknown } from "./errors.js";

/** What {@link createOnce} did: `found` means an earlier attempt had created it after all. */
export type Created<T> = { value: T; found: boolean };

/**
 * Sends a creating request (an issue, a comment, a pull request) so that a lost answer never
 * makes a second one. The request is sent once, with Octokit's retry off for it
 * (no-blind-retry.ts). If it fails without saying whether it happened (a 5xx, a dropped
 * connection, a rate limit), `find` looks for what it would have made, by the marker or branch
 * the caller knows it by; only when nothing is there is it sent once more. After a timeout it
 * is not sent again: GitHub may still be working on it, and the next run, which looks before
 * it writes, finishes the job.
 *
 * `find` must see writes at once (the issues and comments lists do; search does not).
 */
export async function createOnce<T>(create: () => Promise<T>, find: () => Promise<T | null>): Promise<Created<T>> {
  try {
    return { value: await create(), found: false };
  } catch (error) {
    if (!outcomeUnknown(error) && !isRateLimited(error)) throw error;
    const found = await find();
    if (found !== null) return { value: found, found: true };
    if (isTimeout(error)) throw error;
    return { value: await create(), found: false };
  }
}
