import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  addCalendar,
  dayNumber,
  daysInMonth,
  fieldsOf,
  formatLocalDate,
  formatLocalDateTime,
  localAt,
  localFromFields,
  parseLocalDate,
  parseLocalDateTime,
  timeOfDay,
  toInstant,
  toLocal,
  zoneOffsetMinutes,
} from "../../../src/schedule/wall-clock.js";

// The wall clock at the edges of the calendar: month lengths, leap years, the first and last
// value of each field, years before 1970 and below 100, and zone offsets of every shape.

const local = (text: string) => {
  const parsed = parseLocalDateTime(text);
  if (parsed === null) throw new Error(`test setup: ${text}`);
  return parsed;
};

describe("month lengths", () => {
  it.each([
    [2024, 1, 31],
    [2024, 2, 29],
    [2023, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2100, 2, 28],
    [2024, 4, 30],
    [2024, 12, 31],
  ])("%i-%i has %i days", (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });
});

describe("parseLocalDate and parseLocalDateTime accept exactly the real values", () => {
  it.each(["2024-01-01", "2024-12-31", "2024-02-29", "2000-02-29", "0099-06-15"])("accepts %s, reading it back unchanged", (text) => {
    const parsed = parseLocalDate(text);
    expect(parsed).not.toBeNull();
    expect(formatLocalDate(parsed!)).toBe(text);
  });

  it.each(["2024-00-10", "2024-13-01", "2024-01-00", "2024-01-32", "2023-02-29", "1900-02-29", "2024-04-31", "24-01-01", "2024-1-01", " 2024-01-01"])(
    "refuses %j",
    (text) => {
      expect(parseLocalDate(text)).toBeNull();
    },
  );

  it.each([
    ["2024-01-01T00:00", "2024-01-01T00:00:00"],
    ["2024-01-01T23:59", "2024-01-01T23:59:00"],
    ["2024-01-01T23:59:59", "2024-01-01T23:59:59"],
    ["2024-01-01T09:05:07", "2024-01-01T09:05:07"],
  ])("accepts %s as %s", (text, formatted) => {
    expect(formatLocalDateTime(local(text))).toBe(formatted);
  });

  it.each(["2024-01-01T24:00", "2024-01-01T10:60", "2024-01-01T10:00:60", "2024-01-01T10:00:", "2024-01-01T1:00", "2024-02-30T10:00", "2024-01-01T10:00Z"])(
    "refuses %j",
    (text) => {
      expect(parseLocalDateTime(text)).toBeNull();
    },
  );
});

describe("fields, days and times of day", () => {
  it("reads the fields back, years below 100 included (not 1900 + year)", () => {
    const fields = { year: 99, month: 3, day: 4, hour: 5, minute: 6, second: 7 };
    expect(fieldsOf(localFromFields(fields))).toEqual(fields);
    expect(formatLocalDateTime(localFromFields(fields))).toBe("0099-03-04T05:06:07");
  });

  it("counts days from 1970-01-01, and the time of day from midnight, before 1970 too", () => {
    expect(dayNumber(local("1970-01-01T00:00"))).toBe(0);
    expect(dayNumber(local("1970-01-02T00:00"))).toBe(1);
    expect(dayNumber(local("1969-12-31T23:59"))).toBe(-1);
    expect(timeOfDay(local("1969-12-31T10:30"))).toBe((10 * 60 + 30) * 60_000);
    expect(timeOfDay(local("2024-06-01T00:00"))).toBe(0);
    expect(formatLocalDateTime(localAt(-1, 10 * 3600_000))).toBe("1969-12-31T10:00:00");
    expect(formatLocalDateTime(localAt(dayNumber(local("2024-06-01T00:00"))))).toBe("2024-06-01T00:00:00");
    expect(DAY_MS).toBe(86_400_000);
  });
});

describe("addCalendar", () => {
  it.each([
    ["2024-01-31T10:00", 0, 1, 0, "2024-02-29T10:00:00"],
    ["2024-03-31T10:00", 0, -1, 0, "2024-02-29T10:00:00"],
    ["2024-01-15T10:00", 0, -1, 0, "2023-12-15T10:00:00"],
    ["2024-01-15T10:00", 0, -13, 0, "2022-12-15T10:00:00"],
    ["2024-12-15T10:00", 0, 1, 0, "2025-01-15T10:00:00"],
    ["2024-02-29T10:00", 1, 0, 0, "2025-02-28T10:00:00"],
    ["2024-02-29T10:00", 4, 0, 0, "2028-02-29T10:00:00"],
    ["2024-01-31T10:00", 0, 1, 1, "2024-03-01T10:00:00"],
    ["2024-03-01T10:00", 0, 0, -1, "2024-02-29T10:00:00"],
    ["2024-03-01T10:00", 0, 0, 0, "2024-03-01T10:00:00"],
  ])("%s + %iy %im %id = %s", (from, years, months, days, expected) => {
    expect(formatLocalDateTime(addCalendar(local(from), years, months, days))).toBe(expected);
  });
});

describe("zone offsets", () => {
  it.each([
    ["UTC", "2024-07-01T00:00:00Z", 0],
    ["Europe/Berlin", "2024-01-01T00:00:00Z", 60],
    ["Europe/Berlin", "2024-07-01T00:00:00Z", 120],
    ["America/New_York", "2024-07-01T00:00:00Z", -240],
    ["Asia/Kolkata", "2024-07-01T00:00:00Z", 330],
    ["Pacific/Chatham", "2024-07-01T00:00:00Z", 765],
    ["+14:00", "2024-07-01T00:00:00Z", 840],
    ["-09:30", "2024-07-01T00:00:00Z", -570],
    ["-00:30", "2024-07-01T00:00:00Z", -30],
    ["+00:00", "2024-07-01T00:00:00Z", 0],
  ])("%s at %s is %i minutes", (zone, at, minutes) => {
    expect(zoneOffsetMinutes(zone, Date.parse(at))).toBe(minutes);
  });

  it("refuses an unknown or empty zone, naming it", () => {
    expect(() => zoneOffsetMinutes("Mars/Olympus", 0)).toThrow('unknown time zone "Mars/Olympus" (use an IANA name such as America/New_York)');
    expect(() => zoneOffsetMinutes("", 0)).toThrow('unknown time zone ""');
  });

  it("gives NaN, not an error, for an instant out of range", () => {
    expect(zoneOffsetMinutes("Europe/Berlin", Number.NaN)).toBeNaN();
    expect(zoneOffsetMinutes("Mars/Olympus", Number.POSITIVE_INFINITY)).toBeNaN();
  });

  it("maps a local time to an instant and back, either side of a change", () => {
    for (const [text, zone] of [
      ["2024-03-30T12:00", "Europe/Berlin"],
      ["2024-03-31T12:00", "Europe/Berlin"],
      ["2024-10-27T03:30", "Europe/Berlin"],
      ["1969-07-20T20:17", "America/New_York"],
    ] as const) {
      expect(formatLocalDateTime(toLocal(toInstant(local(text), zone), zone))).toBe(`${text}:00`);
    }
  });
});
