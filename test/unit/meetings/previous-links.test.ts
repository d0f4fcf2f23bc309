import { describe, expect, it } from "vitest";
import type { MeetingIssue } from "../../../src/github/meeting-issues.js";
import { previousMeeting } from "../../../src/meetings/previous-links.js";
import { defaultSeries } from "../render/series.js";

function meeting(number: number, at: string, extra: { cancelled?: true } = {}): MeetingIssue {
  const date = at.slice(0, 10);
  return { number, url: `https://github.com/acme/wg/issues/${number}`, state: "closed", title: date, body: "", marker: { v: 1, series: "tooling", at, date, doc: null, ...extra } };
}

const input = (path = "meetings/{{year}}/{{date}}.md") => ({
  series: defaultSeries({ minutes: { path } }),
  at: "2026-12-08T15:00:00.000Z",
  repo: { owner: "acme", repo: "wg" },
  defaultBranch: "release/main",
  webUrl: "https://ghe.example.org",
});

describe("previousMeeting", () => {
  it("links the meeting before (a cancelled one skipped) and its minutes file on the default branch", () => {
    const meetings = [meeting(12, "2026-12-15T15:00:00.000Z"), meeting(11, "2026-12-01T15:00:00.000Z", { cancelled: true }), meeting(10, "2026-11-24T15:00:00.000Z")];
    expect(previousMeeting(meetings, input())).toEqual({
      number: 10,
      url: "https://github.com/acme/wg/issues/10",
      date: "2026-11-24",
      minutesPath: "meetings/2026/2026-11-24.md",
      minutesUrl: "https://ghe.example.org/acme/wg/blob/release/main/meetings/2026/2026-11-24.md",
    });
  });

  it("is null for the first meeting of a series", () => {
    expect(previousMeeting([meeting(12, "2026-12-15T15:00:00.000Z")], input())).toBeNull();
  });

  it("links the issue alone when the marker's date cannot name a minutes file", () => {
    const odd = meeting(10, "2026-11-24T15:00:00.000Z");
    odd.marker.date = "2026-02-30";
    expect(previousMeeting([odd], input())).toMatchObject({ number: 10, minutesPath: null, minutesUrl: null });
  });
});
