import { describe, expect, it } from "vitest";
import {
  nextOccurrence,
  occurrenceOnDate,
  occurrencesBetween,
  previousOccurrence,
  scheduleFromConfig,
} from "../../../src/schedule/occurrences.js";
import type { RecurrenceSchedule as Schedule } from "../../../src/schedule/types.js";
import { formatInZone } from "../../../src/schedule/time-table.js";

const rrule = (rule: string, start: string, zone: string, skip: string[] = []): Schedule =>
  scheduleFromConfig({ rrule: rule, start, zone, skip });
const interval = (text: string, skip: string[] = []): Schedule => scheduleFromConfig({ interval: text, skip });

/** `YYYY-MM-DD HH:mmZ` per occurrence: compact, and shows both the series date and the UTC time. */
const between = (schedule: Schedule, from: string, to: string): string[] =>
  occurrencesBetween(schedule, new Date(from), new Date(to)).map(
    (o) => `${o.date} ${o.start.toISOString().slice(11, 16)}Z`,
  );

describe("occurrencesBetween: daylight saving", () => {
  it("every second Thursday 10:00 New York moves between 15:00Z and 14:00Z with US DST", () => {
    const s = rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "2024-02-29T10:00", "America/New_York");
    expect(between(s, "2024-02-01T00:00:00Z", "2024-04-01T00:00:00Z")).toEqual([
      "2024-02-29 15:00Z",
      "2024-03-14 14:00Z",
      "2024-03-28 14:00Z",
    ]);
    expect(between(s, "2024-10-01T00:00:00Z", "2024-12-01T00:00:00Z")).toEqual([
      "2024-10-10 14:00Z",
      "2024-10-24 14:00Z",
      "2024-11-07 15:00Z",
      "2024-11-21 15:00Z",
    ]);
  });

  it.each([
    // US changes on 2024-03-10 and 2024-11-03; the EU on 2024-03-31 and 2024-10-27.
    ["America/New_York", "10:00", "2024-03-01", "2024-04-12", ["15:00", "14:00", "14:00", "14:00", "14:00", "14:00"]],
    ["Europe/Berlin", "16:00", "2024-03-01", "2024-04-12", ["15:00", "15:00", "15:00", "15:00", "14:00", "14:00"]],
    ["America/New_York", "10:00", "2024-10-14", "2024-11-12", ["14:00", "14:00", "14:00", "15:00"]],
    ["Europe/Berlin", "16:00", "2024-10-14", "2024-11-12", ["14:00", "14:00", "15:00", "15:00"]],
  ])("weekly Thursday in %s at %s across the EU and US switches", (zone, time, from, to, utcTimes) => {
    const s = rrule("FREQ=WEEKLY;BYDAY=TH", `2024-01-04T${time}`, zone);
    expect(between(s, `${from}T00:00:00Z`, `${to}T00:00:00Z`).map((o) => o.slice(11))).toEqual(utcTimes.map((t) => `${t}Z`));
  });

  it("the EU/US gap weeks: New York 10:00 is 14:00 in London from 2024-03-14 to 2024-03-28", () => {
    const s = rrule("FREQ=WEEKLY;BYDAY=TH", "2024-01-04T10:00", "America/New_York");
    const london = occurrencesBetween(s, new Date("2024-03-01T00:00:00Z"), new Date("2024-04-12T00:00:00Z")).map((o) =>
      formatInZone(o.start, "Europe/London", "dd-MMM HH:mm"),
    );
    expect(london).toEqual(["07-Mar 15:00", "14-Mar 14:00", "21-Mar 14:00", "28-Mar 14:00", "04-Apr 15:00", "11-Apr 15:00"]);
  });

  it("Australia/Sydney 09:00 Mondays across the April and October changes (local date ≠ UTC date)", () => {
    const s = rrule("FREQ=WEEKLY;BYDAY=MO", "2024-01-01T09:00", "Australia/Sydney");
    expect(between(s, "2024-03-20T00:00:00Z", "2024-04-10T00:00:00Z")).toEqual([
      "2024-03-25 22:00Z",
      "2024-04-01 22:00Z",
      "2024-04-08 23:00Z",
    ]);
    expect(between(s, "2024-09-25T00:00:00Z", "2024-10-10T00:00:00Z")).toEqual(["2024-09-30 23:00Z", "2024-10-07 22:00Z"]);
    const first = occurrencesBetween(s, new Date("2024-03-31T00:00:00Z"), new Date("2024-04-01T00:00:00Z"))[0]!;
    expect(first.start.toISOString()).toBe("2024-03-31T22:00:00.000Z");
    expect(first.date).toBe("2024-04-01");
  });

  it("a nonexistent local time moves forward, an ambiguous one takes the first instant", () => {
    const s = rrule("FREQ=DAILY", "2024-03-08T02:30", "America/New_York");
    expect(between(s, "2024-03-09T00:00:00Z", "2024-03-12T00:00:00Z")).toEqual([
      "2024-03-09 07:30Z", // 02:30 EST
      "2024-03-10 07:30Z", // 02:30 does not exist: 03:30 EDT
      "2024-03-11 06:30Z", // 02:30 EDT
    ]);
    const late = rrule("FREQ=DAILY", "2024-11-01T01:30", "America/New_York");
    expect(between(late, "2024-11-02T00:00:00Z", "2024-11-05T00:00:00Z")).toEqual([
      "2024-11-02 05:30Z", // 01:30 EDT
      "2024-11-03 05:30Z", // first of the two 01:30s (EDT)
      "2024-11-04 06:30Z", // 01:30 EST
    ]);
  });
});

