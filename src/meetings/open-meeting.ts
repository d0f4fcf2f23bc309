import type { SeriesConfig } from "../config/schema.js";
import { claimOccurrence } from "../github/claims.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { closeIssueWithComment, createIssue, listAppIssues, meetingIssuesFrom, type AppIssue, type MeetingIssue } from "../github/meeting-issues.js";
import { GITHUB_COM_WEB_URL } from "../github/web-host.js";
import { fetchTextFile } from "../github/repo-files.js";
import { searchAgenda } from "../github/search-agenda.js";
import { renderIssue } from "../render/templates.js";
import type { Agenda } from "../agenda/types.js";
import type { GoogleDocs } from "../google/types.js";
import type { HackmdClient } from "../hackmd/client.js";
import type { Occurrence } from "../schedule/types.js";
import { ensureMinutesDoc, type EnsureDocResult } from "./ensure-minutes-doc.js";
import { markerOccurrence, refreshAgenda, type RefreshResult } from "./refresh-agenda.js";
import { withMarker } from "../state/meeting-marker.js";
import type { FollowUp } from "../render/types.js";
import { followUpOf, listOtherActionItems } from "./follow-up.js";

/** What opening one occurrence's meeting did. */
export type OpenMeetingResult =
  | { action: "created"; number: number; url: string; closedPrevious: number[]; doc?: EnsureDocResult }
  | { action: "exists"; number: number; url: string; closedPrevious?: number[]; doc?: EnsureDocResult; agenda?: RefreshResult["action"] }
  | { action: "claimed-elsewhere"; reason: string }
  | { action: "dry-run"; title: string; body: string };

export interface OpenMeetingInput {
  gh: GitHub;
  repo: RepoRef;
  /** Claims point into the repository's history: they need a commit of its default branch. */
  defaultBranch: string;
  series: SeriesConfig;
  occurrence: Occurrence;
  now: Date;
  /** The wall clock for claims (default: the real one); see TickOptions.clock. */
  clock?: () => Date;
  /** The App's own login (`slug[bot]`): only its issues count as meetings. */
  botLogin: string;
  dryRun: boolean;
  log: Log;
  /** The repo's meeting issues if the caller already listed them (saves a request). */
  known?: MeetingIssue[];
  /**
   * The App's issues in the repository as the caller listed them (`listAppIssues`: meeting and
   * action-item issues): the open action items are read from them. With `known` and without
   * these, the action items are not known and stay as the issue shows them.
   */
  appIssues?: readonly AppIssue[];
  /** Loads the Google gateway on first use (null when the App has no Google credentials). */
  google?: () => Promise<GoogleDocs | null>;
  /** Loads the HackMD gateway on first use (null when the App has no HackMD token). */
  hackmd?: () => Promise<HackmdClient | null>;
  /** The App's public URL, for the series' calendar feed links (null: no feed links). */
  publicUrl?: URL | null;
  /** The GitHub web host (`gitHubWebUrl`), for links made before the issue has its URL. */
  webUrl?: string;
}

/** Templates named by a path are the repository's own files; anything else is a preset. */
export function isRepoTemplatePath(template: string): boolean {
  return template.startsWith(".github/");
}

/**
 * Opens the meeting issue of one occurrence, exactly once.
 *
 * Look (is there an issue with this occurrence's marker?) → gather the agenda → render →
 * claim the occurrence (an atomic git ref, see claims.ts) → create. A run that loses the
 * claim stops without writing; a run that takes over a stale claim looks again first. The
 * create is sent once: if its answer is lost, the issue is found again by its marker.
 */
