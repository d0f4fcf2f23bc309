import { describe, expect, it } from "vitest";
import { TIME_TABLE_PATTERN, formatInZone, localDate, timeTable } from "../../../src/schedule/time-table.js";
import { ZONE_PRESETS } from "../../../src/schedule/zones.js";

const cell = (instant: string, label: string): string | undefined =>
  timeTable(new Date(instant), ZONE_PRESETS.nodejs).find((row) => row.label === label)?.text;

describe("timeTable with the nodejs preset (real Node.js Security WG issues)", () => {
  it("2022-07-21T14:00Z gives the 12 published cells", () => {
    expect(timeTable(new Date("2022-07-21T14:00:00Z"), ZONE_PRESETS.nodejs).map((row) => [row.label, row.text])).toEqual([
      ["US / Pacific", "Thu 21-Jul-2022 07:00 (07:00 AM)"],
      ["US / Mountain", "Thu 21-Jul-2022 08:00 (08:00 AM)"],
      ["US / Central", "Thu 21-Jul-2022 09:00 (09:00 AM)"],
      ["US / Eastern", "Thu 21-Jul-2022 10:00 (10:00 AM)"],
      ["EU / Western", "Thu 21-Jul-2022 15:00 (03:00 PM)"],
      ["EU / Central", "Thu 21-Jul-2022 16:00 (04:00 PM)"],
      ["EU / Eastern", "Thu 21-Jul-2022 17:00 (05:00 PM)"],
      ["Moscow", "Thu 21-Jul-2022 17:00 (05:00 PM)"],
      ["Chennai", "Thu 21-Jul-2022 19:30 (07:30 PM)"],
      ["Hangzhou", "Thu 21-Jul-2022 22:00 (10:00 PM)"],
      ["Tokyo", "Thu 21-Jul-2022 23:00 (11:00 PM)"],
      ["Sydney", "Fri 22-Jul-2022 00:00 (12:00 AM)"],
    ]);
  });

  it.each([
    ["2024-10-24T14:00:00Z", "EU / Western", "Thu 24-Oct-2024 15:00 (03:00 PM)"],
    ["2024-10-24T14:00:00Z", "Sydney", "Fri 25-Oct-2024 01:00 (01:00 AM)"],
    ["2021-03-25T14:00:00Z", "US / Pacific", "Thu 25-Mar-2021 07:00 (07:00 AM)"],
    ["2021-03-25T14:00:00Z", "EU / Western", "Thu 25-Mar-2021 14:00 (02:00 PM)"],
    ["2021-03-25T14:00:00Z", "Moscow", "Thu 25-Mar-2021 17:00 (05:00 PM)"],
    ["2021-03-25T14:00:00Z", "Sydney", "Fri 26-Mar-2021 01:00 (01:00 AM)"],
  ])("%s %s is %s", (instant, label, text) => {
    expect(cell(instant, label)).toBe(text);
  });
});

describe("formatInZone / localDate", () => {
  it.each([
    ["2022-07-21T14:00:00Z", "UTC", TIME_TABLE_PATTERN, "Thu 21-Jul-2022 14:00 (02:00 PM)"],
    ["2024-10-24T14:00:00Z", "UTC", "yyyyMMdd'T'HHmm", "20241024T1400"],
    ["2024-07-01T06:30:00Z", "+05:30", "yyyy-MM-dd HH:mm", "2024-07-01 12:00"],
    ["2024-03-31T22:00:00Z", "Australia/Sydney", "yyyy-MM-dd HH:mm xxx", "2024-04-01 09:00 +11:00"],
  ])("%s in %s as %j", (instant, zone, pattern, expected) => {
    expect(formatInZone(new Date(instant), zone, pattern)).toBe(expected);
  });

  it.each([
    ["2024-03-31T22:00:00Z", "Australia/Sydney", "2024-04-01"],
    ["2024-03-31T22:00:00Z", "UTC", "2024-03-31"],
    ["2024-11-03T04:30:00Z", "America/New_York", "2024-11-03"],
    ["2024-11-03T03:59:00Z", "America/New_York", "2024-11-02"],
    ["2024-06-30T23:15:00Z", "Pacific/Chatham", "2024-07-01"],
  ])("localDate(%s, %s) = %s", (instant, zone, expected) => {
    expect(localDate(new Date(instant), zone)).toBe(expected);
  });
});
