import { describe, expect, it } from "vitest";
import { parseRRule } from "../../../src/schedule/rrule.js";
import { MAX_PERIODS, expandRRule } from "../../../src/schedule/rrule-expand.js";
import { dayNumber, formatLocalDateTime, parseLocalDateTime } from "../../../src/schedule/wall-clock.js";

// expandRRule, the walk from the start (the config check's notices use it): where a series
// ends. UNTIL is inclusive in each of its three forms, COUNT counts exactly, and the horizon
// stops a rule that never ends.

function expand(rule: string, start: string, zone = "UTC", horizonDays = 400): string[] {
  const local = parseLocalDateTime(start)!;
  return [...expandRRule(parseRRule(rule), local, zone, dayNumber(local) + horizonDays)].map((o) => formatLocalDateTime(o.local));
}

describe("expandRRule ends the series", () => {
  it("after exactly COUNT occurrences", () => {
    expect(expand("FREQ=DAILY;COUNT=3", "2024-01-10T10:00")).toEqual(["2024-01-10T10:00:00", "2024-01-11T10:00:00", "2024-01-12T10:00:00"]);
    expect(expand("FREQ=DAILY;COUNT=1", "2024-01-10T10:00")).toEqual(["2024-01-10T10:00:00"]);
  });

  it("on the UNTIL date, including a meeting at midnight that day and not the next midnight", () => {
    expect(expand("FREQ=DAILY;UNTIL=20240111", "2024-01-10T00:00")).toEqual(["2024-01-10T00:00:00", "2024-01-11T00:00:00"]);
    expect(expand("FREQ=DAILY;UNTIL=20240111", "2024-01-10T23:59")).toEqual(["2024-01-10T23:59:00", "2024-01-11T23:59:00"]);
  });

  it("at an UNTIL wall-clock time, including a meeting at that very time", () => {
    expect(expand("FREQ=DAILY;UNTIL=20240111T100000", "2024-01-10T10:00")).toEqual(["2024-01-10T10:00:00", "2024-01-11T10:00:00"]);
    expect(expand("FREQ=DAILY;UNTIL=20240111T095959", "2024-01-10T10:00")).toEqual(["2024-01-10T10:00:00"]);
  });

  it("at an UNTIL instant in UTC, including a meeting at that very instant", () => {
    // 10:00 in New York in January is 15:00 UTC.
    expect(expand("FREQ=DAILY;UNTIL=20240111T150000Z", "2024-01-10T10:00", "America/New_York")).toEqual(["2024-01-10T10:00:00", "2024-01-11T10:00:00"]);
    expect(expand("FREQ=DAILY;UNTIL=20240111T145959Z", "2024-01-10T10:00", "America/New_York")).toEqual(["2024-01-10T10:00:00"]);
  });

  it("at the horizon: no period that begins after it is walked", () => {
    expect(expand("FREQ=DAILY", "2024-01-10T10:00", "UTC", 2)).toEqual(["2024-01-10T10:00:00", "2024-01-11T10:00:00", "2024-01-12T10:00:00"]);
    // A weekly period that begins on or before the horizon is walked whole.
    expect(expand("FREQ=WEEKLY;BYDAY=MO,SU", "2024-01-08T10:00", "UTC", 0)).toEqual(["2024-01-08T10:00:00", "2024-01-14T10:00:00"]);
  });

  it("after MAX_PERIODS periods for a rule that never matches", () => {
    expect(MAX_PERIODS).toBe(100_000);
    expect(expand("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2024-01-01T10:00", "UTC", 400 * 366)).toEqual([]);
  });
});
