import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import { describe, expect, it, vi } from "vitest";
import type { CalendarEvent } from "../../../src/schedule/calendar-events.js";
import { CLOCK_EVERY, FEED_EXPANSION_LIMITS, FeedBudgetError, icalOccurrences, parseIcalFeed } from "../../../src/schedule/ical-feed.js";
import { formatInZone } from "../../../src/schedule/time-table.js";
import type { Occurrence } from "../../../src/schedule/types.js";
import { WINDOWS_ZONE_NAMES, ianaZoneForWindowsName } from "../../../src/schedule/windows-zones.js";
import { isValidZone } from "../../../src/schedule/zones.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/calendar/${name}`, import.meta.url), "utf8");
const GOOGLE = fixture("security-wg.google-export.ics");
const OUTLOOK = fixture("build-wg.outlook.ics");

/** `2024-03-07 15:00Z` per event: its start in UTC, and its wall clock in the zone it carries. */
const events = (list: CalendarEvent[]) => list.map((e) => `${e.start.toISOString().slice(0, 16)}Z ${e.zone ?? "-"}`);
const occurrences = (list: Occurrence[]) => list.map((o) => `${o.date} ${formatInZone(o.start, o.zone, "HH:mm")} ${o.zone}`);
const window = (from: string, to: string) => [new Date(from), new Date(to)] as const;

/** A minimal feed around the given VEVENT lines. */
const feed = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");

describe("parseIcalFeed: Google Calendar export (IANA TZID)", () => {
  const parsed = parseIcalFeed(GOOGLE);

  it("expands the biweekly series across US DST with EXDATE, a moved and a cancelled instance", () => {
    expect(parsed.zone).toBe("America/New_York");
    expect(events(parsed.eventsBetween(...window("2024-02-01T00:00:00Z", "2024-06-01T00:00:00Z"), "Security-WG meeting"))).toEqual([
      "2024-02-22T15:00Z America/New_York",
      "2024-03-07T15:00Z America/New_York",
      // 03-21: cancelled (STATUS:CANCELLED on its RECURRENCE-ID); after 03-10 10:00 EDT is 14:00Z.
      "2024-04-05T15:00Z America/New_York", // 04-04 moved to Friday 11:00 EDT
      "2024-04-18T14:00Z America/New_York",
      // 05-02: EXDATE. The all-day "Security-WG meeting" on 04-25 is not a meeting.
      "2024-05-16T14:00Z America/New_York",
      "2024-05-30T14:00Z America/New_York",
    ]);
  });

  it("moves back to 15:00Z after the November change", () => {
    expect(events(parsed.eventsBetween(...window("2024-10-15T00:00:00Z", "2024-12-01T00:00:00Z"), "security-wg MEETING "))).toEqual([
      "2024-10-17T14:00Z America/New_York",
      "2024-10-31T14:00Z America/New_York",
      "2024-11-14T15:00Z America/New_York",
      "2024-11-28T15:00Z America/New_York",
    ]);
  });

  it("gives moved instances the id of their original start, so a moved meeting keeps its identity", () => {
    const [moved] = parsed.eventsBetween(...window("2024-04-05T00:00:00Z", "2024-04-06T00:00:00Z"), "Security-WG meeting");
    expect(moved).toEqual({
      id: "5q1v0h3s7k2m9c4b8n6d1f0g2a@google.com@2024-04-04T14:00:00.000Z",
      summary: "Security-WG meeting",
      start: new Date("2024-04-05T15:00:00Z"),
      zone: "America/New_York",
    });
  });

  it("matches titles exactly: the (prep) series is another event; without a filter every timed event counts", () => {
    const all = parsed.eventsBetween(...window("2024-02-26T00:00:00Z", "2024-03-08T00:00:00Z"));
    expect(all.map((e) => `${e.summary} ${e.start.toISOString()}`)).toEqual([
      "Security-WG meeting (prep) 2024-02-27T18:00:00.000Z",
      "Security-WG meeting (prep) 2024-03-05T18:00:00.000Z",
      "Security-WG meeting 2024-03-07T15:00:00.000Z",
    ]);
  });

  it("icalOccurrences names dates in the configured zone, else the event's, and drops skip dates", () => {
    const base = { summary: "Security-WG meeting", from: new Date("2024-02-20T00:00:00Z"), to: new Date("2024-03-10T00:00:00Z") };
    expect(occurrences(icalOccurrences(GOOGLE, base))).toEqual(["2024-02-22 10:00 America/New_York", "2024-03-07 10:00 America/New_York"]);
    expect(occurrences(icalOccurrences(GOOGLE, { ...base, zone: "Asia/Tokyo", skip: ["2024-03-08"] }))).toEqual([
      "2024-02-23 00:00 Asia/Tokyo",
    ]);
  });
});

