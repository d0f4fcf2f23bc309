import { retryAfterMs } from "../http/retry-after.js";
/** How hard the HackMD gateway tries again after a rate limit (429) or a server error (5xx). */
export interface HackmdRetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  retries: number;
  /** Delay before the first retry; doubles each time (with jitter). */
  baseDelayMs: number;
  /**
   * Cap on one delay, and on a wait HackMD asks for (`Retry-After`): a longer one is not
   * waited out in this run, the next run tries again.
   */
  maxDelayMs: number;
  /** Injectable for tests; defaults to a real timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * HackMD allows 100 calls per 5 minutes per token (and a monthly quota), so retries are few:
 * three, from about 1 s, each wait at most 10 s, which keeps a `/minutes` command inside a
 * webhook's patience. A tick that still fails leaves the work for the next tick.
 */
export const DEFAULT_HACKMD_RETRY: HackmdRetryPolicy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 10_000 };

/** The delay before retry number `attempt` (1-based): base·2^(attempt-1), capped, half of it jittered. */
export function backoffDelay(policy: HackmdRetryPolicy, attempt: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // Jitter spreads replicas that were throttled together, so they do not retry together.
  return full / 2 + Math.random() * (full / 2);
}

/** Waits `ms` with the policy's sleep (tests) or a real timer. */
export function pause(policy: HackmdRetryPolicy, ms: number): Promise<void> {
  return policy.sleep ? policy.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How long HackMD asks the App to wait, in milliseconds: `Retry-After` (seconds or an HTTP
 * date), else `X-RateLimit-UserReset` (when the window resets, in Unix seconds); null when it
 * says nothing usable.
 */
export function requestedWaitMs(headers: Headers, now: number = Date.now()): number | null {
  const asked = retryAfterMs(headers.get("retry-after"), now);
  if (asked !== null) return asked;
  const reset = headers.get("x-ratelimit-userreset")?.trim();
  if (reset && /^\d{1,12}$/.test(reset)) {
    const at = Number(reset);
    // Seconds per HackMD's policy page; a value in milliseconds is read as such.
    const ms = at > 1e11 ? at : at * 1000;
    return Math.max(0, ms - now);
  }
  return null;
}
