import { describe, expect, it } from "vitest";
import { parseLocalDateTime, toInstant, toLocal, formatLocalDateTime } from "../../../src/schedule/wall-clock.js";

describe("toInstant", () => {
  it.each([
    ["ordinary winter time", "2024-01-15T10:00", "America/New_York", "2024-01-15T15:00:00.000Z"],
    ["ordinary summer time", "2024-07-15T10:00", "America/New_York", "2024-07-15T14:00:00.000Z"],
    // Nonexistent: read with the offset before the gap (RFC 5545), i.e. pushed forward an hour.
    ["spring-forward gap", "2024-03-10T02:30", "America/New_York", "2024-03-10T07:30:00.000Z"],
    ["gap start", "2024-03-10T02:00", "America/New_York", "2024-03-10T07:00:00.000Z"],
    ["just after the gap", "2024-03-10T03:00", "America/New_York", "2024-03-10T07:00:00.000Z"],
    ["Sydney gap", "2024-10-06T02:30", "Australia/Sydney", "2024-10-05T16:30:00.000Z"],
    // Ambiguous: the first (daylight-time) instant.
    ["fall-back overlap", "2024-11-03T01:30", "America/New_York", "2024-11-03T05:30:00.000Z"],
    // TZDate gets this one wrong under TZ=UTC (it depends on the machine's zone).
    ["Sydney overlap", "2024-04-07T02:30", "Australia/Sydney", "2024-04-06T15:30:00.000Z"],
    ["Chatham 45-minute offset", "2024-07-01T12:00", "Pacific/Chatham", "2024-06-30T23:15:00.000Z"],
    ["fixed offset", "2024-07-01T12:00", "+05:30", "2024-07-01T06:30:00.000Z"],
    ["negative fixed offset", "2024-07-01T12:00", "-00:30", "2024-07-01T12:30:00.000Z"],
    ["UTC", "2024-07-01T12:00", "UTC", "2024-07-01T12:00:00.000Z"],
  ])("%s: %s in %s", (_name, local, zone, expected) => {
    expect(toInstant(parseLocalDateTime(local)!, zone).toISOString()).toBe(expected);
  });

  it("round-trips through toLocal", () => {
    const instant = new Date("2024-11-03T06:30:00Z");
    expect(formatLocalDateTime(toLocal(instant, "America/New_York"))).toBe("2024-11-03T01:30:00");
  });

  it.each(["2024-02-30T10:00", "2024-13-01T10:00", "2024-01-01T24:00", "2024-01-01T10:60", "2024-01-01 10:00", "2024-01-01"])(
    "rejects the local date-time %j",
    (text) => {
      expect(parseLocalDateTime(text)).toBeNull();
    },
  );
});
