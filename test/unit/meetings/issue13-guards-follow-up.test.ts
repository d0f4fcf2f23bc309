import { describe, expect, it } from "vitest";
import type { AppIssue, MeetingIssue } from "../../../src/github/meeting-issues.js";
import { carriedOver } from "../../../src/meetings/carried-over.js";
import { followUpOf } from "../../../src/meetings/follow-up.js";
import { previousMeeting } from "../../../src/meetings/previous-links.js";
import { formatActionItemMarker } from "../../../src/state/action-item-marker.js";
import { defaultSeries } from "../render/series.js";

/**
 * What the next meeting's issue says about the meetings before it (issue 13): the previous
 * meeting's minutes link, the items carried over, and the open action items, all derived from
 * the App's issues. These pin the edges people hit with real configs and real (edited) issues.
 */
const BOT = "wg-meetings[bot]";
const link = (number: number) => `https://github.com/acme/wg/issues/${number}`;

function meeting(number: number, date: string, items: number[], markerDate = date): MeetingIssue {
  const agenda = items.map((item) => `* Item ${item} [#${item}](${link(item)})`).join("\n");
  return {
    number,
    url: link(number),
    state: "closed",
    title: `Meeting ${date}`,
    body: `Intro.<!-- wg-meetings:agenda -->\n\n### acme/wg\n\n${agenda}<!-- /wg-meetings:agenda -->\n`,
    marker: { v: 1, series: "wg", at: `${date}T15:00:00.000Z`, date: markerDate, doc: null },
  };
}

describe("the previous meeting's minutes link", () => {
  it("percent-encodes a minutes folder with spaces and a branch with a #, so the link is one working URL", () => {
    const previous = meeting(10, "2026-11-24", []);
    previous.marker.series = "tooling";
    const view = previousMeeting([previous], {
      series: defaultSeries({ minutes: { path: "Meeting notes/{{date}}.md" } }),
      at: "2026-12-01T15:00:00.000Z",
      repo: { owner: "acme", repo: "wg" },
      defaultBranch: "wg#main",
      webUrl: "https://github.com",
    });
    expect(view).toMatchObject({
      minutesPath: "Meeting notes/2026-11-24.md",
      minutesUrl: "https://github.com/acme/wg/blob/wg%23main/Meeting%20notes/2026-11-24.md",
    });
  });
});

describe("items carried over", () => {
  it("a run stops at a meeting whose marker has no real date: the item is dated from the meetings after it", () => {
    const meetings = [meeting(12, "2026-12-01", [3]), meeting(11, "2026-11-24", [3], "soon"), meeting(10, "2026-11-17", [3])];
    expect(carriedOver(meetings, "wg", "2026-12-08T15:00:00.000Z")).toEqual(new Map([[link(3), "2026-12-01"]]));
  });
});

describe("open action items when actionItems.repository is the meeting's repository in another case", () => {
  it("are listed from the one listing of the meeting's repository", () => {
    const marker = formatActionItemMarker({ v: 1, meeting: "acme/wg", series: "tooling", date: "2026-11-24", key: "0123456789abcdef" });
    const item: AppIssue = {
      number: 11,
      url: link(11),
      state: "open",
      title: "Draft the announcement",
      body: `> Draft the announcement\n\n- **Owners:** @alice\n\n${marker}\n`,
      author: BOT,
      stateReason: null,
    };
    const followUp = followUpOf({
      series: defaultSeries({ actionItems: { repository: "WG" } }),
      at: "2026-12-01T15:00:00.000Z",
      date: "2026-12-01",
      repo: { owner: "acme", repo: "wg" },
      defaultBranch: "main",
      webUrl: "https://github.com",
      botLogin: BOT,
      issues: [item],
    });
    expect(followUp.openActionItems?.items.map((entry) => [entry.number, entry.owners])).toEqual([[11, ["alice"]]]);
  });
});
