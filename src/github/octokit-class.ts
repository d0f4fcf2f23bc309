import { ProbotOctokit } from "probot";
import { noBlindRetry } from "./no-blind-retry.js";
import { requestBudget, withBudgetGroups } from "./request-budget.js";
import { timedFetch } from "./request-deadline.js";

/** How long one attempt of a GitHub request may take unless WG_MEETINGS_GITHUB_TIMEOUT says otherwise. */
export const DEFAULT_GITHUB_TIMEOUT_MS = 20_000;

export interface RequestPolicy {
  /** Timeout of one attempt, token exchange included (default {@link DEFAULT_GITHUB_TIMEOUT_MS}). */
  timeoutMs?: number | undefined;
}

type OctokitClass = typeof ProbotOctokit;

/** A request function as Probot hands one to the App's auth strategy (`@octokit/request`). */
interface AuthRequest {
  (...args: never[]): unknown;
  defaults(options: { request: { fetch: typeof globalThis.fetch } }): AuthRequest;
  endpoint: { DEFAULTS: { request?: { fetch?: typeof globalThis.fetch } } };
}

/**
 * The Octokit class the App sends every GitHub request with: Probot's (retry, throttling,
 * pagination, …) plus the App's request policy, wherever a client is built (the server, the
 * CLI's tick, Actions mode, tests that want production behaviour):
 *
 * - creating requests are never replayed blindly (no-blind-retry.ts);
 * - every attempt has a timeout and obeys the current deadline (request-deadline.ts), also the
 *   installation token exchange, which Probot sends with its own request function;
 * - GitHub's secondary limits are kept by what a request is, not by its HTTP method
 *   (request-budget.ts): the throttling plugin spaces every GraphQL request like a write, so the
 *   App gives it an unlimited write group and spaces only writes and mutations itself; read-only
 *   queries and GETs spend per-minute points and go at once while the budget lasts.
 *
 * Probot builds each installation's client from the App client's class and options, so the
 * policy reaches every client Probot makes.
 *
 * @example
 * await run(wgMeetings, { log, Octokit: withRequestPolicy(ProbotOctokit, { timeoutMs: 20_000 }) });
 */
export function withRequestPolicy(Base: OctokitClass = ProbotOctokit, policy: RequestPolicy = {}): OctokitClass {
  const timeoutMs = policy.timeoutMs ?? DEFAULT_GITHUB_TIMEOUT_MS;
  const WithPlugin = Base.plugin(noBlindRetry, requestBudget) as unknown as OctokitClass;
  return WithPlugin.defaults(
    (options: Record<string, unknown> & { request?: { fetch?: typeof globalThis.fetch }; auth?: unknown; throttle?: Parameters<typeof withBudgetGroups>[0] }) => {
      const request = { ...options.request, fetch: timedFetch(timeoutMs, options.request?.fetch) };
      return { ...options, request, auth: timedAuth(options.auth, timeoutMs), throttle: withBudgetGroups(options.throttle) };
    },
  ) as OctokitClass;
}

/** The auth options with their request function (the token exchange) timed as well. */
function timedAuth(auth: unknown, timeoutMs: number): unknown {
  if (typeof auth !== "object" || auth === null) return auth;
  const request = (auth as { request?: unknown }).request as AuthRequest | undefined;
  if (typeof request !== "function" || typeof request.defaults !== "function") return auth;
  const fetch = timedFetch(timeoutMs, request.endpoint?.DEFAULTS?.request?.fetch);
  return { ...auth, request: request.defaults({ request: { fetch } }) };
}
