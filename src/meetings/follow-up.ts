import type { SeriesConfig } from "../config/schema.js";
import { describeError } from "../github/errors.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { listAppIssues, meetingIssuesFrom, type AppIssue, type MeetingIssue } from "../github/meeting-issues.js";
import type { FollowUp } from "../render/types.js";
import { carriedOver } from "./carried-over.js";
import { openActionItems, type IssueListing } from "./open-action-items.js";
import { previousMeeting } from "./previous-links.js";

/**
 * What earlier meetings of a series leave for the next one's issue (issue 13): the previous
 * meeting and its minutes file, the agenda items carried over, and the action items still open.
 * All of it comes from the App's own issues, which the tick lists anyway (one request per
 * repository); only action items kept in another repository (`actionItems.repository`) cost
 * one listing more.
 */

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
 * the one extra listing the follow-up may cost. Undefined when there is none to make; null when
 * GitHub refused it (the installation may not cover that repository): the meeting opens anyway,
 * and its open action items are left as they are.
 */
export async function listOtherActionItems(
  gh: GitHub,
  series: SeriesConfig,
  repo: RepoRef,
  botLogin: string,
  log: Log,
): Promise<AppIssue[] | null | undefined> {
  const other = otherActionRepository(series, repo);
  if (!other) return undefined;
  try {
    return await listAppIssues(gh, other, botLogin);
  } catch (error) {
    log.warn({ repo: `${other.owner}/${other.repo}`, series: series.id, err: describeError(error) }, "action items not listed");
    return null;
  }
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
): Promise<FollowUp> {
  const issues = await listAppIssues(gh, input.repo, input.botLogin);
  const actionItemIssues = await listOtherActionItems(gh, input.series, input.repo, input.botLogin, log);
  return followUpOf({ ...input, issues, actionItemIssues });
}
