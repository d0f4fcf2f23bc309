import { gzipSync } from "node:zlib";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { FeedFetchError, feedPorts, fetchFeedText, pinnedLookup, type FetchFeedOptions } from "../../../src/schedule/fetch-feed.js";
import { calendarIo } from "../../../src/schedule/calendar-io.js";
import { feedUrl } from "../../../src/schedule/feed-url.js";

const HOST = "https://calendar.example.org";
const FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
/** example.org's address: global unicast. nock answers before any socket opens, so it is never dialled. */
const PUBLIC = "93.184.215.14";

/** DNS for these tests: every name is the public address above, each look-up recorded. */
function publicDns() {
  const lookups: string[] = [];
  const options: FetchFeedOptions = {
    resolve: async (hostname) => {
      lookups.push(hostname);
      return [{ address: PUBLIC }];
    },
  };
  return { lookups, options };
}

/** The error `promise` rejects with, which must be a FeedFetchError. */
async function failure(promise: Promise<unknown>): Promise<FeedFetchError> {
  const error = await promise.then(
    () => new Error("expected the fetch to fail"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedFetchError);
  return error as FeedFetchError;
}

describe("feedUrl", () => {
  it.each([
    ["https://calendar.google.com/calendar/ical/a%40group.calendar.google.com/private-k/basic.ics", "https://calendar.google.com/calendar/ical/a%40group.calendar.google.com/private-k/basic.ics"],
    ["webcal://p123-caldav.icloud.com/published/2/abc", "https://p123-caldav.icloud.com/published/2/abc"],
    ["  https://outlook.office365.com/owa/calendar/x/y/calendar.ics ", "https://outlook.office365.com/owa/calendar/x/y/calendar.ics"],
  ])("accepts %s", (input, href) => {
    expect(feedUrl(input).href).toBe(href);
  });

  it.each([
    ["ftp://example.org/a.ics", /must use https/],
    ["https://10.0.0.1/a.ics", /public host/],
    ["https://[::1]/a.ics", /public host/],
    ["https://0x7f000001/a.ics", /public host/],
    ["https://intranet/a.ics", /public host/],
    ["https://printer.local/a.ics", /public host/],
    ["https://metadata.google.internal/computeMetadata/v1/", /public host/],
  ])("rejects %s", (input, message) => {
    expect(() => feedUrl(input)).toThrow(message);
  });
});

describe("fetchFeedText", () => {
  it("returns the feed's text, after one look-up of its host", async () => {
    const dns = publicDns();
    const scope = nock(HOST)
      .get("/team/basic.ics")
      .matchHeader("accept", /text\/calendar/)
      .reply(200, FEED, { "content-type": "text/calendar; charset=utf-8" });
    await expect(fetchFeedText(`${HOST}/team/basic.ics`, dns.options)).resolves.toBe(FEED);
    expect(scope.isDone()).toBe(true);
    expect(dns.lookups).toEqual(["calendar.example.org"]);
  });

  it("reads a gzip-compressed feed", async () => {
    nock(HOST).get("/a.ics").reply(200, gzipSync(FEED), { "content-encoding": "gzip" });
    await expect(fetchFeedText(`${HOST}/a.ics`, publicDns().options)).resolves.toBe(FEED);
  });

  it("follows a redirect to another https host, reading webcal:// as https://, and looks each host up once", async () => {
    const dns = publicDns();
    nock(HOST).get("/old.ics").reply(301, "", { location: "https://feeds.example.net/new.ics" });
    const scope = nock("https://feeds.example.net").get("/new.ics").reply(200, FEED);
    await expect(fetchFeedText("webcal://calendar.example.org/old.ics", dns.options)).resolves.toBe(FEED);
    expect(scope.isDone()).toBe(true);
    expect(dns.lookups).toEqual(["calendar.example.org", "feeds.example.net"]);
  });

  it("refuses a redirect to an internal or plain-http address before requesting it", async () => {
    nock(HOST).get("/a.ics").reply(302, "", { location: "http://169.254.169.254/latest/meta-data/" });
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, publicDns().options))).message).toBe("the feed could not be fetched from calendar.example.org: it redirected to an address the App does not fetch");
  });

  it("vets a redirect's host like the first: a name that resolves inside the network is refused before any request", async () => {
    const lookups: string[] = [];
    const resolve = async (hostname: string) => (lookups.push(hostname), [{ address: hostname === "calendar.example.org" ? PUBLIC : "10.0.0.7" }]);
    nock(HOST).get("/a.ics").reply(302, "", { location: "https://rebound.example.net/a.ics" });
    // No interceptor for rebound.example.net: a request there would fail differently (nock: no match).
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, { resolve }))).message).toBe("the feed could not be fetched from calendar.example.org");
    expect(lookups).toEqual(["calendar.example.org", "rebound.example.net"]);
  });

  it("refuses the feed when the look-up fails (fail closed): the server, which would answer, is never asked", async () => {
    const scope = nock(HOST).get("/a.ics").reply(200, FEED);
    const failing = async () => Promise.reject(Object.assign(new Error("queryA ESERVFAIL calendar.example.org"), { code: "ESERVFAIL" }));
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, { resolve: failing }))).message).toBe("the feed could not be fetched from calendar.example.org");
    expect(scope.isDone()).toBe(false);
    // The default resolver too: the test setup makes every system look-up fail.
    expect((await failure(fetchFeedText(`${HOST}/a.ics`))).message).toBe("the feed could not be fetched from calendar.example.org");
    expect(scope.isDone()).toBe(false);
  });

  it("refuses a name with an internal address among its answers, before any request", async () => {
    const scope = nock(HOST).get("/a.ics").reply(200, FEED);
    const mixed = async () => [{ address: PUBLIC }, { address: "::ffff:a9fe:a9fe" }];
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, { resolve: mixed }))).message).toBe("the feed could not be fetched from calendar.example.org");
    expect(scope.isDone()).toBe(false);
  });

  it("refuses a redirect to a port the operator did not allow", async () => {
    nock(HOST).get("/a.ics").reply(302, "", { location: "https://calendar.example.org:8443/a.ics" });
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, publicDns().options))).message).toBe("the feed could not be fetched from calendar.example.org: it redirected to port 8443; feeds are fetched from port 443 only");
  });

  it("stops after 5 redirects", async () => {
    nock(HOST).get("/loop.ics").times(6).reply(302, "", { location: "/loop.ics" });
    await expect(fetchFeedText(`${HOST}/loop.ics`, publicDns().options)).rejects.toThrow("it redirected more than 5 times");
  });

  it("names the HTTP status and the host, never the (secret) path", async () => {
    nock(HOST).get("/private-0123456789abcdef/basic.ics").reply(404, "Not Found");
    const error = await failure(fetchFeedText(`${HOST}/private-0123456789abcdef/basic.ics`, publicDns().options));
    expect(error.message).toBe("the feed could not be fetched from calendar.example.org: it answered HTTP 404");
    expect(error.temporary).toBe(false);
    expect(`${error.message} ${error.detail}`).not.toContain("private-0123456789abcdef");
  });

  it("counts a 5xx or 429 answer as temporary", async () => {
    nock(HOST).get("/a.ics").reply(503, "busy");
    await expect(fetchFeedText(`${HOST}/a.ics`, publicDns().options)).rejects.toMatchObject({
      message: "the feed could not be fetched from calendar.example.org: it answered HTTP 503",
      temporary: true,
    });
  });

  it("says when the answer is not iCalendar", async () => {
    nock(HOST).get("/a.ics").reply(200, "<!doctype html><title>Sign in</title>", { "content-type": "text/html; charset=utf-8" });
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, publicDns().options))).message).toBe("the feed could not be fetched from calendar.example.org: it did not return iCalendar data (it sent text/html)");
  });

  it("refuses a feed over the size cap: declared, streamed, or once decompressed", async () => {
    const { options } = publicDns();
    nock(HOST).get("/big.ics").reply(200, FEED + "X".repeat(2000), { "content-length": "2048" });
    expect((await failure(fetchFeedText(`${HOST}/big.ics`, { ...options, maxBytes: 1024 }))).message).toBe("the feed could not be fetched from calendar.example.org: it is larger than 1024 bytes");
    nock(HOST).get("/chunked.ics").reply(200, FEED + "X".repeat(5000));
    await expect(fetchFeedText(`${HOST}/chunked.ics`, { ...options, maxBytes: 1024 })).rejects.toThrow(/it is larger than 1024 bytes/);
    // 1 MB of one letter is about 1 KB compressed.
    const bomb = gzipSync(FEED + "X".repeat(1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(4096);
    nock(HOST).get("/bomb.ics").reply(200, bomb, { "content-encoding": "gzip" });
    await expect(fetchFeedText(`${HOST}/bomb.ics`, { ...options, maxBytes: 64 * 1024 })).rejects.toThrow(/it is larger than 65536 bytes/);
  });

  it("gives up after the timeout, saying only that the feed could not be fetched", async () => {
    const warnings: object[] = [];
    nock(HOST).get("/slow.ics").delay(60_000).reply(200, FEED);
    await expect(fetchFeedText(`${HOST}/slow.ics`, { ...publicDns().options, timeoutMs: 50, log: { warn: (o) => warnings.push(o) } })).rejects.toMatchObject({
      message: "the feed could not be fetched from calendar.example.org",
      temporary: true,
    });
    expect(warnings).toEqual([{ feed: "calendar.example.org", reason: "calendar.example.org: no complete answer within 0.05 s" }]);
  });

  it("gives up on a look-up that never answers, within the same timeout", async () => {
    const never = () => new Promise<never>(() => {});
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, { resolve: never, timeoutMs: 50 }))).message).toBe("the feed could not be fetched from calendar.example.org");
  });

  it("keeps socket errors out of the message and writes them to the log", async () => {
    const warnings: Array<{ feed: string; reason: string }> = [];
    const log = { warn: (o: object) => warnings.push(o as { feed: string; reason: string }) };
    nock("https://unreachable.example.org")
      .get("/a.ics")
      .replyWithError(Object.assign(new Error("connect ECONNREFUSED 93.184.215.14:443"), { code: "ECONNREFUSED" }));
    const error = await failure(fetchFeedText("https://unreachable.example.org/a.ics", { ...publicDns().options, log }));
    expect(error.message).toBe("the feed could not be fetched from unreachable.example.org");
    expect(error.temporary).toBe(true);
    // alarms/causes.ts reads `code` and `cause.code`: neither may carry the socket's word.
    expect(error).not.toHaveProperty("code");
    expect(error.cause).toBeUndefined();
    expect(warnings).toEqual([{ feed: "unreachable.example.org", reason: expect.stringContaining("ECONNREFUSED") }]);
  });
});

