import type { Log } from "../github/client.js";

// Its own module, apart from add-to-calendar.ts: the server reads it at start-up, and the
// calendar links' date arithmetic (the time-zone library) is loaded only when a link is made.

/** The environment variable naming the App's public base URL, e.g. `https://meetings.example.org`. */
export const PUBLIC_URL_ENV = "WG_MEETINGS_PUBLIC_URL";

/**
 * The App's public base URL from `WG_MEETINGS_PUBLIC_URL`, or `null` when it is unset (then there
 * is no feed link anywhere). An invalid value is logged and treated as unset: https only (http
 * for localhost while developing), no credentials, query or fragment; a path prefix is kept
 * (`https://example.org/wg-meetings` when a proxy mounts the App there).
 */
export function publicBaseUrl(env: Record<string, string | undefined>, log?: Pick<Log, "warn">): URL | null {
  const text = env[PUBLIC_URL_ENV]?.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    log?.warn({ env: PUBLIC_URL_ENV }, `${PUBLIC_URL_ENV} is not a URL: no calendar feed links`);
    return null;
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  const okProtocol = url.protocol === "https:" || (url.protocol === "http:" && local);
  if (!okProtocol || url.username || url.password || url.search || url.hash) {
    log?.warn({ env: PUBLIC_URL_ENV }, `${PUBLIC_URL_ENV} must be an https:// URL without query or credentials: no calendar feed links`);
    return null;
  }
  return url;
}
