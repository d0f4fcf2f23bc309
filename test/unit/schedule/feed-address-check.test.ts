import nock from "nock";
import { describe, expect, it } from "vitest";
import { calendarIo } from "../../../src/schedule/calendar-io.js";
import { answerSystemDns } from "../../helpers/system-dns.js";

// The App's own feed fetching, as the tick gets it (calendarIo without an injected fetcher or
// resolver): the host name of every hop is looked up through the system resolver, which the
// test setup answers from answerSystemDns instead of DNS, and every address must be global
// unicast before any request is made. nock plays the feed servers: a request it answers is a
// request the App really made.

const FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
const PUBLIC = "93.184.215.14";

function io() {
  const warnings: Array<{ feed: string; reason: string }> = [];
  return { io: calendarIo({ log: { warn: (o) => warnings.push(o as { feed: string; reason: string }) } }), warnings };
}

const INTERNAL = [
  ["10.0.0.7", "private 10/8"],
  ["172.16.0.1", "private 172.16/12, bottom"],
  ["172.31.255.254", "private 172.16/12, top"],
  ["192.168.0.10", "private 192.168/16"],
  ["127.0.0.1", "loopback"],
  ["169.254.169.254", "link-local: the cloud metadata service"],
  ["100.64.0.1", "carrier-grade NAT 100.64/10"],
  ["100.127.255.254", "carrier-grade NAT, top"],
  ["0.0.0.0", "unspecified"],
  ["::", "IPv6 unspecified"],
  ["::1", "IPv6 loopback"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
  ["::ffff:10.0.0.7", "IPv4-mapped private"],
  ["fc00::1", "unique local fc00::/7, fc half"],
  ["fd12:3456::1", "unique local fc00::/7, fd half"],
  ["fe80::1", "IPv6 link-local"],
  ["64:ff9b::a9fe:a9fe", "NAT64 of the metadata address"],
] as const;

describe("feeds fetched by the App check what the name resolves to", () => {
  it("fetches a feed whose name resolves to a public address", async () => {
    answerSystemDns("calendar.example.org", [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]);
    const scope = nock("https://calendar.example.org").get("/team.ics").reply(200, FEED);
    await expect(io().io.fetchText("https://calendar.example.org/team.ics")).resolves.toBe(FEED);
    expect(scope.isDone()).toBe(true);
  });

  it.each(INTERNAL)("refuses a name resolving to %s (%s) without requesting it", async (address) => {
    answerSystemDns("calendar.example.org", [address]);
    const scope = nock("https://calendar.example.org").get("/team.ics").reply(200, FEED);
    const { io: feeds, warnings } = io();
    await expect(feeds.fetchText("https://calendar.example.org/team.ics")).rejects.toMatchObject({
      name: "FeedFetchError",
      message: "the feed could not be fetched from calendar.example.org",
    });
    expect(scope.isDone()).toBe(false);
    expect(warnings).toEqual([{ feed: "calendar.example.org", reason: `calendar.example.org resolves to ${address}, not a global unicast address` }]);
  });

  it("refuses a name with one internal address among public ones", async () => {
    answerSystemDns("calendar.example.org", [PUBLIC, "10.0.0.7"]);
    const scope = nock("https://calendar.example.org").get("/team.ics").reply(200, FEED);
    await expect(io().io.fetchText("https://calendar.example.org/team.ics")).rejects.toThrow("the feed could not be fetched from calendar.example.org");
    expect(scope.isDone()).toBe(false);
  });

  it.each(["10.0.0.7", "127.0.0.1", "169.254.169.254", "172.31.0.5", "fd00::5"])(
    "checks a redirect's host too: refuses one resolving to %s before requesting it",
    async (address) => {
      answerSystemDns("calendar.example.org", [PUBLIC]);
      answerSystemDns("moved.example.net", [address]);
      const first = nock("https://calendar.example.org").get("/team.ics").reply(302, "", { location: "https://moved.example.net/team.ics" });
      const second = nock("https://moved.example.net").get("/team.ics").reply(200, FEED);
      const { io: feeds, warnings } = io();
      await expect(feeds.fetchText("https://calendar.example.org/team.ics")).rejects.toThrow(/^the feed could not be fetched from calendar\.example\.org$/);
      expect(first.isDone()).toBe(true);
      expect(second.isDone()).toBe(false);
      expect(warnings).toEqual([{ feed: "calendar.example.org", reason: `moved.example.net resolves to ${address}, not a global unicast address` }]);
    },
  );

  it("follows a redirect to a host that resolves to a public address", async () => {
    answerSystemDns("calendar.example.org", [PUBLIC]);
    answerSystemDns("moved.example.net", ["2606:4700:4700::1111"]);
    nock("https://calendar.example.org").get("/team.ics").reply(302, "", { location: "https://moved.example.net/team.ics" });
    const second = nock("https://moved.example.net").get("/team.ics").reply(200, FEED);
    await expect(io().io.fetchText("https://calendar.example.org/team.ics")).resolves.toBe(FEED);
    expect(second.isDone()).toBe(true);
  });

  it("refuses a name the resolver cannot answer (fail closed): the server, which would answer, is never asked", async () => {
    // Letting a failed look-up through would hand the name to the socket's own look-up, which
    // may then answer an internal address: the check would be skipped exactly when DNS misbehaves.
    const scope = nock("https://calendar.example.org").get("/team.ics").reply(200, FEED);
    const { io: feeds, warnings } = io();
    await expect(feeds.fetchText("https://calendar.example.org/team.ics")).rejects.toThrow("the feed could not be fetched from calendar.example.org");
    expect(scope.isDone()).toBe(false);
    expect(warnings).toEqual([{ feed: "calendar.example.org", reason: "look-up of calendar.example.org failed (ENOTFOUND)" }]);
  });
});
