import { afterAll, beforeAll, describe, expect, it } from "vitest";
import wgMeetings from "../../src/index.js";
import { BOT_LOGIN, MEETINGS_REPO, USERS, hackmdSampleConfig } from "../../e2e/harness/github.js";
import { meetingIssues } from "../../e2e/harness/steps.js";
import { HACKMD_TEAM, startWorld, waitFor, type World } from "../../e2e/harness/world.js";
import { advanceClock, resetClock } from "../../e2e/harness/clock.js";

/**
 * A chat destination that keeps failing never blocks the meeting, and after 3 failures of one
 * announcement the alarm issue names it (never its secret); when it takes posts again the
 * announcement goes out once and the alarm closes. The Slack webhook answers 500 three times
 * (the chat receiver's failNext); the process clock moves past each retry's back-off (10, then
 * 20 minutes) between ticks.
 */
const SLACK = "acme-slack";
let world: World;

beforeAll(async () => {
  // The moved clock must be the one the App reads from the start: the chat gateway keeps
  // `Date.now` when it loads (for a failed destination's rest), so install it first.
  advanceClock(0);
  world = await startWorld({ app: wgMeetings, hackmd: {}, chat: { [SLACK]: "slack" } });
});
afterAll(async () => {
  await world?.close();
  resetClock();
});

/** A weekly meeting starting about two days from `now` (UTC), opened at once (a week ahead). */
function configTwoDaysAhead(now: Date): string {
  const base = hackmdSampleConfig(HACKMD_TEAM, { to: [SLACK] });
  const start = `${new Date(now.getTime() + 50 * 3_600_000).toISOString().slice(0, 13)}:00`;
  const config = base.replace("rrule: FREQ=DAILY", "rrule: FREQ=WEEKLY").replace(/^(\s+start:) \S+$/m, `$1 ${start}`).replace("createBefore: P2D", "createBefore: P7D");
  if (!config.includes("FREQ=WEEKLY") || !config.includes(start) || !config.includes("P7D")) throw new Error("SAMPLE_CONFIG changed shape: update configTwoDaysAhead");
  return config;
}

/** The App's open chat alarm issues. */
async function chatAlarms(state: "open" | "all" = "open"): Promise<any[]> {
  const issues = await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues?state=${state}&creator=${encodeURIComponent(BOT_LOGIN)}&per_page=100`);
  return issues.filter((issue: any) => !issue.pull_request && String(issue.body ?? "").includes("<!-- wg-meetings:chat-alarm "));
}

const marker = (body: string) => JSON.parse(/<!-- wg-meetings:meeting (\{.*?\}) -->/.exec(body)![1]!) as { announced?: string[]; announceFailures?: Record<string, { n: number }> };

describe("e2e: a failing chat destination", () => {
  it("fails three times without blocking the meeting, raises the alarm, then posts once and closes it", async () => {
    const chat = world.chat!;
    const hackmd = world.hackmd!;
    chat.failNext(SLACK, 500, 3);
    world.front.holdDeliveries = true;
    await world.commitConfig(configTwoDaysAhead(new Date()));
    world.front.holdDeliveries = false;

    // 1st failure: the meeting opens anyway, with its note.
    const first = await world.tick();
    expect(first.status, JSON.stringify(first.report)).toBe(200);
    expect(first.report.series[0].outcome.action).toBe("created");
    const [issue] = await meetingIssues(world);
    expect(hackmd.notes.size).toBe(1);
    expect(marker(issue.body).announceFailures?.[`opened:${SLACK}`]?.n).toBe(1);

    // A tick before the back-off has passed does not try again.
    const requests = chat.requests.length;
    await world.tick();
    expect(chat.requests.length).toBe(requests);

    // 2nd and 3rd failures, each after its back-off; the 3rd raises the alarm.
    advanceClock(11 * 60_000);
    await world.tick();
    advanceClock(21 * 60_000);
    await world.tick();
    const [alarm] = await waitFor("the chat alarm", async () => {
      const found = await chatAlarms();
      return found.length > 0 ? found : undefined;
    });
    expect(alarm.body).toContain(SLACK);
    expect(alarm.body).toContain("500");
    // Never the webhook's secret path.
    const hook = (JSON.parse(world.secrets.chatEnv!) as Record<string, { url: string }>)[SLACK]!.url;
    expect(alarm.body).not.toContain(new URL(hook).pathname);
    expect(alarm.body).not.toContain("hooks.slack.com");
    expect(chat.to(SLACK)).toEqual([]);

    // The destination works again: the next retry posts once, and the alarm closes.
    advanceClock(41 * 60_000);
    await world.tick();
    expect(chat.to(SLACK)).toHaveLength(1);
    expect(chat.to(SLACK)[0]!.text).toContain(issue.html_url);
    await waitFor("the chat alarm to close", async () => (await chatAlarms()).length === 0);
    const current = await world.github.api(USERS.owner, "GET", `/repos/${MEETINGS_REPO}/issues/${issue.number}`);
    expect(marker(current.body).announced).toContain(`opened:${SLACK}`);
    expect(marker(current.body).announceFailures?.[`opened:${SLACK}`]).toBeUndefined();

    // And nothing more on later ticks.
    advanceClock(60 * 60_000);
    await world.tick();
    expect(chat.to(SLACK)).toHaveLength(1);
    expect(chat.rejected).toEqual([]);
  });
});
