import type { IncomingMessage, RequestOptions } from "node:http";
import { request } from "node:https";
import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { feedUrl } from "./feed-url.js";
import { AddressRefusedError, systemResolve, vetAddress, vettedAddresses, type Resolve, type VettedAddress } from "./public-address.js";

/** The operator's list of ports feeds may use, such as `443,8443`; unset means 443 only. */
export const FEED_PORTS_ENV = "WG_MEETINGS_FEED_PORTS";

/** Limits of one feed download, and its injection points. */
export interface FetchFeedOptions {
  /** Whole download (look-ups, connections, headers and body of every hop); default 15 s. */
  timeoutMs?: number;
  /** Largest body accepted, before and after decompression; default 5 MB (a busy shared calendar over years is ~1 MB). */
  maxBytes?: number;
  /** Ports a feed may be fetched from; default {@link feedPorts} of `process.env`. */
  ports?: readonly number[];
  /** Injection point: the DNS look-up, called once per hop. Default: the system resolver. */
  resolve?: Resolve;
  /**
   * Injection point: which addresses a socket may go to. Default: {@link vetAddress}, global
   * unicast only. Tests let one loopback address stand in for a public server.
   */
  vet?: (address: string) => VettedAddress | null;
  /** Injection point: the certificates to trust instead of Node's bundled roots (tests: a self-signed one). */
  ca?: string;
  /** Where the reason of a failure is written; it never reaches the error's message. */
  log?: { warn(obj: object, msg: string): void };
}

const MAX_REDIRECTS = 5;

/**
 * A feed that could not be fetched. `message` is what a config author reads in an alarm or a
 * check run: "the feed could not be fetched from <host>", followed by a reason only when the
 * reason is the server's own answer (an HTTP status, not iCalendar, too large, a redirect the
 * App does not follow) or the App's rule for the URL as written (its port). Nothing about DNS,
 * sockets or TLS: refused, timed out, reset, a bad certificate and "resolves to an internal
 * address" all read the same, or a config could map the App's network through them.
 */
export class FeedFetchError extends Error {
  override name = "FeedFetchError";
  /** The reason, for the operator's log only. Names hosts and addresses, never the URL's path. */
  readonly detail: string;
  /**
   * Worth trying again on a later tick with no change to the config: the server answered
   * 5xx or 429, or no answer came (which includes a refused address, so that it reads like any
   * other network failure).
   */
  readonly temporary: boolean;

  constructor(host: string, reason: string | null, detail: string, temporary: boolean) {
    super(`the feed could not be fetched from ${host}${reason ? `: ${reason}` : ""}`);
    this.detail = detail;
    this.temporary = temporary;
  }
}

/**
 * Downloads an iCalendar feed: `io.fetchText` of an `ical` schedule in production. The one I/O
 * helper outside a gateway, kept this small on purpose.
 *
 * Each hop, redirects included, passes `feedUrl` (https, no internal-looking name) and the port
 * list, then the host name is looked up once and every address it has must be global unicast
 * ({@link vettedAddresses}; a failed look-up refuses). The socket is handed those addresses
 * through its `lookup` and never asks DNS again, so a name that answers differently the second
 * time (DNS rebinding) cannot move it; TLS still verifies the certificate against the name.
 * Errors name the first host only, never the path: a calendar's secret address carries its key
 * there.
 */
export async function fetchFeedText(url: string, options: FetchFeedOptions = {}): Promise<string> {
  const { timeoutMs = 15_000, maxBytes = 5 * 1024 * 1024, resolve = systemResolve, vet = vetAddress } = options;
  let target = feedUrl(url);
  const host = target.host;
  const signal = AbortSignal.timeout(timeoutMs);
  let hopHost = host;
  try {
    const ports = options.ports ?? feedPortsOrRefuse(host);
    for (let hop = 0; ; hop++) {
      hopHost = target.host;
      const port = target.port === "" ? 443 : Number(target.port);
      if (!ports.includes(port)) {
        const allowed = `port ${ports.join(", ")} only`;
        throw new FeedFetchError(
          host,
          hop === 0 ? `feeds are fetched from ${allowed}` : `it redirected to port ${port}; feeds are fetched from ${allowed}`,
          `${hopHost}: port ${port} is not in ${FEED_PORTS_ENV} (${ports.join(",")})`,
          false,
        );
      }
      const hostname = target.hostname.replace(/\.+$/, "");
      const addresses = await untilAborted(vettedAddresses(hostname, resolve, vet), signal);
      const response = await get(target, hostname, port, addresses, options.ca, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.destroy();
        if (hop >= MAX_REDIRECTS) {
          throw new FeedFetchError(host, `it redirected more than ${MAX_REDIRECTS} times`, `${hopHost}: redirect number ${hop + 1}`, false);
        }
        target = redirectTarget(location, target, host);
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw new FeedFetchError(host, `it answered HTTP ${status}`, `${hopHost} answered HTTP ${status}`, status >= 500 || status === 429);
      }
      const text = await readCapped(response, maxBytes, host);
      if (!/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(text)) {
        const type = /^[\w.+-]+\/[\w.+-]+/.exec(response.headers["content-type"] ?? "")?.[0];
        throw new FeedFetchError(host, `it did not return iCalendar data${type ? ` (it sent ${type})` : ""}`, `${hopHost}: not iCalendar`, false);
      }
      return text;
    }
  } catch (error) {
    const failure = asFeedFailure(error, host, hopHost, signal.aborted ? timeoutMs : null);
    options.log?.warn({ feed: host, reason: failure.detail }, "iCalendar feed could not be fetched");
    throw failure;
  }
}

