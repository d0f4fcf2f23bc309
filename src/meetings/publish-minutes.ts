import { CommandUsageError, parseMinutesArgs } from "../commands/parse-command.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { proposeFile, type ProposalResult } from "../github/pull-requests.js";
import { thumbsUpUsers } from "../github/reactions.js";
import { searchAgenda } from "../github/search-agenda.js";
import { publicGoogleReason } from "../google/errors.js";
import { DocMismatchError } from "../google/meeting-doc.js";
import type { GoogleDocs } from "../google/types.js";
import { composeMinutes } from "../minutes/compose-minutes.js";
import { MinutesPathError, minutesPath } from "../minutes/minutes-path.js";
import { minutesBranch, minutesCommitMessage, minutesPrBody } from "../minutes/pr-text.js";
import { meetingIdentity } from "./meeting-identity.js";
import { markerOccurrence } from "./refresh-agenda.js";
import type { Occurrence } from "../schedule/types.js";
import { docUrl as docUrlOf } from "../google/minutes-doc.js";
import type { MeetingMarker } from "../state/meeting-marker.js";
import { renderTitle } from "../render/templates.js";

export interface PublishMinutesInput {
  gh: GitHub;
  repo: RepoRef;
  defaultBranch: string;
  series: SeriesConfig;
  issue: { number: number; url: string };
  marker: MeetingMarker;
  /** What followed `/minutes` on its line. */
  args: string;
  google: () => Promise<GoogleDocs | null>;
  log: Log;
}

export type PublishMinutesResult =
  | { status: "proposed"; proposal: ProposalResult; path: string }
  | { status: "refused"; reason: string };

/**
 * Turns a meeting's doc (or, without one, its agenda) into the minutes file and proposes it
 * through the meeting's one pull request. Nothing is written until every input is in hand: a
 * failed export or a bad argument refuses with a reason and leaves the repository untouched.
 */
export async function publishMinutes(input: PublishMinutesInput): Promise<PublishMinutesResult> {
  const { gh, repo, series, issue, marker, log } = input;
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, issue: issue.number };

  let recordingUrl: string | null;
  try {
    recordingUrl = parseMinutesArgs(input.args).recording;
  } catch (error) {
    if (error instanceof CommandUsageError) return { status: "refused", reason: error.message };
    throw error;
  }

  const occurrence: Occurrence = markerOccurrence(series, marker);

  let path: string;
  try {
    // Derived from the occurrence, never typed by a person: no more day and month swapped.
    path = minutesPath(series.minutes.path, occurrence.date);
  } catch (error) {
    if (error instanceof MinutesPathError) return { status: "refused", reason: `minutes.path: ${error.message}` };
    throw error;
  }

  // The marker's doc id is issue text: it is used (exported, linked) only once Drive says the
  // App made that doc for this meeting. With `minutes.doc: none` no doc is part of the minutes.
  let exported: string | null = null;
  let docUrl: string | null = null;
  if (series.minutes.doc === "google") {
    if (!marker.doc) {
      return { status: "refused", reason: "this meeting has no minutes doc yet (see the doc line in the issue); nothing was written" };
    }
    try {
      const google = await input.google();
      if (!google) return { status: "refused", reason: "Google is not configured for this App, so the doc cannot be exported" };
      const doc = await google.openMeetingDoc(marker.doc, meetingIdentity(repo, marker));
      exported = await google.exportMarkdown(doc);
      docUrl = docUrlOf(doc.id);
    } catch (error) {
      if (error instanceof DocMismatchError) {
        log.warn({ ...ctx, doc: marker.doc, mismatch: error.mismatch }, "minutes doc refused: it does not belong to this meeting; nothing written");
      } else {
        log.warn({ ...ctx, err: describeError(error) }, "doc export failed; nothing written");
      }
      const why = publicGoogleReason(error);
      return { status: "refused", reason: `the minutes doc could not be exported: ${why}. Nothing was written.` };
    }
  }

  const { agenda } = await searchAgenda((query, variables) => gh.graphql(query, variables), series.agenda, log);
  const present = (await thumbsUpUsers(gh, repo, issue.number)).map((login) => `@${login}`);
  const content = composeMinutes({
    view: { series, occurrence, agenda },
    issueUrl: issue.url,
    docUrl,
    recordingUrl,
    exported,
    present,
  });

  const title = renderTitle({ series, occurrence });
  const proposal = await proposeFile(gh, repo, {
    branch: minutesBranch(series.id, occurrence.date),
    base: input.defaultBranch,
    path,
    content,
    commitMessage: minutesCommitMessage(occurrence.date, title),
    title: series.minutes.prTitle.replaceAll("{{date}}", occurrence.date),
    body: minutesPrBody({ issueUrl: issue.url, docUrl, recordingUrl }),
    labels: series.minutes.labels,
    reviewers: series.minutes.reviewers,
    teamReviewers: series.minutes.teamReviewers,
  });
  log.info({ ...ctx, ...proposal }, "minutes proposed");
  return { status: "proposed", proposal, path };
}
