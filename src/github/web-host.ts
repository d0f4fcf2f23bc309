import type { RepoRef } from "./client.js";

/**
 * The web address of github.com, the default web host: what every link the App writes starts
 * with unless it runs against GitHub Enterprise Server.
 */
export const GITHUB_COM_WEB_URL = "https://github.com";

/**
 * The web address of the GitHub the App works with, read once from its environment, e.g.
 * `https://github.com` or `https://ghe.example.org`: an origin, with no trailing slash. Links
 * the App writes (alarm issues, calendar events, the merged-minutes link) start with it.
 *
 * The same variables that point Probot's API client elsewhere decide it, so the links and the
 * API always name the same instance:
 * 1. `GHE_HOST` (host, optional `:port`) with `GHE_PROTOCOL` (`https` unless it says `http`):
 *    Probot then calls `<protocol>://<GHE_HOST>/api/v3`;
 * 2. else `GITHUB_SERVER_URL`, which GitHub Actions sets on every runner (`wg-meetings action`
 *    calls the API at the runner's `GITHUB_API_URL`);
 * 3. else `https://github.com`.
 *
 * @throws Error naming the variable when its value cannot be a web address (the App should not
 *   start and write links to nowhere).
 * @example gitHubWebUrl({ GHE_HOST: "ghe.example.org" }) // "https://ghe.example.org"
 */
export function gitHubWebUrl(env: Readonly<Record<string, string | undefined>>): string {
  const host = env.GHE_HOST?.trim();
  if (host) return `${protocolOf(env.GHE_PROTOCOL)}://${checkedHost(host)}`;
  const server = env.GITHUB_SERVER_URL?.trim();
  if (server) return checkedServerUrl(server);
  return GITHUB_COM_WEB_URL;
}

/**
 * A repository's web address under a web host: `https://ghe.example.org/owner/name`. Prefer the
 * `html_url` GitHub returned for the repository when one is at hand.
 */
export function repoWebUrl(webUrl: string, repo: RepoRef): string {
  return `${webUrl.replace(/\/+$/, "")}/${repo.owner}/${repo.repo}`;
}

/** True for github.com itself, where github.com-only pages (its status page) apply. */
export function isGitHubCom(webUrl: string): boolean {
  return webUrl.replace(/\/+$/, "").toLowerCase() === GITHUB_COM_WEB_URL;
}

function protocolOf(value: string | undefined): "http" | "https" {
  const protocol = value?.trim().toLowerCase() || "https";
  if (protocol === "https" || protocol === "http") return protocol;
  throw new Error(`GHE_PROTOCOL: expected "https" or "http", got ${JSON.stringify(value)}`);
}

/** `GHE_HOST` as Probot uses it: a host name with an optional port, nothing else. */
function checkedHost(host: string): string {
  const hint = "expected the GitHub Enterprise Server's host name, such as ghe.example.org or ghe.example.org:8443 (no https://, no path)";
  if (host.includes("@")) throw new Error(`GHE_HOST: ${hint}; it must not hold credentials`);
  if (/[\s/?#\\]/.test(host)) throw new Error(`GHE_HOST: ${hint}, got ${JSON.stringify(host)}`);
  let url: URL;
  try {
    url = new URL(`https://${host}`);
  } catch {
    throw new Error(`GHE_HOST: ${hint}, got ${JSON.stringify(host)}`);
  }
  if (!url.hostname) throw new Error(`GHE_HOST: ${hint}, got ${JSON.stringify(host)}`);
  return url.host;
}

/** `GITHUB_SERVER_URL`: an http(s) origin such as `https://github.com`. */
function checkedServerUrl(text: string): string {
  const hint = "expected the GitHub server's web address, such as https://github.com or https://ghe.example.org";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`GITHUB_SERVER_URL: ${hint}, got a value that is not a URL`);
  }
  if (url.username || url.password) throw new Error(`GITHUB_SERVER_URL: ${hint}; it must not hold credentials`);
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.pathname !== "/" || url.search || url.hash) {
    throw new Error(`GITHUB_SERVER_URL: ${hint} (http or https, no path, query or fragment), got ${JSON.stringify(text)}`);
  }
  return url.origin;
}
