import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Every request to GitHub ends: each attempt has its own timeout, and a unit of work (one
 * installation's part of a tick) can carry a deadline that ends all of its requests at once.
 *
 * Both live in the `fetch` Octokit sends through, the one place every attempt passes, the
 * installation token exchange included (Probot gives that its own plain request function, see
 * octokit-class.ts). The deadline travels with the async work that started it
 * (AsyncLocalStorage), so the use cases and gateways need no signal parameter.
 */

const deadlines = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `work` with a deadline: once `signal` aborts, every GitHub request `work` still makes
 * or waits for fails at once (with the signal's reason, an AbortError, which no retry repeats).
 */
export function withDeadline<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const outer = deadlines.getStore();
  return deadlines.run(outer ? AbortSignal.any([outer, signal]) : signal, work);
}

/** The deadline of the work running now, if it has one. */
export function currentDeadline(): AbortSignal | undefined {
  return deadlines.getStore();
}

type Fetch = typeof globalThis.fetch;
/** Each attempt's timeout, by the signal it was combined into (see timedFetch). */
const timeouts = new WeakMap<AbortSignal, AbortSignal>();
const TIMED: unique symbol = Symbol("wg-meetings timed fetch");

/**
 * `fetch` with a timeout per attempt and the current deadline. A timeout rejects with a
 * `TimeoutError` (Octokit reports it as a 500 whose `cause` says so, see isTimeout); an
 * attempt replayed by the retry plugin gets a fresh timeout. Wrapping twice is a no-op.
 *
 * @param base the fetch to send through; default the global one, looked up on each call (so
 *   a test's interceptor installed later still sees the request).
 */
export function timedFetch(timeoutMs: number, base?: Fetch): Fetch {
  if (base && timingOf(base)) return base;
  const send: Fetch = base ?? ((input, init) => globalThis.fetch(input, init));
  const fetch: Fetch = (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signals = [timeout];
    if (init?.signal) signals.push(init.signal);
    const deadline = currentDeadline();
    if (deadline) signals.push(deadline);
    const signal = AbortSignal.any(signals);
    // Node (20 at least) holds the signals it combines only weakly, and a timeout's timer holds
    // its signal weakly too: once collected, the timeout never fires. The combined signal is
    // kept while the transport listens to it; it keeps the timeout.
    timeouts.set(signal, timeout);
    return send(input, { ...init, signal });
  };
  const timing: Timing = { timeoutMs, sendsThroughGlobalFetch: base === undefined };
  return Object.assign(fetch, { [TIMED]: timing });
}

interface Timing {
  timeoutMs: number;
  sendsThroughGlobalFetch: boolean;
}

function timingOf(fetch: Fetch): Timing | undefined {
  return (fetch as Partial<Record<typeof TIMED, Timing>>)[TIMED];
}

/**
 * The fetch for a request that should go through `transport` instead of the global fetch, with
 * the same timeout and deadline as `current`, the client's fetch. A client built on a fetch of
 * its own (a test's stand-in) keeps it: only the global fetch is replaced.
 */
export function sendingThrough(current: Fetch | undefined, transport: Fetch): Fetch {
  if (current === undefined) return transport;
  const timing = timingOf(current);
  if (!timing?.sendsThroughGlobalFetch) return current;
  return timedFetch(timing.timeoutMs, transport);
}
