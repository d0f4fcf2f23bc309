import { groupAgenda } from "../agenda/group-agenda.js";
import { repoRef, type GitHub, type Log, type RepoRef } from "../github/client.js";
import { listAppIssues, meetingIssuesFrom } from "../github/meeting-issues.js";
import { loadRepoConfig } from "../github/repo-config.js";
import { GITHUB_COM_WEB_URL } from "../github/web-host.js";
import { readSection, replaceSection } from "../render/sections.js";
import { renderIssue } from "../render/templates.js";
import { parseActionItemMarker } from "../state/action-item-marker.js";
import { followUpOf, otherActionRepository, readOtherActionItems } from "./follow-up.js";
import { templateSourceOf } from "./open-meeting.js";
import { markerOccurrence } from "./refresh-agenda.js";

/** An `issues.closed` / `issues.reopened` event's issue, as much as this needs. */
export interface ChangedIssue {
  number: number;
  body: string | null;
  /** Who opened it. */
  author: string | null;
  isPullRequest: boolean;
}

export type ActionItemsRefresh =
  | { action: "ignored"; why: string }
  | { action: "refreshed"; meetings: Array<{ number: number; action: "updated" | "unchanged" | "skipped"; why?: string }> };

/**
 * An action-item issue closed or reopened: the open meeting issues of its series (not started
 * yet, not cancelled) list it, or stop listing it, in their *Open action items* section. One
 * edit per meeting issue, and only when the section changes: a redelivered event, or one the
 * tick already caught up with, reads the listing and writes nothing.
 *
 * Only issues the App opened count, by the event's author and again in the listing: anyone can
 * paste an action-item marker into an issue of their own. The marker names the meeting's
 * repository; the action item is followed only in that repository or in its series'
 * `actionItems.repository`, of the same owner.
 *
 * Requests: the meeting repository's config (1, more with `_extends`) and the App's issues there
 * (1), the action-item repository's too when it is another (1, and when it lists an open issue
 * the visibility the event does not tell: 0 to 1 for a public one, 1 for a private one), the
 * issue template when it is a repository file (1); then per meeting issue whose section changes,
 * a read and an edit. A private action-item repository's titles and owners are withheld from a
 * public meeting's issue (follow-up.ts).
 */
export async function refreshOpenActionItems(input: {
  gh: GitHub;
  /** The repository the event is from (where the action-item issue is). */
  repo: RepoRef;
  issue: ChangedIssue;
  botLogin: string;
  now: Date;
  log: Log;
  webUrl?: string;
  publicUrl?: URL | null;
  /** The event's repository `private` flag (of `repo`), so that visibility need not be read. */
  repoPrivate?: boolean;
}): Promise<ActionItemsRefresh> {
  const { gh, repo, issue, botLogin, log } = input;
  if (issue.isPullRequest) return { action: "ignored", why: "a pull request" };
  if (issue.author?.toLowerCase() !== botLogin.toLowerCase()) return { action: "ignored", why: "not an issue the App opened" };
  const marker = parseActionItemMarker(issue.body);
  if (!marker) return { action: "ignored", why: "no action-item marker" };

  const meetingRepo = repoRef(marker.meeting);
  if (meetingRepo.owner.toLowerCase() !== repo.owner.toLowerCase()) return { action: "ignored", why: "the meeting is another owner's" };
  const loaded = await loadRepoConfig(gh, meetingRepo);
  if (loaded.status !== "ok") return { action: "ignored", why: `the meeting repository has ${loaded.status === "none" ? "no" : "an invalid"} config` };
  const series = loaded.config.meetings.find((candidate) => candidate.id === marker.series);
  if (!series) return { action: "ignored", why: `no series "${marker.series}" in the meeting repository` };
  const here = sameRepo(repo, meetingRepo);
  const configured = series.actionItems.repository !== undefined && series.actionItems.repository.toLowerCase() === repo.repo.toLowerCase();
  if (!here && !configured) return { action: "ignored", why: "the series keeps its action items elsewhere" };

  const issues = await listAppIssues(gh, meetingRepo, botLogin);
  const meetings = meetingIssuesFrom(issues.filter((listed) => listed.author?.toLowerCase() === botLogin.toLowerCase())).filter((meeting) => {
    if (meeting.marker.series !== series.id || meeting.state !== "open" || meeting.marker.cancelled) return false;
    return input.now < markerOccurrence(series, meeting.marker).start;
  });
  if (meetings.length === 0) return { action: "refreshed", meetings: [] };
  // Where the series keeps its action items now, when that is not the meeting's repository.
  const other = otherActionRepository(series, meetingRepo);
  const known = here ? { meetingPrivate: input.repoPrivate } : { otherPrivate: input.repoPrivate };
  const actionItemIssues = other ? await readOtherActionItems(gh, { meeting: meetingRepo, other }, botLogin, known) : undefined;
  const templateSource = await templateSourceOf(gh, meetingRepo, series);

  const results: Extract<ActionItemsRefresh, { action: "refreshed" }>["meetings"] = [];
  for (const meeting of meetings) {
    const occurrence = markerOccurrence(series, meeting.marker);
    const followUp = followUpOf({
      series,
      at: meeting.marker.at,
      date: meeting.marker.date,
      repo: meetingRepo,
      defaultBranch: "",
      webUrl: input.webUrl ?? GITHUB_COM_WEB_URL,
      botLogin,
      issues,
      actionItemIssues,
    });
    if (!followUp.openActionItems) continue;
    // Only the action items section is taken from this render; the agenda is the search's.
    const rendered = renderIssue(
      {
        series,
        occurrence,
        agenda: groupAgenda([]),
        docUrl: null,
        issueUrl: meeting.url,
        repository: meetingRepo,
        publicUrl: input.publicUrl ?? null,
        followUp: { openActionItems: followUp.openActionItems },
      },
      templateSource,
    );
    const section = readSection(rendered.body, "actions");
    if (section === null) {
      results.push({ number: meeting.number, action: "skipped", why: "the issue template has no open action items section" });
      continue;
    }
    // The listing is strongly consistent: when it shows the section as rendered, nothing is read again.
    if (readSection(meeting.body, "actions") === section) {
      results.push({ number: meeting.number, action: "unchanged" });
      continue;
    }
    // Re-read right before writing: an edit made since the listing is kept.
    const { data } = await gh.rest.issues.get({ ...meetingRepo, issue_number: meeting.number });
    const body = data.body ?? "";
    const current = readSection(body, "actions");
    if (current === null) {
      results.push({ number: meeting.number, action: "skipped", why: "the issue has no open action items markers (edited away)" });
      continue;
    }
    if (current === section) {
      results.push({ number: meeting.number, action: "unchanged" });
      continue;
    }
    await gh.rest.issues.update({ ...meetingRepo, issue_number: meeting.number, body: replaceSection(body, "actions", section) });
    log.info(
      { repo: `${meetingRepo.owner}/${meetingRepo.repo}`, issue: meeting.number, actionItem: issue.number, open: followUp.openActionItems?.total ?? 0 },
      "open action items updated",
    );
    results.push({ number: meeting.number, action: "updated" });
  }
  return { action: "refreshed", meetings: results };
}

function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}
