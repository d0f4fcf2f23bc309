import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { FeedFetchError, feedPorts, fetchFeedText, pinnedLookup, type FetchFeedOptions } from "../../../src/schedule/fetch-feed.js";
import { vettedAddresses } from "../../../src/schedule/public-address.js";

// How fetchFeedText reads a feed server's answer: encodings, what counts as iCalendar, sizes,
// statuses, redirects and ports, at the edges of each rule. nock plays the server.

const HOST = "https://calendar.example.org";
const FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";

function dns() {
  const lookups: string[] = [];
  const options: FetchFeedOptions = { resolve: async (hostname) => (lookups.push(hostname), [{ address: "93.184.215.14" }]) };
  return { lookups, options };
}

async function failure(promise: Promise<unknown>): Promise<FeedFetchError> {
  const error = await promise.then(
    () => new Error("expected the fetch to fail"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedFetchError);
  return error as FeedFetchError;
}

describe("fetchFeedText reads", () => {
  it.each([
    ["gzip", (b: Buffer) => gzipSync(b)],
    ["x-gzip", (b: Buffer) => gzipSync(b)],
    ["deflate", (b: Buffer) => deflateSync(b)],
    ["br", (b: Buffer) => brotliCompressSync(b)],
    [" GZIP ", (b: Buffer) => gzipSync(b)],
    ["identity", (b: Buffer) => b],
  ])("a feed sent with content-encoding %j", async (coding, encode) => {
    nock(HOST).get("/a.ics").reply(200, encode(Buffer.from(FEED)), { "content-encoding": coding });
    await expect(fetchFeedText(`${HOST}/a.ics`, dns().options)).resolves.toBe(FEED);
  });

  it("refuses an encoding it does not read, naming it", async () => {
    nock(HOST).get("/a.ics").reply(200, FEED, { "content-encoding": "compress" });
    const error = await failure(fetchFeedText(`${HOST}/a.ics`, dns().options));
    expect(error.message).toBe("the feed could not be fetched from calendar.example.org: it sent the feed in an encoding the App does not read (compress)");
    expect(error.temporary).toBe(false);
  });

  it.each([
    // The UTF-8 decoder drops the byte order mark.
    ["a byte order mark and blank lines first", `\uFEFF\r\n  ${FEED}`, `\r\n  ${FEED}`],
    ["lower case", FEED.toLowerCase(), FEED.toLowerCase()],
  ])("iCalendar with %s", async (_, body, text) => {
    nock(HOST).get("/a.ics").reply(200, body);
    await expect(fetchFeedText(`${HOST}/a.ics`, dns().options)).resolves.toBe(text);
  });

  it("UTF-8 text whose characters straddle the chunks the body arrives in", async () => {
    // Gunzip hands its output on in 16 KiB chunks: the 会 starts one byte before the first ends.
    const body = `${FEED}${"X".repeat(16 * 1024 - FEED.length - 1)}会議 🗓 Réunion\r\n`;
    expect(Buffer.from(body).subarray(16 * 1024 - 1, 16 * 1024 + 2).toString()).toBe("会");
    nock(HOST).get("/a.ics").reply(200, gzipSync(body), { "content-encoding": "gzip" });
    await expect(fetchFeedText(`${HOST}/a.ics`, dns().options)).resolves.toBe(body);
  });

  it("a body of exactly the size cap, declared or not", async () => {
    const body = FEED + "X".repeat(1024 - FEED.length);
    nock(HOST).get("/declared.ics").reply(200, body, { "content-length": "1024" });
    await expect(fetchFeedText(`${HOST}/declared.ics`, { ...dns().options, maxBytes: 1024 })).resolves.toBe(body);
    nock(HOST).get("/gz.ics").reply(200, gzipSync(body), { "content-encoding": "gzip" });
    await expect(fetchFeedText(`${HOST}/gz.ics`, { ...dns().options, maxBytes: 1024 })).resolves.toBe(body);
  });

  it("says the cap in MB when it is a whole number of MB", async () => {
    nock(HOST).get("/a.ics").reply(200, "", { "content-length": String(3 * 1024 * 1024 + 1) });
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, { ...dns().options, maxBytes: 3 * 1024 * 1024 }))).message).toBe(
      "the feed could not be fetched from calendar.example.org: it is larger than 3 MB",
    );
  });

  it("a feed that is not iCalendar, sent without a content type", async () => {
    nock(HOST).get("/a.ics").reply(200, "hello");
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, dns().options))).message).toBe("the feed could not be fetched from calendar.example.org: it did not return iCalendar data");
  });
});

