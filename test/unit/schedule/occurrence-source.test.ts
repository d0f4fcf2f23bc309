import { readFileSync } from "node:fs";
import { auth, calendar as calendarClient } from "@googleapis/calendar";
import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { explainDue, explainDueFrom } from "../../../src/schedule/due.js";
import { parseDuration } from "../../../src/schedule/duration.js";
import { LOOKAHEAD_DAYS, LOOKBACK_DAYS, occurrenceSource, type OccurrenceSourceIo } from "../../../src/schedule/occurrence-source.js";
import { isRecurrenceSchedule, scheduleFromConfig, seriesZone } from "../../../src/schedule/occurrences.js";
import type { Occurrence } from "../../../src/schedule/types.js";

const text = (name: string) => readFileSync(new URL(`../../fixtures/calendar/${name}`, import.meta.url), "utf8");
const DAY = 86_400_000;
const P3D = parseDuration("P3D");

/** I/O that fails the test if a rule-based source touches it. */
const noIo: OccurrenceSourceIo = {
  fetchText: () => Promise.reject(new Error("no fetch expected")),
  calendar: () => Promise.reject(new Error("no calendar expected")),
};

const brief = (o: Occurrence | null) => o && `${o.date} ${o.start.toISOString()} ${o.zone}`;

describe("occurrenceSource: rule-based schedules wrap the pure functions", () => {
  const schedule = scheduleFromConfig({ rrule: "FREQ=WEEKLY;BYDAY=TH", start: "2024-01-04T10:00", zone: "America/New_York", skip: ["2024-03-21"] });
  const source = occurrenceSource(schedule, noIo);

  it("next is strictly after, previous at or before, onDate by the series' date", async () => {
    const start = new Date("2024-03-14T14:00:00Z");
    expect(brief(await source.next(start))).toBe("2024-03-28 2024-03-28T14:00:00.000Z America/New_York"); // 03-21 skipped
    expect(brief(await source.next(new Date(start.getTime() - 1)))).toBe("2024-03-14 2024-03-14T14:00:00.000Z America/New_York");
    expect(brief(await source.previous(start))).toBe("2024-03-14 2024-03-14T14:00:00.000Z America/New_York");
    expect(brief(await source.onDate("2024-03-07"))).toBe("2024-03-07 2024-03-07T15:00:00.000Z America/New_York");
    expect(await source.onDate("2024-03-21")).toBeNull();
    await expect(source.onDate("2024-02-30")).rejects.toThrow(/not a real date/);
  });

  it("explainDueFrom gives exactly what explainDue gives", async () => {
    for (const now of ["2024-03-11T13:59:00Z", "2024-03-11T14:00:00Z", "2024-03-14T14:00:00Z", "2024-03-18T14:00:00Z", "2023-12-01T00:00:00Z"]) {
      const at = new Date(now);
      expect(await explainDueFrom(source, P3D, at), now).toEqual(explainDue({ schedule, createBefore: P3D, now: at }));
    }
  });
});

