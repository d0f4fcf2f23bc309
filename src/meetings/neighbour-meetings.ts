import type { MeetingIssue } from "../github/meeting-issues.js";

/** A meeting's neighbours in its series: the meetings just before and just after it. */
export interface NeighbourMeetings {
  previous: MeetingIssue | null;
  next: MeetingIssue | null;
}

/**
 * Finds the meetings of `series` held just before and just after the one starting at `at`,
 * among the App's meeting issues (newest first, as `listMeetingIssues` returns them).
 * Cancelled meetings are skipped: nothing was discussed, so there are no minutes to link. The
 * order is by start instant, not by issue number: a meeting moved earlier, or an issue opened
 * late, keeps its place in time.
 */
export function neighbourMeetings(issues: readonly MeetingIssue[], series: string, at: string): NeighbourMeetings {
  const here = Date.parse(at);
  let previous: MeetingIssue | null = null;
  let next: MeetingIssue | null = null;
  for (const issue of issues) {
    const { marker } = issue;
    if (marker.series !== series || marker.cancelled) continue;
    const start = Date.parse(marker.at);
    if (start < here && (!previous || start > Date.parse(previous.marker.at))) previous = issue;
    if (start > here && (!next || start < Date.parse(next.marker.at))) next = issue;
  }
  return { previous, next };
}
