import { parseMarker, type MeetingMarker } from "../meetings/marker.js";
import type { GitHub, RepoRef } from "./client.js";

/** A meeting issue the App created, with its decoded marker. */
export interface MeetingIssue {
  number: number;
  url: string;
  state: "open" | "closed";
  title: string;
  body: string;
  marker: MeetingMarker;
}

/**
 * Lists the meeting issues the App itself created in a repository, newest first.
 *
 * One request: the issues list API is strongly consistent (unlike search), filtered to the
 * App's bot user so nobody else's issue can pose as a meeting. The newest 100 issues of the
 * bot cover every occurrence still inside its lead time.
 */
export async function listMeetingIssues(gh: GitHub, repo: RepoRef, botLogin: string): Promise<MeetingIssue[]> {
  const { data } = await gh.rest.issues.listForRepo({
    ...repo,
    creator: botLogin,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: 100,
  });
  const meetings: MeetingIssue[] = [];
  for (const issue of data) {
    if (issue.pull_request) continue;
    const marker = parseMarker(issue.body);
    if (!marker) continue;
    meetings.push({
      number: issue.number,
      url: issue.html_url,
      state: issue.state === "closed" ? "closed" : "open",
      title: issue.title,
      body: issue.body ?? "",
      marker,
    });
  }
  return meetings;
}

/** Opens an issue and returns its number and URL. */
export async function createIssue(
  gh: GitHub,
  repo: RepoRef,
  issue: { title: string; body: string; labels: string[] },
): Promise<{ number: number; url: string }> {
  const { data } = await gh.rest.issues.create({
    ...repo,
    title: issue.title,
    body: issue.body,
    ...(issue.labels.length > 0 ? { labels: issue.labels } : {}),
  });
  return { number: data.number, url: data.html_url };
}

/** Comments on an issue, then closes it (in that order, so the reason is visible first). */
export async function closeIssueWithComment(gh: GitHub, repo: RepoRef, number: number, comment: string): Promise<void> {
  await gh.rest.issues.createComment({ ...repo, issue_number: number, body: comment });
  await gh.rest.issues.update({ ...repo, issue_number: number, state: "closed", state_reason: "completed" });
}
