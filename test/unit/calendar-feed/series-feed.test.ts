import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import { describe, expect, it, vi } from "vitest";
import { FEED_WINDOW, feedIo, feedOccurrences } from "../../../src/calendar-feed/feed-window.js";
import { type FeedIssue, eventUid, seriesFeed } from "../../../src/calendar-feed/series-feed.js";
import { type SeriesConfig, seriesSchema } from "../../../src/config/schema.js";
import { renderTitle } from "../../../src/render/templates.js";
import type { OccurrenceSourceIo } from "../../../src/schedule/occurrence-source.js";
import { scheduleFromConfig } from "../../../src/schedule/occurrences.js";

const REPO = { owner: "nodejs", repo: "security-wg" };
const noIo: OccurrenceSourceIo = {
  fetchText: () => Promise.reject(new Error("no I/O expected")),
  calendar: () => Promise.reject(new Error("no I/O expected")),
};

function series(overrides: Record<string, unknown> = {}): SeriesConfig {
  return seriesSchema.parse({
    id: "security-wg",
    name: "Security team",
    host: "Node.js",
    schedule: { rrule: "FREQ=WEEKLY;BYDAY=TH", start: "2024-01-04T10:00", zone: "America/New_York" },
    agenda: { label: "security-wg-agenda", orgs: ["nodejs"] },
    ...overrides,
  });
}

async function feedAt(now: string, config = series(), issues?: FeedIssue[], repoUrl?: string) {
  const at = new Date(now);
  const occurrences = await feedOccurrences(scheduleFromConfig(config.schedule), noIo, at);
  return { text: seriesFeed({ repo: REPO, repoUrl, series: config, occurrences, issues, now: at }), occurrences };
}

