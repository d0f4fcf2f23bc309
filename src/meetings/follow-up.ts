import type { SeriesConfig } from "../config/schema.js";
import { describeError } from "../github/errors.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { repositoryFacts } from "../github/item-comments.js";
import { listAppIssues, meetingIssuesFrom, type AppIssue, type MeetingIssue } from "../github/meeting-issues.js";
import type { FollowUp } from "../render/types.js";
import { formatActionItemMarker, parseActionItemMarker } from "../state/action-item-marker.js";
import { carriedOver } from "./carried-over.js";
import { openActionItems, type IssueListing } from "./open-action-items.js";
import { previousMeeting } from "./previous-links.js";
import { parseMarker } from "../state/meeting-marker.js";

/**
 * What earlier meetings of a series leave for the next one's issue (issue 13): the previous
 * meeting and its minutes file, the agenda items carried over, and the action items still open.
 * All of it comes from the App's own issues, which the tick lists anyway (one request per
 * repository); only action items kept in another repository (`actionItems.repository`) cost
 * one listing more, and, when it lists an open issue, that repository's visibility (one read;
 * one more for the meeting's when that one is private and the meeting's is not known).
 *
 * A private `actionItems.repository` never feeds a public meeting issue its titles or owners:
 * a private maintainer may retitle an item with what must not be public. Its open items are
 * listed withheld ({@link WITHHELD_TITLE}, no owners): a link, the meeting and the age.
 */

/** The title an open action item of a private repository gets in a public meeting's issue. */
export const WITHHELD_TITLE = "Action item in a private repository";

/** Visibility already known from an event (repository `private` flag); what is not known is read. */
interface KnownVisibility {
  /** The meeting's repository. */
  meetingPrivate?: boolean | undefined;
  /** `actionItems.repository`. */
  otherPrivate?: boolean | undefined;
}

export interface FollowUpInput {
  series: SeriesConfig;
  /** The meeting's start (ISO) and date. */
  at: string;
  date: string;
  repo: RepoRef;
  defaultBranch: string;
  webUrl: string;
  botLogin: string;
  /**
   * The App's issues in the meeting's repository, as `listAppIssues` returns them (meeting and
   * action-item issues alike). Without them, `meetings` stands in and the action items are unknown.
   */
  issues?: readonly AppIssue[] | undefined;
  /** The App's meeting issues, when only they are at hand (the caller listed them by creator). */
  meetings?: readonly MeetingIssue[] | undefined;
  /** The App's issues in `actionItems.repository`, when that is another repository; null: could not be listed. */
  actionItemIssues?: readonly AppIssue[] | null | undefined;
}

/** The follow-up of one meeting, from what is listed (pure). */
export function followUpOf(input: FollowUpInput): FollowUp {
  const bot = input.botLogin.toLowerCase();
  const own = input.issues?.filter((issue) => issue.author?.toLowerCase() === bot);
  const meetings = own ? meetingIssuesFrom([...own]) : [...(input.meetings ?? [])];
  const here = `${input.repo.owner}/${input.repo.repo}`;
  const other = otherActionRepository(input.series, input.repo);
  let open: FollowUp["openActionItems"] = null;
  if (own && (other === null || input.actionItemIssues)) {
    const listings: IssueListing[] = [{ repository: here, issues: own }];
    if (other && input.actionItemIssues) listings.push({ repository: `${other.owner}/${other.repo}`, issues: input.actionItemIssues });
    open = openActionItems(listings, { meeting: here, series: input.series.id, date: input.date, botLogin: input.botLogin });
  }
  return {
    previous: previousMeeting(meetings, { series: input.series, at: input.at, repo: input.repo, defaultBranch: input.defaultBranch, webUrl: input.webUrl }),
    carriedOver: carriedOver(meetings, input.series.id, input.at),
    openActionItems: open,
  };
}

/** `actionItems.repository` when it names a repository other than the meeting's (same owner); else null. */
export function otherActionRepository(series: SeriesConfig, repo: RepoRef): RepoRef | null {
  const name = series.actionItems.repository;
  if (!name || name.toLowerCase() === repo.repo.toLowerCase()) return null;
  return { owner: repo.owner, repo: name };
}

/**
 * The App's issues in the series' `actionItems.repository`, when that is another repository:
 * the one extra listing the follow-up may cost (and the visibility, see
 * {@link readOtherActionItems}). Undefined when there is none to make; null when GitHub refused
 * it (the installation may not cover that repository): the meeting opens anyway, and its open
 * action items are left as they are.
 */
export async function listOtherActionItems(
  gh: GitHub,
  series: SeriesConfig,
  repo: RepoRef,
  botLogin: string,
  log: Log,
  known: KnownVisibility = {},
): Promise<AppIssue[] | null | undefined> {
  const other = otherActionRepository(series, repo);
  if (!other) return undefined;
  try {
    return await readOtherActionItems(gh, { meeting: repo, other }, botLogin, known);
  } catch (error) {
    log.warn({ repo: `${other.owner}/${other.repo}`, series: series.id, err: describeError(error) }, "action items not listed");
    return null;
  }
}

/**
 * The App's issues in `other` (the series' `actionItems.repository`), withheld (see the module
 * comment) when `other` is private and `meeting` is not: the listing, then, only when it holds
 * an open issue, the visibility not already `known` (a repository that cannot be seen counts as
 * private for `other` and public for `meeting`). Throws what GitHub throws.
 */
export async function readOtherActionItems(
  gh: GitHub,
  repos: { meeting: RepoRef; other: RepoRef },
  botLogin: string,
  known: KnownVisibility = {},
): Promise<AppIssue[]> {
  const issues = await listAppIssues(gh, repos.other, botLogin);
  if (!issues.some((issue) => issue.state === "open")) return issues;
  const otherPrivate = known.otherPrivate ?? (await repositoryFacts(gh, repos.other))?.private ?? true;
  if (!otherPrivate) return issues;
  const meetingPrivate = known.meetingPrivate ?? (await repositoryFacts(gh, repos.meeting))?.private ?? false;
  return meetingPrivate ? issues : issues.map(withheld);
}

/** The issue as a public meeting may list it: its number, link, state and marker; no title, assignee or other text. */
function withheld(issue: AppIssue): AppIssue {
  const marker = parseActionItemMarker(issue.body);
  // A meeting issue (or anything without an action-item marker) keeps nothing to be listed by.
  const body = marker && !parseMarker(issue.body) ? formatActionItemMarker(marker) : "";
  return { number: issue.number, url: issue.url, state: issue.state, title: WITHHELD_TITLE, body, author: issue.author, assignees: [] };
}

/**
 * The follow-up of an existing meeting issue for a caller that has not listed the App's issues
 * (a chair's `/agenda`, `/move`): one listing, and the action-item repository's when it is
 * another. Pass it to refreshAgenda so the refresh keeps the carried-over marks and action items.
 */
export async function listFollowUp(
  gh: GitHub,
  input: Omit<FollowUpInput, "issues" | "meetings" | "actionItemIssues">,
  log: Log,
  known: KnownVisibility = {},
): Promise<FollowUp> {
  const issues = await listAppIssues(gh, input.repo, input.botLogin);
  const actionItemIssues = await listOtherActionItems(gh, input.series, input.repo, input.botLogin, log, known);
  return followUpOf({ ...input, issues, actionItemIssues });
}
