import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadChat } from "../../src/chat/load-chat.js";
import { handleChairCommand } from "../../src/meetings/chair-command.js";
import { followUpOnMerge } from "../../src/meetings/follow-up-on-merge.js";
import { runTick } from "../../src/meetings/tick.js";
import { parseChatAlarmMarker } from "../../src/alarms/chat-alarm.js";
import { parseMarker, type MeetingMarker } from "../../src/state/meeting-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/*
 * Chat announcements end to end: the tick, /move, /cancel and the merge follow-up against the
 * stateful fake GitHub, and the four chat services at their real hosts and paths (nock), with
 * the operator's WG_MEETINGS_CHAT as a deployment sets it. Each destination gets exactly one
 * message per moment across a re-run, two concurrent runs and a redelivered event.
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
      to: [acme-slack, acme-discord, acme-zulip, acme-matrix]
      reminders: [PT1H]
`;

const SLACK_PATH = "/services/T0000/B0000/XXXXXXXXXXXX";
const DISCORD_PATH = "/api/webhooks/123456789/abcdefghijklmnopqrstuvwxyz";
const ZULIP_KEY = "abcdefghijklmnop1234";
const MATRIX_TOKEN = "syt_c2VjcmV0_token_1234";
const CHAT_ENV = {
  WG_MEETINGS_CHAT: JSON.stringify({
    "acme-slack": { service: "slack", url: `https://hooks.slack.com${SLACK_PATH}`, owners: ["acme"] },
    "acme-discord": { service: "discord", url: `https://discord.com${DISCORD_PATH}`, owners: ["acme"] },
    "acme-zulip": { service: "zulip", site: "https://acme.zulipchat.com", email: "wg-bot@acme.zulipchat.com", key: ZULIP_KEY, stream: "wg", topic: "meetings", owners: ["acme"] },
    "acme-matrix": { service: "matrix", homeserver: "https://matrix.org", room: "!abcdef:matrix.org", token: MATRIX_TOKEN, owners: ["acme"] },
  }),
};
const chat = () => loadChat(CHAT_ENV, { maxTries: 1 });

/** What each service received, in order: the text as the service shows it. */
interface Received {
  slack: string[];
  discord: string[];
  zulip: string[];
  matrix: string[];
}

/**
 * The four services, answering as they do, for as long as the test runs; each post's body is
 * checked for its shape and its text recorded. `slackStatus` makes Slack answer with that
 * status (a revoked webhook: 404 `no_service`).
 */
function chatServices(options: { slackStatus?: () => number } = {}): { received: Received; scopes: nock.Scope[] } {
  const received: Received = { slack: [], discord: [], zulip: [], matrix: [] };
  const slack = nock("https://hooks.slack.com")
    .persist()
    .post(SLACK_PATH, (body: { text: string }) => Object.keys(body).join() === "text")
    .reply((_uri, body) => {
      const status = options.slackStatus?.() ?? 200;
      if (status === 200) received.slack.push((body as { text: string }).text);
      return status === 200 ? [200, "ok"] : [status, "no_service"];
    });
  const discord = nock("https://discord.com")
    .persist()
    .post(DISCORD_PATH, (body: { content: string; allowed_mentions: unknown }) => JSON.stringify(body.allowed_mentions) === '{"parse":[]}')
    .reply((_uri, body) => {
      received.discord.push((body as { content: string }).content);
      return [204, ""];
    });
  const zulip = nock("https://acme.zulipchat.com", { reqheaders: { authorization: `Basic ${Buffer.from(`wg-bot@acme.zulipchat.com:${ZULIP_KEY}`).toString("base64")}` } })
    .persist()
    .post("/api/v1/messages", (body: Record<string, string>) => body.type === "stream" && body.to === "wg" && body.topic === "meetings")
    .reply((_uri, body) => {
      received.zulip.push(new URLSearchParams(body as string).get("content") ?? (body as Record<string, string>).content!);
      return [200, { result: "success", msg: "", id: 42 }];
    });
  const matrix = nock("https://matrix.org", { reqheaders: { authorization: `Bearer ${MATRIX_TOKEN}` } })
    .persist()
    .put(/^\/_matrix\/client\/v3\/rooms\/!abcdef%3Amatrix\.org\/send\/m\.room\.message\/wgm-[0-9a-f]{40}$/, (body: { msgtype: string; "m.mentions": unknown }) => body.msgtype === "m.notice" && JSON.stringify(body["m.mentions"]) === "{}")
    .reply((_uri, body) => {
      received.matrix.push((body as { body: string }).body);
      return [200, { event_id: "$event" }];
    });
  return { received, scopes: [slack, discord, zulip, matrix] };
}

