import { describe, expect, it } from "vitest";
import { nextOccurrence, occurrenceOnDate, occurrencesBetween, previousOccurrence, scheduleFromConfig } from "../../../src/schedule/occurrences.js";
import { parseRRule } from "../../../src/schedule/rrule.js";
import { expandRRule } from "../../../src/schedule/rrule-expand.js";
import { dayNumber, formatLocalDate, parseLocalDateTime } from "../../../src/schedule/wall-clock.js";

// An RRULE is expanded period by period (a week, a month, a year) from the period that holds
// `start`. The days of that first period before `start` match the rule too, but are not
// meetings: the series has not begun (RFC 5545: DTSTART is the first instance).

const rrule = (rule: string, start: string, zone = "Europe/Berlin") => scheduleFromConfig({ rrule: rule, start, zone });

/** Local dates of the occurrences in [from, to), from well before the start. */
const dates = (rule: string, start: string, to: string, zone = "Europe/Berlin") =>
  occurrencesBetween(rrule(rule, start, zone), new Date("2020-01-01T00:00:00Z"), new Date(to)).map((o) => o.date);

describe("no occurrence before the schedule start, in the first period of the rule", () => {
  it.each([
    // 2024-01-04 is a Thursday; the Monday of its week is 2024-01-01.
    ["weekly on Monday and Thursday, starting on a Thursday", "FREQ=WEEKLY;BYDAY=MO,TH", "2024-01-04T10:00", ["2024-01-04", "2024-01-08", "2024-01-11"]],
    ["weekly on every weekday, starting on a Wednesday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2024-01-03T10:00", ["2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11"]],
    ["every other week, Sunday weeks, starting on a Saturday", "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,SA", "2024-01-06T10:00", ["2024-01-06"]],
    ["monthly on the 1st and 15th, starting on the 10th", "FREQ=MONTHLY;BYMONTHDAY=1,15", "2024-01-10T10:00", ["2024-01-15", "2024-02-01", "2024-02-15"]],
    ["monthly on the 2nd Thursday, starting after it", "FREQ=MONTHLY;BYDAY=2TH", "2024-01-20T10:00", ["2024-02-08"]],
    ["monthly on the 1st and last day, starting mid-month", "FREQ=MONTHLY;BYMONTHDAY=1,-1", "2024-01-10T10:00", ["2024-01-31", "2024-02-01"]],
    ["yearly in January and July on the first Monday, starting in March", "FREQ=YEARLY;BYMONTH=1,7;BYDAY=1MO", "2024-03-01T10:00", ["2024-07-01", "2025-01-06"]],
    ["daily on weekdays, starting on a Saturday", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "2024-01-06T10:00", ["2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11"]],
  ])("%s (%s from %s)", (_, rule, start, expected) => {
    // Up to the day after the last expected date (or a week after the start when none is).
    const last = expected.at(-1) ?? start.slice(0, 10);
    const to = new Date(Date.parse(`${last}T00:00:00Z`) + (expected.length > 0 ? 1 : 7) * 86_400_000);
    expect(dates(rule, start, to.toISOString())).toEqual(expected);
  });

  it("COUNT counts from the start, not from the first day of its week", () => {
    // The week of Thursday 2024-01-04 began on Monday 2024-01-01: that Monday is not one of the three.
    expect(dates("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3", "2024-01-04T10:00", "2025-01-01T00:00:00Z")).toEqual(["2024-01-04", "2024-01-08", "2024-01-11"]);
    expect(dates("FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=2", "2024-01-10T10:00", "2025-01-01T00:00:00Z")).toEqual(["2024-01-15", "2024-02-01"]);
  });

  it("COUNT ends the series at the same meeting asked for from near the start or years later", () => {
    // 1 Thursday in the first week, then Monday and Thursday: the 200th is the Monday 100 weeks on.
    const weekly = rrule("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=200", "2024-01-04T10:00");
    expect(nextOccurrence(weekly, new Date("2025-11-28T00:00:00Z"))?.date).toBe("2025-12-01");
    expect(nextOccurrence(weekly, new Date("2025-12-02T00:00:00Z"))).toBeNull();
    expect(previousOccurrence(weekly, new Date("2030-01-01T00:00:00Z"))?.date).toBe("2025-12-01");
    expect(occurrenceOnDate(weekly, "2025-12-04")).toBeNull();
    // The same with BYMONTH naming every month (counted a month at a time).
    const everyMonth = rrule("FREQ=WEEKLY;BYDAY=MO,TH;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;COUNT=200", "2024-01-04T10:00");
    expect(nextOccurrence(everyMonth, new Date("2025-11-28T00:00:00Z"))?.date).toBe("2025-12-01");
    expect(nextOccurrence(everyMonth, new Date("2025-12-02T00:00:00Z"))).toBeNull();
    // The 1st and 15th from January 10th: 15 Jan, then two a month; the 24th is 1 Jan 2025.
    const monthly = rrule("FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=24", "2024-01-10T10:00");
    expect(nextOccurrence(monthly, new Date("2024-12-16T00:00:00Z"))?.date).toBe("2025-01-01");
    expect(nextOccurrence(monthly, new Date("2025-01-02T00:00:00Z"))).toBeNull();
    expect(previousOccurrence(monthly, new Date("2026-01-01T00:00:00Z"))?.date).toBe("2025-01-01");
  });

  it("BYSETPOS picks from the whole first period; a pick before the start is dropped, not replaced", () => {
    // The first weekday of January 2024 is Monday the 1st, before the start: January has none.
    expect(dates("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1", "2024-01-10T10:00", "2024-04-01T00:00:00Z")).toEqual(["2024-02-01", "2024-03-01"]);
  });

  it("the next meeting asked for before the start is the start itself", () => {
    const s = rrule("FREQ=WEEKLY;BYDAY=MO,TH", "2024-01-04T10:00");
    expect(nextOccurrence(s, new Date("2023-12-31T00:00:00Z"))?.date).toBe("2024-01-04");
    expect(previousOccurrence(s, new Date("2024-01-04T09:00:00Z"))).toBeNull();
    expect(occurrenceOnDate(s, "2024-01-01")).toBeNull();
    expect(occurrenceOnDate(s, "2024-01-04")?.start.toISOString()).toBe("2024-01-04T09:00:00.000Z");
  });

  it("expandRRule yields nothing earlier than its start", () => {
    const start = parseLocalDateTime("2024-01-04T10:00")!;
    const expanded = [...expandRRule(parseRRule("FREQ=WEEKLY;BYDAY=MO,TH"), start, "UTC", dayNumber(start) + 10)];
    expect(expanded.map((o) => formatLocalDate(o.local))).toEqual(["2024-01-04", "2024-01-08", "2024-01-11"]);
    expect(expanded[0]!.start.toISOString()).toBe("2024-01-04T10:00:00.000Z");
  });
});
