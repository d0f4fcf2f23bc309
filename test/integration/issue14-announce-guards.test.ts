import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { announceMeeting } from "../../src/announce/announce-meeting.js";
import { chatAlarmText, parseChatAlarmMarker } from "../../src/alarms/chat-alarm.js";
import { loadChat } from "../../src/chat/load-chat.js";
import { handleChairCommand } from "../../src/meetings/chair-command.js";
import { runTick } from "../../src/meetings/tick.js";
import { loadRepoConfig } from "../../src/github/repo-config.js";
import { parseMarker, withMarker, type MeetingMarker } from "../../src/state/meeting-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/*
 * Issue 14: chat announcements' exactly-once and failure rules that a planted regression showed
 * untested, through the tick, /move and the announce use case against the stateful fake GitHub
 * and the services at their real hosts (nock), the requests' paths and bodies recorded.
 */

const REPO = "acme/wg";
const BOT = "wg-meetings[bot]";
/** Monday 2024-10-28 15:00 UTC: the meeting of Thursday 2024-10-31 10:00 New York (14:00 UTC) opens (P3D before). */
const NOW = new Date("2024-10-28T15:00:00Z");
const AT = "2024-10-31T14:00:00.000Z";
const minutes = (n: number) => n * 60_000;

const CONFIG = `meetings:
  - id: wg
    name: Working group
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start: 2024-10-03T10:00
      zone: America/New_York
    createBefore: P3D
    agenda: { label: wg-agenda, repos: [acme/wg] }
    actionItems: { issues: false }
    itemComments: { enabled: false }
    announce:
      to: [acme-slack, acme-matrix]
      reminders: [PT1H]
`;

const SLACK_PATH = "/services/T0000/B0000/XXXXXXXXXXXX";
const MATRIX_TOKEN = "syt_c2VjcmV0_token_1234";
const CHAT_ENV = {
  WG_MEETINGS_CHAT: JSON.stringify({
    "acme-slack": { service: "slack", url: `https://hooks.slack.com${SLACK_PATH}`, owners: ["acme"] },
    "acme-matrix": { service: "matrix", homeserver: "https://matrix.org", room: "!abcdef:matrix.org", token: MATRIX_TOKEN, owners: ["acme"] },
  }),
};
const chat = () => loadChat(CHAT_ENV, { maxTries: 1 });

type Answer = () => { status: number; body?: unknown } | "lost";

/**
 * Slack and Matrix, answering as `slack` and `matrix` say (default: success), for as long as
 * the test runs. Recorded: each post Slack took, and the path of every Matrix PUT.
 */
function chatServices(answers: { slack?: Answer; matrix?: Answer } = {}) {
  const received = { slack: [] as string[], matrix: [] as string[], matrixPaths: [] as string[] };
  nock("https://hooks.slack.com")
    .persist()
    .post(SLACK_PATH, (body: { text: string }) => Object.keys(body).join() === "text")
    .reply(function (_uri, body, callback) {
      const answer = answers.slack?.() ?? { status: 200, body: "ok" };
      if (answer === "lost") return callback(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), [0, ""]);
      if (answer.status === 200) received.slack.push((body as { text: string }).text);
      return callback(null, [answer.status, answer.body ?? ""]);
    });
  nock("https://matrix.org", { reqheaders: { authorization: `Bearer ${MATRIX_TOKEN}` } })
    .persist()
    .put(/^\/_matrix\/client\/v3\/rooms\/!abcdef%3Amatrix\.org\/send\/m\.room\.message\/wgm-[0-9a-f]{40}$/)
    .reply(function (uri, body, callback) {
      received.matrixPaths.push(uri);
      const answer = answers.matrix?.() ?? { status: 200, body: { event_id: "$event" } };
      if (answer === "lost") return callback(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), [0, ""]);
      if (answer.status === 200) received.matrix.push((body as { body: string }).body);
      return callback(null, [answer.status, answer.body ?? ""]);
    });
  return received;
}

async function tick(now: Date) {
  const { probot } = await createTestProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log, chat }, { now, clock: () => now });
}

function meetingAt(world: FakeWorld, at: string) {
  const issue = world.issues.find((candidate) => parseMarker(candidate.body)?.at === at && candidate.user === BOT);
  if (!issue) throw new Error(`no meeting issue at ${at}`);
  return { issue, marker: parseMarker(issue.body) as MeetingMarker };
}