describe("occurrencesBetween: rule shapes", () => {
  const dates = (schedule: Schedule, from: string, to: string): string[] =>
    occurrencesBetween(schedule, new Date(from), new Date(to)).map((o) => o.date);

  it.each([
    ["second Thursday", "FREQ=MONTHLY;BYDAY=2TH", "2024-01-01", ["2024-01-11", "2024-02-08", "2024-03-14", "2024-04-11"]],
    ["last Friday", "FREQ=MONTHLY;BYDAY=-1FR", "2024-01-01", ["2024-01-26", "2024-02-23", "2024-03-29", "2024-04-26"]],
    ["first and third Tuesday", "FREQ=MONTHLY;BYDAY=1TU,3TU", "2024-01-01", ["2024-01-02", "2024-01-16", "2024-02-06", "2024-02-20", "2024-03-05", "2024-03-19", "2024-04-02", "2024-04-16"]],
    ["last weekday (BYSETPOS)", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2024-01-01", ["2024-01-31", "2024-02-29", "2024-03-29", "2024-04-30"]],
    ["day 15 each month", "FREQ=MONTHLY;BYMONTHDAY=15", "2024-01-01", ["2024-01-15", "2024-02-15", "2024-03-15", "2024-04-15"]],
    ["last day of month", "FREQ=MONTHLY;BYMONTHDAY=-1", "2024-01-01", ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]],
    ["plain monthly repeats the start day, skipping short months", "FREQ=MONTHLY", "2024-01-31", ["2024-01-31", "2024-03-31"]],
    ["every other month", "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH", "2024-01-01", ["2024-01-11", "2024-03-14"]],
    ["Friday the 13th (none in these months)", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "2024-01-01", []],
    ["weekdays", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=4", "2024-01-31", ["2024-01-31", "2024-02-01", "2024-02-02", "2024-02-05"]],
    ["plain yearly repeats the start date", "FREQ=YEARLY", "2023-04-30", ["2024-04-30"]],
    ["yearly by month, first Monday", "FREQ=YEARLY;BYMONTH=2,4;BYDAY=1MO", "2024-01-01", ["2024-02-05", "2024-04-01"]],
    ["yearly, first Monday of the year", "FREQ=YEARLY;BYDAY=1MO", "2023-01-01", ["2024-01-01"]],
    ["yearly, last Friday of the year", "FREQ=YEARLY;BYDAY=-1FR", "2023-01-01", ["2023-12-29"]],
  ])("%s: %s", (_name, rule, startDate, expected) => {
    const s = rrule(rule, `${startDate}T10:00`, "Europe/Berlin");
    expect(dates(s, "2023-12-01T00:00:00Z", "2024-05-01T00:00:00Z")).toEqual(expected);
  });

  it("Friday the 13th finds September and December 2024", () => {
    const s = rrule("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "2024-01-01T10:00", "Europe/Berlin");
    expect(occurrencesBetween(s, new Date("2024-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z")).map((o) => o.date)).toEqual([
      "2024-09-13",
      "2024-12-13",
    ]);
  });

  it("WKST decides which weeks an INTERVAL=2 rule with several days uses", () => {
    // RFC 5545's own example, shifted to 2024: with Monday weeks Sunday 01-07 ends the first week;
    // with Sunday weeks it starts the second (skipped) one, so 01-14 comes instead.
    const monday = rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU", "2024-01-02T10:00", "UTC");
    const sunday = rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;WKST=SU", "2024-01-02T10:00", "UTC");
    expect(occurrencesBetween(monday, new Date("2024-01-01T00:00:00Z"), new Date("2024-01-20T00:00:00Z")).map((o) => o.date)).toEqual([
      "2024-01-02",
      "2024-01-07",
      "2024-01-16",
    ]);
    expect(occurrencesBetween(sunday, new Date("2024-01-01T00:00:00Z"), new Date("2024-01-20T00:00:00Z")).map((o) => o.date)).toEqual([
      "2024-01-02",
      "2024-01-14",
      "2024-01-16",
    ]);
  });

  it.each([
    ["COUNT counts from the start", "FREQ=WEEKLY;BYDAY=TH;COUNT=3", ["2024-01-04", "2024-01-11", "2024-01-18"]],
    ["UNTIL as a date is inclusive", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20240125", ["2024-01-04", "2024-01-11", "2024-01-18", "2024-01-25"]],
    ["UNTIL in UTC is inclusive", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20240118T150000Z", ["2024-01-04", "2024-01-11", "2024-01-18"]],
    ["UNTIL in UTC, a second early", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20240118T145959Z", ["2024-01-04", "2024-01-11"]],
    ["UNTIL as local time", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20240111T100000", ["2024-01-04", "2024-01-11"]],
  ])("%s", (_name, rule, expected) => {
    const s = rrule(rule, "2024-01-04T10:00", "America/New_York");
    expect(occurrencesBetween(s, new Date("2023-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z")).map((o) => o.date)).toEqual(expected);
  });

  it("a start off the pattern is not itself an occurrence", () => {
    const s = rrule("FREQ=WEEKLY;BYDAY=TH;COUNT=2", "2024-01-02T10:00", "UTC");
    expect(between(s, "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z")).toEqual(["2024-01-04 10:00Z", "2024-01-11 10:00Z"]);
  });

  it("skip dates are removed after COUNT, like EXDATE", () => {
    const s = rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=4", "2024-02-29T10:00", "America/New_York", ["2024-03-28", "2024-03-29"]);
    expect(between(s, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")).toEqual([
      "2024-02-29 15:00Z",
      "2024-03-14 14:00Z",
      "2024-04-11 14:00Z",
    ]);
  });

  it("the range is half-open [from, to) and sorted", () => {
    const s = rrule("FREQ=DAILY", "2024-01-01T10:00", "UTC");
    expect(between(s, "2024-01-02T10:00:00Z", "2024-01-04T10:00:00Z")).toEqual(["2024-01-02 10:00Z", "2024-01-03 10:00Z"]);
    expect(between(s, "2024-01-04T10:00:00Z", "2024-01-02T10:00:00Z")).toEqual([]);
  });

  it("a rule that never matches terminates", () => {
    const s = rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2024-01-01T10:00", "UTC");
    expect(occurrencesBetween(s, new Date("2024-01-01T00:00:00Z"), new Date("2124-01-01T00:00:00Z"))).toEqual([]);
    expect(nextOccurrence(s, new Date("2024-01-01T00:00:00Z"))).toBeNull();
    expect(previousOccurrence(s, new Date("2124-01-01T00:00:00Z"))).toBeNull();
  });
});

describe("repeating-interval schedules", () => {
  it("P2W in America/Chicago keeps 13:00 local across the November change", () => {
    const s = interval("2025-08-04T13:00:00[America/Chicago]/P2W");
    expect(between(s, "2025-10-01T00:00:00Z", "2025-11-30T00:00:00Z")).toEqual([
      "2025-10-13 18:00Z",
      "2025-10-27 18:00Z",
      "2025-11-10 19:00Z",
      "2025-11-24 19:00Z",
    ]);
  });

  it.each([
    ["R3 gives three meetings", "R3/2025-08-04T13:00:00[America/Chicago]/P1W", "2025-08-01", "2025-09-01", ["2025-08-04 18:00Z", "2025-08-11 18:00Z", "2025-08-18 18:00Z"]],
    ["a fixed offset has no daylight saving", "2025-10-16T13:00:00+02:00/P1W", "2025-10-16", "2025-11-07", ["2025-10-16 11:00Z", "2025-10-23 11:00Z", "2025-10-30 11:00Z", "2025-11-06 11:00Z"]],
    ["Z is UTC", "2025-10-16T13:00:00Z/P2W", "2025-10-01", "2025-11-01", ["2025-10-16 13:00Z", "2025-10-30 13:00Z"]],
    // 20:00 EDT, then +36 h across the change: 07:00 EST (not 08:00) — elapsed time, not wall clock.
    ["PT36H is elapsed time", "2025-11-01T20:00:00[America/New_York]/PT36H", "2025-11-01", "2025-11-04T00:00:01", ["2025-11-01 00:00Z", "2025-11-03 12:00Z"]],
    ["P1M from Jan 31 does not drift", "2024-01-31T10:00:00Z/P1M", "2024-01-01", "2024-04-01", ["2024-01-31 10:00Z", "2024-02-29 10:00Z", "2024-03-31 10:00Z"]],
  ])("%s", (_name, text, from, to, expected) => {
    const at = (day: string) => (day.includes("T") ? `${day}Z` : `${day}T00:00:00Z`);
    expect(between(interval(text), at(from), at(to))).toEqual(expected);
  });

  it("finds a far occurrence of the shortest period (a day) without walking from the start", () => {
    const s = interval("2000-01-01T00:00:00Z/PT24H");
    const next = nextOccurrence(s, new Date("2025-06-01T12:34:30Z"));
    expect(next?.start.toISOString()).toBe("2025-06-02T00:00:00.000Z");
    expect(previousOccurrence(s, new Date("2025-06-01T12:34:30Z"))?.start.toISOString()).toBe("2025-06-01T00:00:00.000Z");
    expect(occurrencesBetween(s, new Date("2025-06-01T00:00:00Z"), new Date("2025-07-01T00:00:00Z"))).toHaveLength(30);
  });

  it("an occurrence-count bound ends the series", () => {
    const s = interval("R2/2025-08-04T13:00:00[America/Chicago]/P1W");
    expect(nextOccurrence(s, new Date("2025-08-11T18:00:01Z"))).toBeNull();
    expect(previousOccurrence(s, new Date("2030-01-01T00:00:00Z"))?.date).toBe("2025-08-11");
  });
});

describe("next / previous / on date", () => {
  const biweekly = rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "2024-02-29T10:00", "America/New_York", ["2024-03-28"]);
  const chicago = interval("2025-08-04T13:00:00[America/Chicago]/P2W", ["2025-08-18"]);

  it.each([
    ["at a start, that start", biweekly, "2024-03-14T14:00:00Z", "2024-03-14T14:00:00.000Z"],
    ["just after, the next (skipping the skip date)", biweekly, "2024-03-14T14:00:01Z", "2024-04-11T14:00:00.000Z"],
    ["before the series, the first", biweekly, "2020-01-01T00:00:00Z", "2024-02-29T15:00:00.000Z"],
    ["interval, skip date skipped", chicago, "2025-08-04T18:00:01Z", "2025-09-01T18:00:00.000Z"],
    ["interval, before the start", chicago, "2020-01-01T00:00:00Z", "2025-08-04T18:00:00.000Z"],
  ])("nextOccurrence %s", (_name, schedule, at, expected) => {
    expect(nextOccurrence(schedule, new Date(at))?.start.toISOString()).toBe(expected);
  });

  it.each([
    ["strictly before", biweekly, "2024-03-14T14:00:00Z", "2024-02-29T15:00:00.000Z"],
    ["skipping the skip date", biweekly, "2024-04-11T14:00:00Z", "2024-03-14T14:00:00.000Z"],
    ["none before the start", biweekly, "2024-02-29T15:00:00Z", null],
    ["interval, skipping the skip date", chicago, "2025-09-01T18:00:00Z", "2025-08-04T18:00:00.000Z"],
    ["interval, none before the start", chicago, "2025-08-04T18:00:00Z", null],
  ])("previousOccurrence %s", (_name, schedule, before, expected) => {
    expect(previousOccurrence(schedule, new Date(before))?.start.toISOString() ?? null).toBe(expected);
  });

  const sydney = rrule("FREQ=WEEKLY;BYDAY=MO", "2024-01-01T09:00", "Australia/Sydney", ["2024-04-15"]);
  it.each([
    ["the local date, not the UTC date", sydney, "2024-04-01", "2024-03-31T22:00:00.000Z"],
    ["no meeting that day", sydney, "2024-03-31", null],
    ["a skipped date", sydney, "2024-04-15", null],
    ["before the series", sydney, "2023-12-25", null],
    ["the nonexistent-time day", rrule("FREQ=DAILY", "2024-03-08T02:30", "America/New_York"), "2024-03-10", "2024-03-10T07:30:00.000Z"],
    ["an interval schedule", chicago, "2025-11-10", "2025-11-10T19:00:00.000Z"],
  ])("occurrenceOnDate: %s", (_name, schedule, date, expected) => {
    const found = occurrenceOnDate(schedule, date);
    expect(found?.start.toISOString() ?? null).toBe(expected);
    if (found) expect(found.date).toBe(date);
  });

  it("occurrenceOnDate rejects a non-date", () => {
    expect(() => occurrenceOnDate(sydney, "2024-02-30")).toThrow(/not a real date/);
  });
});

describe("scheduleFromConfig", () => {
  it("builds both kinds, with sorted unique skip dates", () => {
    expect(scheduleFromConfig({ rrule: " FREQ=WEEKLY;BYDAY=TH ", start: "2024-01-04T10:00", zone: "America/New_York", skip: ["2024-02-01", "2024-01-11", "2024-02-01"] })).toEqual({
      kind: "rrule",
      rrule: "FREQ=WEEKLY;BYDAY=TH",
      start: "2024-01-04T10:00",
      zone: "America/New_York",
      skip: ["2024-01-11", "2024-02-01"],
    });
    expect(scheduleFromConfig({ interval: "R/2025-08-04T13:00:00[America/Chicago]/P2W", skip: [] })).toEqual({
      kind: "interval",
      interval: "R/2025-08-04T13:00:00[America/Chicago]/P2W",
      skip: [],
    });
  });

  it.each([
    [{ rrule: "FREQ=HOURLY", start: "2024-01-04T10:00", zone: "UTC" }, /FREQ must be one of/],
    [{ rrule: "FREQ=WEEKLY", start: "2024-01-04 10:00", zone: "UTC" }, /schedule start "2024-01-04 10:00"/],
    [{ rrule: "FREQ=WEEKLY", start: "2024-01-04T10:00", zone: "Mars/Olympus" }, /unknown time zone "Mars\/Olympus"/],
    [{ rrule: "FREQ=WEEKLY", start: "2024-01-04T10:00", zone: "+02:00" }, /unknown time zone "\+02:00"/],
    [{ rrule: "FREQ=WEEKLY;UNTIL=20231231T000000Z", start: "2024-01-04T10:00", zone: "UTC" }, /UNTIL .* is before the schedule start/],
    [{ rrule: "FREQ=WEEKLY", start: "2024-01-04T10:00", zone: "UTC", skip: ["2024-02-30"] }, /skip date "2024-02-30"/],
    [{ interval: "2025-08-04T13:00:00/P2W" }, /has no time zone/],
  ])("rejects %j", (config, message) => {
    expect(() => scheduleFromConfig(config)).toThrow(message);
  });
});