/**
 * The ports feeds may use: `WG_MEETINGS_FEED_PORTS` (`443,8443`), else 443 only. Throws on a
 * value that is not a list of ports: the operator meant something, and guessing is no answer.
 */
export function feedPorts(env: NodeJS.ProcessEnv): number[] {
  const value = env[FEED_PORTS_ENV]?.trim();
  if (!value) return [443];
  const ports = value.split(",").map((part) => part.trim());
  if (ports.some((port) => !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535)) {
    throw new Error(`${FEED_PORTS_ENV}: expected port numbers separated by commas, such as 443,8443 (got "${value}")`);
  }
  return ports.map(Number);
}

function feedPortsOrRefuse(host: string): number[] {
  try {
    return feedPorts(process.env);
  } catch (error) {
    throw new FeedFetchError(host, null, (error as Error).message, false);
  }
}

type Lookup = NonNullable<RequestOptions["lookup"]>;

/**
 * A socket `lookup` that answers from the vetted addresses and never asks DNS, so the socket can
 * only go where the check looked. Any other name (there is none: no proxy, no second host) gets
 * no address.
 */
export function pinnedLookup(hostname: string, addresses: readonly VettedAddress[]): Lookup {
  return (name, options, callback) => {
    const wanted = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    const usable = name === hostname ? addresses.filter((a) => wanted === 0 || a.family === wanted) : [];
    const first = usable[0];
    if (first === undefined) {
      callback(Object.assign(new Error(`no vetted address for ${name}`), { code: "ENOTFOUND" }), "", 0);
    } else if (options.all) {
      callback(null, usable.map(({ address, family }) => ({ address, family })));
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** One GET over TLS to the vetted addresses; resolves with the response head. */
function get(target: URL, hostname: string, port: number, addresses: readonly VettedAddress[], ca: string | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        // TLS checks the certificate against the name, not the address it was reached at.
        servername: hostname,
        port,
        path: `${target.pathname}${target.search}`,
        method: "GET",
        headers: {
          accept: "text/calendar, text/plain;q=0.5, */*;q=0.1",
          "accept-encoding": "gzip, deflate, br",
          "user-agent": "wg-meetings",
        },
        lookup: pinnedLookup(hostname, addresses),
        // A socket of its own: none kept alive from another hop or another feed.
        agent: false,
        signal,
        ...(ca !== undefined ? { ca } : {}),
      },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
}

/** `promise`, or the abort's reason once `signal` fires (a resolver that never answers). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

function redirectTarget(location: string, from: URL, host: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new FeedFetchError(host, "it redirected to an address that is not a URL", `${from.host}: unparsable Location`, false);
  }
  try {
    return feedUrl(next.href);
  } catch (error) {
    throw new FeedFetchError(host, "it redirected to an address the App does not fetch", `${from.host} redirected to ${next.protocol}//${next.host}: ${(error as Error).message}`, false);
  }
}

/** The body as UTF-8, decompressed, refusing more than `maxBytes` without buffering it all first. */
async function readCapped(response: IncomingMessage, maxBytes: number, host: string): Promise<string> {
  const limit = maxBytes % (1024 * 1024) === 0 ? `${maxBytes / 1024 / 1024} MB` : `${maxBytes} bytes`;
  const tooBig = (what: string) => new FeedFetchError(host, `it is larger than ${limit}`, `${what} over ${maxBytes} bytes`, false);
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooBig("declared length");
  }
  const coding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  const decompress =
    coding === "gzip" || coding === "x-gzip" ? createGunzip() : coding === "deflate" ? createInflate() : coding === "br" ? createBrotliDecompress() : null;
  if (decompress === null && coding !== "identity") {
    response.destroy();
    throw new FeedFetchError(host, `it sent the feed in an encoding the App does not read (${coding.slice(0, 40)})`, `content-encoding ${coding}`, false);
  }
  let received = 0;
  response.on("data", (chunk: Buffer) => {
    received += chunk.byteLength;
    if (received > maxBytes) response.destroy(tooBig("body"));
  });
  const body: Readable = decompress === null ? response : pipeline(response, decompress, () => {});
  const decoder = new TextDecoder("utf-8");
  let size = 0;
  let text = "";
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      response.destroy();
      throw tooBig("decompressed body");
    }
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** Any failure as a {@link FeedFetchError}, its socket-level reason moved out of the message. */
function asFeedFailure(error: unknown, host: string, hopHost: string, timedOutAfterMs: number | null): FeedFetchError {
  if (error instanceof FeedFetchError) return error;
  if (timedOutAfterMs !== null) return new FeedFetchError(host, null, `${hopHost}: no complete answer within ${timedOutAfterMs / 1000} s`, true);
  if (error instanceof AddressRefusedError) return new FeedFetchError(host, null, error.message, true);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new FeedFetchError(host, null, `${hopHost}: ${typeof code === "string" ? `${code} ` : ""}${message}`, true);
}
