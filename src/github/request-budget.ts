import type { Octokit } from "@octokit/core";
import type BottleneckType from "bottleneck";
import BottleneckLight from "bottleneck/light.js";
import { currentDeadline } from "./request-deadline.js";

/**
 * GitHub's documented secondary rate limits ("About secondary rate limits", docs.github.com,
 * REST API > Rate limits). Concurrency is the throttling plugin's: at most 10 requests at once
 * per installation (its `global` group), well under GitHub's 100.
 */
export const SECONDARY_RATE_LIMITS = {
  concurrentRequests: 100,
  /** Points per minute: a GET, HEAD or OPTIONS costs 1, a POST, PATCH, PUT or DELETE 5. */
  restPointsPerMinute: 900,
  /** Points per minute: a query costs 1, a mutation 5. */
  graphqlPointsPerMinute: 2000,
  contentCreatingPerMinute: 80,
  contentCreatingPerHour: 500,
} as const;

/** How long writes are spaced: at most 60 a minute, under the 80 content-creating requests GitHub allows. */
export const WRITE_SPACING_MS = 1000;
/** How long searches are spaced, as the throttling plugin spaces REST searches (30 a minute). */
export const SEARCH_SPACING_MS = 2000;

/** What a request is to the limiters. */
export interface RequestCost {
  /** `auth`: a token exchange, limited by the throttling plugin's own group only. */
  kind: "read" | "search" | "write" | "auth";
  api: "rest" | "graphql";
  /** Secondary-limit points. */
  points: number;
}

/**
 * Classifies one request as the secondary limits count it. A GraphQL request is a write only
 * when its document holds a mutation (a document that cannot be read, or has no query text,
 * counts as a write: the safe side); one with a `search` field is a search.
 */
export function requestCost(method: string | undefined, url: string | undefined, query?: unknown): RequestCost {
  const verb = (method ?? "GET").toUpperCase();
  const path = pathOf(url ?? "/");
  if (/(^|\/api)\/graphql$/.test(path)) {
    const text = typeof query === "string" ? graphqlTokens(query) : null;
    if (text === null || /(^|[^\w$])mutation\b/.test(text)) return { kind: "write", api: "graphql", points: 5 };
    return { kind: /(^|[^\w$.])search\s*\(/.test(text) ? "search" : "read", api: "graphql", points: 1 };
  }
  if (isAuthRequest(verb, path)) return { kind: "auth", api: "rest", points: 0 };
  if (verb === "GET" || verb === "HEAD" || verb === "OPTIONS") return { kind: path.startsWith("/search/") ? "search" : "read", api: "rest", points: 1 };
  return { kind: "write", api: "rest", points: 5 };
}

/** A GraphQL document without comments and string literals, whose words cannot mislead. */
function graphqlTokens(document: string): string {
  return document.replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g, " ");
}

function pathOf(url: string): string {
  const path = new URL(url, "http://github.test").pathname;
  // GitHub Enterprise Server serves the REST API under /api/v3.
  return path.replace(/^\/api\/v3(?=\/)/, "");
}

/** The token exchanges the throttling plugin leaves to its `auth` group (its isAuthRequest). */
function isAuthRequest(method: string, path: string): boolean {
  return (
    (method === "PATCH" && /^\/applications\/[^/]+\/token\/scoped$/.test(path)) ||
    (method === "POST" && (/^\/applications\/[^/]+\/token$/.test(path) || /^\/app\/installations\/[^/]+\/access_tokens$/.test(path) || path === "/login/oauth/access_token"))
  );
}

/**
 * A token bucket that lets at most `limit` through in any window of `windowMs`, however the
 * window falls: it holds 30% of the limit and gains 5% every twelfth of the window, so a window
 * sees at most the full bucket and 13 refills, 95% of the limit. Sustained, it passes 60%.
 */
