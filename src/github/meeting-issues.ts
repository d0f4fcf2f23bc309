import { parseActionItemMarker } from "../state/action-item-marker.js";
import { parseMarker, type MeetingMarker } from "../state/meeting-marker.js";
import type { GitHub, RepoRef } from "./client.js";
import { commentOnce, findAppComment, type AppComment } from "./comments.js";
import { createOnce } from "./create-once.js";

/** A meeting issue the App created, with its decoded marker. */
export interface MeetingIssue {
  number: number;
  url: string;
  state: "open" | "closed";
  title: string;
  body: string;
  marker: MeetingMarker;
  /** GitHub's `state_reason`: `reopened` when someone reopened the issue after it was closed. */
  stateReason?: string | null | undefined;
}

/** An issue the App's listing returned: the raw material of meeting issues and alarms. */
export interface AppIssue {
  number: number;
  url: string;
  state: "open" | "closed";
  title: string;
  body: string;
  /** Who opened it, as GitHub reports it (the listing asks for the App's own issues only). */
  author: string | null;
  /** GitHub's `state_reason` (`completed`, `not_planned`, `reopened`), if any. */
  stateReason?: string | null | undefined;
  /** Who it is assigned to: an action item's owners may be assigned after it opened. */
  assignees?: string[];
}

/** The most pages of 100 the listing of the App's issues reads (see {@link listAppIssues}). */
export const MAX_APP_ISSUE_PAGES = 5;

/** How many of the App's newest issues that are not action items the listing covers, at least. */
export const APP_ISSUE_WINDOW = 100;

/**
 * Lists the issues the App itself created in a repository, newest first (pull requests left
 * out). The issues list API is strongly consistent (unlike search), filtered to the App's bot
 * user so nobody else's issue can pose as the App's. Its newest {@link APP_ISSUE_WINDOW} issues
 * cover every occurrence still inside its lead time, and every open alarm.
 *
 * Action-item issues (up to 50 a merged meeting, src/meetings/follow-up-on-merge.ts) share the
 * listing but not that count: pages are read until {@link APP_ISSUE_WINDOW} entries that carry
 * no action-item marker have been seen, the listing ends (a page shorter than 100), or
 * {@link MAX_APP_ISSUE_PAGES} pages were read. So a few big merges cannot push a meeting issue
 * out of view (the tick would open it a second time once its claim's lease ran out). One
 * request when the App has fewer than 100 issues, or no action items among its newest 100.
 */
export async function listAppIssues(gh: GitHub, repo: RepoRef, botLogin: string): Promise<AppIssue[]> {
  const issues: AppIssue[] = [];
  const seen = new Set<number>();
  let others = 0;
  for (let page = 1; page <= MAX_APP_ISSUE_PAGES; page++) {
    const { data } = await gh.rest.issues.listForRepo({
      ...repo,
      creator: botLogin,
      state: "all",
      sort: "created",
      direction: "desc",
      per_page: 100,
      // The first request is the one the listing always made: no page parameter.
      ...(page > 1 ? { page } : {}),
    });
    for (const issue of data) {
      // An issue opened between two pages moves the rest down by one: the first copy counts.
      if (seen.has(issue.number)) continue;
      seen.add(issue.number);
      if (!parseActionItemMarker(issue.body)) others++;
      if (issue.pull_request) continue;
      issues.push({
        number: issue.number,
        url: issue.html_url,
        state: issue.state === "closed" ? "closed" : "open",
        title: issue.title,
        body: issue.body ?? "",
        author: issue.user?.login ?? null,
        stateReason: issue.state_reason ?? null,
        ...(issue.assignees && issue.assignees.length > 0 ? { assignees: issue.assignees.map((assignee) => assignee.login) } : {}),
      });
    }
    if (data.length < 100 || others >= APP_ISSUE_WINDOW) break;
  }
  return issues;
}

/** The meeting issues among the App's issues: those with a meeting marker. */
export function meetingIssuesFrom(issues: AppIssue[]): MeetingIssue[] {
  const meetings: MeetingIssue[] = [];
  for (const issue of issues) {
    const marker = parseMarker(issue.body);
    if (!marker) continue;
    meetings.push({ number: issue.number, url: issue.url, state: issue.state, title: issue.title, body: issue.body, marker, stateReason: issue.stateReason });
  }
  return meetings;
}

/** Lists the meeting issues the App itself created in a repository, newest first (see {@link listAppIssues}). */
export async function listMeetingIssues(gh: GitHub, repo: RepoRef, botLogin: string): Promise<MeetingIssue[]> {
  return meetingIssuesFrom(await listAppIssues(gh, repo, botLogin));
}

/**
 * Opens an issue, once: if GitHub's answer is lost, the App's issues are listed and the one
 * `isIt` recognises (by its marker) is taken instead of opening a second (see createOnce).
 * `found` says an earlier attempt had opened it.
 */
export async function createIssue(
  gh: GitHub,
  repo: RepoRef,
  issue: { title: string; body: string; labels: string[] },
  look: { botLogin: string; isIt: (issue: AppIssue) => boolean },
): Promise<{ number: number; url: string; found: boolean }> {
  const { value, found } = await createOnce(
    async () => {
      const { data } = await gh.rest.issues.create({
        ...repo,
        title: issue.title,
        body: issue.body,
        ...(issue.labels.length > 0 ? { labels: issue.labels } : {}),
      });
      return { number: data.number, url: data.html_url };
    },
    async () => {
      const again = (await listAppIssues(gh, repo, look.botLogin)).find(look.isIt);
      return again ? { number: again.number, url: again.url } : null;
    },
  );
  return { ...value, found };
}

/**
 * Comments on an issue, then closes it (in that order, so the reason is visible first). The
 * comment is written once (see commentOnce). `lookFirst`: a run finishing what an earlier one
 * left (commented, not yet closed) reads the App's comments first and does not say it twice.
 */
export async function closeIssueWithComment(
  gh: GitHub,
  repo: RepoRef,
  number: number,
  comment: string,
  look: { botLogin: string; lookFirst: boolean },
): Promise<void> {
  const same = (candidate: AppComment) => candidate.body.trim() === comment.trim();
  const said = look.lookFirst && (await findAppComment(gh, repo, number, look.botLogin, undefined, same)) !== null;
  if (!said) await commentOnce(gh, repo, number, comment, { botLogin: look.botLogin, isIt: same });
  await gh.rest.issues.update({ ...repo, issue_number: number, state: "closed", state_reason: "completed" });
}