describe("parseIcalFeed: Outlook feed (Windows zone names defined by VTIMEZONE)", () => {
  const parsed = parseIcalFeed(OUTLOOK);

  it("follows the EU change in W. Europe Standard Time, with EXDATE and a moved instance", () => {
    expect(parsed.zone).toBeNull();
    expect(events(parsed.eventsBetween(...window("2024-03-01T00:00:00Z", "2024-04-20T00:00:00Z"), "Build WG sync"))).toEqual([
      "2024-03-05T16:00Z Europe/Berlin",
      "2024-03-12T16:00Z Europe/Berlin",
      "2024-03-19T16:00Z Europe/Berlin",
      "2024-03-26T16:00Z Europe/Berlin",
      // 03-31 EU summer time; 04-02 EXDATE; 04-09 moved to Wednesday 09:00.
      "2024-04-10T07:00Z Europe/Berlin",
      "2024-04-16T15:00Z Europe/Berlin",
    ]);
  });

  it("drops the cancelled instance (titled 'Canceled: …') and stops at UNTIL (an instant, inclusive)", () => {
    expect(events(parsed.eventsBetween(...window("2024-10-16T00:00:00Z", "2025-02-01T00:00:00Z"), "Build WG sync"))).toEqual([
      "2024-10-22T15:00Z Europe/Berlin",
      // 10-27 back to winter time; 10-29 cancelled.
      ...["11-05", "11-12", "11-19", "11-26", "12-03", "12-10", "12-17", "12-24", "12-31"].map((d) => `2024-${d}T16:00Z Europe/Berlin`),
    ]);
  });

  it("follows the southern-hemisphere change in AUS Eastern Standard Time, and COUNT", () => {
    const list = icalOccurrences(OUTLOOK, { summary: "APAC triage", from: new Date("2024-01-01T00:00:00Z"), to: new Date("2025-01-01T00:00:00Z") });
    // 09:00 AEDT (+11) is 22:00Z the day before; after 04-07, 09:00 AEST (+10) is 23:00Z.
    expect(list.map((o) => `${o.date} ${o.start.toISOString().slice(11, 16)}Z ${o.zone}`)).toEqual([
      "2024-03-20 22:00Z Australia/Sydney",
      "2024-04-03 22:00Z Australia/Sydney",
      "2024-04-17 23:00Z Australia/Sydney",
      "2024-05-01 23:00Z Australia/Sydney",
      "2024-05-15 23:00Z Australia/Sydney",
      "2024-05-29 23:00Z Australia/Sydney",
    ]);
  });

  it("reads a zone only the feed defines ('Customized Time Zone') from its VTIMEZONE, naming dates in UTC", () => {
    const list = icalOccurrences(OUTLOOK, { summary: "Build WG planning", from: new Date("2024-06-01T00:00:00Z"), to: new Date("2024-07-01T00:00:00Z") });
    expect(list).toEqual([
      {
        start: new Date("2024-06-12T19:00:00Z"),
        zone: "UTC",
        date: "2024-06-12",
        eventId: "040000008200E00074C5B7101A82E00800000000C1D2E3F4A5B6DA01000000000000000010000000B1C2D3E4F5A60718@2024-06-12T19:00:00.000Z",
      },
    ]);
  });

  it("maps every Windows zone name it knows to a valid IANA zone", () => {
    expect(WINDOWS_ZONE_NAMES.length).toBeGreaterThan(130);
    for (const name of WINDOWS_ZONE_NAMES) expect(isValidZone(ianaZoneForWindowsName(name)!), name).toBe(true);
    expect(ianaZoneForWindowsName("toString")).toBeUndefined();
  });
});

