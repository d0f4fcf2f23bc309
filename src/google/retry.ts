import type { drive_v3 } from "@googleapis/drive";
import { isRateLimited, isTransient, readFailure } from "./errors.js";

/** How hard to try again after a rate limit (429) or a server error (5xx). */
export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  retries: number;
  /** Delay before the first retry; doubles each time (with jitter). */
  baseDelayMs: number;
  /** Cap on one delay. */
  maxDelayMs: number;
  /** Injectable for tests; defaults to a real timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * Google's guidance is exponential backoff from about 1 s. Three retries (1, 2, 4 s at most)
 * keep a `/minutes` command well inside a webhook's patience; a tick that still fails leaves
 * the work for the next tick.
 */
export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 8000 };

/** The delay before retry number `attempt` (1-based): base·2^(attempt-1), capped, half of it jittered. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // Jitter spreads replicas that were throttled together, so they do not retry together.
  return full / 2 + Math.random() * (full / 2);
}

/** Waits per the policy before retry `attempt`. */
export function sleepBeforeRetry(policy: RetryPolicy, attempt: number): Promise<void> {
  const ms = backoffDelay(policy, attempt);
  return policy.sleep ? policy.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
}

type GaxiosRetryConfig = NonNullable<drive_v3.Options["retryConfig"]>;

/**
 * gaxios `retryConfig` for every API call: rate limits are retried for any method (Google did
 * nothing), server errors and lost connections only where replaying cannot duplicate anything.
 * Creating files is left to `retryCreate` (minutes-doc.ts) and creating permissions to
 * share-doc.ts, which look for what they create before they try again; a streamed body
 * (Drive's multipart upload) cannot be replayed at all.
 */
export function gaxiosRetryConfig(policy: RetryPolicy): GaxiosRetryConfig {
  return {
    retry: policy.retries,
    noResponseRetries: policy.retries,
    httpMethodsToRetry: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH"],
    statusCodesToRetry: [
      [408, 408],
      [429, 429],
      [500, 599],
    ],
    shouldRetry: (err) => {
      const attempt = err.config.retryConfig?.currentRetryAttempt ?? 0;
      if (attempt >= policy.retries) return false;
      if (isStream(err.config.data)) return false;
      const failure = readFailure(err);
      if (isRateLimited(failure)) return true;
      return isTransient(failure) && isReplayable(err.config.method, String(err.config.url));
    },
    // gaxios has already counted this retry, so currentRetryAttempt is 1 for the first one.
    retryBackoff: (err) => sleepBeforeRetry(policy, err.config.retryConfig?.currentRetryAttempt ?? 1),
  };
}

/**
 * Methods that change nothing, or whose repeat changes nothing more: `documents:batchUpdate`
 * (we only send replaceAllText; the placeholders are gone after the first). Creating a file
 * or a permission is not: a replay after a lost answer can make a second one, so those look
 * before they ask again (`retryCreate`, share-doc.ts).
 */
function isReplayable(method: string | undefined, url: string): boolean {
  const m = (method ?? "GET").toUpperCase();
  if (m !== "POST" && m !== "PATCH") return true;
  const path = url.split("?")[0] ?? "";
  return path.endsWith(":batchUpdate");
}

function isStream(data: unknown): boolean {
  return typeof data === "object" && data !== null && typeof (data as { pipe?: unknown }).pipe === "function";
}

/**
 * Application-level retry for a write that is not safe to replay blindly: before each new
 * attempt `lookAgain` checks whether the previous one happened after all (a 500 can come after
 * Google did the work), and its answer wins.
 */
export async function retryCreate<T>(policy: RetryPolicy, create: () => Promise<T>, lookAgain: () => Promise<T | null>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (attempt >= policy.retries || !isTransient(readFailure(error))) throw error;
      await sleepBeforeRetry(policy, attempt + 1);
      const found = await lookAgain();
      if (found !== null) return found;
    }
  }
}
