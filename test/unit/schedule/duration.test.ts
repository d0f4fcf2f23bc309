import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/schedule/duration.js";
import { addDuration, subtractDuration } from "../../../src/schedule/zoned-duration.js";

const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

describe("parseDuration", () => {
  it.each([
    ["P3D", { ...zero, days: 3 }],
    ["PT12H", { ...zero, hours: 12 }],
    ["P1W", { ...zero, weeks: 1 }],
    ["P2W", { ...zero, weeks: 2 }],
    ["P1DT2H30M", { ...zero, days: 1, hours: 2, minutes: 30 }],
    ["P1Y2M3DT4H5M6S", { years: 1, months: 2, weeks: 0, days: 3, hours: 4, minutes: 5, seconds: 6 }],
    ["PT90M", { ...zero, minutes: 90 }],
    [" P3D ", { ...zero, days: 3 }],
  ])("parses %j", (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it.each([
    ["", /invalid ISO-8601 duration "" \(expected e\.g\. P3D, PT12H, P1W\)/],
    ["3 days", /invalid ISO-8601 duration "3 days"/],
    ["P", /invalid ISO-8601 duration/],
    ["PT", /invalid ISO-8601 duration/],
    ["P1DT", /invalid ISO-8601 duration/],
    ["P0D", /is zero/],
    ["PT0S", /is zero/],
    ["p3d", /invalid ISO-8601 duration/],
    ["P-1D", /invalid ISO-8601 duration/],
    ["P1.5D", /invalid ISO-8601 duration/],
    ["P3H", /invalid ISO-8601 duration/],
    ["PT1D", /invalid ISO-8601 duration/],
    ["P99999999999999999999D", /too large/],
  ])("rejects %j", (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe("addDuration / subtractDuration", () => {
  const ny = "America/New_York";
  it.each([
    // P1D across the US spring-forward keeps 10:00 local: the UTC hour moves.
    ["2024-03-09T15:00:00Z", "P1D", ny, "2024-03-10T14:00:00.000Z"],
    // PT24H is elapsed time: 11:00 local after the change.
    ["2024-03-09T15:00:00Z", "PT24H", ny, "2024-03-10T15:00:00.000Z"],
    ["2024-11-02T14:00:00Z", "P1D", ny, "2024-11-03T15:00:00.000Z"],
    ["2024-11-02T14:00:00Z", "P1W", ny, "2024-11-09T15:00:00.000Z"],
    // Month end clamps.
    ["2024-01-31T15:00:00Z", "P1M", ny, "2024-02-29T15:00:00.000Z"],
    ["2023-01-31T15:00:00Z", "P1M", ny, "2023-02-28T15:00:00.000Z"],
    ["2024-02-29T12:00:00Z", "P1Y", "UTC", "2025-02-28T12:00:00.000Z"],
    // Calendar part then time part.
    ["2024-03-09T15:00:00Z", "P1DT2H30M", ny, "2024-03-10T16:30:00.000Z"],
    // Southern hemisphere: Sydney leaves summer time on 2024-04-07.
    ["2024-04-05T22:00:00Z", "P3D", "Australia/Sydney", "2024-04-08T23:00:00.000Z"],
  ])("%s + %s in %s = %s", (start, duration, zone, expected) => {
    expect(addDuration(new Date(start), parseDuration(duration), zone).toISOString()).toBe(expected);
  });

  it.each([
    // Thursday 10:00 EDT minus P3D is Monday 10:00 EDT.
    ["2024-03-14T14:00:00Z", "P3D", ny, "2024-03-11T14:00:00.000Z"],
    // Across the change: Tuesday 10:00 EDT minus P3D is Saturday 10:00 EST.
    ["2024-03-12T14:00:00Z", "P3D", ny, "2024-03-09T15:00:00.000Z"],
    ["2024-03-12T14:00:00Z", "PT72H", ny, "2024-03-09T14:00:00.000Z"],
    ["2024-03-31T14:00:00Z", "P1M", ny, "2024-02-29T15:00:00.000Z"],
    ["2024-03-10T16:30:00Z", "P1DT2H30M", ny, "2024-03-09T15:00:00.000Z"],
  ])("%s − %s in %s = %s", (start, duration, zone, expected) => {
    expect(subtractDuration(new Date(start), parseDuration(duration), zone).toISOString()).toBe(expected);
  });

  it("keeps an instant in the repeated fall-back hour when only time parts move", () => {
    // 01:30 EST (the second 01:30 of 2024-11-03) plus 10 minutes.
    const second = new Date("2024-11-03T06:30:00Z");
    expect(addDuration(second, parseDuration("PT10M"), ny).toISOString()).toBe("2024-11-03T06:40:00.000Z");
  });

  it("rejects an unknown zone", () => {
    expect(() => addDuration(new Date(0), parseDuration("P1D"), "Mars/Olympus")).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
