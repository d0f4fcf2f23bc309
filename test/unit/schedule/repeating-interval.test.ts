import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../src/schedule/duration.js";
import { parseRepeatingInterval } from "../../../src/schedule/repeating-interval.js";

describe("parseRepeatingInterval", () => {
  it.each([
    ["2025-08-04T13:00:00[America/Chicago]/P2W", "2025-08-04T13:00:00", "America/Chicago", "P2W", null],
    ["R/2025-08-04T13:00:00[America/Chicago]/P2W", "2025-08-04T13:00:00", "America/Chicago", "P2W", null],
    ["R12/2025-08-04T13:00[Europe/Berlin]/P1W", "2025-08-04T13:00", "Europe/Berlin", "P1W", 12],
    ["2025-08-04T13:00:00Z/P1W", "2025-08-04T13:00:00", "UTC", "P1W", null],
    ["2025-08-04T13:00:00+02:00/P1W", "2025-08-04T13:00:00", "+02:00", "P1W", null],
    ["2025-08-04T13:00:00-05:30/P1D", "2025-08-04T13:00:00", "-05:30", "P1D", null],
    ["2025-08-04T13:00:00+00:00/P1W", "2025-08-04T13:00:00", "UTC", "P1W", null],
    // RFC 9557: an offset with a zone name, consistent with it.
    ["2025-08-04T13:00:00-05:00[America/Chicago]/P2W", "2025-08-04T13:00:00", "America/Chicago", "P2W", null],
    [" 2025-08-04T13:00:00[America/Chicago]/PT24H ", "2025-08-04T13:00:00", "America/Chicago", "PT24H", null],
  ])("parses %j", (text, start, zone, period, count) => {
    expect(parseRepeatingInterval(text)).toEqual({ start, zone, period: parseDuration(period), count });
  });

  it.each([
    ["", /it is empty/],
    ["2025-08-04T13:00:00[America/Chicago]", /missing "\/" between the start and the period/],
    ["2025-08-04T13:00:00Z", /missing "\/"/],
    ["2025-08-04T13:00:00[Mars/Olympus]/P2W", /unknown time zone "Mars\/Olympus"/],
    ["2025-08-04T13:00:00[]/P2W", /unknown time zone ""/],
    ["2025-08-04T13:00:00/P2W", /has no time zone: add \[Area\/City\]/],
    ["2025-08-04T13:00:00[America/Chicago]/2 weeks", /bad period: invalid ISO-8601 duration "2 weeks"/],
    ["2025-08-04T13:00:00[America/Chicago]/P0D", /bad period: .*is zero/],
    ["2025-08-04T13:00:00[America/Chicago]/", /bad period/],
    ["2025-02-30T13:00:00[America/Chicago]/P1W", /is not a real date and time/],
    ["next monday[America/Chicago]/P1W", /is not a date-time/],
    ["2025-08-04[America/Chicago]/P1W", /is not a date-time/],
    ["R0/2025-08-04T13:00:00Z/P1W", /repetition count must be at least 1/],
    ["Rx/2025-08-04T13:00:00Z/P1W", /repetition must be "R\/" or "Rn\/"/],
    ["2025-08-04T13:00:00+19:00/P1W", /offset \+19:00 is out of range/],
    ["2025-08-04T13:00:00-06:00[America/Chicago]/P2W", /offset -06:00 does not match America\/Chicago/],
    ["2025-08-04T13:00:00Z/2025-08-11T13:00:00Z", /bad period/],
    ["2025-08-04T13:00:00[America/Chicago]/PT12H", /shorter than a day/],
    ["2025-08-04T13:00:00[America/Chicago]/PT1M", /shorter than a day/],
    ["2025-08-04T13:00:00[America/Chicago]/PT23H59M59S", /shorter than a day/],
  ])("rejects %j", (text, message) => {
    expect(() => parseRepeatingInterval(text)).toThrow(message);
  });
});
