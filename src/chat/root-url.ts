/**
 * Test and demo hook: `WG_MEETINGS_CHAT_ROOT_URL` (a loopback origin such as
 * `http://127.0.0.1:4020`) sends every chat request to a local stand-in instead of the
 * service, path and query kept, so the destinations in WG_MEETINGS_CHAT keep their production
 * shape. Unset in production.
 */
export const CHAT_ROOT_URL_ENV = "WG_MEETINGS_CHAT_ROOT_URL";

/**
 * The override's origin, or null when the variable is unset or empty.
 *
 * @throws Error naming the variable when it is not a loopback http(s) origin: the requests
 *   carry webhook secrets and tokens, so they go to this machine or to the real service only.
 */
export function chatRootFromEnv(env: NodeJS.ProcessEnv): string | null {
  const value = env[CHAT_ROOT_URL_ENV]?.trim();
  if (!value) return null;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  const loopback = url !== null && (url.protocol === "http:" || url.protocol === "https:") && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) && (url.pathname === "/" || url.pathname === "");
  if (!loopback || url === null) throw new Error(`${CHAT_ROOT_URL_ENV}: expected a loopback origin such as http://127.0.0.1:4020 (a test and demo hook)`);
  return url.origin;
}

/** `url` with its origin replaced by `root` (path and query kept, percent-encoding untouched). */
export function withRoot(url: string, root: string | null): string {
  if (root === null) return url;
  const parsed = new URL(url);
  return `${root}${parsed.pathname}${parsed.search}`;
}
