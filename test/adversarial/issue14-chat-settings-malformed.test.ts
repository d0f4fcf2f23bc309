import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadChat } from "../../src/chat/load-chat.js";
import { runTick } from "../../src/meetings/tick.js";
import { parseChatAlarmMarker } from "../../src/alarms/chat-alarm.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Who does it: the App's operator, by mistake (a stray comma in WG_MEETINGS_CHAT, a pasted
 * webhook URL of another shape, a Slack workflow trigger), or a secrets manager that mangles
 * the value. loadChat throws on a malformed value (naming the variable, never a value), and the
 * announcement code loaded the gateway outside its per-destination handling: the throw ended the
 * meeting's announcements with one log line, counted no failure and never raised the chat
 * alarm. Every tick then tried and failed the same way, and the group never learnt that its
 * chat heard nothing. A gateway that cannot be loaded is now each due key's failure, counted in
 * the marker and, after three, reported by the chat alarm in public-safe words.
 */

const REPO = "acme/wg";
const BOT = "wg-meetings[bot]";
/** Monday 2024-10-28 15:00 UTC: the meeting of Thursday 2024-10-31 10:00 New York opens (P3D before). */
const NOW = new Date("2024-10-28T15:00:00Z");
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
      to: [acme-slack]
      moments: [opened]
`;

/** A Slack webhook with its secret, then a trailing comma: not JSON. */
const SECRET = "XXXXsecretXXXXXXXXXX";
const MALFORMED = `{"acme-slack": {"service": "slack", "url": "https://hooks.slack.com/services/T0000/B0000/${SECRET}", "owners": ["acme"]},}`;

async function tick(now: Date) {
  const { probot } = await createTestProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log, chat: () => loadChat({ WG_MEETINGS_CHAT: MALFORMED }) }, { now, clock: () => now });
}

describe("issue 14, adversarial: WG_MEETINGS_CHAT that cannot be read", () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, bot: BOT, fullTick: true });
  });
  afterEach(() => {
    world.close();
  });

  it("counts as the destination's failure each time it is tried, and after three the chat alarm says so without the secret", async () => {
    // No chat service is ever asked: nock refuses any request to it.
    const slack = nock("https://hooks.slack.com").post(/.*/).reply(200, "ok");

    await tick(NOW);
    const meeting = () => {
      const issue = world.issues.find((candidate) => parseMarker(candidate.body)?.series === "wg");
      if (!issue) throw new Error("no meeting issue");
      return parseMarker(issue.body)!;
    };
    expect(meeting().announced).toBeUndefined();
    expect(meeting().announceFailures).toEqual({ "opened:acme-slack": { n: 1, at: NOW.toISOString() } });

    // Retried after the back-off (10, then 20 minutes), like any failing destination.
    await tick(new Date(NOW.getTime() + minutes(10)));
    await tick(new Date(NOW.getTime() + minutes(30)));
    expect(meeting().announceFailures?.["opened:acme-slack"]?.n).toBe(3);

    const alarms = world.issues.filter((candidate) => parseChatAlarmMarker(candidate.body));
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!;
    expect(alarm.title).toBe("wg-meetings cannot post to the chat destination acme-slack");
    expect(alarm.body).toContain("WG_MEETINGS_CHAT");
    expect(alarm.body).toContain("could not be read");
    for (const secret of [SECRET, "T0000", "hooks.slack.com"]) expect(alarm.body).not.toContain(secret);
    expect(slack.isDone()).toBe(false);
  });
});