describe("occurrenceSource: iCalendar feed", () => {
  const schedule = scheduleFromConfig({ ical: { url: "https://calendar.google.com/calendar/ical/x/private-y/basic.ics", summary: "Security-WG meeting" }, skip: [] });

  it("downloads and parses the feed once per source, whatever is asked", async () => {
    const fetchText = vi.fn(async () => text("security-wg.google-export.ics"));
    const source = occurrenceSource(schedule, { ...noIo, fetchText });
    const now = new Date("2024-04-01T12:00:00Z");
    const due = await explainDueFrom(source, P3D, now);
    expect(brief(due.next)).toBe("2024-04-05 2024-04-05T15:00:00.000Z America/New_York"); // the moved instance
    expect(due.opensAt).toEqual(new Date("2024-04-02T15:00:00Z"));
    expect(due.due).toBe(false);
    expect(brief(due.previous)).toBe("2024-03-07 2024-03-07T15:00:00.000Z America/New_York"); // 03-21 was cancelled
    expect(due.next?.eventId).toBe("5q1v0h3s7k2m9c4b8n6d1f0g2a@google.com@2024-04-04T14:00:00.000Z");
    expect(brief(await source.onDate("2024-11-14"))).toBe("2024-11-14 2024-11-14T15:00:00.000Z America/New_York");
    expect(await source.onDate("2024-05-02")).toBeNull(); // EXDATE
    expect(fetchText).toHaveBeenCalledTimes(1);
    expect(fetchText).toHaveBeenCalledWith("https://calendar.google.com/calendar/ical/x/private-y/basic.ics");
  });

  it("due once the lead time of the moved meeting has started (on the series' wall clock)", async () => {
    const source = occurrenceSource(schedule, { ...noIo, fetchText: async () => text("security-wg.google-export.ics") });
    expect((await explainDueFrom(source, P3D, new Date("2024-04-02T15:00:00Z"))).due).toBe(true);
  });

  it("a configured zone and skip dates apply to feed occurrences too", async () => {
    const berlin = scheduleFromConfig({ ical: { url: "https://outlook.office365.com/owa/calendar/a/b/calendar.ics", summary: "build wg sync" }, zone: "Europe/Berlin", skip: ["2024-03-12"] });
    const source = occurrenceSource(berlin, { ...noIo, fetchText: async () => text("build-wg.outlook.ics") });
    expect(brief(await source.next(new Date("2024-03-06T00:00:00Z")))).toBe("2024-03-19 2024-03-19T16:00:00.000Z Europe/Berlin");
  });

  it("a feed over its budget fails the series with a public-safe error naming the feed's host, not its secret path", async () => {
    const runaway = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      ...Array.from({ length: 5 }, (_, i) => ["BEGIN:VEVENT", `UID:d${i}@x`, "SUMMARY:Security-WG meeting", "DTSTART:19000101T100000Z", "RRULE:FREQ=DAILY;COUNT=99999", "END:VEVENT"]).flat(),
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const fetchText = vi.fn(async () => runaway);
    const source = occurrenceSource(schedule, { ...noIo, fetchText, limits: { maxInstances: 500, clock: () => 0 } });
    const error = await source.next(new Date("2024-04-01T12:00:00Z")).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ name: "FeedBudgetError", limit: "instances" });
    expect(error?.message).toMatch(/^the iCalendar feed from calendar\.google\.com has too many occurrences: its events start more than 500 times in all/);
    expect(error?.message).not.toContain("private-y");
    // A later question to the same source is refused at once, without downloading again.
    await expect(source.onDate("2024-04-05")).rejects.toThrow(/too many occurrences/);
    expect(fetchText).toHaveBeenCalledTimes(1);
  });

  it("rejects with the fetch's or the parser's error", async () => {
    await expect(occurrenceSource(schedule, { ...noIo, fetchText: async () => "<html></html>" }).next(new Date())).rejects.toThrow(/HTML page/);
    await expect(occurrenceSource(schedule, noIo).next(new Date())).rejects.toThrow("no fetch expected");
  });
});

