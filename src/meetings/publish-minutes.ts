import { CommandUsageError, parseMinutesArgs } from "../commands/parse-command.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { listMeetingIssues } from "../github/meeting-issues.js";
import { type ProposedFile, proposeFiles, readBaseFile, type ProposalResult } from "../github/pull-requests.js";
import { thumbsUpUsers } from "../github/reactions.js";
import { searchAgenda } from "../github/search-agenda.js";
import { publicDocReason } from "../minutes-doc/backend.js";
import { docRefUrl } from "../minutes-doc/doc-ref.js";
import { isNotThisMeeting, mismatchOf } from "../minutes-doc/mismatch.js";
import { markerBackend } from "../minutes-doc/select-backend.js";
import type { HackmdClient } from "../hackmd/client.js";
import type { GoogleDocs } from "../google/types.js";
import { parseActionItems } from "../minutes/action-items.js";
import { attendanceFollowUp } from "../minutes/attendance-follow-up.js";
import { composeMinutes, type MinutesNeighbours, type NeighbourLink } from "../minutes/compose-minutes.js";
import { parseDecisions } from "../minutes/decisions.js";
import { MAX_DECISIONS_LOG_BYTES, relativeLink, writeDecisionsLog } from "../minutes/decisions-log.js";
import { MinutesPathError, minutesPath } from "../minutes/minutes-path.js";
import { logUpdated, minutesBranch, minutesCommitMessage, minutesPrBody } from "../minutes/pr-text.js";
import { meetingIdentity } from "./meeting-identity.js";
import { markerOccurrence } from "./refresh-agenda.js";
import type { Occurrence } from "../schedule/types.js";
import type { MeetingMarker } from "../state/meeting-marker.js";
import { renderTitle } from "../render/templates.js";
import type { MeetingIssue } from "../github/meeting-issues.js";
import { neighbourMeetings } from "./neighbour-meetings.js";

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
  /** Loads the HackMD gateway (null without a HackMD token). */
  hackmd?: () => Promise<HackmdClient | null>;
  log: Log;
  /**
   * The App's login (`slug[bot]`): with it the App's meeting issues are listed (one request)
   * and the minutes link the previous and the next meeting; without it they link neither.
   */
  botLogin?: string;
  /** Whether the repository is private (the event's repository `private` flag); not known counts as public. */
  repoPrivate?: boolean;
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

  // The marker's doc id is issue text: it is used (exported, linked) only once its backend says
  // the App made that doc for this meeting. The doc is read where it lives (the marker says which
  // backend), even when the series has since switched backend. With `minutes.doc: none` no doc is
  // part of the minutes.
  let exported: string | null = null;
  let docUrl: string | null = null;
  if (series.minutes.doc !== "none") {
    if (!marker.doc) {
      return { status: "refused", reason: "this meeting has no minutes doc yet (see the doc line in the issue); nothing was written" };
    }
    const { backend: selected, id } = markerBackend(marker.doc, { series, owner: repo.owner, loaders: { google: input.google, hackmd: input.hackmd } });
    try {
      const backend = await selected.load();
      if (!backend) return { status: "refused", reason: `${selected.label} is not configured for this App, so the doc cannot be exported` };
      const doc = await backend.openDoc(id, meetingIdentity(repo, marker));
      exported = await backend.exportMarkdown(doc);
      docUrl = docRefUrl({ kind: selected.kind, id: doc.id });
    } catch (error) {
      if (isNotThisMeeting(error)) {
        log.warn({ ...ctx, doc: marker.doc, mismatch: mismatchOf(error) }, "minutes doc refused: it does not belong to this meeting; nothing written");
      } else {
        log.warn({ ...ctx, err: describeError(error) }, "doc export failed; nothing written");
      }
      const why = publicDocReason(error, selected.kind);
      return { status: "refused", reason: `the minutes doc could not be exported: ${why}. Nothing was written.` };
    }
  }

  const { agenda } = await searchAgenda((query, variables) => gh.graphql(query, variables), series.agenda, log);
  const present = (await thumbsUpUsers(gh, repo, issue.number)).map((login) => `@${login}`);
  const neighbours = input.botLogin ? neighbourLinks(await listMeetingIssues(gh, repo, input.botLogin), series, marker, path) : undefined;
  const content = composeMinutes({
    view: { series, occurrence, agenda },
    issueUrl: issue.url,
    docUrl,
    recordingUrl,
    exported,
    present,
    ...(neighbours ? { neighbours } : {}),
  });

  // What merging will do, read from the file exactly as the merge step will read it.
  const title = renderTitle({ series, occurrence });
  const decisions = parseDecisions(content);
  const actionItems = parseActionItems(content, { meeting: issue.url });
  const files: ProposedFile[] = [{ path, content }];
  const notes: string[] = [];
  const logPath = series.decisions.log;
  let decisionsLog: string | null = null;
  if (logPath !== null && decisions.decisions.length > 0) {
    const written = await decisionsLogFile(gh, repo, input.defaultBranch, {
      series: series.id,
      date: occurrence.date,
      title,
      minutesPath: path,
      logPath,
      decisions: decisions.decisions,
    });
    if (written.status === "file") {
      files.push(written.file);
      decisionsLog = logPath;
    } else if (written.status === "unchanged") {
      decisionsLog = logPath;
    } else {
      notes.push(`\`${logPath}\` is not updated: ${written.why}.`);
      log.warn({ ...ctx, path: logPath, why: written.why }, "decisions log not updated");
    }
  }

  // Quorum and ATTENDANCE.md, only for a series that asks for them (they read earlier minutes).
  let quorum: string | null = null;
  if (series.quorum || series.attendance.file !== null) {
    const attendance = await attendanceFollowUp({
      gh,
      repo,
      ref: input.defaultBranch,
      series,
      date: occurrence.date,
      minutes: content,
      log,
      ...(input.repoPrivate !== undefined ? { repoPrivate: input.repoPrivate } : {}),
    });
    quorum = attendance.quorum;
    notes.push(...(attendance.notes ?? []));
    for (const file of attendance.files) {
      if (files.some((other) => other.path === file.path)) notes.push(`\`${file.path}\` is not updated: the minutes or the decisions log already use that path.`);
      else files.push(file);
    }
  }

  // An earlier run's entry for this meeting, on the PR's branch, goes when the log is not written now.
  const restore = logPath !== null && !files.some((file) => file.path === logPath) ? { paths: [logPath], when: (body: string) => body.includes(logUpdated(logPath)) } : undefined;
  const proposal = await proposeFiles(gh, repo, {
    ...(restore ? { restore } : {}),
    branch: minutesBranch(series.id, occurrence.date),
    base: input.defaultBranch,
    files,
    commitMessage: minutesCommitMessage(occurrence.date, title),
    title: series.minutes.prTitle.replaceAll("{{date}}", occurrence.date),
    body: minutesPrBody(
      { issueUrl: issue.url, docUrl, recordingUrl },
      {
        actionItems,
        issuesIn: series.actionItems.issues ? `${repo.owner}/${series.actionItems.repository ?? repo.repo}` : null,
        decisions,
        decisionsLog,
        quorum,
        notes,
      },
    ),
    labels: series.minutes.labels,
    reviewers: series.minutes.reviewers,
    teamReviewers: series.minutes.teamReviewers,
  });
  log.info({ ...ctx, ...proposal, files: files.length }, "minutes proposed");
  return { status: "proposed", proposal, path };
}

