import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { listAppIssues, meetingIssuesFrom } from "../github/meeting-issues.js";
import { searchAgenda } from "../github/search-agenda.js";
import { describeError } from "../github/errors.js";
import { MinutesDocError, publicDocReason } from "../minutes-doc/backend.js";
import { markerDocUrl } from "../minutes-doc/doc-ref.js";
import { isNotThisMeeting, mismatchOf } from "../minutes-doc/mismatch.js";
import { markerBackend } from "../minutes-doc/select-backend.js";
import type { HackmdClient } from "../hackmd/client.js";
import type { GoogleDocs } from "../google/types.js";
import { readSection, replaceSection } from "../render/sections.js";
import { renderIssue } from "../render/templates.js";
import { localDate } from "../schedule/time-table.js";
import { parseMarker, withMarker, type MeetingMarker } from "../state/meeting-marker.js";
import { followUpOf, listOtherActionItems } from "./follow-up.js";
import { meetingIdentity } from "./meeting-identity.js";
import { markerOccurrence } from "./refresh-agenda.js";

export type MoveResult =
  | { moved: true; title: string; start: string; doc: "renamed" | "none" | { failed: string } }
  | { moved: false; reason: string };

export interface MoveInput {
  gh: GitHub;
  repo: RepoRef;
  series: SeriesConfig;
  issueNumber: number;
  to: Date;
  now: Date;
  botLogin: string;
  /** The repository's default branch, where the minutes files are (for the previous meeting's link). */
  defaultBranch: string;
  /** The GitHub web host (`gitHubWebUrl`), for links made before GitHub gives them. */
  webUrl: string;
  /** Whether the repository is private, as the event says (saves reading it); not known: read. */
  repoPrivate?: boolean | undefined;
  google: () => Promise<GoogleDocs | null>;
  /** Loads the HackMD gateway (null without a HackMD token). */
  hackmd?: () => Promise<HackmdClient | null>;
  templateSource?: string | undefined;
  /** The App's public URL, for calendar feed links. */
  publicUrl?: URL | null;
  log: Log;
}

/**
 * `/move`: reschedules this occurrence. The title, the time table, the agenda (with its
 * carried-over marks) and the open action items are re-rendered for the new time (only those
 * sections: people's text is kept), the marker records the new time and the scheduled one it
 * replaces — so the tick neither reopens the old slot nor opens a second issue — and the
 * minutes doc takes the new title (only a doc its backend says is this meeting's).
 * The one listing of the App's issues serves both the clash check and the follow-up; only
 * `actionItems.repository` in another repository costs one listing more.
 */
export async function moveMeeting(input: MoveInput): Promise<MoveResult> {
  const { gh, repo, series, log } = input;
  const { data } = await gh.rest.issues.get({ ...repo, issue_number: input.issueNumber });
  const body = data.body ?? "";
  const marker = parseMarker(body);
  if (!marker) return { moved: false, reason: "this issue has no meeting marker" };
  if (marker.cancelled || data.state === "closed") return { moved: false, reason: "this meeting is closed; nothing was changed" };
  if (input.to.getTime() <= input.now.getTime()) return { moved: false, reason: "that time has already passed; nothing was changed" };

  const at = input.to.toISOString();
  // One listing of the App's issues serves the clash check and the follow-up below.
  const appIssues = await listAppIssues(gh, repo, input.botLogin);
  const clash = meetingIssuesFrom(appIssues).find(
    (other) => other.number !== input.issueNumber && other.marker.series === series.id && other.marker.at === at,
  );
  if (clash) return { moved: false, reason: `#${clash.number} is already the meeting at that time; nothing was changed` };

  const zone = markerOccurrence(series, marker).zone;
  const occurrence = { start: input.to, zone, date: localDate(input.to, zone) };
  // What earlier meetings left, seen from the new time: the carried-over marks and the open
  // action items (with their ages) are re-rendered with the agenda, not dropped. The issue
  // itself is left out of the listing: at its old time it would pass for its own predecessor.
  const followUp = followUpOf({
    series,
    at,
    date: occurrence.date,
    repo,
    defaultBranch: input.defaultBranch,
    webUrl: input.webUrl,
    botLogin: input.botLogin,
    issues: appIssues.filter((issue) => issue.number !== input.issueNumber),
    actionItemIssues: await listOtherActionItems(gh, series, repo, input.botLogin, log, { meetingPrivate: input.repoPrivate }),
  });
  const { agenda } = await searchAgenda((query, variables) => gh.graphql(query, variables), series.agenda, log);
  const rendered = renderIssue(
    {
      series,
      occurrence,
      agenda,
      docUrl: marker.doc ? markerDocUrl(marker.doc) : null,
      // The issue exists: its calendar event links it, at the address GitHub gave it.
      issueUrl: data.html_url,
      repository: repo,
      publicUrl: input.publicUrl ?? null,
      followUp,
    },
    input.templateSource,
  );
  let next = body;
  for (const name of ["time", "agenda"] as const) {
    const section = readSection(rendered.body, name);
    if (section !== null) next = replaceSection(next, name, section);
  }
  // The open action items only when they were read (a refused listing leaves them as they are),
  // and only where the issue still has their section.
  const actions = followUp.openActionItems ? readSection(rendered.body, "actions") : null;
  if (actions !== null && readSection(next, "actions") !== null) next = replaceSection(next, "actions", actions);

  // The doc first: checked against the marker as it stands (the starts it knows), renamed and
  // told its new start. Then, should the issue edit fail, the doc still matches the marker.
  const doc = marker.doc ? await moveDoc(input, marker, marker.doc, { title: rendered.title, start: at }) : "none";

  next = withMarker(next, { ...marker, at, date: occurrence.date, movedFrom: marker.movedFrom ?? marker.at });
  await gh.rest.issues.update({ ...repo, issue_number: input.issueNumber, title: rendered.title, body: next });
  log.info({ repo: `${repo.owner}/${repo.repo}`, issue: input.issueNumber, from: marker.at, to: at }, "meeting moved");
  return { moved: true, title: rendered.title, start: at, doc };
}

/**
 * Renames the meeting's doc where it lives (the marker says which backend), once the backend
 * says the App made it for this meeting; a doc that is not (the marker was edited to name
 * another) is left untouched. The backend's failures do not stop the move: the reply says what
 * became of the doc.
 */
async function moveDoc(
  input: MoveInput,
  marker: MeetingMarker,
  docId: string,
  to: { title: string; start: string },
): Promise<Extract<MoveResult, { moved: true }>["doc"]> {
  const { repo, log } = input;
  const ctx = { repo: `${repo.owner}/${repo.repo}`, issue: input.issueNumber, doc: docId };
  const { backend: selected, id } = markerBackend(docId, { series: input.series, owner: repo.owner, loaders: { google: input.google, hackmd: input.hackmd } });
  try {
    const backend = await selected.load();
    if (!backend) throw new MinutesDocError("not-configured", `${selected.label} is not configured for this App`);
    const doc = await backend.openDoc(id, meetingIdentity(repo, marker));
    await backend.moveDoc(doc, to);
    return "renamed";
  } catch (error) {
    if (isNotThisMeeting(error)) {
      log.warn({ ...ctx, mismatch: mismatchOf(error) }, "minutes doc not renamed: it does not belong to this meeting");
    } else {
      log.warn({ ...ctx, err: describeError(error) }, "minutes doc not renamed");
    }
    return { failed: publicDocReason(error, selected.kind) };
  }
}