describe("feedPorts (WG_MEETINGS_FEED_PORTS)", () => {
  it("is 443 alone unless the operator lists ports", () => {
    expect(feedPorts({})).toEqual([443]);
    expect(feedPorts({ WG_MEETINGS_FEED_PORTS: " " })).toEqual([443]);
    expect(feedPorts({ WG_MEETINGS_FEED_PORTS: "443, 8443" })).toEqual([443, 8443]);
  });

  it.each(["443,", "https", "0", "65536", "443;8443"])("refuses %j", (value) => {
    expect(() => feedPorts({ WG_MEETINGS_FEED_PORTS: value })).toThrow("WG_MEETINGS_FEED_PORTS: expected port numbers separated by commas");
  });

  it("fetches from port 8443 only when it is listed", async () => {
    const url = "https://calendar.example.org:8443/a.ics";
    expect((await failure(fetchFeedText(url, publicDns().options))).message).toBe("the feed could not be fetched from calendar.example.org:8443: feeds are fetched from port 443 only");
    const scope = nock("https://calendar.example.org:8443").get("/a.ics").reply(200, FEED);
    await expect(fetchFeedText(url, { ...publicDns().options, ports: [443, 8443] })).resolves.toBe(FEED);
    expect(scope.isDone()).toBe(true);
  });
});

