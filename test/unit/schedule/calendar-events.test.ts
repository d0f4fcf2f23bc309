import { describe, expect, it } from "vitest";
import { type CalendarEvent, eventOccurrences, summaryMatches } from "../../../src/schedule/calendar-events.js";

describe("summaryMatches", () => {
  it.each([
    ["Security-WG meeting", "Security-WG meeting", true],
    ["  security-wg MEETING\t", "Security-WG meeting", true],
    ["Security-WG meeting (prep)", "Security-WG meeting", false],
    ["Canceled: Security-WG meeting", "Security-WG meeting", false],
    ["Security WG meeting", "Security-WG meeting", false],
    ["Réunion", "re\u0301union", true], // NFC: é written as e + combining accent
    [null, "Security-WG meeting", false],
    [undefined, "Security-WG meeting", false],
  ])("%j vs %j → %s", (title, wanted, expected) => {
    expect(summaryMatches(title, wanted)).toBe(expected);
  });
});

describe("eventOccurrences", () => {
  const event = (id: string, start: string, zone: string | null): CalendarEvent => ({ id, summary: "x", start: new Date(start), zone });

  it("names dates in the configured zone, else the event's, else the calendar's, else UTC", () => {
    // 2024-03-07T23:30Z is 03-07 in New York, 03-08 in Tokyo and Sydney.
    const events = [event("a", "2024-03-07T23:30:00Z", "America/New_York"), event("b", "2024-03-14T23:30:00Z", null)];
    const dates = (options: Parameters<typeof eventOccurrences>[1]) => eventOccurrences(events, options).map((o) => `${o.date} ${o.zone}`);
    expect(dates({ zone: null, skip: [] })).toEqual(["2024-03-07 America/New_York", "2024-03-14 UTC"]);
    expect(dates({ zone: null, fallbackZone: "Australia/Sydney", skip: [] })).toEqual(["2024-03-07 America/New_York", "2024-03-15 Australia/Sydney"]);
    expect(dates({ zone: "Asia/Tokyo", skip: ["2024-03-15"] })).toEqual(["2024-03-08 Asia/Tokyo"]);
  });

  it("sorts, and keeps one occurrence per instant", () => {
    const list = eventOccurrences(
      [event("late", "2024-03-14T15:00:00Z", null), event("b-dup", "2024-03-07T15:00:00Z", null), event("a", "2024-03-07T15:00:00Z", null)],
      { zone: "UTC", skip: [] },
    );
    expect(list.map((o) => o.eventId)).toEqual(["a", "late"]);
  });
});