function newWorld(): FakeWorld {
  const world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, bot: BOT, roles: { chair: "write" }, fullTick: true });
  world.agenda.push({ repo: REPO, number: 7, title: "Ship it" });
  return world;
}

async function tick(now: Date) {
  const { probot } = await createTestProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log, chat }, { now, clock: () => now });
}

function meeting(world: FakeWorld) {
  const issue = world.issues.find((candidate) => parseMarker(candidate.body)?.series === "wg");
  if (!issue) throw new Error("no meeting issue");
  return { issue, marker: parseMarker(issue.body) as MeetingMarker };
}

/** Each service received exactly `count` messages, the last one matching `pattern`. */
function expectEach(received: Received, count: number, pattern: RegExp) {
  for (const [service, texts] of Object.entries(received)) {
    expect({ service, count: texts.length }).toEqual({ service, count });
    if (count > 0) expect(texts.at(-1)).toMatch(pattern);
  }
}

let comment = 7000;
async function command(world: FakeWorld, body: string, options: { id?: number; now?: Date } = {}) {
  const { issue } = meeting(world);
  const { probot } = await createTestProbot();
  const gh = await probot.auth(1);
  return handleChairCommand(
    {
      repo: { owner: "acme", repo: "wg" },
      defaultBranch: "main",
      issue: { number: issue.number, url: `https://github.com/${REPO}/issues/${issue.number}`, body: issue.body, author: BOT, isPullRequest: false, isClosed: issue.state === "closed" },
      comment: { id: options.id ?? ++comment, body, author: "chair", authorIsBot: false },
    },
    { gh, botLogin: async () => BOT, google: async () => null, chat, log: probot.log, now: () => options.now ?? NOW, clock: () => options.now ?? NOW },
  );
}

