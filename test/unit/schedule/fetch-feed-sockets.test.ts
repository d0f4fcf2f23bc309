import { readFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FeedFetchError, fetchFeedText, type FetchFeedOptions } from "../../../src/schedule/fetch-feed.js";
import { vetAddress } from "../../../src/schedule/public-address.js";

// Real sockets, loopback only. The feed server's certificate is for feed.example.test and
// moved.example.test (test/fixtures/feed-tls.pem); the names resolve through the resolver each
// test injects. 127.0.0.1 stands in for a public server where a test says so (`standIn`);
// 127.0.0.2 plays an internal service, reached only if a socket goes where it was not vetted.

const TLS = readFileSync(new URL("../../fixtures/feed-tls.pem", import.meta.url), "utf8");
const FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
const PUBLIC_STAND_IN = "127.0.0.1";
const INTERNAL = "127.0.0.2";

interface Listening {
  server: Server;
  port: number;
  /** TCP connections accepted, TLS or not. */
  connections: number;
  requests: Array<{ host: string | undefined; path: string | undefined }>;
}

/** An HTTPS server on `address`: `/a.ics` is the feed, `/to/<host>` redirects there, `/hang` never answers. */
async function listen(address: string, port = 0, body = FEED): Promise<Listening> {
  const server = createHttpsServer({ key: TLS, cert: TLS }, (req, res) => {
    state.requests.push({ host: req.headers.host, path: req.url });
    const redirect = /^\/to\/([^/]+)$/.exec(req.url ?? "");
    if (redirect) {
      res.writeHead(302, { location: `https://${redirect[1]}/a.ics` }).end();
    } else if (req.url === "/hang") {
      // Headers never come.
    } else if (req.url === "/drip") {
      res.writeHead(200, { "content-type": "text/calendar" });
      res.write("BEGIN:VCALENDAR\r\n");
    } else {
      res.writeHead(200, { "content-type": "text/calendar" }).end(body);
    }
  });
  const state: Listening = { server, port: 0, connections: 0, requests: [] };
  server.on("connection", () => state.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve());
  });
  state.port = (server.address() as AddressInfo).port;
  return state;
}

let feedServer: Listening;
/** The internal service on the same port, where the OS lets a test bind 127.0.0.2 (Linux does). */
let internal: Listening | null;
const open: Server[] = [];

beforeAll(async () => {
  // nock lets real connections through by host name: allow the test names too. Their sockets
  // still go only where the resolver below says (loopback), never to DNS.
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost") || /\.example\.test:\d+$/.test(host));
  feedServer = await listen(PUBLIC_STAND_IN);
  internal = await listen(INTERNAL, feedServer.port, "BEGIN:VCALENDAR\r\nX-SECRET:internal\r\nEND:VCALENDAR\r\n").catch(() => null);
  open.push(feedServer.server, ...(internal ? [internal.server] : []));
});

afterAll(async () => {
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
  await Promise.all(open.map((server) => new Promise((resolve) => server.close(resolve))));
});

afterEach(() => {
  for (const s of [feedServer, internal]) {
    if (s) {
      s.connections = 0;
      s.requests.length = 0;
    }
  }
});

/** 127.0.0.1 counts as public; every other address is judged for real. */
const standIn = (address: string) => (address === PUBLIC_STAND_IN ? { address, family: 4 as const } : vetAddress(address));

/** A scripted resolver: each name's answers in turn (the last one repeats), every call recorded. */
function scriptedDns(answers: Record<string, string[][]>) {
  const calls: string[] = [];
  const seen = new Map<string, number>();
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const script = answers[hostname];
    if (!script) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    const n = seen.get(hostname) ?? 0;
    seen.set(hostname, n + 1);
    return script[Math.min(n, script.length - 1)]!.map((address) => ({ address }));
  };
  return { calls, resolve };
}