describe("calendarIo's feeds", () => {
  it("write why a feed failed to the given log, and only the public sentence into the error", async () => {
    const warnings: object[] = [];
    const io = calendarIo({ log: { warn: (o) => warnings.push(o) } });
    // The test setup's system resolver fails every look-up: the fetch is refused before any request.
    const scope = nock(HOST).get("/a.ics").reply(200, FEED);
    await expect(io.fetchText(`${HOST}/a.ics`)).rejects.toMatchObject({ name: "FeedFetchError", message: "the feed could not be fetched from calendar.example.org" });
    expect(scope.isDone()).toBe(false);
    expect(warnings).toEqual([{ feed: "calendar.example.org", reason: "look-up of calendar.example.org failed (ENOTFOUND)" }]);
  });
});

describe("pinnedLookup: the socket's only source of addresses", () => {
  const lookup = pinnedLookup("feeds.example.org", [
    { address: "93.184.215.14", family: 4 },
    { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
  ]);
  const ask = (name: string, options: { all?: boolean; family?: number }) =>
    new Promise((resolve) => lookup(name, options, (err, address, family) => resolve(err ? { code: err.code } : { address, family })));

  it("answers the vetted addresses, all of them or one of the family asked for", async () => {
    await expect(ask("feeds.example.org", { all: true })).resolves.toEqual({
      address: [
        { address: "93.184.215.14", family: 4 },
        { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
      ],
      family: undefined,
    });
    await expect(ask("feeds.example.org", {})).resolves.toEqual({ address: "93.184.215.14", family: 4 });
    await expect(ask("feeds.example.org", { family: 6 })).resolves.toEqual({ address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 });
  });

  it("has nothing for another name", async () => {
    await expect(ask("metadata.google.internal", { all: true })).resolves.toEqual({ code: "ENOTFOUND" });
  });
});