describe("chat announcements, exactly once per meeting, moment and destination", () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = newWorld();
  });
  afterEach(() => {
    world.close();
  });

  it("the tick that opens the meeting posts `opened` to each service; a re-run posts nothing more", async () => {
    const { received, scopes } = chatServices();
    await tick(NOW);
    const { issue, marker } = meeting(world);
    expect(received.slack).toEqual([
      `*Acme Working group Meeting 2024-10-31* is on Thu 31 Oct 2024 10:00 America/New_York (2024-10-31 14:00 UTC).\n\n• Agenda: <https://github.com/acme/wg/issues/${issue.number}|meeting issue>`,
    ]);
    expect(received.discord).toEqual([
      `**Acme Working group Meeting 2024-10-31** is on Thu 31 Oct 2024 10:00 America/New_York (2024-10-31 14:00 UTC).\n\n- Agenda: [meeting issue](https://github.com/acme/wg/issues/${issue.number})`,
    ]);
    expect(received.zulip).toEqual(received.discord);
    expect(received.matrix[0]).toContain("Acme Working group Meeting 2024-10-31 is on Thu 31 Oct 2024 10:00 America/New_York");
    expect(marker.announced).toEqual(["opened:acme-slack", "opened:acme-discord", "opened:acme-zulip", "opened:acme-matrix"]);
    expect(marker.announceFailures).toBeUndefined();
    expect(scopes.every((scope) => scope.isDone())).toBe(true);

    // The next tick, and one after the claims' lease: nothing more is posted, and nothing is asked of GitHub for it.
    const before = world.log.length;
    await tick(new Date(NOW.getTime() + minutes(10)));
    await tick(new Date(NOW.getTime() + minutes(30)));
    expectEach(received, 1, /is on Thu 31 Oct 2024/);
    expect(world.log.slice(before).filter((line) => /git\/(refs|ref\/)wg-meetings|git\/commits/.test(line))).toEqual([]);
    expect(world.issues.filter((candidate) => parseMarker(candidate.body)?.at === AT)).toHaveLength(1);
  });

  it("a record the issue lost (an edit raced it, or the run died after posting) is restored from the key's sent ref: nothing is posted again", async () => {
    const { received } = chatServices();
    await tick(NOW);
    const { issue, marker } = meeting(world);
    const { announced: _lost, ...without } = marker;
    issue.body = issue.body.replace(/<!-- wg-meetings:meeting .* -->/, `<!-- wg-meetings:meeting ${JSON.stringify(without)} -->`);
    expect(meeting(world).marker.announced).toBeUndefined();
    await tick(new Date(NOW.getTime() + minutes(30)));
    expectEach(received, 1, /is on Thu 31 Oct 2024/);
    expect(meeting(world).marker.announced).toEqual(marker.announced);
    // One claim and one sent ref per key, nothing else.
    expect([...world.refs.keys()].filter((ref) => ref.includes("-announce-"))).toHaveLength(8);
  });

  it("the reminder an hour before: posted once when two ticks run at once, and never after the start", async () => {
    const { received } = chatServices();
    await tick(NOW);
    const at = new Date("2024-10-31T13:05:00Z");
    const before = world.log.length;
    await Promise.all([tick(at), tick(at)]);
    for (const texts of Object.values(received)) expect(texts).toHaveLength(2);
    // Both ticks went for the claims (a claim commit each, per destination): one took each, the other stood down.
    expect(world.log.slice(before).filter((line) => line === "POST /repos/acme/wg/git/commits")).toHaveLength(2 * 4);
    expect(received.discord[1]).toMatch(/^Reminder: \*\*Acme Working group Meeting 2024-10-31\*\* starts in 1 hour, on Thu 31 Oct 2024 10:00 America\/New_York/);
    expect(meeting(world).marker.announced).toEqual(expect.arrayContaining(["reminder-PT1H:acme-slack", "reminder-PT1H:acme-discord", "reminder-PT1H:acme-zulip", "reminder-PT1H:acme-matrix"]));
    await tick(new Date("2024-10-31T14:30:00Z"));
    for (const texts of Object.values(received)) expect(texts).toHaveLength(2);
  });

  it("a first tick inside the reminder's window posts one message, `opened`, which stands for the reminder", async () => {
    const { received } = chatServices();
    await tick(new Date("2024-10-31T13:30:00Z"));
    expectEach(received, 1, /is on Thu 31 Oct 2024 10:00/);
    expect(meeting(world).marker.announced).toEqual(expect.arrayContaining(["opened:acme-slack", "reminder-PT1H:acme-slack"]));
    await tick(new Date("2024-10-31T13:45:00Z"));
    expectEach(received, 1, /is on/);
  });

  it("/move posts `moved` once; the redelivered comment, and the same move by another comment, post nothing more", async () => {
    const { received } = chatServices();
    await tick(NOW);
    const id = 7777;
    const first = await command(world, "/move 2024-10-31 11:00", { id });
    expect(first).toMatchObject({ handled: true, result: "done" });
    expectEach(received, 2, /has moved from 2024-10-31 14:00 UTC to Thu 31 Oct 2024 11:00 America\/New_York \(2024-10-31 15:00 UTC\)/);
    expect(await command(world, "/move 2024-10-31 11:00", { id })).toEqual({ handled: false, why: "already answered" });
    // The App's record of the sent keys is what stops the posts, not only the comment's claim:
    // the same move again (another comment) re-renders and posts nothing.
    await command(world, "/move 2024-10-31 11:00");
    expectEach(received, 2, /has moved/);
    expect(meeting(world).marker.announced).toEqual(expect.arrayContaining(["moved@2024-10-31T15:00:00.000Z:acme-zulip"]));
  });

  it("a meeting moved past the series' next slot still gets its reminder from the tick, once", async () => {
    const { received } = chatServices();
    await tick(NOW);
    // Thursday's meeting moved to Friday 10:00: on Friday the series' next slot (the Thursday after) is not due yet.
    await command(world, "/move 2024-11-01 10:00");
    const friday = new Date("2024-11-01T13:05:00Z");
    const [first, second] = await Promise.all([tick(friday), tick(friday)]);
    expect(first.series[0]!.outcome).toMatchObject({ action: "not-due" });
    expect(second.series[0]!.outcome).toMatchObject({ action: "not-due" });
    expectEach(received, 3, /^Reminder: \*?\*?Acme Working group Meeting 2024-11-01/);
    await tick(new Date("2024-11-01T13:30:00Z"));
    expectEach(received, 3, /^Reminder/);
  });

  it("a series that fails after its meeting opened (GitHub refuses the agenda's update) still posts the open meeting's reminder, once", async () => {
    const { received } = chatServices();
    await tick(NOW);
    // A new agenda item, and GitHub refusing the issue's update once: refreshing the open meeting throws.
    world.agenda.push({ repo: REPO, number: 8, title: "Another topic" });
    world.failNext("PATCH", "/repos/acme/wg/issues/", 422, 1);
    const at = new Date("2024-10-31T13:05:00Z");
    const report = await tick(at);
    expect(report.series[0]!.outcome).toMatchObject({ action: "failed" });
    expectEach(received, 2, /^Reminder: \*?\*?Acme Working group Meeting 2024-10-31/);
    await tick(new Date("2024-10-31T13:10:00Z"));
    expectEach(received, 2, /^Reminder/);
  });

  it("/cancel posts `cancelled` once, a second /cancel nothing; the tick posts no reminder for it", async () => {
    const { received } = chatServices();
    await tick(NOW);
    await command(world, "/cancel the chairs are away");
    expectEach(received, 2, /is cancelled\. The next meeting of the series goes ahead as usual\./);
    await command(world, "/cancel");
    await tick(new Date("2024-10-31T13:30:00Z"));
    expectEach(received, 2, /is cancelled/);
  });

  it("the merge posts the minutes' link and the open action items once; a redelivered merge posts nothing more", async () => {
    const { received } = chatServices();
    await tick(NOW);
    const { issue } = meeting(world);
    world.files.set("merge1", new Map([["meetings/2024-10-31.md", "# Minutes\n\n## Action items\n\n- [ ] @alice: publish the @channel report\n- [x] @bob: done already\n"]]));
    const { probot } = await createTestProbot();
    const gh = await probot.auth(1);
    const { loadRepoConfig } = await import("../../src/github/repo-config.js");
    const loaded = await loadRepoConfig(gh, { owner: "acme", repo: "wg" });
    if (loaded.status !== "ok") throw new Error("config");
    const input = {
      repo: { owner: "acme", repo: "wg" },
      repoPrivate: false,
      series: loaded.config.meetings[0]!,
      meeting: { number: issue.number, url: `https://github.com/${REPO}/issues/${issue.number}`, title: issue.title, date: "2024-10-31" },
      file: { path: "meetings/2024-10-31.md", sha: "merge1", url: "https://github.com/acme/wg/blob/merge1/meetings/2024-10-31.md" },
      botLogin: BOT,
      chat,
      defaultBranch: "main",
      now: () => new Date("2024-10-31T16:00:00Z"),
    };
    await followUpOnMerge(gh, input, probot.log);
    await followUpOnMerge(gh, input, probot.log);
    expectEach(received, 2, /merged/);
    expect(received.discord[1]).toBe(
      [
        "The minutes of **Acme Working group Meeting 2024-10-31** are merged: [meetings/2024-10-31.md](https://github.com/acme/wg/blob/merge1/meetings/2024-10-31.md).",
        "",
        "Action items:",
        "- publish the @\u200Bchannel report (alice)",
        "",
        `- Meeting: [issue](https://github.com/acme/wg/issues/${issue.number})`,
      ].join("\n"),
    );
  });

  it("a failing destination stops neither the meeting nor the others; after 3 failures the alarm names it, never its secret, and a later success closes it", async () => {
    let slackDown = true;
    const { received } = chatServices({ slackStatus: () => (slackDown ? 404 : 200) });
    await tick(NOW);
    const { marker } = meeting(world);
    expect(marker.announced).toEqual(["opened:acme-discord", "opened:acme-zulip", "opened:acme-matrix"]);
    expect(marker.announceFailures).toEqual({ "opened:acme-slack": { n: 1, at: NOW.toISOString() } });
    expect(received.slack).toEqual([]);
    expect(received.discord).toHaveLength(1);

    // Retried after its back-off (10, then 20 minutes), not on every tick.
    await tick(new Date(NOW.getTime() + minutes(5)));
    expect(meeting(world).marker.announceFailures?.["opened:acme-slack"]?.n).toBe(1);
    await tick(new Date(NOW.getTime() + minutes(10)));
    await tick(new Date(NOW.getTime() + minutes(30)));
    expect(meeting(world).marker.announceFailures?.["opened:acme-slack"]?.n).toBe(3);
    const alarms = world.issues.filter((candidate) => parseChatAlarmMarker(candidate.body));
    expect(alarms).toHaveLength(1);
    const [alarm] = alarms;
    expect(alarm!.title).toBe("wg-meetings cannot post to the chat destination acme-slack");
    expect(alarm!.body).toContain("`acme-slack` (slack)");
    expect(alarm!.body).toContain("failed 3 times in a row");
    expect(alarm!.body).toMatch(/Slack refused the post/);
    for (const secret of ["T0000", "XXXXXXXXXXXX", ZULIP_KEY, MATRIX_TOKEN, "hooks.slack.com"]) expect(alarm!.body).not.toContain(secret);
    expect(alarm!.state).toBe("open");
    // Every other destination still heard once.
    expect(received.discord).toHaveLength(1);

    // A fourth failure keeps the one alarm; then Slack takes posts again: posted once, alarm closed.
    await tick(new Date(NOW.getTime() + minutes(70)));
    expect(world.issues.filter((candidate) => parseChatAlarmMarker(candidate.body))).toHaveLength(1);
    slackDown = false;
    await tick(new Date(NOW.getTime() + minutes(150)));
    expect(received.slack).toHaveLength(1);
    expect(meeting(world).marker.announceFailures).toBeUndefined();
    expect(alarm!.state).toBe("closed");
    expect(parseChatAlarmMarker(alarm!.body)).toEqual({ v: 1, destination: "acme-slack", resolved: true });
  });

  it("through the App's webhook, with WG_MEETINGS_CHAT in its environment: /cancel, delivered twice, posts once", async () => {
    const { received } = chatServices();
    await tick(NOW);
    const { issue } = meeting(world);
    const payload = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
    Object.assign(payload.repository, { name: "wg", full_name: REPO, default_branch: "main", private: false });
    payload.repository.owner = { ...payload.repository.owner, login: "acme" };
    Object.assign(payload.issue, { number: issue.number, html_url: `https://github.com/${REPO}/issues/${issue.number}`, body: issue.body, state: "open" });
    payload.issue.user = { ...payload.issue.user, login: BOT, type: "Bot" };
    payload.comment.id = 8888;
    payload.comment.body = "/cancel";
    payload.comment.user = { ...payload.comment.user, login: "chair", type: "User" };
    const saved = process.env.WG_MEETINGS_CHAT;
    process.env.WG_MEETINGS_CHAT = CHAT_ENV.WG_MEETINGS_CHAT;
    // The App reads the wall clock: a Tuesday before the meeting.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2024-10-29T10:00:00Z") });
    try {
      for (const delivery of ["d-1", "d-1-again"]) {
        const { probot } = await createTestProbot();
        await probot.receive({ id: delivery, name: "issue_comment", payload } as never);
      }
    } finally {
      vi.useRealTimers();
      if (saved === undefined) delete process.env.WG_MEETINGS_CHAT;
      else process.env.WG_MEETINGS_CHAT = saved;
    }
    expect(meeting(world).marker.cancelled).toBe(true);
    expectEach(received, 2, /is cancelled/);
  });

  it("a series without `announce` asks GitHub nothing more than before, and loads no chat", async () => {
    world.close();
    world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG.replace(/    announce:[\s\S]*$/, ""), bot: BOT, fullTick: true });
    let loaded = 0;
    const { probot } = await createTestProbot();
    await runTick({ auth: (id) => probot.auth(id), log: probot.log, chat: () => (loaded++, chat()) }, { now: NOW, clock: () => NOW });
    expect(loaded).toBe(0);
    expect(world.log.filter((line) => line.startsWith("GET /repos/acme/wg/issues/") || /-announce-/.test(line))).toEqual([]);
  });
});
