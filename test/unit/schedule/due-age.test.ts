import { beforeEach, describe, expect, it, vi } from "vitest";
import { explainDue } from "../../../src/schedule/due.js";
import { parseDuration } from "../../../src/schedule/duration.js";
import { referenceNextOccurrence, referencePreviousOccurrence } from "../../helpers/occurrences-reference.js";
import { forgetPreparedSchedules, scheduleFromConfig } from "../../../src/schedule/occurrences.js";
import type { RecurrenceSchedule } from "../../../src/schedule/types.js";

/**
 * Issue 12: the due decision costs the same for a series started last year and one started two
 * centuries ago. Counted, not timed: every period the RRULE code looks at (`days`) and every
 * whole-period match (`pick`) is one step, through a spy on `rulePeriods`.
 */

const work = vi.hoisted(() => ({ steps: 0 }));

vi.mock("../../../src/schedule/rrule-expand.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../src/schedule/rrule-expand.js")>();
  return {
    ...actual,
    rulePeriods: (...args: Parameters<typeof actual.rulePeriods>) => {
      const periods = actual.rulePeriods(...args);
      return {
        ...periods,
        days: (p: number) => {
          work.steps++;
          return periods.days(p);
        },
        pick: (from: number, to: number) => {
          work.steps++;
          return periods.pick(from, to);
        },
      };
    },
  };
});

const NOW = new Date("2026-06-04T12:00:00Z");
const P3D = parseDuration("P3D");

/** Steps one due decision takes, prepared from scratch (what a fresh process pays). */
function stepsFor(schedule: RecurrenceSchedule): number {
  forgetPreparedSchedules();
  work.steps = 0;
  explainDue({ schedule, createBefore: P3D, now: NOW });
  return work.steps;
}

const rrule = (text: string, start: string, zone = "America/New_York") => scheduleFromConfig({ rrule: text, start, zone, skip: [] });

beforeEach(() => forgetPreparedSchedules());

