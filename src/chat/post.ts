import { retryAfterMs } from "../http/retry-after.js";
import { currentDeadline } from "../github/request-deadline.js";
import { CHAT_ENV } from "./destinations.js";
import type { ChatAnswer, ChatRequest, ChatSender } from "./sender.js";
import { ChatError, type ChatFailureKind } from "./types.js";

/** How a post is made: every limit has a default and can be set (tests, operators). */
export interface PostPolicy {
  /** `fetch` to send through; default the global one, looked up on each call (nock intercepts it). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Per request, answer body included. Default 10 s. */
  timeoutMs?: number | undefined;
  /** Requests per post at most, the first included. Default 3. */
  maxTries?: number | undefined;
  /** The longest Retry-After the App waits out; a longer one leaves the post to the next run. Default 10 s. */
  maxRetryAfterMs?: number | undefined;
  /** Wait before a retry without Retry-After: 1 s, then doubling, capped by maxRetryAfterMs. */
  baseDelayMs?: number | undefined;
  /** Injectable for tests; default a real timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Injectable for tests (HTTP-date Retry-After); default Date.now. */
  now?: (() => number) | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_TRIES = 3;
export const DEFAULT_MAX_RETRY_AFTER_MS = 10_000;
const DEFAULT_BASE_DELAY_MS = 1000;
/** Chat services answer a post with a few bytes; an error page is not worth more. */
const MAX_BODY_BYTES = 16 * 1024;

/** The part of a sender that reads answers. */
type AnswerReader = Pick<ChatSender, "accepted" | "errorCode" | "retryAfterMs" | "refusalHint">;

/** Where a post goes, for messages: the destination's name (public: the config names it) and the service. */
interface Target {
  name: string;
  label: string;
}

/**
 * Makes `request` for destination `target`, retrying what is safe to retry: a 429 or 503 (the
 * service did nothing) after its Retry-After when that is short enough, a connection that was
 * never made, and, for an idempotent request only, a timeout or another server error.
 * Redirects are not followed (a webhook that moved is a configuration to fix, and following
 * one would send the secret's request elsewhere).
 *
 * @throws ChatError whose message names the destination and the service, never the URL, a
 *   token or the answer's body; it has no `cause`.
 */
export async function postChat(target: Target, sender: AnswerReader, request: ChatRequest, policy: PostPolicy = {}): Promise<void> {
  const maxTries = Math.max(1, policy.maxTries ?? DEFAULT_MAX_TRIES);
  const maxWait = policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const backoff = (attempt: number): number => Math.min(maxWait, (policy.baseDelayMs ?? DEFAULT_BASE_DELAY_MS) * 2 ** (attempt - 1));
  const where = `chat destination "${target.name}"`;
  const again = "; the next run tries again";

  // Once an attempt may have posted, every later failure says so too (a repeat that the
  // service recognises may still find the first one posted).
  let uncertain = false;
  const fail = (kind: ChatFailureKind, message: string, status?: number, mayHavePosted = false, retryAfterMs?: number): ChatError =>
    new ChatError(kind, message, status, mayHavePosted || uncertain, retryAfterMs);

  for (let attempt = 1; ; attempt += 1) {
    const last = attempt >= maxTries;
    // Out of time before sending: nothing goes out.
    if (currentDeadline()?.aborted) throw fail("unavailable", `the run's time ran out before posting to ${where} (${target.label})${again}`);
    const outcome = await attemptOnce(request, policy);
    if (outcome.kind === "failed") {
      const { failure } = outcome;
      const mayHavePosted = failure.kind !== "not-connected";
      const retry = !last && (failure.kind === "not-connected" || (request.idempotent && failure.kind !== "deadline"));
      if (retry) {
        uncertain ||= mayHavePosted;
        await sleep(backoff(attempt));
        continue;
      }
      if (failure.kind === "timeout") {
        throw fail("unavailable", `${target.label} did not answer within ${formatSeconds(policy.timeoutMs ?? DEFAULT_TIMEOUT_MS)} for ${where}${again}`, undefined, mayHavePosted);
      }
      if (failure.kind === "deadline") throw fail("unavailable", `the run's time ran out while posting to ${where} (${target.label})${again}`, undefined, mayHavePosted);
      throw fail("unavailable", `${target.label} could not be reached for ${where}${again}`, undefined, mayHavePosted);
    }

    const answer = outcome.answer;
    const { status } = answer;
    if (status >= 200 && status < 300) {
      if (sender.accepted(answer)) return;
      throw fail("failed", `${target.label} answered ${where} with ${status} but did not confirm the post`, status, true);
    }
    if (status >= 300 && status < 400) {
      throw fail("failed", `${target.label} answered ${where} with a redirect (${status}), which the App does not follow: check the destination's settings in ${CHAT_ENV}`, status);
    }
    const code = sender.errorCode(answer);
    const said = code === undefined ? `${status}` : `${status} ${code}`;
    if (status === 429 || status === 503) {
      // Both say the request was not handled (RFC 9110 §15.6.4 for 503): waiting and sending
      // again cannot post twice, even for a webhook.
      const asked = retryAfterMs(answer.headers.get("retry-after"), (policy.now ?? Date.now)()) ?? sender.retryAfterMs(answer);
      const wait = asked ?? backoff(attempt);
      if (!last && wait <= maxWait) {
        await sleep(Math.max(0, wait));
        continue;
      }
      const later = asked === undefined ? "" : ` for ${formatSeconds(asked)}`;
      if (status === 503) throw fail("unavailable", `${target.label} is unavailable (${said})${later} for ${where}${again}`, status, false, asked);
      throw fail("rate-limited", `${target.label} rate-limited ${where} (${said})${later}${again}`, status, false, asked);
    }
    if (status === 408 || status >= 500) {
      // The service may have posted before it failed: only a request it recognises when
      // repeated (Matrix's transaction id) is sent again now.
      if (request.idempotent && !last) {
        uncertain = true;
        await sleep(backoff(attempt));
        continue;
      }
      throw fail("unavailable", `${target.label} is unavailable (${said}) for ${where}${again}`, status, true);
    }
    throw fail("rejected", `${target.label} refused the post to ${where} (${said}): ${sender.refusalHint(status, code)}`, status);
  }
}

type Failure = { kind: "timeout" } | { kind: "deadline" } | { kind: "not-connected" } | { kind: "lost" };
type Outcome = { kind: "answered"; answer: ChatAnswer } | { kind: "failed"; failure: Failure };

/** Network codes that mean the request never left: repeating it cannot post twice. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "ENETUNREACH", "EHOSTUNREACH"]);

async function attemptOnce(request: ChatRequest, policy: PostPolicy): Promise<Outcome> {
  const send = policy.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
  const timeout = AbortSignal.timeout(policy.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const deadline = currentDeadline();
  const signal = deadline ? AbortSignal.any([timeout, deadline]) : timeout;
  try {
    const response = await send(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: "manual", signal });
    const body = await readBounded(response, MAX_BODY_BYTES);
    return { kind: "answered", answer: { status: response.status, headers: response.headers, body } };
  } catch (error) {
    if (deadline?.aborted) return { kind: "failed", failure: { kind: "deadline" } };
    if (timeout.aborted) return { kind: "failed", failure: { kind: "timeout" } };
    return { kind: "failed", failure: NOT_CONNECTED.has(networkCode(error) ?? "") ? { kind: "not-connected" } : { kind: "lost" } };
  }
}

/** undici puts the system error in `cause` (`fetch failed` ← `connect ECONNREFUSED`). Only the code is read. */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === "object" && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** The body as text, at most `limit` bytes of it; the rest is not downloaded. */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - size;
    chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
    size += Math.min(value.byteLength, room);
    if (size >= limit) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
