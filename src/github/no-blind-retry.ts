import type { Octokit } from "@octokit/core";

/**
 * The requests that create something new each time they are sent: replayed after a lost answer
 * (the work was done, the response never arrived), they make a second issue, comment, pull
 * request or check run. `@octokit/plugin-retry` replays any failed request with a 5xx, a 429
 * or a dropped connection, so these are sent with `request.retries = 0` and the gateway that
 * sends them looks before it sends again (see create-once.ts).
 *
 * Everything else stays retryable: reads, GraphQL (the App only queries), and writes whose
 * repeat changes nothing more: reactions and labels (GitHub keeps one of each), review
 * requests, ref updates and file writes (the second is refused or finds its work done), git
 * commits (dangling and unreferenced until a ref points at them), and `POST /git/refs` (a
 * replay is refused with 422 "already exists", which claims.ts and pull-requests.ts read by
 * comparing the ref's sha with their own).
 */
export const CREATING_ROUTES: ReadonlyArray<{ method: string; route: string }> = [
  { method: "POST", route: "/repos/{owner}/{repo}/issues" },
  { method: "POST", route: "/repos/{owner}/{repo}/issues/{issue_number}/comments" },
  { method: "POST", route: "/repos/{owner}/{repo}/pulls" },
  { method: "POST", route: "/repos/{owner}/{repo}/check-runs" },
];

const PATTERNS = CREATING_ROUTES.map(({ method, route }) => ({
  method,
  // `{name}` is one path segment; the route matches the whole path, query left out.
  path: new RegExp(`^${route.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

/**
 * Whether a request creates something (see {@link CREATING_ROUTES}). `url` is the route
 * template (`/repos/{owner}/{repo}/issues`) or the expanded path or URL; either matches.
 */
export function isCreatingRequest(method: string | undefined, url: string | undefined): boolean {
  if (!method || !url) return false;
  const path = pathOf(url);
  return PATTERNS.some((pattern) => pattern.method === method.toUpperCase() && pattern.path.test(path));
}

function pathOf(url: string): string {
  const path = /^https?:\/\//.test(url) ? new URL(url).pathname : (url.split("?")[0] ?? "");
  // GitHub Enterprise Server serves the API under /api/v3.
  return path.replace(/^\/api\/v3(?=\/)/, "");
}

/**
 * Octokit plugin: creating requests are sent once. Registered after Probot's plugins, its hook
 * runs before theirs and sets the per-request `request.retries`, which `@octokit/plugin-retry`
 * reads instead of its default. Rate limits are unaffected: the throttling plugin still waits
 * out a 403/429 rate limit, when GitHub did nothing.
 */
export function noBlindRetry(octokit: Octokit): void {
  octokit.hook.before("request", (options) => {
    if (isCreatingRequest(options.method, options.url)) options.request = { ...options.request, retries: 0 };
  });
}