describe("occurrenceSource: Google Calendar", () => {
  const CALENDAR_ID = "c_5f1e0c7b2a@group.calendar.google.com";
  const schedule = scheduleFromConfig({ googleCalendar: { id: CALENDAR_ID, summary: "Security-WG meeting" }, skip: ["2024-04-18"] });
  const io = (): OccurrenceSourceIo => ({
    ...noIo,
    calendar: async () => {
      const oauth = new auth.OAuth2();
      oauth.setCredentials({ access_token: "t" });
      return calendarClient({ version: "v3", auth: oauth, retry: false });
    },
  });

  it("a tick's next + previous cost one events.list window around now", async () => {
    const now = new Date("2024-04-10T12:00:00Z");
    const page1 = JSON.parse(text("events-list.page-1.json")) as { nextPageToken: string };
    const window = {
      singleEvents: "true",
      orderBy: "startTime",
      showDeleted: "false",
      timeMin: new Date(now.getTime() - LOOKBACK_DAYS * DAY).toISOString(),
      timeMax: new Date(now.getTime() + LOOKAHEAD_DAYS * DAY).toISOString(),
      q: "Security-WG meeting",
      maxResults: "2500",
    };
    const scope = nock("https://www.googleapis.com")
      .get(`/calendar/v3/calendars/${encodeURIComponent(CALENDAR_ID)}/events`)
      .query(window)
      .reply(200, page1)
      .get(`/calendar/v3/calendars/${encodeURIComponent(CALENDAR_ID)}/events`)
      .query({ ...window, pageToken: page1.nextPageToken })
      .reply(200, JSON.parse(text("events-list.page-2.json")) as object);

    const due = await explainDueFrom(occurrenceSource(schedule, io()), P3D, now);

    expect(scope.isDone()).toBe(true);
    // 04-18 is skipped in config: the next meeting is 05-16 (05-02 was deleted from the calendar).
    expect(brief(due.next)).toBe("2024-05-16 2024-05-16T14:00:00.000Z America/New_York");
    expect(brief(due.previous)).toBe("2024-04-05 2024-04-05T15:00:00.000Z America/New_York");
    expect(due.opensAt).toEqual(new Date("2024-05-13T14:00:00Z"));
    expect(due.next?.eventId).toBe("5q1v0h3s7k2m9c4b8n6d1f0g2a_20240516T140000Z");
  });

  it("onDate reads a few days around the date; the calendar's zone names dates when events carry none", async () => {
    nock("https://www.googleapis.com")
      .get(`/calendar/v3/calendars/${encodeURIComponent(CALENDAR_ID)}/events`)
      .query((q) => q.timeMin === "2024-05-30T00:00:00.000Z" && q.timeMax === "2024-06-04T00:00:00.000Z")
      .reply(200, {
        kind: "calendar#events",
        timeZone: "Australia/Sydney",
        items: [{ kind: "calendar#event", id: "e1", status: "confirmed", summary: "Security-WG meeting", start: { dateTime: "2024-06-01T23:30:00Z" } }],
      });
    expect(brief(await occurrenceSource(schedule, io()).onDate("2024-06-01"))).toBeNull();
    nock("https://www.googleapis.com")
      .get(`/calendar/v3/calendars/${encodeURIComponent(CALENDAR_ID)}/events`)
      .query(true)
      .reply(200, {
        kind: "calendar#events",
        timeZone: "Australia/Sydney",
        items: [{ kind: "calendar#event", id: "e1", status: "confirmed", summary: "Security-WG meeting", start: { dateTime: "2024-06-01T23:30:00Z" } }],
      });
    // 23:30Z on 06-01 is 09:30 on 06-02 in Sydney.
    expect(brief(await occurrenceSource(schedule, io()).onDate("2024-06-02"))).toBe("2024-06-02 2024-06-01T23:30:00.000Z Australia/Sydney");
  });

  it("refuses a calendar that lists more meetings than the budget (Google expands; the App bounds what it takes)", async () => {
    const items = Array.from({ length: 3 }, (_, i) => ({
      kind: "calendar#event",
      id: `e${i}`,
      status: "confirmed",
      summary: "Security-WG meeting",
      start: { dateTime: `2024-04-0${i + 1}T14:00:00Z` },
    }));
    const scope = nock("https://www.googleapis.com").get(/\/events/).query(true).reply(200, { kind: "calendar#events", items });
    const source = occurrenceSource(schedule, { ...io(), limits: { maxInstances: 2 } });
    await expect(source.next(new Date("2024-04-10T12:00:00Z"))).rejects.toThrow(
      `Google Calendar "${CALENDAR_ID}" has too many occurrences: it lists more than 2 meetings in 800 days`,
    );
    expect(scope.isDone()).toBe(true);
  });

  it("rejects with the gateway's explanation", async () => {
    nock("https://www.googleapis.com").get(/\/events/).query(true).reply(404, { error: { code: 404, message: "Not Found" } });
    await expect(occurrenceSource(schedule, io()).next(new Date("2024-04-10T12:00:00Z"))).rejects.toThrow(/was not found, or is not shared/);
  });
});

describe("seriesZone and isRecurrenceSchedule", () => {
  it("say which schedules are computed and which zone names their dates", () => {
    const rrule = scheduleFromConfig({ rrule: "FREQ=WEEKLY", start: "2024-01-04T10:00", zone: "Europe/Berlin" });
    const interval = scheduleFromConfig({ interval: "2025-08-04T13:00:00[America/Chicago]/P2W" });
    const google = scheduleFromConfig({ googleCalendar: { id: "primary", summary: "Sync" } });
    const ical = scheduleFromConfig({ ical: { url: "https://example.org/a.ics" }, zone: "Asia/Tokyo" });
    expect([rrule, interval, google, ical].map(seriesZone)).toEqual(["Europe/Berlin", "America/Chicago", null, "Asia/Tokyo"]);
    expect([rrule, interval, google, ical].map(isRecurrenceSchedule)).toEqual([true, true, false, false]);
  });

  it("scheduleFromConfig re-checks calendar forms built outside the config schema", () => {
    expect(() => scheduleFromConfig({ googleCalendar: { id: " ", summary: "Sync" } })).toThrow(/googleCalendar.id is empty/);
    expect(() => scheduleFromConfig({ ical: { url: "http://example.org/a.ics" } })).toThrow(/must use https/);
    expect(() => scheduleFromConfig({ ical: { url: "https://example.org/a.ics" }, zone: "CET+1" })).toThrow(/unknown time zone/);
  });
});