function options(extra: FetchFeedOptions = {}): FetchFeedOptions & { warnings: Array<{ feed: string; reason: string }> } {
  const warnings: Array<{ feed: string; reason: string }> = [];
  return { ca: TLS, ports: [feedServer.port], vet: standIn, log: { warn: (o) => warnings.push(o as { feed: string; reason: string }) }, warnings, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<FeedFetchError> {
  const error = await promise.then(
    () => new Error("expected the fetch to fail"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedFetchError);
  return error as FeedFetchError;
}

const url = (host: string, path = "/a.ics") => `https://${host}:${feedServer.port}${path}`;

describe("fetchFeedText over real sockets", () => {
  it("fetches over TLS from the vetted address, checking the certificate against the name", async () => {
    const dns = scriptedDns({ "feed.example.test": [[PUBLIC_STAND_IN]] });
    await expect(fetchFeedText(url("feed.example.test"), options({ resolve: dns.resolve }))).resolves.toBe(FEED);
    expect(dns.calls).toEqual(["feed.example.test"]);
    expect(feedServer.requests).toEqual([{ host: `feed.example.test:${feedServer.port}`, path: "/a.ics" }]);
  });

  it("DNS rebinding: the name answers a public address to the check and 127.0.0.2 after; the socket goes to the checked one, with no second look-up", async () => {
    // Linux routes all of 127/8 to loopback: there the internal service really listens.
    if (process.platform === "linux") expect(internal).not.toBeNull();
    const dns = scriptedDns({ "feed.example.test": [[PUBLIC_STAND_IN], [INTERNAL]] });
    await expect(fetchFeedText(url("feed.example.test"), options({ resolve: dns.resolve }))).resolves.toBe(FEED);
    expect(dns.calls).toEqual(["feed.example.test"]);
    expect(feedServer.requests).toHaveLength(1);
    expect(internal?.connections ?? 0).toBe(0);
  });

  it("looks each hop of a redirect up once and connects each to its own vetted address", async () => {
    const dns = scriptedDns({ "feed.example.test": [[PUBLIC_STAND_IN], [INTERNAL]], "moved.example.test": [[PUBLIC_STAND_IN], [INTERNAL]] });
    const to = `moved.example.test:${feedServer.port}`;
    await expect(fetchFeedText(url("feed.example.test", `/to/${to}`), options({ resolve: dns.resolve }))).resolves.toBe(FEED);
    expect(dns.calls).toEqual(["feed.example.test", "moved.example.test"]);
    expect(feedServer.requests).toEqual([
      { host: `feed.example.test:${feedServer.port}`, path: `/to/${to}` },
      { host: to, path: "/a.ics" },
    ]);
    expect(internal?.connections ?? 0).toBe(0);
  });

  it.each([
    [INTERNAL, "loopback, where the internal service listens"],
    ["10.0.0.7", "private"],
    ["169.254.169.254", "the cloud metadata service"],
    ["172.31.0.5", "private, top of 172.16/12"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped metadata service"],
  ])("refuses a redirect whose host resolves to %s (%s), before connecting to it", async (address) => {
    const dns = scriptedDns({ "feed.example.test": [[PUBLIC_STAND_IN]], "moved.example.test": [[address]] });
    const opts = options({ resolve: dns.resolve });
    const error = await failure(fetchFeedText(url("feed.example.test", `/to/moved.example.test:${feedServer.port}`), opts));
    expect(error.message).toBe(`the feed could not be fetched from feed.example.test:${feedServer.port}`);
    expect(dns.calls).toEqual(["feed.example.test", "moved.example.test"]);
    expect(feedServer.requests).toEqual([{ host: `feed.example.test:${feedServer.port}`, path: `/to/moved.example.test:${feedServer.port}` }]);
    expect(internal?.connections ?? 0).toBe(0);
    expect(opts.warnings).toEqual([{ feed: `feed.example.test:${feedServer.port}`, reason: `moved.example.test resolves to ${address}, not a global unicast address` }]);
  });

  it("refuses a name when the look-up fails, instead of connecting by name (fail closed)", async () => {
    const dns = scriptedDns({});
    const opts = options({ resolve: dns.resolve });
    const error = await failure(fetchFeedText(url("feed.example.test"), opts));
    expect(error.message).toBe(`the feed could not be fetched from feed.example.test:${feedServer.port}`);
    expect(feedServer.connections).toBe(0);
    expect(opts.warnings[0]?.reason).toBe("look-up of feed.example.test failed (ENOTFOUND)");
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["0.0.0.0", "unspecified, which Linux connects to loopback"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex form"],
  ])("refuses a name resolving to %s (%s) without opening a socket", async (address) => {
    const dns = scriptedDns({ "feed.example.test": [[address]] });
    // The real classifier, no stand-in: each of these would reach the loopback server.
    const error = await failure(fetchFeedText(url("feed.example.test"), options({ resolve: dns.resolve, vet: vetAddress })));
    expect(error.message).toBe(`the feed could not be fetched from feed.example.test:${feedServer.port}`);
    expect(feedServer.connections).toBe(0);
  });

  it("refuses a port the operator did not allow, before any look-up or connection", async () => {
    const dns = scriptedDns({ "feed.example.test": [[PUBLIC_STAND_IN]] });
    const error = await failure(fetchFeedText(url("feed.example.test"), options({ resolve: dns.resolve, ports: [443] })));
    expect(error.message).toBe(`the feed could not be fetched from feed.example.test:${feedServer.port}: feeds are fetched from port 443 only`);
    expect(dns.calls).toEqual([]);
    expect(feedServer.connections).toBe(0);
  });

  it("says the same about a closed port, a wrong certificate, an untrusted one and a silent server; the reasons go to the log", async () => {
    const closed = await listen(PUBLIC_STAND_IN);
    await new Promise((resolve) => closed.server.close(resolve));
    const dns = scriptedDns({ "feed.example.test": [[PUBLIC_STAND_IN]], "other.example.test": [[PUBLIC_STAND_IN]] });
    const cases = [
      { name: "closed port", url: `https://feed.example.test:${closed.port}/a.ics`, extra: { ports: [closed.port] }, reason: /ECONNREFUSED/ },
      { name: "certificate for another name", url: url("other.example.test"), extra: {}, reason: /ERR_TLS_CERT_ALTNAME_INVALID/ },
      { name: "untrusted certificate", url: url("feed.example.test"), extra: { ca: undefined }, reason: /SELF_SIGNED/ },
      { name: "no answer", url: url("feed.example.test", "/hang"), extra: { timeoutMs: 300 }, reason: /no complete answer within 0.3 s/ },
      { name: "body never ends", url: url("feed.example.test", "/drip"), extra: { timeoutMs: 300 }, reason: /no complete answer within 0.3 s/ },
    ];
    const seen = [];
    for (const c of cases) {
      const opts = options({ resolve: dns.resolve, ...c.extra });
      const error = await failure(fetchFeedText(c.url, opts));
      const host = new URL(c.url).host;
      expect(error.message, c.name).toBe(`the feed could not be fetched from ${host}`);
      expect(opts.warnings, c.name).toEqual([{ feed: host, reason: expect.stringMatching(c.reason) }]);
      seen.push({ message: error.message.replace(host, "HOST"), temporary: error.temporary, keys: Object.keys(error).sort() });
    }
    // Nothing tells the cases apart: not the words, not the classification, not an extra field.
    expect(new Set(seen.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(seen[0]?.message).not.toMatch(/ECONN|certif|TLS|port|refused|timed|\d+ s\b/i);
  });
});
