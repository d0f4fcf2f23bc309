import { assertPublicHost } from "./public-address.js";
import { feedUrl } from "./feed-url.js";

/** Limits of one feed download. */
export interface FetchFeedOptions {
  /** Whole download, redirects included; default 15 s. */
  timeoutMs?: number;
  /** Largest body accepted; default 5 MB (a busy shared calendar over years is ~1 MB). */
  maxBytes?: number;
}

const MAX_REDIRECTS = 5;

/** An error already worded for the user, passed through as is. */
class FeedError extends Error {}

/**
 * Downloads an iCalendar feed: `io.fetchText` of an `ical` schedule in production. The one I/O
 * helper outside a gateway, kept this small on purpose.
 *
 * Every address, redirects included, must pass `feedUrl` (https, public host), so a redirect
 * cannot lead the App to an internal service. Errors name the host only, never the path: a
 * calendar's secret address carries its key there.
 */
export async function fetchFeedText(url: string, options: FetchFeedOptions = {}): Promise<string> {
  const { timeoutMs = 15_000, maxBytes = 5 * 1024 * 1024 } = options;
  const signal = AbortSignal.timeout(timeoutMs);
  let target = feedUrl(url);
  const where = () => `iCalendar feed at ${target.host}`;
  try {
    for (let hop = 0; ; hop++) {
      try {
        await assertPublicHost(target.hostname.replace(/\.+$/, ""));
      } catch (error) {
        throw new FeedError((error as Error).message);
      }
      const response = await fetch(target, {
        signal,
        redirect: "manual",
        headers: { accept: "text/calendar, text/plain;q=0.5, */*;q=0.1", "user-agent": "wg-meetings" },
      });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new FeedError(`${where()} redirected more than ${MAX_REDIRECTS} times`);
        target = redirectTarget(location, target, where());
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new FeedError(`${where()} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
      }
      const text = await readCapped(response, maxBytes, where);
      if (!/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(text)) {
        const type = response.headers.get("content-type")?.split(";")[0]?.trim();
        throw new FeedError(`${where()} did not return iCalendar data${type ? ` (it sent ${type})` : ""}`);
      }
      return text;
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    if ((error as Error).name === "TimeoutError") throw new Error(`${where()} did not answer within ${timeoutMs / 1000} s`);
    // fetch's own "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND) in its cause.
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new Error(`${where()} could not be reached (${typeof cause === "string" ? cause : (error as Error).message})`);
  }
}

function redirectTarget(location: string, from: URL, where: string): URL {
  try {
    return feedUrl(new URL(location, from).href);
  } catch (error) {
    throw new FeedError(`${where} redirected to an address the App may not fetch: ${(error as Error).message}`);
  }
}

/** The body as UTF-8, refusing more than `maxBytes` without buffering it all first. */
async function readCapped(response: Response, maxBytes: number, where: () => string): Promise<string> {
  const limit = maxBytes % (1024 * 1024) === 0 ? `${maxBytes / 1024 / 1024} MB` : `${maxBytes} bytes`;
  const tooBig = () => new FeedError(`${where()} is larger than ${limit}`);
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (response.body === null) return "";
  const decoder = new TextDecoder("utf-8");
  const reader = response.body.getReader();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooBig();
    }
    text += decoder.decode(value, { stream: true });
  }
}