export async function openMeeting(input: OpenMeetingInput): Promise<OpenMeetingResult> {
  const { gh, repo, series, occurrence, log } = input;
  const at = occurrence.start.toISOString();
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, at };

  // One listing serves the look-up and the follow-up (previous meeting, carried-over items,
  // open action items), unless the caller already made it.
  const appIssues = input.appIssues ?? (input.known ? undefined : await listAppIssues(gh, repo, input.botLogin));
  const meetings = input.known ?? meetingIssuesFrom(appIssues ? [...appIssues] : []);
  const existing = findOccurrence(meetings, series.id, occurrence);
  if (existing) {
    log.debug({ ...ctx, issue: existing.number }, "meeting issue exists");
    return keepUp(input, existing, meetings, appIssues);
  }

  const agenda = await gatherAgenda(input);
  const templateSource = await templateSourceOf(gh, repo, series);
  const followUp = await followUpFor(input, { at, date: occurrence.date }, meetings, appIssues);

  const rendered = renderIssue(
    {
      series,
      occurrence,
      agenda,
      docUrl: null,
      issueUrl: null,
      repository: repo,
      publicUrl: input.publicUrl ?? null,
      webUrl: input.webUrl ?? null,
      followUp,
    },
    templateSource,
  );
  const body = withMarker(rendered.body, {
    v: 1,
    series: series.id,
    at,
    date: occurrence.date,
    doc: null,
    zone: occurrence.zone,
    ...(occurrence.eventId ? { event: occurrence.eventId } : {}),
  });

  if (input.dryRun) {
    log.info({ ...ctx, title: rendered.title }, "dry run: would open meeting issue");
    return { action: "dry-run", title: rendered.title, body };
  }

  const claim = await claimOccurrence(gh, repo, {
    series: series.id,
    start: occurrence.start,
    defaultBranch: input.defaultBranch,
    now: (input.clock ?? (() => new Date()))(),
  });
  if (!claim.acquired) {
    log.info({ ...ctx, reason: claim.reason }, "skipped: occurrence claimed by another run");
    return { action: "claimed-elsewhere", reason: claim.reason };
  }
  if (claim.tookOver) {
    // The stale holder may have been slow rather than dead, or died half-way: look once more
    // before writing, and finish what it left (previous meeting, doc).
    const listed = await listAppIssues(gh, repo, input.botLogin);
    const again = findOccurrence(meetingIssuesFrom(listed), series.id, occurrence);
    if (again) return keepUp(input, again, meetingIssuesFrom(listed), listed);
  }

  // Found again by its marker if GitHub's answer is lost (createIssue), never opened twice.
  const created = await createIssue(
    gh,
    repo,
    { title: rendered.title, body, labels: series.issue.labels },
    { botLogin: input.botLogin, isIt: (issue) => findOccurrence(meetingIssuesFrom([issue]), series.id, occurrence) !== undefined },
  );
  log.info({ ...ctx, issue: created.number, title: rendered.title, foundAgain: created.found }, "opened meeting issue");

  const closedPrevious = await closePrevious(input, meetings, { number: created.number, at }, { lookFirst: false });
  const doc = wantsDoc(series) ? await linkDoc(input, created, agenda, claim.tree) : undefined;
  return { action: "created", number: created.number, url: created.url, closedPrevious, ...(doc ? { doc } : {}) };
}

/**
 * An occurrence whose issue exists. Until the meeting starts: the agenda follows its label, a
 * doc that could not be created before is tried again, and previous meetings a run left open
 * (it opened this one, then failed before closing them) are closed.
 */
async function keepUp(
  input: OpenMeetingInput,
  existing: MeetingIssue,
  meetings: MeetingIssue[],
  appIssues: readonly AppIssue[] | undefined,
): Promise<OpenMeetingResult> {
  const { gh, repo, series, log } = input;
  // The meeting as its issue now stands: `/move` may have changed its time, `/cancel` ended it.
  const meeting = markerOccurrence(series, existing.marker);
  const live = existing.state === "open" && !existing.marker.cancelled && input.now < meeting.start;
  const retryDoc = live && wantsDoc(series) && existing.marker.doc === null;
  if (input.dryRun || !live) return { action: "exists", number: existing.number, url: existing.url };
  const closedPrevious = await closePrevious(input, meetings, { number: existing.number, at: existing.marker.at }, { lookFirst: true });
  const searchedAt = new Date();
  const agenda = await gatherAgenda(input);
  const doc = retryDoc
    ? await linkDoc({ ...input, occurrence: meeting }, { number: existing.number, url: existing.url }, agenda)
    : undefined;
  const refreshed = await refreshAgenda({
    gh,
    repo,
    series,
    issue: existing,
    now: input.now,
    log,
    agenda,
    searchedAt,
    templateSource: await templateSourceOf(gh, repo, series),
    publicUrl: input.publicUrl ?? null,
    followUp: await followUpFor(input, { at: existing.marker.at, date: existing.marker.date }, meetings, appIssues),
  });
  return {
    action: "exists",
    number: existing.number,
    url: existing.url,
    ...(closedPrevious.length > 0 ? { closedPrevious } : {}),
    ...(doc ? { doc } : {}),
    agenda: refreshed.action,
  };
}

