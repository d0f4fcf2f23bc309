import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wgMeetings from "../../src/index.js";
import { BOT_LOGIN, MEETINGS_REPO, PUBLIC_AGENDA_REPO, USERS } from "../../e2e/harness/github.js";
import { ACTION_ITEM_TITLES, ACTION_ITEMS, ITEM_NOTES, actionItemIssues, countsIn, issueComments, issueTitled } from "../../e2e/harness/follow-up.js";
import { typeUnderHeading } from "../../e2e/harness/google-standin.js";
import { closeMeetingByMerge, meetingIssues, minutesPulls, postComment } from "../../e2e/harness/steps.js";
import { startWorld, waitFor, type World } from "../../e2e/harness/world.js";

/** The public agenda item the harness seeds in acme/tsc. */
const ITEM = "Adopt a release schedule for 2027";
const SECOND_DECISION = "* Decision: the April release is the LTS line.";
const NEW_ACTION = `* @${USERS.chair.login}: book the release retrospective`;

/**
 * Exactly once across minutes PRs (issue 13): after the minutes are merged, the notes grow and
 * the chair runs `/minutes` again. The second PR's merge opens an issue only for the new action
 * item and edits the agenda item's comment in place (PATCH through emulate), and redelivering
 * that merge changes nothing. Real HTTP everywhere, as in lifecycle.test.ts.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ app: wgMeetings });
});
afterAll(async () => {
  await world?.close();
});

/** The App's merged minutes PRs, oldest first, once `count` of them are merged and handled. */
async function mergedDeliveries(count: number) {
  return waitFor(`${count} handled merge deliveries`, () => {
    const merges = world.front.deliveries.filter((d) => d.event === "pull_request" && d.body.includes('"action":"closed"') && d.status !== 0);
    return merges.length >= count ? merges : undefined;
  });
}

/** The chair runs /minutes on the meeting issue; resolves to the open minutes PR the App answers with. */
async function minutesFor(number: number): Promise<any> {
  const comment = await postComment(world, USERS.chair, number, "/minutes");
  const reply = await waitFor("the App's reply to /minutes", async () =>
    (await issueComments(world, MEETINGS_REPO, number)).find((c) => c.user.login === BOT_LOGIN && c.body.includes(`"comment":${comment.id},`)),
  );
  const pull = (await minutesPulls(world)).find((candidate) => candidate.state === "open" && reply.body.includes(`#${candidate.number}`));
  if (!pull) throw new Error(`/minutes opened no pull request; the App answered: ${reply.body}`);
  return pull;
}

describe("e2e: the follow-up happens once across minutes PRs", () => {
  it("a /minutes re-run after the merge: its merge opens only the new item's issue and edits the item comment in place", async () => {
    const { github, google } = world;
    await world.commitConfig();
    const doc = await waitFor("the minutes doc", () => [...google.docs.values()][0]);
    const issue = await waitFor("the meeting issue linking the doc", async () => (await meetingIssues(world)).find((found) => found.body.includes(doc.id)));
    typeUnderHeading(doc, ITEM, ITEM_NOTES);
    typeUnderHeading(doc, "Action items", ACTION_ITEMS);

    const first = await minutesFor(issue.number);
    await closeMeetingByMerge(world, first.number);
    expect((await mergedDeliveries(1))[0]!.status).toBe(200);
    const opened = await actionItemIssues(world);
    expect(opened).toHaveLength(ACTION_ITEM_TITLES.length);
    const agendaItem = await issueTitled(world, PUBLIC_AGENDA_REPO, ITEM);
    const [comment, ...moreComments] = (await issueComments(world, PUBLIC_AGENDA_REPO, agendaItem.number)).filter((c) => c.user.login === BOT_LOGIN);
    expect(moreComments).toEqual([]);
    expect(comment.body).not.toContain("LTS");

    // After the merge the notes grow: a second decision, one more action item.
    typeUnderHeading(doc, ITEM, [SECOND_DECISION]);
    typeUnderHeading(doc, "Action items", [NEW_ACTION]);
    const second = await minutesFor(issue.number);
    expect(second.number).not.toBe(first.number);
    expect(second.body).toContain("book the release retrospective");
    await closeMeetingByMerge(world, second.number);
    const [, secondMerge] = await mergedDeliveries(2);
    expect(secondMerge!.status).toBe(200);

    // One issue more, for the new item only; the three earlier ones are untouched.
    const afterRerun = await actionItemIssues(world);
    expect(afterRerun.map((i) => i.title)).toEqual([...opened.map((i) => i.title), "book the release retrospective"]);
    expect(afterRerun.slice(0, opened.length)).toEqual(opened);
    // The same comment on the agenda item, edited: it now quotes both decisions.
    const [edited, ...extra] = (await issueComments(world, PUBLIC_AGENDA_REPO, agendaItem.number)).filter((c) => c.user.login === BOT_LOGIN);
    expect(extra).toEqual([]);
    expect(edited.id).toBe(comment.id);
    expect(edited.body).toContain("the April release is the LTS line.");
    // It links the minutes as merged the second time.
    const merged = await github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/pulls/${second.number}`);
    expect(edited.body).toContain(`/blob/${merged.merge_commit_sha}/`);
    expect(Date.parse(edited.updated_at)).toBeGreaterThanOrEqual(Date.parse(comment.updated_at));

    // The second merge redelivered: nothing new anywhere.
    const before = await countsIn(world, [MEETINGS_REPO, PUBLIC_AGENDA_REPO]);
    expect(await world.front.redeliver(secondMerge!)).toBe(200);
    expect(await countsIn(world, [MEETINGS_REPO, PUBLIC_AGENDA_REPO])).toEqual(before);
    expect((await issueComments(world, PUBLIC_AGENDA_REPO, agendaItem.number)).filter((c) => c.user.login === BOT_LOGIN)).toEqual([edited]);
  });
});