describe("fetchFeedText asks", () => {
  it("for a calendar, in an encoding it reads, as wg-meetings", async () => {
    const scope = nock(HOST, {
      reqheaders: {
        accept: "text/calendar, text/plain;q=0.5, */*;q=0.1",
        "accept-encoding": "gzip, deflate, br",
        "user-agent": "wg-meetings",
      },
    })
      .get("/a.ics?key=1")
      .reply(200, FEED);
    await expect(fetchFeedText(`${HOST}/a.ics?key=1`, dns().options)).resolves.toBe(FEED);
    expect(scope.isDone()).toBe(true);
  });

  it("and logs why it could not, once, with the host and never the path; a refused address reads as temporary", async () => {
    const calls: unknown[][] = [];
    const error = await failure(
      fetchFeedText(`${HOST}/private-abc/a.ics`, {
        resolve: async () => [{ address: "10.0.0.7" }],
        log: { warn: (...args: unknown[]) => calls.push(args) },
      }),
    );
    expect(error.temporary).toBe(true);
    expect(error.detail).toBe("calendar.example.org resolves to 10.0.0.7, not a global unicast address");
    expect(calls).toEqual([[{ feed: "calendar.example.org", reason: "calendar.example.org resolves to 10.0.0.7, not a global unicast address" }, "iCalendar feed could not be fetched"]]);
  });
});

describe("fetchFeedText classifies statuses", () => {
  it.each([
    [204, null],
    [304, false],
    [400, false],
    [404, false],
    [428, false],
    [429, true],
    [499, false],
    [500, true],
    [503, true],
  ])("HTTP %i (temporary: %s)", async (status, temporary) => {
    nock(HOST).get("/a.ics").reply(status, status === 204 ? undefined : "x");
    const error = await failure(fetchFeedText(`${HOST}/a.ics`, dns().options));
    if (status === 204) {
      // 2xx, but no feed in it.
      expect(error.message).toBe("the feed could not be fetched from calendar.example.org: it did not return iCalendar data");
      return;
    }
    expect(error.message).toBe(`the feed could not be fetched from calendar.example.org: it answered HTTP ${status}`);
    expect(error.temporary).toBe(temporary);
  });

  it("a redirect status without a Location is an answer, not a redirect", async () => {
    nock(HOST).get("/a.ics").reply(302, "");
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, dns().options))).message).toBe("the feed could not be fetched from calendar.example.org: it answered HTTP 302");
  });
});

describe("fetchFeedText follows redirects", () => {
  it("up to five of them, looking each hop up", async () => {
    const { lookups, options } = dns();
    const scope = nock(HOST);
    for (let i = 0; i < 5; i++) scope.get(`/${i}.ics`).reply(302, "", { location: `/${i + 1}.ics` });
    scope.get("/5.ics").reply(200, FEED);
    await expect(fetchFeedText(`${HOST}/0.ics`, options)).resolves.toBe(FEED);
    expect(scope.isDone()).toBe(true);
    expect(lookups).toHaveLength(6);
  });

  it("not a sixth, which it never requests", async () => {
    const scope = nock(HOST);
    for (let i = 0; i < 6; i++) scope.get(`/${i}.ics`).reply(302, "", { location: `/${i + 1}.ics` });
    const sixth = nock(HOST).get("/6.ics").reply(200, FEED);
    const error = await failure(fetchFeedText(`${HOST}/0.ics`, dns().options));
    expect(error.message).toBe("the feed could not be fetched from calendar.example.org: it redirected more than 5 times");
    expect(error.temporary).toBe(false);
    expect(sixth.isDone()).toBe(false);
  });

  it("refuses a Location that is no URL", async () => {
    nock(HOST).get("/a.ics").reply(302, "", { location: "https://[bad" });
    expect((await failure(fetchFeedText(`${HOST}/a.ics`, dns().options))).message).toBe(
      "the feed could not be fetched from calendar.example.org: it redirected to an address that is not a URL",
    );
  });

  it("resolves a relative Location against the hop it came from, and names the first host in errors", async () => {
    nock(HOST).get("/dir/a.ics").reply(301, "", { location: "https://feeds.example.net/x/a.ics" });
    nock("https://feeds.example.net").get("/x/a.ics").reply(302, "", { location: "../b.ics" });
    nock("https://feeds.example.net").get("/b.ics").reply(404, "");
    expect((await failure(fetchFeedText(`${HOST}/dir/a.ics`, dns().options))).message).toBe("the feed could not be fetched from calendar.example.org: it answered HTTP 404");
  });
});