/**
 * `issue.closePrevious`: closes the series' open meetings that start before `current`, with a
 * comment pointing at it. One somebody reopened after it was closed stays open: a person
 * wants it so. `lookFirst`: see closeIssueWithComment.
 */
async function closePrevious(
  input: OpenMeetingInput,
  meetings: MeetingIssue[],
  current: { number: number; at: string },
  options: { lookFirst: boolean },
): Promise<number[]> {
  const { gh, repo, series, log } = input;
  if (!series.issue.closePrevious) return [];
  const { at } = current;
  const closed: number[] = [];
  for (const previous of meetings) {
    if (previous.number === current.number || previous.state !== "open" || previous.marker.series !== series.id) continue;
    if (previous.marker.at >= at || previous.stateReason === "reopened") continue;
    await closeIssueWithComment(gh, repo, previous.number, `The next meeting of this series is open: #${current.number}. Closing this one.`, {
      botLogin: input.botLogin,
      lookFirst: options.lookFirst,
    });
    closed.push(previous.number);
    log.info({ repo: `${repo.owner}/${repo.repo}`, series: series.id, issue: previous.number }, "closed previous meeting issue");
  }
  return closed;
}

/**
 * The follow-up of the meeting at `meeting`: from the listing at hand, plus the one listing of
 * `actionItems.repository` when that is another repository (and the action items can be read).
 */
async function followUpFor(
  input: OpenMeetingInput,
  meeting: { at: string; date: string },
  meetings: MeetingIssue[],
  appIssues: readonly AppIssue[] | undefined,
): Promise<FollowUp> {
  const { gh, repo, series } = input;
  const actionItemIssues = appIssues ? await listOtherActionItems(gh, series, repo, input.botLogin, input.log) : undefined;
  return followUpOf({
    series,
    at: meeting.at,
    date: meeting.date,
    repo,
    defaultBranch: input.defaultBranch,
    webUrl: input.webUrl ?? GITHUB_COM_WEB_URL,
    botLogin: input.botLogin,
    issues: appIssues,
    meetings,
    actionItemIssues,
  });
}

/** A repository's own issue template, when `issue.template` is a path; undefined for a preset. */
export async function templateSourceOf(gh: GitHub, repo: RepoRef, series: SeriesConfig): Promise<string | undefined> {
  if (!isRepoTemplatePath(series.issue.template)) return undefined;
  const text = await fetchTextFile(gh, repo, series.issue.template);
  if (text === null) throw new Error(`issue.template: ${series.issue.template} does not exist in ${repo.owner}/${repo.repo}`);
  return text;
}

/** A series that drafts its minutes in a doc, whichever backend (`minutes.doc`) it names. */
function wantsDoc(series: SeriesConfig): boolean {
  return series.minutes.doc !== "none";
}

async function gatherAgenda(input: OpenMeetingInput): Promise<Agenda> {
  const { gh, series, log } = input;
  const { agenda, requests } = await searchAgenda((query, variables) => gh.graphql(query, variables), series.agenda, log);
  log.info(
    { repo: `${input.repo.owner}/${input.repo.repo}`, series: series.id, items: agenda.count, searches: requests, truncated: agenda.truncated },
    "agenda gathered",
  );
  return agenda;
}

async function linkDoc(
  input: OpenMeetingInput,
  issue: { number: number; url: string },
  agenda: Agenda,
  tree?: string,
): Promise<EnsureDocResult> {
  return ensureMinutesDoc({
    tree,
    gh: input.gh,
    repo: input.repo,
    series: input.series,
    occurrence: input.occurrence,
    issue,
    agenda,
    google: input.google ?? (async () => null),
    ...(input.hackmd ? { hackmd: input.hackmd } : {}),
    defaultBranch: input.defaultBranch,
    ...(input.clock ? { clock: input.clock } : {}),
    log: input.log,
  });
}

/**
 * The issue of an occurrence: same series and start, moved away from it by `/move`, or
 * (calendar schedules) the same calendar event, moved in the calendar.
 */
function findOccurrence(meetings: MeetingIssue[], series: string, occurrence: Occurrence): MeetingIssue | undefined {
  const at = occurrence.start.toISOString();
  return meetings.find(
    (meeting) =>
      meeting.marker.series === series &&
      (meeting.marker.at === at ||
        meeting.marker.movedFrom === at ||
        (occurrence.eventId !== undefined && meeting.marker.event === occurrence.eventId)),
  );
}
