import { describe, expect, it } from "vitest";
import { scheduleNotice } from "../../../src/config/schedule-notices.js";

const NOW = new Date("2025-09-01T00:00:00Z");
const rrule = (rule: string, start: string, skip: string[] = []) => ({ rrule: rule, start, zone: "America/New_York", skip });

describe("scheduleNotice", () => {
  it.each([
    ["a weekly rule", rrule("FREQ=WEEKLY;BYDAY=TH", "2024-01-04T10:00")],
    ["an UNTIL still ahead", rrule("FREQ=WEEKLY;BYDAY=TH;UNTIL=20251231", "2024-01-04T10:00")],
    ["a COUNT not used up", rrule("FREQ=MONTHLY;BYDAY=1TH;COUNT=100", "2024-01-04T10:00")],
    ["February 29, yearly: a leap day comes within the lookahead", rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2025-01-02T10:00")],
    ["a start in the future", rrule("FREQ=WEEKLY;BYDAY=TH", "2030-01-03T10:00")],
    ["a daily rule from 1990, well within the bound", rrule("FREQ=DAILY", "1990-01-01T10:00")],
    ["an interval", { interval: "2025-08-04T13:00:00[America/Chicago]/P2W", skip: [] }],
  ])("nothing to say for %s", (_name, schedule) => {
    expect(scheduleNotice(schedule, NOW)).toBeNull();
  });

  it.each([
    [
      "a rule that never matches",
      rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2025-01-02T10:00"),
      ["schedule", "rrule"],
      "the rule never matches: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 gives no date in the 10 years from start 2025-01-02T10:00, so no meeting will ever open",
    ],
    [
      "the fifth Friday of February every fourth year from a non-leap year, still never",
      rrule("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "2025-01-02T10:00"),
      ["schedule", "rrule"],
      "the rule never matches: FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29 gives no date in the 10 years from start 2025-01-02T10:00, so no meeting will ever open",
    ],
    [
      "an UNTIL instant in the past",
      rrule("FREQ=WEEKLY;BYDAY=TH;UNTIL=20250301T000000Z", "2024-01-04T10:00"),
      ["schedule", "rrule"],
      "no upcoming meeting: the series ended at UNTIL 2025-03-01T00:00:00.000Z; the last one was on 2025-02-27",
    ],
    [
      "a used-up COUNT, its last date skipped",
      rrule("FREQ=WEEKLY;BYDAY=TH;COUNT=2", "2024-01-04T10:00", ["2024-01-11"]),
      ["schedule", "rrule"],
      "no upcoming meeting: all 2 meetings of COUNT=2 are over; the last one was on 2024-01-04",
    ],
    [
      "the rest of the series skipped",
      rrule("FREQ=WEEKLY;BYDAY=TH;UNTIL=20250912", "2024-01-04T10:00", ["2025-09-04", "2025-09-11"]),
      ["schedule", "skip"],
      "no upcoming meeting: every remaining date of the series is listed in skip; the last one was on 2025-08-28",
    ],
    [
      "an interval's repetitions used up",
      { interval: "R2/2025-08-04T13:00:00[America/Chicago]/P2W", skip: [] },
      ["schedule", "interval"],
      "no upcoming meeting: all 2 meetings of R2 are over; the last one was on 2025-08-18",
    ],
    [
      "a start so far back that the expansion's bound runs out before today (said without walking it)",
      rrule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "0001-01-01T10:00"),
      ["schedule", "start"],
      "start 0001-01-01T10:00 is too far in the past: a rule is computed at most 100000 weeks from its start, and those end before today, so no meeting will open; move start to a recent meeting",
    ],
  ])("warns: %s", (_name, schedule, key, message) => {
    expect(scheduleNotice(schedule, NOW)).toEqual({ level: "warning", key, message });
  });

  it("only notes a calendar schedule: it cannot be known without reading the calendar", () => {
    expect(scheduleNotice({ ical: { url: "https://calendar.example.org/wg.ics" }, skip: [] }, NOW)).toMatchObject({ level: "note", key: ["schedule", "ical"] });
    expect(scheduleNotice({ googleCalendar: { id: "c_1@group.calendar.google.com", summary: "WG" }, skip: [] }, NOW)).toMatchObject({
      level: "note",
      key: ["schedule", "googleCalendar"],
    });
  });
});
