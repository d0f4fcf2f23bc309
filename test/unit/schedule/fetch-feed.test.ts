import nock from "nock";
import { describe, expect, it } from "vitest";
import { fetchFeedText } from "../../../src/schedule/fetch-feed.js";
import { feedUrl } from "../../../src/schedule/feed-url.js";

const HOST = "https://calendar.example.org";
const FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";

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
  it("returns the feed's text", async () => {
    const scope = nock(HOST).get("/team/basic.ics").reply(200, FEED, { "content-type": "text/calendar; charset=utf-8" });
    await expect(fetchFeedText(`${HOST}/team/basic.ics`)).resolves.toBe(FEED);
    expect(scope.isDone()).toBe(true);
  });

  it("follows a redirect to another https host, reading webcal:// as https://", async () => {
    nock(HOST).get("/old.ics").reply(301, "", { location: "https://feeds.example.net/new.ics" });
    nock("https://feeds.example.net").get("/new.ics").reply(200, FEED);
    await expect(fetchFeedText("webcal://calendar.example.org/old.ics")).resolves.toBe(FEED);
  });

  it("refuses a redirect to an internal or plain-http address before requesting it", async () => {
    nock(HOST).get("/a.ics").reply(302, "", { location: "http://169.254.169.254/latest/meta-data/" });
    await expect(fetchFeedText(`${HOST}/a.ics`)).rejects.toThrow(/must use https:\/\/ \(got http:\/\/\)/);
  });

  it("names the HTTP status and the host, never the (secret) path", async () => {
    nock(HOST).get("/private-0123456789abcdef/basic.ics").reply(404, "Not Found");
    await expect(fetchFeedText(`${HOST}/private-0123456789abcdef/basic.ics`)).rejects.toThrow(new Error("iCalendar feed at calendar.example.org answered HTTP 404 Not Found"));
  });

  it("says when the answer is not iCalendar", async () => {
    nock(HOST).get("/a.ics").reply(200, "<!doctype html><title>Sign in</title>", { "content-type": "text/html; charset=utf-8" });
    await expect(fetchFeedText(`${HOST}/a.ics`)).rejects.toThrow("iCalendar feed at calendar.example.org did not return iCalendar data (it sent text/html)");
  });

  it("refuses a feed over the size cap, declared or streamed", async () => {
    nock(HOST).get("/big.ics").reply(200, FEED + "X".repeat(2000), { "content-length": "2048" });
    await expect(fetchFeedText(`${HOST}/big.ics`, { maxBytes: 1024 })).rejects.toThrow("iCalendar feed at calendar.example.org is larger than 1024 bytes");
    nock(HOST).get("/chunked.ics").reply(200, FEED + "X".repeat(5000));
    await expect(fetchFeedText(`${HOST}/chunked.ics`, { maxBytes: 1024 })).rejects.toThrow(/is larger than/);
  });

  it("gives up after the timeout", async () => {
    nock(HOST).get("/slow.ics").delay(500).reply(200, FEED);
    await expect(fetchFeedText(`${HOST}/slow.ics`, { timeoutMs: 50 })).rejects.toThrow("iCalendar feed at calendar.example.org did not answer within 0.05 s");
  });

  it("reports an unreachable host", async () => {
    nock("https://unreachable.example.org").get("/a.ics").replyWithError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" });
    await expect(fetchFeedText("https://unreachable.example.org/a.ics")).rejects.toThrow(/iCalendar feed at unreachable.example.org could not be reached/);
  });
});