describe("parseIcalFeed: times and rules as feeds write them", () => {
  const weekly = (...extra: string[]) =>
    feed("BEGIN:VEVENT", "UID:w@example.org", "SUMMARY:Sync", "DTSTART;TZID=Europe/Berlin:20241017T170000", "RRULE:FREQ=WEEKLY;COUNT=4", ...extra, "END:VEVENT");
  const starts = (text: string, from = "2024-10-01T00:00:00Z", to = "2024-12-01T00:00:00Z") =>
    parseIcalFeed(text).eventsBetween(new Date(from), new Date(to), "sync").map((e) => e.start.toISOString());

  it("an IANA TZID without a VTIMEZONE uses the IANA database (Berlin changes on 10-27)", () => {
    expect(starts(weekly())).toEqual(["2024-10-17T15:00:00.000Z", "2024-10-24T15:00:00.000Z", "2024-10-31T16:00:00.000Z", "2024-11-07T16:00:00.000Z"]);
  });

  it("EXDATE and RECURRENCE-ID match as instants, whatever form they are written in", () => {
    expect(starts(weekly("EXDATE:20241024T150000Z"))).toEqual(["2024-10-17T15:00:00.000Z", "2024-10-31T16:00:00.000Z", "2024-11-07T16:00:00.000Z"]);
    expect(starts(weekly("EXDATE;VALUE=DATE:20241031"))).toHaveLength(3);
    // Without a zone, EXDATE means DTSTART's zone (17:00 Berlin), not UTC.
    expect(starts(weekly("EXDATE:20241031T170000"))).toEqual(["2024-10-17T15:00:00.000Z", "2024-10-24T15:00:00.000Z", "2024-11-07T16:00:00.000Z"]);
    const cancelled = feed(
      ...weekly().split("\r\n").slice(3, -2),
      "BEGIN:VEVENT", "UID:w@example.org", "RECURRENCE-ID:20241031T160000Z", "DTSTART:20241031T160000Z", "STATUS:CANCELLED", "END:VEVENT",
    );
    expect(starts(cancelled)).toEqual(["2024-10-17T15:00:00.000Z", "2024-10-24T15:00:00.000Z", "2024-11-07T16:00:00.000Z"]);
  });

  it("a UTC UNTIL is compared as an instant even for a TZID ical.js does not know", () => {
    const text = feed("BEGIN:VEVENT", "UID:u@example.org", "SUMMARY:Sync", "DTSTART;TZID=America/Los_Angeles:20241101T180000",
      "RRULE:FREQ=DAILY;UNTIL=20241103T010000Z", "END:VEVENT");
    // 11-01 18:00 PDT = 11-02 01:00Z (included); 11-02 18:00 PDT = 11-03 01:00Z (= UNTIL, included); no 11-03.
    expect(starts(text)).toEqual(["2024-11-02T01:00:00.000Z", "2024-11-03T01:00:00.000Z"]);
  });

  it("floating times use the configured zone, else X-WR-TIMEZONE, else UTC; Z times are UTC", () => {
    const floating = (header: string[]) =>
      feed(...header, "BEGIN:VEVENT", "UID:f@example.org", "SUMMARY:Sync", "DTSTART:20240704T090000", "END:VEVENT");
    const first = (text: string, floatingZone?: string) =>
      parseIcalFeed(text, floatingZone ? { floatingZone } : {}).eventsBetween(new Date(0), new Date("2030-01-01T00:00:00Z"))[0]!.start.toISOString();
    expect(first(floating([]))).toBe("2024-07-04T09:00:00.000Z");
    expect(first(floating(["X-WR-TIMEZONE:America/Chicago"]))).toBe("2024-07-04T14:00:00.000Z");
    expect(first(floating(["X-WR-TIMEZONE:America/Chicago"]), "Asia/Kolkata")).toBe("2024-07-04T03:30:00.000Z");
  });

  it("RDATE adds instances; a cancelled series has none; old Mozilla TZID prefixes are understood", () => {
    expect(starts(weekly("RDATE;TZID=Europe/Berlin:20241120T080000"))).toContain("2024-11-20T07:00:00.000Z");
    expect(starts(weekly("STATUS:CANCELLED"))).toEqual([]);
    const cancelledWithMove = feed(
      ...weekly("STATUS:CANCELLED").split("\r\n").slice(3, -2),
      "BEGIN:VEVENT", "UID:w@example.org", "SUMMARY:Sync", "RECURRENCE-ID;TZID=Europe/Berlin:20241024T170000",
      "DTSTART;TZID=Europe/Berlin:20241025T170000", "STATUS:CONFIRMED", "END:VEVENT",
    );
    expect(starts(cancelledWithMove)).toEqual([]);
    const mozilla = feed("BEGIN:VEVENT", "UID:m@example.org", "SUMMARY:Sync", "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20241017T170000", "END:VEVENT");
    expect(starts(mozilla)).toEqual(["2024-10-17T15:00:00.000Z"]);
  });

  it("is the same under any machine TZ (this suite also runs with TZ=Pacific/Chatham)", () => {
    expect(new Date(2024, 0, 1).getTimezoneOffset()).toBeTypeOf("number");
    expect(starts(weekly())[0]).toBe("2024-10-17T15:00:00.000Z");
  });
});

