import { describe, expect, it } from "vitest";
import type { MeetingIssue } from "../../../src/github/meeting-issues.js";
import { neighbourMeetings } from "../../../src/meetings/neighbour-meetings.js";

function meeting(number: number, series: string, at: string, extra: { cancelled?: true } = {}): MeetingIssue {
  const date = at.slice(0, 10);
  return {
    number,
    url: `https://github.com/example/wg/issues/${number}`,
    state: "closed",
    title: `Meeting ${date}`,
    body: "",
    marker: { v: 1, series, at, date, doc: null, ...extra },
  };
}

describe("neighbourMeetings", () => {
  const issues = [
    meeting(40, "wg", "2026-12-17T15:00:00Z"),
    meeting(39, "other", "2026-12-09T15:00:00Z"),
    meeting(38, "wg", "2026-12-03T15:00:00Z", { cancelled: true }),
    meeting(37, "wg", "2026-11-19T15:00:00Z"),
    meeting(36, "wg", "2026-11-05T15:00:00Z"),
  ];

  it("finds the meeting just before and just after, in the same series, skipping cancelled ones", () => {
    const { previous, next } = neighbourMeetings(issues, "wg", "2026-12-10T15:00:00Z");
    expect(previous?.number).toBe(37);
    expect(next?.number).toBe(40);
  });

  it("orders by start instant, not by issue number", () => {
    const late = [meeting(50, "wg", "2026-11-01T15:00:00Z"), meeting(20, "wg", "2026-11-20T15:00:00Z")];
    expect(neighbourMeetings(late, "wg", "2026-12-01T00:00:00Z").previous?.number).toBe(20);
    expect(neighbourMeetings(late, "wg", "2026-10-01T00:00:00Z").next?.number).toBe(50);
  });

  it("has no neighbours for the first meeting of a series, and never counts the meeting itself", () => {
    expect(neighbourMeetings(issues, "wg", "2026-11-05T15:00:00Z")).toEqual({ previous: null, next: issues[3] });
    expect(neighbourMeetings(issues, "new-series", "2026-11-05T15:00:00Z")).toEqual({ previous: null, next: null });
  });
});