describe("fetchFeedText looks the name up as written, without its trailing dot", () => {
  it("asks for calendar.example.org when the URL says calendar.example.org.", async () => {
    const { lookups, options } = dns();
    nock("https://calendar.example.org.").get("/a.ics").reply(200, FEED);
    nock(HOST).get("/a.ics").reply(200, FEED);
    await expect(fetchFeedText("https://calendar.example.org./a.ics", options)).resolves.toBe(FEED);
    expect(lookups).toEqual(["calendar.example.org"]);
  });
});

describe("feed ports", () => {
  it.each([
    ["1", [1]],
    ["65535", [65535]],
    ["443,8443", [443, 8443]],
    [" 8443 ", [8443]],
  ])("accepts %j", (value, ports) => {
    expect(feedPorts({ WG_MEETINGS_FEED_PORTS: value })).toEqual(ports);
  });

  it("refuses every feed, naming nothing but the host, when the operator's list is not one", async () => {
    const before = process.env.WG_MEETINGS_FEED_PORTS;
    process.env.WG_MEETINGS_FEED_PORTS = "443;8443";
    try {
      const warnings: object[] = [];
      const error = await failure(fetchFeedText(`${HOST}/a.ics`, { ...dns().options, log: { warn: (o) => warnings.push(o) } }));
      expect(error.message).toBe("the feed could not be fetched from calendar.example.org");
      expect(error.temporary).toBe(false);
      expect(warnings).toEqual([{ feed: "calendar.example.org", reason: 'WG_MEETINGS_FEED_PORTS: expected port numbers separated by commas, such as 443,8443 (got "443;8443")' }]);
    } finally {
      if (before === undefined) delete process.env.WG_MEETINGS_FEED_PORTS;
      else process.env.WG_MEETINGS_FEED_PORTS = before;
    }
  });

  it("reads WG_MEETINGS_FEED_PORTS when no ports are given", async () => {
    const before = process.env.WG_MEETINGS_FEED_PORTS;
    process.env.WG_MEETINGS_FEED_PORTS = "8443";
    try {
      nock("https://calendar.example.org:8443").get("/a.ics").reply(200, FEED);
      await expect(fetchFeedText("https://calendar.example.org:8443/a.ics", dns().options)).resolves.toBe(FEED);
      expect((await failure(fetchFeedText(`${HOST}/a.ics`, dns().options))).message).toBe(
        "the feed could not be fetched from calendar.example.org: feeds are fetched from port 8443 only",
      );
    } finally {
      if (before === undefined) delete process.env.WG_MEETINGS_FEED_PORTS;
      else process.env.WG_MEETINGS_FEED_PORTS = before;
    }
  });
});

describe("the addresses a socket may use", () => {
  it("are each vetted address once, however many forms the resolver gave it in", async () => {
    const resolve = async () => [{ address: "8.8.8.8" }, { address: "::ffff:808:808" }, { address: "8.8.8.8" }];
    await expect(vettedAddresses("feeds.example.org", resolve)).resolves.toEqual([{ address: "8.8.8.8", family: 4 }]);
  });

  it("are given by family as the socket asks (by number or by name), and none of a family the name lacks", async () => {
    const lookup = pinnedLookup("feeds.example.org", [
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
      { address: "93.184.215.14", family: 4 },
    ]);
    const ask = (options: { all?: boolean; family?: number | string }) =>
      new Promise((resolve) => lookup("feeds.example.org", options as never, (err, address, family) => resolve(err ? { code: err.code } : { address, family })));
    await expect(ask({})).resolves.toEqual({ address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 });
    await expect(ask({ family: "IPv4" })).resolves.toEqual({ address: "93.184.215.14", family: 4 });
    await expect(ask({ family: 4, all: true })).resolves.toEqual({ address: [{ address: "93.184.215.14", family: 4 }], family: undefined });
    await expect(ask({ family: "IPv6", all: true })).resolves.toEqual({ address: [{ address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 }], family: undefined });
    const v4only = pinnedLookup("feeds.example.org", [{ address: "93.184.215.14", family: 4 }]);
    await expect(
      new Promise((resolve) => v4only("feeds.example.org", { family: 6 } as never, (err) => resolve((err as { code?: string } | null)?.code))),
    ).resolves.toBe("ENOTFOUND");
  });
});