export function budget(limit: number, windowMs: number): BottleneckType.ConstructorOptions & { reservoir: number; reservoirIncreaseAmount: number; reservoirIncreaseInterval: number } {
  const step = Math.max(1, Math.floor(limit * 0.05));
  const bucket = Math.max(step, Math.floor(limit * 0.3));
  return { reservoir: bucket, reservoirIncreaseMaximum: bucket, reservoirIncreaseAmount: step, reservoirIncreaseInterval: windowMs / 12 };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The App's limiters, each keyed by the client's throttling id (Probot: the installation id). */
export interface BudgetGroups {
  /** Every write (REST POST/PATCH/PUT/DELETE, GraphQL mutation): spaced, and 500 an hour at most. */
  write: BottleneckType.Group;
  /** Searches, REST and GraphQL: spaced like the throttling plugin's search group. */
  search: BottleneckType.Group;
  restPoints: BottleneckType.Group;
  graphqlPoints: BottleneckType.Group;
}

interface ThrottleOptions {
  enabled?: boolean;
  id?: string;
  Bottleneck?: typeof BottleneckType;
  connection?: BottleneckType.RedisConnection | BottleneckType.IORedisConnection;
  timeout?: number;
  write?: BottleneckType.Group;
  search?: BottleneckType.Group;
}

const Light = BottleneckLight as unknown as typeof BottleneckType;

/**
 * The `write` group the throttling plugin is given: no limit. The plugin sends every GraphQL
 * request through its write group (it cannot tell a query from a mutation), which spaced the
 * read-only config discovery a second apart; the App's own plugin below spaces the real writes.
 */
export const UNLIMITED_WRITE_GROUP: BottleneckType.Group = new Light.Group({ id: "wg-meetings-plugin-write" });

function createGroups(Bottleneck: typeof BottleneckType, common: { connection?: ThrottleOptions["connection"]; timeout: number }): BudgetGroups {
  // Each installation's limiter checks its refill on a timer; a second (ten for the hourly
  // budget) instead of Bottleneck's 250 ms keeps a thousand installations' timers cheap. A
  // late refill only passes less.
  return {
    write: new Bottleneck.Group({
      id: "wg-meetings-write",
      maxConcurrent: 1,
      minTime: WRITE_SPACING_MS,
      ...budget(SECONDARY_RATE_LIMITS.contentCreatingPerHour, HOUR),
      heartbeatInterval: 10_000,
      ...common,
      // Kept an hour after its last write: a limiter dropped sooner would come back with a full bucket.
      timeout: HOUR,
    }),
    search: new Bottleneck.Group({ id: "wg-meetings-search", maxConcurrent: 1, minTime: SEARCH_SPACING_MS, ...common }),
    restPoints: new Bottleneck.Group({ id: "wg-meetings-rest-points", ...budget(SECONDARY_RATE_LIMITS.restPointsPerMinute, MINUTE), heartbeatInterval: 1000, ...common }),
    graphqlPoints: new Bottleneck.Group({ id: "wg-meetings-graphql-points", ...budget(SECONDARY_RATE_LIMITS.graphqlPointsPerMinute, MINUTE), heartbeatInterval: 1000, ...common }),
  };
}

let localGroups: BudgetGroups | undefined;
const clusteredGroups = new WeakMap<object, BudgetGroups>();

/**
 * The App's limiters for these throttle options: one set per process, or, when Probot throttles
 * through Redis (REDIS_URL: `connection` and the full `Bottleneck`), one set shared by every
 * replica through that connection, as the throttling plugin's own groups are.
 */
export function budgetGroups(throttle: ThrottleOptions = {}): BudgetGroups {
  const timeout = throttle.timeout ?? 2 * MINUTE;
  if (throttle.connection && throttle.Bottleneck) {
    let groups = clusteredGroups.get(throttle.connection);
    if (!groups) clusteredGroups.set(throttle.connection, (groups = createGroups(throttle.Bottleneck, { connection: throttle.connection, timeout })));
    return groups;
  }
  return (localGroups ??= createGroups(Light, { timeout }));
}

/**
 * The throttle options with the App's groups in place: the throttling plugin gets the unlimited
 * write group and the App's search group (so REST and GraphQL searches share one spacing). A
 * group the caller set already is kept: a caller that brings its own `write` group (a test that
 * shortens the waits) paces writes with it, and the App's budgets stay out of its way.
 */
export function withBudgetGroups<T extends ThrottleOptions | undefined>(throttle: T): T | ThrottleOptions {
  if (throttle?.enabled === false) return throttle;
  return { ...throttle, write: throttle?.write ?? UNLIMITED_WRITE_GROUP, search: throttle?.search ?? budgetGroups(throttle).search };
}

const noop = () => Promise.resolve();

/**
 * Octokit plugin: every request waits for its share of the secondary limits before it goes
 * (then the throttling plugin's concurrency and notification spacing apply as before). Reads
 * and GraphQL queries spend points only; searches are spaced; writes and mutations are spaced
 * and counted against the hourly content budget. A request whose deadline passed while it
 * waited fails at once instead of going out late.
 *
 * Registered after Probot's plugins, its hook runs first, once per request: a retry of the
 * same request by the retry plugin is not charged again.
 */
export function requestBudget(octokit: Octokit, octokitOptions: object): void {
  const throttle = (octokitOptions as { throttle?: ThrottleOptions }).throttle;
  if (!throttle || throttle.enabled === false) return;
  const id = throttle.id ?? "no-id";
  const own = throttle.write === undefined || throttle.write === UNLIMITED_WRITE_GROUP ? budgetGroups(throttle) : undefined;
  const write = own?.write ?? throttle.write!;
  const search = throttle.search ?? budgetGroups(throttle).search;

  octokit.hook.before("request", async (options) => {
    const cost = requestCost(options.method, options.url, (options as { query?: unknown }).query);
    if (cost.kind === "auth") return;
    const deadline = currentDeadline();
    if (own) await (cost.api === "rest" ? own.restPoints : own.graphqlPoints).key(id).schedule({ weight: cost.points }, noop);
    if (cost.kind === "write") await write.key(id).schedule(noop);
    // REST searches are spaced by the throttling plugin, with this same group.
    if (cost.kind === "search" && cost.api === "graphql") await search.key(id).schedule(noop);
    if (deadline?.aborted) throw deadline.reason;
  });
}
