import type { GitHub, RepoRef } from "../github/client.js";
import { parseMarker, withMarker } from "../state/meeting-marker.js";

const CANCELLED_TITLE = /^\[Cancelled\] /;

/**
 * `/cancel [reason]`: this occurrence is off. The issue says so at the top (people's text below
 * is kept), its title is marked, its marker records it, and it is closed as not planned. The
 * minutes doc is kept. The tick still finds the (closed) issue by its marker, so it never opens
 * the cancelled occurrence again, and the next occurrence proceeds as usual.
 */
export async function cancelMeeting(
  gh: GitHub,
  repo: RepoRef,
  issueNumber: number,
  cancel: { by: string; reason: string },
): Promise<{ alreadyCancelled: boolean }> {
  const { data } = await gh.rest.issues.get({ ...repo, issue_number: issueNumber });
  const body = data.body ?? "";
  const marker = parseMarker(body);
  if (!marker) throw new Error("this issue has no meeting marker");
  if (marker.cancelled) return { alreadyCancelled: true };

  const why = cancel.reason.trim() ? `: ${cancel.reason.trim().replace(/\s+/g, " ")}` : ".";
  const banner = `> [!CAUTION]\n> **This meeting is cancelled** (by @${cancel.by})${why}\n> The series goes on: the next meeting opens as usual.\n\n`;
  await gh.rest.issues.update({
    ...repo,
    issue_number: issueNumber,
    title: CANCELLED_TITLE.test(data.title) ? data.title : `[Cancelled] ${data.title}`,
    body: withMarker(`${banner}${body}`, { ...marker, cancelled: true }),
    state: "closed",
    state_reason: "not_planned",
  });
  return { alreadyCancelled: false };
}
