import type { SeriesConfig } from "../config/schema.js";
import type { RepoRef } from "../github/client.js";
import type { MeetingIssue } from "../github/meeting-issues.js";
import { repoWebUrl } from "../github/web-host.js";
import type { PreviousMeetingView } from "../render/types.js";
import { minutesPath, MinutesPathError } from "../minutes/minutes-path.js";
import { neighbourMeetings } from "./neighbour-meetings.js";

/**
 * The meeting of `series` held just before the one starting at `at`, among the App's meeting
 * issues (see neighbourMeetings: cancelled meetings are skipped, order is by start), with the
 * link to its minutes file: `minutes.path` rendered for the previous marker's date, on the
 * default branch of the meeting's repository, where the App's minutes pull request commits it.
 * Null for the first meeting of a series (or when its predecessor left the listing).
 */
export function previousMeeting(
  meetings: readonly MeetingIssue[],
  input: { series: SeriesConfig; at: string; repo: RepoRef; defaultBranch: string; webUrl: string },
): PreviousMeetingView | null {
  const { previous } = neighbourMeetings(meetings, input.series.id, input.at);
  if (!previous) return null;
  let path: string | null = null;
  try {
    path = minutesPath(input.series.minutes.path, previous.marker.date);
  } catch (error) {
    // A marker from an older release may carry a date the path cannot name: link the issue only.
    if (!(error instanceof MinutesPathError)) throw error;
  }
  return {
    number: previous.number,
    url: previous.url,
    date: previous.marker.date,
    minutesPath: path,
    minutesUrl: path === null ? null : blobUrl(input.webUrl, input.repo, input.defaultBranch, path),
  };
}

/** `https://github.com/o/r/blob/main/meetings/2026-11-25.md`, each segment percent-encoded. */
function blobUrl(webUrl: string, repo: RepoRef, branch: string, path: string): string {
  const segments = (text: string) => text.split("/").map(encodeURIComponent).join("/");
  return `${repoWebUrl(webUrl, repo)}/blob/${segments(branch)}/${segments(path)}`;
}
