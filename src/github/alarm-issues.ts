import { parseMarker } from "../state/meeting-marker.js";
import { parseAlarmMarker, type AlarmMarker } from "../state/alarm-marker.js";
import type { GitHub, RepoRef } from "./client.js";
import { listAppIssues, meetingIssuesFrom, type AppIssue, type MeetingIssue } from "./meeting-issues.js";

/** An alarm issue the App opened, with its decoded marker. */
export interface AlarmIssue extends AppIssue {
  marker: AlarmMarker;
}

/**
 * The alarms among the App's issues. Only issues whose author is the App count: the listing
 * already asks GitHub for the App's issues only, and a marker pasted into anybody else's
 * issue must never steer the App (it would edit or close a person's issue otherwise).
 */
export function alarmIssuesOf(issues: readonly AppIssue[], botLogin: string): AlarmIssue[] {
  const alarms: AlarmIssue[] = [];
  for (const issue of issues) {
    if (issue.author?.toLowerCase() !== botLogin.toLowerCase()) continue;
    // A meeting issue is never an alarm, whatever its (partly untrusted) agenda text contains.
    if (parseMarker(issue.body)) continue;
    const marker = parseAlarmMarker(issue.body);
    if (marker) alarms.push({ ...issue, marker });
  }
  return alarms;
}

/**
 * The App's issues of one repository, listed at most once (one request) and shared by the
 * meeting look-up and the alarms. `fetched` says whether the list is already there, so work
 * that is only worth a free look (closing an alarm that may not exist) can skip the request.
 */
export interface AppIssues {
  all(): Promise<AppIssue[]>;
  meetings(): Promise<MeetingIssue[]>;
  readonly fetched: boolean;
}

export function appIssues(gh: GitHub, repo: RepoRef, botLogin: string): AppIssues {
  let listed: Promise<AppIssue[]> | undefined;
  let fetched = false;
  const all = () =>
    (listed ??= listAppIssues(gh, repo, botLogin).then((issues) => {
      fetched = true;
      return issues;
    }));
  return {
    all,
    meetings: async () => meetingIssuesFrom(await all()),
    get fetched() {
      return fetched;
    },
  };
}

/** Opens an alarm issue (no labels: a label the repository lacks would be created on the fly). */
export async function createAlarmIssue(gh: GitHub, repo: RepoRef, issue: { title: string; body: string }): Promise<{ number: number; url: string }> {
  const { data } = await gh.rest.issues.create({ ...repo, title: issue.title, body: issue.body });
  return { number: data.number, url: data.html_url };
}

/** Edits an alarm issue: its title and body, and opens or closes it, in one request. */
export async function editAlarmIssue(
  gh: GitHub,
  repo: RepoRef,
  number: number,
  change: { title?: string; body?: string; state?: "open" | "closed" },
): Promise<void> {
  await gh.rest.issues.update({
    ...repo,
    issue_number: number,
    ...(change.title !== undefined ? { title: change.title } : {}),
    ...(change.body !== undefined ? { body: change.body } : {}),
    ...(change.state === "closed" ? { state: "closed" as const, state_reason: "completed" as const } : {}),
    ...(change.state === "open" ? { state: "open" as const } : {}),
  });
}

/** Comments on an issue. */
export async function commentOnIssue(gh: GitHub, repo: RepoRef, number: number, body: string): Promise<void> {
  await gh.rest.issues.createComment({ ...repo, issue_number: number, body });
}
