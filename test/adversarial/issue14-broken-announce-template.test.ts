import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadChat } from "../../src/chat/load-chat.js";
import { runTick } from "../../src/meetings/tick.js";
import { parseChatAlarmMarker } from "../../src/alarms/chat-alarm.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Who does it: a config or template author (write access), by mistake or not: the file
 * `announce.templates.opened` names is missing, or it uses what the App's renderer refuses (a
 * partial). The config check does not read announcement templates, and the announcement code
 * skipped a key whose template failed without counting it: no failure in the marker, no chat
 * alarm, the template fetched again on every tick, and the group's chat silently heard nothing
 * about its meetings. A template that cannot be used is now a failure of each key it renders
 * (backed off like any failure) and, after three, the chat alarm names the template problem in
 * the renderer's public words, with advice about the template rather than the destination.
 * A GitHub failure while fetching the template still counts against nobody.
 */

const REPO = "acme/wg";
const BOT = "wg-meetings[bot]";
const NOW = new Date("2024-10-28T15:00:00Z");
const minutes = (n: number) => n * 60_000;
const SLACK_PATH = "/services/T0000/B0000/XXXXXXXXXXXX";
const CHAT = { WG_MEETINGS_CHAT: JSON.stringify({ "acme-slack": { service: "slack", url: `https://hooks.slack.com${SLACK_PATH}`, owners: ["acme"] } }) };

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
      to: [acme-slack]
      moments: [opened]
      templates:
        opened: .github/announce/opened.hbs
`;

async function tick(now: Date) {
  const { probot } = await createTestProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log, chat: () => loadChat(CHAT, { maxTries: 1 }) }, { now, clock: () => now });
}

function marker(world: FakeWorld) {
  const issue = world.issues.find((candidate) => parseMarker(candidate.body)?.series === "wg");
  if (!issue) throw new Error("no meeting issue");
  return parseMarker(issue.body)!;
}

/** The repository's template file, as GitHub's contents API serves it, once per fetch. */
function template(source: string | null): { fetched: () => number } {
  let count = 0;
  nock("https://api.github.com")
    .persist()
    .get("/repos/acme/wg/contents/.github%2Fannounce%2Fopened.hbs")
    .reply(() => {
      count++;
      return source === null
        ? [404, { message: "Not Found" }]
        : [200, { type: "file", encoding: "base64", path: ".github/announce/opened.hbs", content: Buffer.from(source).toString("base64") }];
    });
  return { fetched: () => count };
}

describe("issue 14, adversarial: an announcement template that cannot be used", () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, bot: BOT, fullTick: true });
  });
  afterEach(() => {
    world.close();
  });

  it.each([
    ["missing", null, /\.github\/announce\/opened\.hbs does not exist/],
    ["using a partial", "{{> header}} **{{title}}**", /\.github\/announce\/opened\.hbs/],
  ])("a template %s is counted, backed off and, after three failures, reported by the chat alarm; nothing is posted", async (_what, source, words) => {
    const slack = nock("https://hooks.slack.com").post(SLACK_PATH).reply(200, "ok");
    const file = template(source);

    await tick(NOW);
    expect(marker(world).announceFailures).toEqual({ "opened:acme-slack": { n: 1, at: NOW.toISOString() } });
    // Backed off: the next tick, five minutes on, does not fetch the template again.
    await tick(new Date(NOW.getTime() + minutes(5)));
    expect(file.fetched()).toBe(1);
    await tick(new Date(NOW.getTime() + minutes(10)));
    await tick(new Date(NOW.getTime() + minutes(30)));
    expect(marker(world).announceFailures?.["opened:acme-slack"]?.n).toBe(3);
    expect(marker(world).announced).toBeUndefined();

    const alarms = world.issues.filter((candidate) => parseChatAlarmMarker(candidate.body));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.body).toMatch(words);
    expect(alarms[0]!.body).toContain("announce.templates");
    expect(alarms[0]!.body).not.toContain("XXXXXXXXXXXX");
    expect(slack.isDone()).toBe(false);
  });

  it("GitHub failing to serve the template counts against nobody: the next tick tries again", async () => {
    let fetched = 0;
    nock("https://api.github.com")
      .persist()
      .get("/repos/acme/wg/contents/.github%2Fannounce%2Fopened.hbs")
      .reply(() => {
        fetched++;
        return [502, { message: "Bad Gateway" }];
      });
    await tick(NOW);
    expect(marker(world).announceFailures).toBeUndefined();
    expect(marker(world).announced).toBeUndefined();
    const before = fetched;
    await tick(new Date(NOW.getTime() + minutes(5)));
    expect(fetched).toBeGreaterThan(before);
    expect(world.issues.filter((candidate) => parseChatAlarmMarker(candidate.body))).toHaveLength(0);
  });
});
