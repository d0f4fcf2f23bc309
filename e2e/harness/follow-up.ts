import { BOT_LOGIN, MEETINGS_REPO, USERS } from "./github.js";
import type { World } from "./world.js";

/**
 * What the note taker types into the doc in the e2e lifecycle and the demo, so both show the
 * same after-meeting loop: a decision and a note under the agenda item (which lives in acme/tsc,
 * another repository of the org) with an action item of its own, and an Action items section with one owner and a due date,
 * two owners (one of whom cannot be assigned in acme/meetings: @guest only reads it and is no
 * member of the org), and no owner.
 */
export const ITEM_NOTES = [
  "* We agreed on the 2027 release schedule.",
  "* Decision: the 2027 releases ship in April and October.",
  `* ACTION: @${USERS.chair.login} to publish the schedule on the website`,
];
export const DECISION = "the 2027 releases ship in April and October.";
export const ACTION_ITEMS = [
  `* @${USERS.chair.login}: draft the advisory (due 2026-12-10)`,
  `* @${USERS.chair.login}, @${USERS.guest.login}: rotate the npm token`,
  "* Find a volunteer for the triage rotation",
];
/** The issue titles the App gives the four action items, in the order it opens them (the item's text, owners and due date set aside). */
export const ACTION_ITEM_TITLES = ["publish the schedule on the website", "draft the advisory", "rotate the npm token", "Find a volunteer for the triage rotation"];
/** The label the sample config puts on each action-item issue. */
export const ACTION_ITEM_LABEL = "action-item";

/** The action-item issues the App opened in acme/meetings, oldest first (emulate's state). */
export async function actionItemIssues(world: World): Promise<any[]> {
  const issues = await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues?state=all&creator=${encodeURIComponent(BOT_LOGIN)}&per_page=100`);
  return issues
    .filter((issue: any) => !issue.pull_request && issue.user.login === BOT_LOGIN && String(issue.body ?? "").includes("<!-- wg-meetings:action-item "))
    .sort((a: any, b: any) => a.number - b.number);
}

/** Every comment on an issue of any repository, oldest first. */
export async function issueComments(world: World, repo: string, issue: number): Promise<any[]> {
  return world.github.api(USERS.owner, "GET", `/repos/${repo}/issues/${issue}/comments?per_page=100`);
}

/** The open issue titled `title` in `repo` (the seeded agenda items), or throws. */
export async function issueTitled(world: World, repo: string, title: string): Promise<any> {
  const issues = await world.github.api(USERS.owner, "GET", `/repos/${repo}/issues?state=all&per_page=100`);
  const found = issues.find((issue: any) => !issue.pull_request && issue.title === title);
  if (!found) throw new Error(`no issue "${title}" in ${repo}`);
  return found;
}

/** The number of issues (and pull requests) in `repo`, and of comments on each, for "nothing new" checks. */
export async function countsIn(world: World, repos: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const repo of repos) {
    const issues = await world.github.api(USERS.owner, "GET", `/repos/${repo}/issues?state=all&per_page=100`);
    counts[`${repo} issues`] = issues.length;
    let comments = 0;
    for (const issue of issues) comments += (await issueComments(world, repo, issue.number)).length;
    counts[`${repo} comments`] = comments;
  }
  return counts;
}