describe("parseIcalFeed: errors", () => {
  it.each([
    ["an HTML page", "<!DOCTYPE html>\n<html><body>Sign in</body></html>", /not an iCalendar feed: the URL returned an HTML page/],
    ["JSON", '{"error":"not found"}', /not an iCalendar feed: it does not start with BEGIN:VCALENDAR/],
    ["an empty body", "", /not an iCalendar feed/],
    ["an unterminated calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n", /malformed iCalendar feed: .*component began but did not end/],
    ["a line without a colon", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nTHIS IS NOT A PROPERTY\r\nEND:VCALENDAR\r\n", /malformed iCalendar feed \(line 3\): invalid line/],
  ])("rejects %s", (_name, text, message) => {
    expect(() => parseIcalFeed(text)).toThrow(message);
  });

  it("names the event with an unknown TZID or a malformed date, but only when it is asked for", () => {
    const text = feed(
      "BEGIN:VEVENT", "UID:a@example.org", "SUMMARY:Sync", "DTSTART;TZID=Mars Standard Time:20241017T170000", "END:VEVENT",
      "BEGIN:VEVENT", "UID:b@example.org", "SUMMARY:Other", "DTSTART:2024-10-17", "END:VEVENT",
    );
    const parsed = parseIcalFeed(text);
    const all = () => parsed.eventsBetween(new Date(0), new Date("2030-01-01T00:00:00Z"), "Sync");
    expect(all).toThrow('iCalendar event "Sync" (UID a@example.org): uses TZID "Mars Standard Time", which is neither an IANA time zone nor defined by a VTIMEZONE in the feed');
    expect(() => parsed.eventsBetween(new Date(0), new Date("2030-01-01T00:00:00Z"), "Other")).toThrow(/iCalendar event "Other" \(UID b@example.org\)/);
  });

});

describe("parseIcalFeed: a budget per feed (finding 4: calendar feeds cost unbounded CPU)", () => {
  const JAN_2024 = window("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");
  /** A VEVENT's lines. */
  const vevent = (uid: string, ...lines: string[]) => ["BEGIN:VEVENT", `UID:${uid}`, "SUMMARY:Sync", ...lines, "END:VEVENT"];
  /** Three Tuesdays of January 2024, titled "Weekly sync". */
  const weeklySync = () => ["BEGIN:VEVENT", "UID:w@example.org", "SUMMARY:Weekly sync", "DTSTART:20240102T100000Z", "RRULE:FREQ=WEEKLY;COUNT=3", "END:VEVENT"];
  /** A clock that never moves: only the instance budget can stop anything. */
  const frozen = () => 0;
  /** A clock that moves 1 ms each time it is read. */
  const ticking = () => {
    let now = 0;
    return () => now++;
  };
  /** What `run` throws (it must throw). */
  const thrown = (run: () => unknown): Error => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    throw new Error("expected a throw");
  };

  it("has the documented default: 50,000 starts and 2 s per feed", () => {
    expect(FEED_EXPANSION_LIMITS).toEqual({ maxInstances: 50_000, maxMs: 2_000 });
  });

  it("refuses the 192-byte FREQ=MINUTELY;COUNT=99999 event by its FREQ, before expanding one instance", () => {
    const event = vevent("m@example.org", "DTSTART:20240101T000000Z", "RRULE:FREQ=MINUTELY;COUNT=99999");
    expect(Buffer.byteLength(event.join("\r\n"))).toBeLessThan(200);
    const parsed = parseIcalFeed(feed(...event), { clock: frozen });
    expect(() => parsed.eventsBetween(...JAN_2024)).toThrow(
      'iCalendar event "Sync" (UID m@example.org): repeats more often than daily (FREQ=MINUTELY); a meeting series meets at most once a day',
    );
    expect(parsed.usage()).toEqual({ instances: 0, steps: 0, ms: 0 });
  });

  it("refuses every rule that starts more than once a day, and keeps a daily one with one time of day", () => {
    const refused = [
      ["FREQ=SECONDLY", "repeats more often than daily (FREQ=SECONDLY)"],
      ["FREQ=HOURLY;INTERVAL=24", "repeats more often than daily (FREQ=HOURLY)"],
      ["FREQ=DAILY;BYHOUR=9,17", "starts several times a day (BYHOUR with more than one value)"],
      ["FREQ=WEEKLY;BYDAY=MO;BYMINUTE=0,30", "starts several times a day (BYMINUTE with more than one value)"],
    ];
    for (const [rule, message] of refused) {
      const parsed = parseIcalFeed(feed(...vevent("a@example.org", "DTSTART:20240101T100000Z", `RRULE:${rule}`)), { clock: frozen });
      expect(thrown(() => parsed.eventsBetween(...JAN_2024, "Sync")).message, rule).toContain(message);
      expect(parsed.usage().instances, rule).toBe(0);
    }
    const daily = parseIcalFeed(feed(...vevent("d@example.org", "DTSTART:20240101T100000Z", "RRULE:FREQ=DAILY;BYHOUR=9;COUNT=3")));
    expect(daily.eventsBetween(...window("2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z")).map((e) => e.start.toISOString())).toEqual([
      "2024-01-02T09:00:00.000Z",
      "2024-01-03T09:00:00.000Z",
      "2024-01-04T09:00:00.000Z",
    ]);
  });

  it("only refuses what it is asked to read: a sub-daily event with another title costs nothing", () => {
    const text = feed(...vevent("m@example.org", "DTSTART:20240101T000000Z", "RRULE:FREQ=MINUTELY"), ...weeklySync());
    expect(parseIcalFeed(text).eventsBetween(...window("2024-01-01T00:00:00Z", "2024-01-20T00:00:00Z"), "weekly sync")).toHaveLength(3);
  });

  it("refuses a feed of many daily events by the per-feed instance budget, though each event alone is under it", () => {
    // 20 events of 100 starts: no event reaches 1000, the feed does. By count: the clock never moves.
    const events = Array.from({ length: 20 }, (_, i) => vevent(`d${i}@example.org`, "DTSTART:19000101T100000Z", "RRULE:FREQ=DAILY;COUNT=100"));
    const parsed = parseIcalFeed(feed(...events.flat()), { name: "calendar.example.org", limits: { maxInstances: 1000, maxMs: Number.POSITIVE_INFINITY }, clock: frozen });
    const error = thrown(() => parsed.eventsBetween(...JAN_2024));
    expect(error).toBeInstanceOf(FeedBudgetError);
    expect(error).toMatchObject({ limit: "instances" });
    expect(error.message).toBe(
      "the iCalendar feed from calendar.example.org has too many occurrences: its events start more than 1000 times in all, counting each repeating event from its first start (a meeting calendar has a few hundred)",
    );
    expect(parsed.usage().instances).toBe(1001);

    // Ten of them are read: 1000 starts is within the budget.
    const ten = parseIcalFeed(feed(...events.slice(0, 10).flat()), { limits: { maxInstances: 1000 }, clock: frozen });
    expect(ten.eventsBetween(new Date("1899-01-01T00:00:00Z"), new Date("2030-01-01T00:00:00Z"))).toHaveLength(1000);
  });

  it("charges every window asked of one feed to the same budget, and stays refused once over it", () => {
    const text = feed(...vevent("d@example.org", "DTSTART:20230101T100000Z", "RRULE:FREQ=DAILY;COUNT=600"));
    const parsed = parseIcalFeed(text, { limits: { maxInstances: 1000 }, clock: frozen });
    expect(parsed.eventsBetween(...window("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z"))).toHaveLength(600);
    expect(() => parsed.eventsBetween(...window("2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z"))).toThrow(FeedBudgetError);
    const spent = parsed.usage();
    expect(() => parsed.eventsBetween(...JAN_2024)).toThrow(/too many occurrences/);
    expect(parsed.usage()).toEqual(spent);
  });

  it("charges RDATE and EXDATE values before decoding them", () => {
    const values = Array.from({ length: 2000 }, (_, i) => `2024${String(1 + Math.floor(i / 28) % 12).padStart(2, "0")}${String(1 + (i % 28)).padStart(2, "0")}T100000Z`);
    for (const property of ["RDATE", "EXDATE"]) {
      const parsed = parseIcalFeed(feed(...vevent("r@example.org", "DTSTART:20240101T100000Z", `${property}:${values.join(",")}`)), { limits: { maxInstances: 1000 }, clock: frozen });
      expect(thrown(() => parsed.eventsBetween(...JAN_2024)), property).toMatchObject({ name: "FeedBudgetError", limit: "instances" });
      // Refused by the count of values, not after working through a thousand of them.
      expect(parsed.usage().instances, property).toBeGreaterThanOrEqual(2000);
      expect(parsed.usage().steps, property).toBeLessThanOrEqual(1);
    }
  });

  it("charges every candidate day ical.js walks through, not only the starts next() returns", () => {
    // The next 29 February after 2024-03-01 is ~1,460 candidate days away.
    const leap = parseIcalFeed(feed(...vevent("l@example.org", "DTSTART:20240301T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=2")), { clock: frozen });
    expect(leap.eventsBetween(...window("2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z")).map((e) => e.start.toISOString())).toEqual([
      "2024-03-01T10:00:00.000Z",
      "2028-02-29T10:00:00.000Z",
    ]);
    expect(leap.usage().instances).toBe(2);
    expect(leap.usage().steps).toBeGreaterThan(1400);
  });

  it("stops a rule that never matches, which loops inside one ical.js next(), by the time budget (injected clock)", () => {
    // Were the iterator not metered (the test above), what follows would hang the test run
    // rather than fail it: ical.js loops inside one synchronous call.
    const probe = parseIcalFeed(feed(...vevent("l@example.org", "DTSTART:20240301T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=2")), { clock: frozen });
    probe.eventsBetween(...window("2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z"));
    expect(probe.usage().steps, "the iterator is metered").toBeGreaterThan(1400);

    // ical.js checks one candidate day after another, for ever: February has no 30th.
    const never = parseIcalFeed(feed(...vevent("n@example.org", "DTSTART:20240101T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")), {
      name: "calendar.example.org",
      limits: { maxMs: 50 },
      clock: ticking(),
    });
    const error = thrown(() => never.eventsBetween(...window("2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z")));
    expect(error).toMatchObject({ name: "FeedBudgetError", limit: "time" });
    expect(error.message).toBe("the iCalendar feed from calendar.example.org has too many occurrences: reading and expanding its events takes more than 50 ms");
    // The clock is read every CLOCK_EVERY steps: ~50 reads.
    expect(never.usage().steps).toBeGreaterThan(40 * CLOCK_EVERY);
    expect(never.usage().steps).toBeLessThan(60 * CLOCK_EVERY);
    expect(never.usage().instances).toBe(1); // DTSTART only

    // An impossible YEARLY rule walks towards the year 20000 while ical.js builds its iterator.
    const impossible = parseIcalFeed(
      feed(...vevent("y@example.org", "DTSTART:00010101T100000Z", "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1MO;BYMONTHDAY=15,16,17,18,19,20,21")),
      { limits: { maxMs: 50 }, clock: ticking() },
    );
    expect(() => impossible.eventsBetween(...JAN_2024)).toThrow("the iCalendar feed has too many occurrences: reading and expanding its events takes more than 50 ms");
  });

  it("counts the parse against the time budget, and not the time between two windows", () => {
    let now = 0;
    const clock = () => now;
    const parsed = parseIcalFeed(feed(...weeklySync()), { limits: { maxMs: 100 }, clock });
    now += 60_000; // a tick waiting for GitHub between two reads of the same feed
    expect(parsed.eventsBetween(...window("2024-01-01T00:00:00Z", "2024-01-20T00:00:00Z"))).toHaveLength(3);
    expect(parsed.usage().ms).toBe(0);

    const slow = () => (now += 1000);
    expect(() => parseIcalFeed(feed(...weeklySync()), { limits: { maxMs: 500 }, clock: slow })).toThrow(/takes more than 500 ms/);
  });

  it("looks each TZID up once per feed, not once per time value (ical.js scans every event per look-up)", () => {
    const events = Array.from({ length: 200 }, (_, i) => vevent(`t${i}@example.org`, "DTSTART;TZID=America/New_York:20240102T100000"));
    const scan = vi.spyOn(ICAL.Component.prototype, "getAllSubcomponents");
    try {
      const parsed = parseIcalFeed(feed(...events.flat()));
      expect(parsed.eventsBetween(...window("2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z"))).toHaveLength(200);
      expect(scan.mock.calls.filter(([name]) => name === "vtimezone")).toHaveLength(1);
    } finally {
      scan.mockRestore();
    }
  });
});