/** An edit that raced the App's wrote the issue body back without the marker's record of what was sent. */
function loseRecord(world: FakeWorld, at: string) {
  const { issue, marker } = meetingAt(world, at);
  const { announced: _lost, ...without } = marker;
  issue.body = withMarker(issue.body, without);
  expect(meetingAt(world, at).marker.announced).toBeUndefined();
}

async function command(world: FakeWorld, body: string) {
  const { issue } = meetingAt(world, AT);
  const { probot } = await createTestProbot();
  const gh = await probot.auth(1);
  return handleChairCommand(
    {
      repo: { owner: "acme", repo: "wg" },
      defaultBranch: "main",
      issue: { number: issue.number, url: `https://github.com/${REPO}/issues/${issue.number}`, body: issue.body, author: BOT, isPullRequest: false, isClosed: issue.state === "closed" },
      comment: { id: 7100 + world.issues.length, body, author: "chair", authorIsBot: false },
    },
    { gh, botLogin: async () => BOT, google: async () => null, chat, log: probot.log, now: () => NOW, clock: () => NOW },
  );
}

describe("chat announcements: exactly once, and what counts as sent (issue 14)", () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, bot: BOT, roles: { chair: "write" }, fullTick: true });
    world.agenda.push({ repo: REPO, number: 7, title: "Ship it" });
  });
  afterEach(() => {
    world.close();
  });

  it("a lost record is restored from the sent ref by the next tick, even while the first run's claims are fresh; nothing is posted again", async () => {
    const received = chatServices();
    await tick(NOW);
    const { marker } = meetingAt(world, AT);
    loseRecord(world, AT);

    await tick(new Date(NOW.getTime() + minutes(2)));

    expect(meetingAt(world, AT).marker.announced).toEqual(marker.announced);
    expect([received.slack.length, received.matrix.length]).toEqual([1, 1]);
  });

  it("a lost record after a /move is restored from the sent refs of the meeting's first start: `opened` is not posted again", async () => {
    const received = chatServices();
    await tick(NOW);
    await command(world, "/move 2024-10-31 11:00");
    expect([received.slack.length, received.matrix.length]).toEqual([2, 2]);
    const moved = "2024-10-31T15:00:00.000Z";
    const { marker } = meetingAt(world, moved);
    loseRecord(world, moved);

    await tick(new Date(NOW.getTime() + minutes(30)));

    expect([received.slack.length, received.matrix.length]).toEqual([2, 2]);
    expect(meetingAt(world, moved).marker.announced).toEqual(expect.arrayContaining(marker.announced!));
  });

  it("two meetings of a series get different Matrix transaction ids for the same moment, so the homeserver shows both", async () => {
    const received = chatServices();
    await tick(NOW);
    // A week later the next meeting opens, the first still open.
    await tick(new Date(NOW.getTime() + 7 * 24 * 60 * minutes(1)));

    expect(received.matrix).toHaveLength(2);
    expect(received.matrix[0]).toMatch(/Meeting 2024-10-31/);
    expect(received.matrix[1]).toMatch(/Meeting 2024-11-07/);
    expect(new Set(received.matrixPaths).size).toBe(2);
  });

  it("a Matrix post that got no answer is a failure, retried later with the same transaction id (the homeserver drops a repeat)", async () => {
    let lose = true;
    const received = chatServices({ matrix: () => (lose ? "lost" : { status: 200, body: { event_id: "$event" } }) });
    await tick(NOW);
    const { marker } = meetingAt(world, AT);
    expect(marker.announced).toEqual(["opened:acme-slack"]);
    expect(marker.announceFailures).toEqual({ "opened:acme-matrix": { n: 1, at: NOW.toISOString() } });

    lose = false;
    await tick(new Date(NOW.getTime() + minutes(10)));

    expect(received.matrixPaths).toHaveLength(2);
    expect(received.matrixPaths[1]).toBe(received.matrixPaths[0]);
    expect(received.matrix).toHaveLength(1);
    expect(meetingAt(world, AT).marker).toMatchObject({ announced: ["opened:acme-slack", "opened:acme-matrix"] });
    expect(meetingAt(world, AT).marker.announceFailures).toBeUndefined();
  });

  it("a webhook's 500 is a failure counted against the destination and posted by a later tick, not recorded as sent", async () => {
    let down = true;
    const received = chatServices({ slack: () => (down ? { status: 500, body: "internal_error" } : { status: 200, body: "ok" }) });
    await tick(NOW);
    const { marker } = meetingAt(world, AT);
    expect(marker.announced).toEqual(["opened:acme-matrix"]);
    expect(marker.announceFailures).toEqual({ "opened:acme-slack": { n: 1, at: NOW.toISOString() } });

    down = false;
    await tick(new Date(NOW.getTime() + minutes(10)));

    expect(received.slack).toHaveLength(1);
    expect(meetingAt(world, AT).marker.announced).toEqual(["opened:acme-matrix", "opened:acme-slack"]);
  });

  it("announces nothing for an issue someone else opened, even with a meeting marker pasted at its end", async () => {
    const received = chatServices();
    const marker: MeetingMarker = { v: 1, series: "wg", at: AT, date: "2024-10-31", doc: null, zone: "America/New_York" };
    world.issues.push({ number: 99, title: "Acme Working group Meeting 2024-10-31", body: withMarker("Pasted from the real meeting issue.", marker), state: "open", labels: [], user: "mallory" });
    const { probot } = await createTestProbot();
    const gh = await probot.auth(1);
    const loaded = await loadRepoConfig(gh, { owner: "acme", repo: "wg" });
    if (loaded.status !== "ok") throw new Error("config");

    const result = await announceMeeting({
      gh,
      repo: { owner: "acme", repo: "wg" },
      defaultBranch: "main",
      series: loaded.config.meetings[0]!,
      issue: { number: 99 },
      chat,
      botLogin: BOT,
      now: NOW,
      clock: () => NOW,
      log: probot.log,
    });

    expect(result).toEqual({ sent: [], failed: [], skipped: [] });
    expect([received.slack, received.matrixPaths]).toEqual([[], []]);
    expect(parseMarker(world.issues.find((issue) => issue.number === 99)!.body)?.announced).toBeUndefined();
  });
  it("GitHub failing before the post (the claim's commit) is not counted against the destination: nothing is recorded, the next tick posts", async () => {
    const received = chatServices();
    await tick(NOW);
    const reminder = new Date("2024-10-31T13:05:00Z");
    world.failNext("POST", "/repos/acme/wg/git/commits", 500, 2);

    await tick(reminder);

    const { marker } = meetingAt(world, AT);
    expect(marker.announceFailures).toBeUndefined();
    expect([received.slack.length, received.matrix.length]).toEqual([1, 1]);
    await tick(new Date(reminder.getTime() + minutes(1)));
    expect([received.slack.length, received.matrix.length]).toEqual([2, 2]);
    expect(meetingAt(world, AT).marker.announced).toEqual(expect.arrayContaining(["reminder-PT1H:acme-slack", "reminder-PT1H:acme-matrix"]));
  });

  it("a new failure is kept when the marker already holds the most failures it keeps: the oldest goes", async () => {
    let down = false;
    chatServices({ slack: () => (down ? { status: 404, body: "no_service" } : { status: 200, body: "ok" }) });
    await tick(NOW);
    const { issue, marker } = meetingAt(world, AT);
    const stale = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`moved@2024-10-${String(10 + i)}T14:00:00.000Z:acme-slack`, { n: 1, at: `2024-10-${String(10 + i)}T14:00:00.000Z` }]));
    issue.body = withMarker(issue.body, { ...marker, announceFailures: stale });
    down = true;

    await tick(new Date("2024-10-31T13:05:00Z"));

    const failures = meetingAt(world, AT).marker.announceFailures!;
    expect(Object.keys(failures)).toHaveLength(10);
    expect(failures["reminder-PT1H:acme-slack"]).toEqual({ n: 1, at: "2024-10-31T13:05:00.000Z" });
    expect(failures["moved@2024-10-10T14:00:00.000Z:acme-slack"]).toBeUndefined();
  });

  it("a destination's open chat alarm stays open while its posts still fail, whatever key failed", async () => {
    chatServices({ slack: () => ({ status: 404, body: "no_service" }) });
    const text = chatAlarmText({
      destination: "acme-slack",
      service: "slack",
      reason: 'Slack refused the post to chat destination "acme-slack" (404 no_service)',
      kind: "rejected",
      meeting: { title: "Acme Working group Meeting 2024-10-24", url: `https://github.com/${REPO}/issues/1` },
      failures: 3,
      now: new Date("2024-10-24T13:00:00Z"),
    });
    world.issues.push({ number: 50, title: text.title, body: text.body, state: "open", labels: [], user: BOT });

    await tick(NOW);

    expect(meetingAt(world, AT).marker.announceFailures).toEqual({ "opened:acme-slack": { n: 1, at: NOW.toISOString() } });
    const alarm = world.issues.find((issue) => issue.number === 50)!;
    expect(alarm.state).toBe("open");
    expect(parseChatAlarmMarker(alarm.body)).toEqual({ v: 1, destination: "acme-slack" });
  });
  it("a destination that keeps failing keeps its one alarm as written (the count is not edited in on every tick); after the App closed it, failing again opens a new one", async () => {
    let down = true;
    chatServices({ slack: () => (down ? { status: 404, body: "no_service" } : { status: 200, body: "ok" }) });
    for (const after of [0, 10, 30]) await tick(new Date(NOW.getTime() + minutes(after)));
    const alarms = () => world.issues.filter((issue) => parseChatAlarmMarker(issue.body));
    expect(alarms()).toHaveLength(1);
    const first = alarms()[0]!;
    const written = first.body;

    const before = world.log.length;
    await tick(new Date(NOW.getTime() + minutes(70)));
    expect(meetingAt(world, AT).marker.announceFailures?.["opened:acme-slack"]?.n).toBe(4);
    expect(first.body).toBe(written);
    expect(world.log.slice(before).filter((line) => line === `PATCH /repos/acme/wg/issues/${first.number}`)).toEqual([]);

    down = false;
    await tick(new Date(NOW.getTime() + minutes(150)));
    expect(first.state).toBe("closed");

    down = true;
    for (const at of ["13:00", "13:10", "13:30"]) await tick(new Date(`2024-10-31T${at}:00Z`));
    expect(alarms()).toHaveLength(2);
    expect(alarms().map((issue) => issue.state)).toEqual(["closed", "open"]);
  });
  it("a destination's alarm is its own: another destination's failures and successes neither rewrite nor close it", async () => {
    chatServices({ slack: () => ({ status: 404, body: "no_service" }) });
    const other = chatAlarmText({
      destination: "other-slack",
      service: "slack",
      reason: 'Slack refused the post to chat destination "other-slack" (404 no_service)',
      kind: "rejected",
      meeting: { title: "Acme Other group Meeting 2024-10-24", url: `https://github.com/${REPO}/issues/1` },
      failures: 3,
      now: new Date("2024-10-24T13:00:00Z"),
    });
    world.issues.push({ number: 50, title: other.title, body: other.body, state: "open", labels: [], user: BOT });

    for (const after of [0, 10, 30]) await tick(new Date(NOW.getTime() + minutes(after)));

    const otherAlarm = world.issues.find((issue) => issue.number === 50)!;
    expect([otherAlarm.state, otherAlarm.title, otherAlarm.body]).toEqual(["open", other.title, other.body]);
    const ours = world.issues.filter((issue) => parseChatAlarmMarker(issue.body)?.destination === "acme-slack");
    expect(ours.map((issue) => [issue.title, issue.state])).toEqual([["wg-meetings cannot post to the chat destination acme-slack", "open"]]);
  });
  it("a destination's alarm is closed once when two series post to it again in the same tick (one comment, one edit)", async () => {
    world.close();
    const series = (id: string, day: string) => `  - id: ${id}
    name: Group ${id}
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=${day}
      start: 2024-10-03T10:00
      zone: America/New_York
    createBefore: P5D
    agenda: { label: wg-agenda, repos: [acme/wg] }
    actionItems: { issues: false }
    itemComments: { enabled: false }
    announce: { to: [acme-slack], moments: [opened] }
`;
    world = fakeWorld({ repo: REPO, installationId: 1, config: `meetings:\n${series("wga", "TH")}${series("wgb", "FR")}`, bot: BOT, fullTick: true });
    let down = true;
    const received = chatServices({ slack: () => (down ? { status: 404, body: "no_service" } : { status: 200, body: "ok" }) });
    for (const after of [0, 10, 30]) await tick(new Date(NOW.getTime() + minutes(after)));
    const alarms = world.issues.filter((issue) => parseChatAlarmMarker(issue.body));
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!;

    down = false;
    const before = world.log.length;
    await tick(new Date(NOW.getTime() + minutes(70)));

    expect(received.slack).toHaveLength(2);
    expect(alarm.state).toBe("closed");
    const after = world.log.slice(before);
    expect(after.filter((line) => line === `POST /repos/${REPO}/issues/${alarm.number}/comments`)).toHaveLength(1);
    expect(after.filter((line) => line === `PATCH /repos/${REPO}/issues/${alarm.number}`)).toHaveLength(1);
  });
});
