import { AGENDA_LABEL, BOT_LOGIN, MEETINGS_REPO, USERS, type Person } from "./github.js";
import type { Reaction } from "./front-server.js";
import type { World } from "./world.js";

/** The meeting issues the App opened in acme/meetings, newest first (emulate's state). */
export async function meetingIssues(world: World): Promise<any[]> {
  return (await appIssues(world)).filter((issue: any) => String(issue.body ?? "").includes("<!-- wg-meetings:meeting "));
}

/** The App's missing-meeting alarm issues in acme/meetings, any state. */
export async function alarmIssues(world: World): Promise<any[]> {
  return (await appIssues(world)).filter((issue: any) => String(issue.body ?? "").includes("<!-- wg-meetings:alarm "));
}

async function appIssues(world: World): Promise<any[]> {
  const issues = await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues?state=all&creator=${encodeURIComponent(BOT_LOGIN)}&per_page=100`);
  return issues.filter((issue: any) => !issue.pull_request && issue.user.login === BOT_LOGIN);
}

/** The App's minutes pull requests in acme/meetings, any state. */
export async function minutesPulls(world: World): Promise<any[]> {
  const pulls = await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/pulls?state=all&per_page=100`);
  return pulls.filter((pull: any) => pull.head.ref.startsWith("wg-meetings/minutes-"));
}

/** Comments on a meeting issue as a person, through emulate (which delivers the webhook). */
export async function postComment(world: World, person: Person, issue: number, body: string): Promise<{ id: number }> {
  return world.github.api(person, "POST", `/repos/${MEETINGS_REPO}/issues/${issue}/comments`, { body });
}

/** The reaction contents on an issue or an issue comment (the front server's reactions shim). */
export async function reactionsOn(world: World, kind: "issues" | "comments", id: number): Promise<string[]> {
  const path = kind === "issues" ? `/repos/${MEETINGS_REPO}/issues/${id}/reactions` : `/repos/${MEETINGS_REPO}/issues/comments/${id}/reactions`;
  const response = await fetch(`${world.front.apiUrl}${path}`, { headers: { authorization: `token ${USERS.owner.token}` } });
  const list = (await response.json()) as Array<{ content: string; user: { login: string } }>;
  return list.filter((r) => r.user.login === BOT_LOGIN).map((r) => r.content);
}

/** Every reaction on a meeting issue, anyone's (the front server's reactions shim). */
export async function reactionsTo(world: World, issue: number): Promise<Reaction[]> {
  const response = await fetch(`${world.front.apiUrl}/repos/${MEETINGS_REPO}/issues/${issue}/reactions`, { headers: { authorization: `token ${USERS.owner.token}` } });
  return (await response.json()) as Reaction[];
}

/** The titles of the open issues labelled for the agenda in a repository, oldest first. */
export async function agendaItems(world: World, repo: string): Promise<string[]> {
  const issues = await world.github.api(USERS.owner, "GET", `/repos/${repo}/issues?state=open&per_page=100`);
  return issues
    .filter((issue: any) => !issue.pull_request && issue.labels.some((label: any) => label.name === AGENDA_LABEL))
    .sort((a: any, b: any) => a.number - b.number)
    .map((issue: any) => String(issue.title));
}

/** Merges a pull request through emulate as the owner (emulate then delivers pull_request.closed). */
export async function closeMeetingByMerge(world: World, pull: number): Promise<void> {
  // emulate refuses an empty merge body (400 "Problems parsing JSON"): name the method.
  await world.github.api(USERS.owner, "PUT", `/repos/${MEETINGS_REPO}/pulls/${pull}/merge`, { merge_method: "merge" });
}

/** A person reacts to a meeting issue (👍 is the RSVP); reactions live in the front server's shim. */
export async function reactToIssue(world: World, person: Person, issue: number, content: string): Promise<void> {
  const response = await fetch(`${world.front.apiUrl}/repos/${MEETINGS_REPO}/issues/${issue}/reactions`, {
    method: "POST",
    headers: { authorization: `token ${person.token}`, "content-type": "application/json" },
    body: JSON.stringify({ content }),
  });
  if (response.status >= 300) throw new Error(`reaction refused: ${response.status} ${await response.text()}`);
}
