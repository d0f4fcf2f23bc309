import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wgMeetings from "../../src/index.js";
import { BOT_LOGIN, MEETINGS_REPO, SAMPLE_CONFIG, USERS } from "../../e2e/harness/github.js";
import { alarmIssues, closeMeetingByMerge, meetingIssues, minutesPulls, postComment, reactionsOn } from "../../e2e/harness/steps.js";
import { startWorld, waitFor, type World } from "../../e2e/harness/world.js";
import type { Delivery } from "../../e2e/harness/front-server.js";

/**
 * What must not happen, on loopback with real HTTP: a broken config opens nothing, a non-chair
 * cannot publish, and a webhook GitHub delivers twice changes nothing the second time. The
 * steps share one world and run in order.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ app: wgMeetings });
});
afterAll(async () => {
  await world?.close();
});

const BROKEN = SAMPLE_CONFIG.replace("    createBefore: P2D\n", "    createBefore: P2D\n    createBeforee: P3D\n");

/** The newest delivery of an event that matches, once the App has answered it. */
function delivered(event: string, matches: (body: any) => boolean): Promise<Delivery> {
  return waitFor(`the ${event} delivery`, () => [...world.front.deliveries].reverse().find((d) => d.event === event && d.status !== 0 && matches(JSON.parse(d.body))));
}

async function botComments(issue: number): Promise<Array<{ body: string }>> {
  const comments = await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue}/comments?per_page=100`);
  return comments.filter((c: any) => c.user.login === BOT_LOGIN);
}

describe("e2e: guards", () => {
  it("a broken config is reported with its key and line in an alarm issue, and opens no meeting", async () => {
    await world.commitConfig(BROKEN);
    expect((await delivered("push", (p) => p.repository.full_name === MEETINGS_REPO)).status).toBe(200);

    const { report } = await world.tick();
    expect(report.invalidConfigs).toHaveLength(1);
    expect(report.invalidConfigs[0].repository).toBe(MEETINGS_REPO);
    expect(JSON.stringify(report.invalidConfigs[0].errors)).toContain("createBeforee");
    expect(report.invalidConfigs[0].errors[0].line).toEqual(expect.any(Number));
    expect(await meetingIssues(world)).toEqual([]);
    expect(world.google.docs.size).toBe(0);
    // The group is told where it looks: one alarm issue naming the key and its line.
    const [alarm, ...more] = await alarmIssues(world);
    expect(more).toEqual([]);
    expect(alarm.state).toBe("open");
    expect(alarm.body).toContain("createBeforee");
    // The push already opened it; the tick finds it and writes nothing (no duplicate).
    expect(report.alarms).toEqual([expect.objectContaining({ scope: "config", action: "unchanged", number: alarm.number })]);
  });

  it("the fixed config's push opens the meeting; a redelivered push and a tick open nothing more", async () => {
    await world.commitConfig(SAMPLE_CONFIG);
    const push = await delivered("push", (p) => p.commits?.some((c: any) => c.message === "Add the meetings config") && p.after);
    const issues = await waitFor("the meeting issue", async () => {
      const found = await meetingIssues(world);
      return found.length > 0 ? found : undefined;
    });
    expect(issues).toHaveLength(1);

    expect(await world.front.redeliver(push)).toBe(200);
    const { report } = await world.tick();
    expect(report.series.map((s: any) => s.outcome.action)).toEqual(["exists"]);
    expect(await meetingIssues(world)).toHaveLength(1);
    expect(world.google.docs.size).toBe(1);
    // The config is valid again: its alarm closed itself.
    expect((await alarmIssues(world)).map((alarm: any) => alarm.state)).toEqual(["closed"]);
  });

  it("a /minutes from someone without write access is refused, and nothing is written", async () => {
    const [issue] = await meetingIssues(world);
    const comment = await postComment(world, USERS.guest, issue!.number, "/minutes");
    await waitFor("😕 on the guest's comment", async () => (await reactionsOn(world, "comments", comment.id)).includes("confused"));
    const answers = await botComments(issue!.number);
    expect(answers.at(-1)!.body).toContain("Only people with write access");
    expect(answers.at(-1)!.body).toContain("@guest");
    expect(await minutesPulls(world)).toEqual([]);
    const branches = await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/branches`);
    expect(branches.map((b: any) => b.name)).toEqual(["main"]);
  });

  it("a redelivered /minutes and a redelivered merge change nothing the second time", async () => {
    const [issue] = await meetingIssues(world);
    const comment = await postComment(world, USERS.chair, issue!.number, "/minutes");
    const first = await delivered("issue_comment", (p) => p.action === "created" && p.comment.id === comment.id);
    expect(first.status).toBe(200);
    const pulls = await minutesPulls(world);
    expect(pulls).toHaveLength(1);
    const before = await botComments(issue!.number);
    const commitsOf = async () => (await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/commits?sha=${encodeURIComponent(pulls[0]!.head.ref)}`)).length;
    const commitsBefore = await commitsOf();

    // GitHub redelivers the same signed request (same delivery id, same signature).
    expect(await world.front.redeliver(first)).toBe(200);
    expect(await minutesPulls(world)).toHaveLength(1);
    expect(await botComments(issue!.number)).toHaveLength(before.length);
    expect(await reactionsOn(world, "comments", comment.id)).toEqual(["eyes", "rocket"]);
    expect(await commitsOf()).toBe(commitsBefore);

    await closeMeetingByMerge(world, pulls[0]!.number);
    const closed = await delivered("pull_request", (p) => p.action === "closed" && p.pull_request.merged);
    await waitFor("the meeting to close", async () => (await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue!.number}`)).state === "closed");
    const afterMerge = await botComments(issue!.number);
    expect(await world.front.redeliver(closed)).toBe(200);
    expect(await botComments(issue!.number)).toHaveLength(afterMerge.length);
    expect(afterMerge.filter((c) => c.body.includes("The minutes are merged"))).toHaveLength(1);
  });
});