describe("the due decision does not grow with the series' age", () => {
  it.each([
    ["weekly", "FREQ=WEEKLY;BYDAY=TH", "06-04"],
    ["every other week, two days", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "06-02"],
    ["daily", "FREQ=DAILY", "06-04"],
    ["second Thursday", "FREQ=MONTHLY;BYDAY=2TH", "06-01"],
    ["last weekday (BYSETPOS)", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "06-01"],
    ["yearly, fourth Thursday of November", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "06-01"],
    ["weekly with COUNT", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=20000", "06-02"],
    ["the 31st with COUNT (months without one hold none)", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=5000", "01-31"],
    ["Fridays with COUNT (4 or 5 a month)", "FREQ=MONTHLY;BYDAY=FR;COUNT=50000", "06-05"],
    ["Feb 29 with COUNT (leap years only)", "FREQ=YEARLY;COUNT=100", "02-29"],
  ])("%s (%s): as many steps from 1826 as from 2025", (_name, text, monthDay) => {
    // 2024 and 1824 are leap years, so the Feb 29 start exists; the other dates exist every year.
    const recent = stepsFor(rrule(text, `${monthDay === "02-29" ? 2024 : 2025}-${monthDay}T10:00`));
    const old = stepsFor(rrule(text, `${monthDay === "02-29" ? 1824 : 1826}-${monthDay}T10:00`));
    expect(old).toBeLessThanOrEqual(recent + 8);
  });

  it.each([
    ["Feb 29 monthly (a leap day every 4 years, none in 1900)", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29", 1200],
    // Daily: ten years of days ahead (the lookahead), ~3 years back before jumping, a month of each kind (168 × 31).
    ["Feb 29 daily", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", 3660 + 1100 + 168 * 31 + 300],
    ["Feb 30 (never)", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", 1200],
    ["April 31 daily (never)", "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", 3660 + 1100 + 168 * 31 + 300],
  ])("a rule that matches rarely or never (%s) jumps over empty periods: bounded steps from 1826", (_name, text, bound) => {
    const schedule = rrule(text, "1826-01-01T10:00");
    expect(stepsFor(schedule)).toBeLessThanOrEqual(bound);
    const explained = explainDue({ schedule, createBefore: P3D, now: NOW });
    expect(explained.next).toEqual(referenceNextOccurrence(schedule, new Date(NOW.getTime() + 1)));
    expect(explained.previous).toEqual(referencePreviousOccurrence(schedule, new Date(NOW.getTime() + 1)));
  });

  it("a repeating interval from 1826 gives the walk's answer", () => {
    const schedule = scheduleFromConfig({ interval: "1826-06-04T13:00:00[America/Chicago]/P2W", skip: [] });
    const explained = explainDue({ schedule, createBefore: P3D, now: NOW });
    expect(explained.next).toEqual(referenceNextOccurrence(schedule, new Date(NOW.getTime() + 1)));
    expect(explained.previous).toEqual(referencePreviousOccurrence(schedule, new Date(NOW.getTime() + 1)));
  });

  it("a weekly series from 1826 gives the walk's answer", () => {
    const schedule = rrule("FREQ=WEEKLY;BYDAY=TH", "1826-06-01T10:00");
    const explained = explainDue({ schedule, createBefore: P3D, now: NOW });
    expect(explained.next?.start.toISOString()).toBe("2026-06-04T14:00:00.000Z");
    expect(explained.next).toEqual(referenceNextOccurrence(schedule, new Date(NOW.getTime() + 1)));
    expect(explained.previous).toEqual(referencePreviousOccurrence(schedule, new Date(NOW.getTime() + 1)));
  });

  it("keeps MAX_PERIODS as the end of a rule: a daily series from 1753 ended in 2026, as the walk says", () => {
    // 100,000 days from 1753-01-01 is 2026-10-16: the walk's bound, which the config check warns about.
    const schedule = rrule("FREQ=DAILY", "1753-01-01T10:00", "UTC");
    expect(explainDue({ schedule, createBefore: P3D, now: new Date("2026-10-15T12:00:00Z") }).next?.date).toBe("2026-10-16");
    const after = explainDue({ schedule, createBefore: P3D, now: new Date("2026-12-02T12:00:00Z") });
    expect(after.next).toBeNull();
    expect(after.previous?.date).toBe("2026-10-16");
    expect(stepsFor(schedule)).toBeLessThanOrEqual(8);
  });

  it.each([
    ["WEEKLY with BYMONTH", "FREQ=WEEKLY;BYDAY=WE;BYMONTH=3,4,5,9,10,11;COUNT=9000"],
    ["DAILY with BYMONTHDAY", "FREQ=DAILY;BYMONTHDAY=1,15;COUNT=90000"],
    ["DAILY every third day with BYMONTH", "FREQ=DAILY;INTERVAL=3;BYMONTH=1,2;COUNT=90000"],
  ])("a COUNT rule with no short cycle (%s) is counted by kinds of year and month, not by periods", (_name, text) => {
    const schedule = rrule(text, "1826-03-01T10:00");
    // Each kind of month (number × leap year × weekday of the 1st: 168) is counted once, ≤ 31 periods each;
    // kinds of year are sums of those. Plus the months cut at the two ends.
    expect(stepsFor(schedule)).toBeLessThanOrEqual(168 * 31 + 2 * 62);
    work.steps = 0;
    explainDue({ schedule, createBefore: P3D, now: new Date(NOW.getTime() + 7 * 86_400_000) });
    expect(work.steps).toBeLessThanOrEqual(300);
    const explained = explainDue({ schedule, createBefore: P3D, now: NOW });
    expect(explained.next).toEqual(referenceNextOccurrence(schedule, new Date(NOW.getTime() + 1)));
    expect(explained.previous).toEqual(referencePreviousOccurrence(schedule, new Date(NOW.getTime() + 1)));
  });
});