/** The feed as ical.js reads it. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      utc: event.startDate.zone?.tzid,
      url: String(vevent.getFirstPropertyValue("url")),
      dtstamp: String(vevent.getFirstPropertyValue("dtstamp")),
    };
  });
  return { calendar, events };
}

describe("seriesFeed", () => {
  it("lists 90 days back and a year ahead, parsed back by ical.js exactly as generated", async () => {
    const config = series();
    const { text, occurrences } = await feedAt("2024-06-01T12:00:00Z", config);
    const { calendar, events } = parse(text);

    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Node.js Security team meetings");
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("America/New_York");

    // 2024-03-07 … 2024-05-30 (13 Thursdays within 90 days) then 52 weeks ahead.
    expect(events[0]!.start).toBe("2024-03-07T15:00:00.000Z");
    expect(events.filter((e) => e.start < "2024-06-01").length).toBe(13);
    expect(events.at(-1)!.start).toBe("2025-05-29T14:00:00.000Z");
    expect(events).toHaveLength(occurrences.length);
    events.forEach((event, index) => {
      const occurrence = occurrences[index]!;
      expect(event.start).toBe(occurrence.start.toISOString());
      expect(new Date(event.end).getTime() - new Date(event.start).getTime()).toBe(3_600_000);
      expect(event.summary).toBe(renderTitle({ series: config, occurrence }));
      expect(event.utc).toBe("UTC");
      expect(event.uid).toBe(eventUid(REPO, "security-wg", occurrence));
    });
    expect(events[0]!.summary).toBe("Node.js Security team Meeting 2024-03-07");
  });

  it("follows New York daylight saving: 10:00 is 14:00Z in summer, 15:00Z in winter", async () => {
    const { events } = parse((await feedAt("2024-06-01T12:00:00Z")).text);
    const byDate = new Map(events.map((e) => [e.summary.slice(-10), e.start]));
    expect(byDate.get("2024-03-07")).toBe("2024-03-07T15:00:00.000Z"); // EST
    expect(byDate.get("2024-03-14")).toBe("2024-03-14T14:00:00.000Z"); // EDT from 03-10
    expect(byDate.get("2024-07-11")).toBe("2024-07-11T14:00:00.000Z");
    expect(byDate.get("2024-10-31")).toBe("2024-10-31T14:00:00.000Z");
    expect(byDate.get("2024-11-07")).toBe("2024-11-07T15:00:00.000Z"); // EST from 11-03
    expect(byDate.get("2025-01-09")).toBe("2025-01-09T15:00:00.000Z");
  });

  it("is CRLF throughout, folded at 75 octets, and escapes TEXT", async () => {
    const config = series({ name: "Security, tooling; and \\ more", host: "Node.js — très long nom d'hôte pour plier la ligne 🎉" });
    const { text } = await feedAt("2024-06-01T12:00:00Z", config);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.split("\r\n").every((line) => !line.includes("\n") && !line.includes("\r"))).toBe(true);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).toContain("\r\n "); // something was folded
    const unfolded = text.replace(/\r\n /g, "");
    expect(unfolded).toContain("SUMMARY:Node.js — très long nom d'hôte pour plier la ligne 🎉 Security\\, tooling\\; and \\\\ more Meeting 2024-03-07\r\n");
    const { events } = parse(text);
    expect(events[0]!.summary).toBe("Node.js — très long nom d'hôte pour plier la ligne 🎉 Security, tooling; and \\ more Meeting 2024-03-07");
  });

  it("keeps UIDs and the whole text stable across runs on the same day, and UIDs across days", async () => {
    const first = await feedAt("2024-06-01T12:00:00Z");
    const again = await feedAt("2024-06-01T18:30:00Z");
    expect(again.text).toBe(first.text);
    const nextWeek = parse((await feedAt("2024-06-08T12:00:00Z")).text).events;
    const uids = new Map(parse(first.text).events.map((e) => [e.start, e.uid]));
    for (const event of nextWeek) if (uids.has(event.start)) expect(event.uid).toBe(uids.get(event.start));
    expect(parse(first.text).events[0]!.uid).toBe("security-wg-20240307T150000Z.nodejs.security-wg@wg-meetings");
    expect(parse(first.text).events[0]!.dtstamp).toBe("2024-06-01T00:00:00Z");
    expect(new Set(nextWeek.map((e) => e.uid)).size).toBe(nextWeek.length);
  });

  it("links a meeting's issue when there is one, else a search for its title", async () => {
    const issues = [
      { series: "security-wg", at: "2024-05-30T14:00:00.000Z", url: "https://github.com/nodejs/security-wg/issues/42" },
      { series: "other", at: "2024-06-06T14:00:00.000Z", url: "https://github.com/nodejs/security-wg/issues/43" },
    ];
    const { events } = parse((await feedAt("2024-06-01T12:00:00Z", series(), issues)).text);
    const linked = events.find((e) => e.start === "2024-05-30T14:00:00.000Z")!;
    expect(linked.url).toBe("https://github.com/nodejs/security-wg/issues/42");
    expect(linked.description).toBe("Agenda and how to join: https://github.com/nodejs/security-wg/issues/42");
    const other = events.find((e) => e.start === "2024-06-06T14:00:00.000Z")!;
    expect(other.url).toBe(
      "https://github.com/nodejs/security-wg/issues?q=is%3Aissue%20in%3Atitle%20%22Node.js%20Security%20team%20Meeting%202024-06-06%22",
    );
  });

  it("links the repository on the host GitHub named for it (GitHub Enterprise Server), else on github.com", async () => {
    const ghe = parse((await feedAt("2024-06-01T12:00:00Z", series(), [], "https://ghe.example.test/nodejs/security-wg")).text);
    // ical.js leaves X- properties escaped: compare the part after the comma.
    expect(ghe.calendar.getFirstPropertyValue("x-wr-caldesc")).toMatch(/ from https:\/\/ghe\.example\.test\/nodejs\/security-wg \(wg-meetings\)$/);
    const event = ghe.events.find((e) => e.start === "2024-06-06T14:00:00.000Z")!;
    expect(event.url).toBe(
      "https://ghe.example.test/nodejs/security-wg/issues?q=is%3Aissue%20in%3Atitle%20%22Node.js%20Security%20team%20Meeting%202024-06-06%22",
    );
    expect(event.description).toBe(`Agenda and how to join: ${event.url}`);
    expect(ghe.events.every((e) => e.url.startsWith("https://ghe.example.test/nodejs/security-wg/issues?q="))).toBe(true);

    const dotcom = parse((await feedAt("2024-06-01T12:00:00Z")).text);
    expect(dotcom.calendar.getFirstPropertyValue("x-wr-caldesc")).toMatch(/ from https:\/\/github\.com\/nodejs\/security-wg \(wg-meetings\)$/);
    expect(dotcom.events.every((e) => e.url.startsWith("https://github.com/nodejs/security-wg/issues?q="))).toBe(true);
  });

  it("shows a /move at the new time under the same UID, and a /cancel as cancelled", async () => {
    const plain = parse((await feedAt("2024-06-01T12:00:00Z")).text).events;
    const uidOf = (start: string) => plain.find((e) => e.start === start)!.uid;
    const issues: FeedIssue[] = [
      // 06-13 10:00 New York moved to Friday 06-14 11:00 (15:00Z).
      { series: "security-wg", at: "2024-06-14T15:00:00.000Z", movedFrom: "2024-06-13T14:00:00.000Z", url: "https://github.com/nodejs/security-wg/issues/50" },
      { series: "security-wg", at: "2024-06-20T14:00:00.000Z", cancelled: true, url: "https://github.com/nodejs/security-wg/issues/51" },
    ];
    const { text } = await feedAt("2024-06-01T12:00:00Z", series(), issues);
    const { calendar, events } = parse(text);
    expect(events).toHaveLength(plain.length);
    const moved = events.find((e) => e.uid === uidOf("2024-06-13T14:00:00.000Z"))!;
    expect(moved.start).toBe("2024-06-14T15:00:00.000Z");
    expect(moved.summary).toBe("Node.js Security team Meeting 2024-06-14");
    expect(events.some((e) => e.start === "2024-06-13T14:00:00.000Z")).toBe(false);
    const vevents = calendar.getAllSubcomponents("vevent");
    const cancelled = vevents.find((v) => v.getFirstPropertyValue("uid") === uidOf("2024-06-20T14:00:00.000Z"))!;
    expect(cancelled.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(cancelled.getFirstPropertyValue("summary")).toBe("[Cancelled] Node.js Security team Meeting 2024-06-20");
    expect(cancelled.getFirstPropertyValue("sequence")).toBe(1);
    // Still in start order.
    expect(events.map((e) => e.start)).toEqual([...events.map((e) => e.start)].sort());
  });

  it("uses the configured duration, and UTC as the calendar zone for an offset-only interval", async () => {
    const config = series({ schedule: "2024-01-01T09:00:00+02:00/P1W", duration: "PT45M" });
    const { text } = await feedAt("2024-06-01T12:00:00Z", config);
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("UTC");
    expect(events[0]!.start).toBe("2024-03-04T07:00:00.000Z");
    expect(events[0]!.end).toBe("2024-03-04T07:45:00.000Z");
  });
});

describe("feedOccurrences", () => {
  it("bounds a daily series to 30 past and 100 upcoming meetings", async () => {
    const schedule = scheduleFromConfig({ rrule: "FREQ=DAILY", start: "2020-01-01T08:00", zone: "Europe/Berlin" });
    const list = await feedOccurrences(schedule, noIo, new Date("2024-06-01T12:00:00Z"));
    expect(list).toHaveLength(FEED_WINDOW.maxPast + FEED_WINDOW.maxUpcoming);
    expect(list[0]!.date).toBe("2024-05-03");
    expect(list[29]!.date).toBe("2024-06-01");
    expect(list[30]!.date).toBe("2024-06-02");
  });

  it("ends with the series and starts with it", async () => {
    const schedule = scheduleFromConfig({ rrule: "FREQ=WEEKLY;COUNT=3", start: "2024-05-20T08:00", zone: "UTC" });
    const list = await feedOccurrences(schedule, noIo, new Date("2024-05-28T00:00:00Z"));
    expect(list.map((o) => o.date)).toEqual(["2024-05-20", "2024-05-27", "2024-06-03"]);
  });

  it("reads a calendar-backed series once for the whole window", async () => {
    const text = readFileSync(new URL("../../fixtures/calendar/security-wg.google-export.ics", import.meta.url), "utf8");
    const io = { fetchText: vi.fn(async () => text), calendar: vi.fn() };
    const schedule = scheduleFromConfig({ ical: { url: "https://calendar.example.org/wg.ics", summary: "Security-WG meeting" }, skip: [] });
    const list = await feedOccurrences(schedule, io, new Date("2024-04-01T00:00:00Z"));
    expect(io.fetchText).toHaveBeenCalledTimes(1);
    expect(list.map((o) => o.start.toISOString())).toContain("2024-04-05T15:00:00.000Z"); // the moved instance
    expect(list.map((o) => o.start.toISOString())).not.toContain("2024-03-21T14:00:00.000Z"); // cancelled
    const feed = parse(seriesFeed({ repo: REPO, series: series(), occurrences: list, now: new Date("2024-04-01T00:00:00Z") }));
    // Calendar meetings are named by their event instance: moving one keeps its UID.
    expect(feed.events.every((e) => /^security-wg-e[0-9a-f]{16}\.nodejs\.security-wg@wg-meetings$/.test(e.uid))).toBe(true);
    expect(new Set(feed.events.map((e) => e.uid)).size).toBe(feed.events.length);
  });
});

describe("feedOccurrences: repeating intervals", () => {
  it("walks a daily interval quickly and within the bounds", async () => {
    const schedule = scheduleFromConfig({ interval: "2020-01-01T00:00:00[UTC]/P1D", skip: [] });
    const list = await feedOccurrences(schedule, noIo, new Date("2024-06-01T12:30:00Z"));
    expect(list).toHaveLength(130);
    expect(list[29]!.start.toISOString()).toBe("2024-06-01T00:00:00.000Z");
    expect(list[30]!.start.toISOString()).toBe("2024-06-02T00:00:00.000Z");
  });
});

describe("feedIo", () => {
  it("says how to set up Google when a googleCalendar series is asked for without credentials", async () => {
    await expect(feedIo().calendar()).rejects.toThrow(/GOOGLE_APPLICATION_CREDENTIALS/);
    await expect(feedIo({ calendar: async () => null }).calendar()).rejects.toThrow(/need Google credentials/);
  });
});
