import { describe, expect, it } from "vitest";
import { dueOccurrence, explainDue } from "../../../src/schedule/due.js";
import { parseDuration } from "../../../src/schedule/duration.js";
import { scheduleFromConfig } from "../../../src/schedule/occurrences.js";

// Thursdays 10:00 New York: 2024-03-07 15:00Z (EST), 2024-03-14 14:00Z (EDT, after the 03-10 change), 03-21 14:00Z.
const weekly = scheduleFromConfig({ rrule: "FREQ=WEEKLY;BYDAY=TH", start: "2024-01-04T10:00", zone: "America/New_York", skip: [] });
const P3D = parseDuration("P3D");

const due = (now: string, createBefore = P3D, schedule = weekly) => {
  const result = dueOccurrence({ schedule, createBefore, now: new Date(now) });
  return result && { date: result.occurrence.date, start: result.occurrence.start.toISOString(), opensAt: result.opensAt.toISOString() };
};

describe("dueOccurrence", () => {
  it.each([
    // 2024-03-14 10:00 EDT − P3D = Monday 2024-03-11 10:00 EDT = 14:00Z.
    ["one minute before opening", "2024-03-11T13:59:00Z", null],
    ["at opening", "2024-03-11T14:00:00Z", "2024-03-14"],
    ["between opening and start", "2024-03-13T00:00:00Z", "2024-03-14"],
    ["one ms before start", "2024-03-14T13:59:59.999Z", "2024-03-14"],
    // At its start a meeting has started: the next one (03-21) opens 03-18, not yet.
    ["at start", "2024-03-14T14:00:00Z", null],
    ["after start", "2024-03-14T14:01:00Z", null],
    ["the next one at its opening", "2024-03-18T14:00:00Z", "2024-03-21"],
  ])("%s (%s) → %s", (_name, now, expected) => {
    expect(due(now)?.date ?? null).toBe(expected);
  });

  it("subtracts the lead time on the series' wall clock across a DST change", () => {
    // 2024-03-14 10:00 EDT − P5D = Saturday 2024-03-09 10:00 EST = 15:00Z (not 14:00Z).
    expect(due("2024-03-09T14:59:00Z", parseDuration("P5D"))).toBeNull();
    expect(due("2024-03-09T15:00:00Z", parseDuration("P5D"))).toEqual({
      date: "2024-03-14",
      start: "2024-03-14T14:00:00.000Z",
      opensAt: "2024-03-09T15:00:00.000Z",
    });
    // PT120H is elapsed time: 2024-03-09T14:00Z.
    expect(due("2024-03-09T14:00:00Z", parseDuration("PT120H"))?.opensAt).toBe("2024-03-09T14:00:00.000Z");
  });

  it("after a start, a lead time longer than the gap makes the following meeting due", () => {
    expect(due("2024-03-14T14:01:00Z", parseDuration("P8D"))).toEqual({
      date: "2024-03-21",
      start: "2024-03-21T14:00:00.000Z",
      opensAt: "2024-03-13T14:00:00.000Z",
    });
  });

  it("is null once a series has ended", () => {
    const ended = scheduleFromConfig({ rrule: "FREQ=WEEKLY;BYDAY=TH;COUNT=1", start: "2024-01-04T10:00", zone: "UTC", skip: [] });
    expect(due("2024-01-04T10:00:00Z", P3D, ended)).toBeNull();
  });

  it("skips skipped dates", () => {
    const skipping = scheduleFromConfig({ rrule: "FREQ=WEEKLY;BYDAY=TH", start: "2024-01-04T10:00", zone: "America/New_York", skip: ["2024-03-14"] });
    expect(due("2024-03-12T00:00:00Z", P3D, skipping)).toBeNull();
    expect(due("2024-03-18T14:00:00Z", P3D, skipping)?.date).toBe("2024-03-21");
  });

  it("works for interval schedules", () => {
    const chicago = scheduleFromConfig({ interval: "2025-08-04T13:00:00[America/Chicago]/P2W", skip: [] });
    // 2025-11-10 13:00 CST = 19:00Z; − P3D = Friday 2025-11-07 13:00 CST = 19:00Z.
    expect(due("2025-11-07T18:59:00Z", P3D, chicago)).toBeNull();
    expect(due("2025-11-07T19:00:00Z", P3D, chicago)?.start).toBe("2025-11-10T19:00:00.000Z");
  });
});

describe("explainDue", () => {
  it("reports the next meeting and its opening even when not due", () => {
    const info = explainDue({ schedule: weekly, createBefore: P3D, now: new Date("2024-03-14T14:00:00Z") });
    expect(info.due).toBe(false);
    expect(info.next?.date).toBe("2024-03-21");
    expect(info.opensAt?.toISOString()).toBe("2024-03-18T14:00:00.000Z");
    expect(info.previous?.date).toBe("2024-03-14");
    expect(info.now.toISOString()).toBe("2024-03-14T14:00:00.000Z");
  });

  it("reports nothing upcoming for an ended series", () => {
    const ended = scheduleFromConfig({ rrule: "FREQ=DAILY;COUNT=2", start: "2024-01-04T10:00", zone: "UTC", skip: [] });
    const info = explainDue({ schedule: ended, createBefore: P3D, now: new Date("2025-01-01T00:00:00Z") });
    expect(info).toMatchObject({ next: null, opensAt: null, due: false });
    expect(info.previous?.date).toBe("2024-01-05");
  });
});
