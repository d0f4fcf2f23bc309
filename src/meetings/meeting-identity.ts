import type { RepoRef } from "../github/client.js";
import type { MeetingIdentity } from "../minutes-doc/backend.js";
import type { MeetingMarker } from "../state/meeting-marker.js";

/**
 * Whose doc the marker's may be: this repository (from GitHub's event, not the issue text),
 * the marker's series, and the starts the meeting has had (now, and before a `/move`).
 */
export function meetingIdentity(repo: RepoRef, marker: MeetingMarker): MeetingIdentity {
  return {
    repository: `${repo.owner}/${repo.repo}`,
    series: marker.series,
    starts: marker.movedFrom && marker.movedFrom !== marker.at ? [marker.at, marker.movedFrom] : [marker.at],
  };
}