/**
 * The meetings before and after this one, as the minutes link them. The previous meeting's
 * minutes file is linked once its issue is closed (merging the minutes closes it); before that
 * only its issue is.
 */
function neighbourLinks(meetings: readonly MeetingIssue[], series: SeriesConfig, marker: MeetingMarker, path: string): MinutesNeighbours {
  const { previous, next } = neighbourMeetings(meetings, series.id, marker.at);
  const link = (meeting: MeetingIssue | null, withMinutes: boolean): NeighbourLink | null => {
    if (!meeting) return null;
    let minutesLink: string | null = null;
    if (withMinutes && meeting.state === "closed") {
      try {
        minutesLink = relativeLink(path, minutesPath(series.minutes.path, meeting.marker.date));
      } catch (error) {
        if (!(error instanceof MinutesPathError)) throw error;
      }
    }
    return { date: meeting.marker.date, issueUrl: meeting.url, minutesLink };
  };
  return { previous: link(previous, true), next: link(next, false) };
}

type LogFile = { status: "file"; file: ProposedFile } | { status: "unchanged" } | { status: "skipped"; why: string };

/**
 * The decisions log with this meeting's entry, from the log on the base branch (so a re-run
 * replaces the entry it wrote before; a log too big to rewrite, or not a file, is left alone
 * and the PR body says so).
 */
async function decisionsLogFile(gh: GitHub, repo: RepoRef, base: string, entry: Parameters<typeof writeDecisionsLog>[1]): Promise<LogFile> {
  if (entry.logPath === entry.minutesPath) return { status: "skipped", why: "it is the minutes file itself (see `decisions.log`)" };
  const current = await readBaseFile(gh, repo, entry.logPath, base, MAX_DECISIONS_LOG_BYTES);
  if (current.status === "not-a-file") return { status: "skipped", why: `it is not a file on ${base}` };
  if (current.status === "too-large") {
    return { status: "skipped", why: `it is larger than ${MAX_DECISIONS_LOG_BYTES.toLocaleString("en")} bytes (move older entries to another file)` };
  }
  const before = current.status === "ok" ? current.content : null;
  const after = writeDecisionsLog(before, entry);
  return after === null || after === before ? { status: "unchanged" } : { status: "file", file: { path: entry.logPath, content: after } };
}
