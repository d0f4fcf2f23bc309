import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadChat } from "../../src/chat/load-chat.js";
import { runTick } from "../../src/meetings/tick.js";
import { parseChatAlarmMarker } from "../../src/alarms/chat-alarm.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Who does it: another installation of a hosted App (`mallory`), whose config author writes
 * `announce.to` with names guessed or read from other groups' public configs. The owner check
 * holds (nothing is posted), but what the App then wrote in mallory's own repository told the
 * two cases apart: a destination that exists but is not open to mallory raised an alarm saying
 * it "exists but is not open to this repository's owner", one that does not exist an alarm
 * saying the operator "has no destination named" it. So any tenant could list which channel
 * names the operator serves to others (`acme-security-embargo`…), which the gateway itself is
 * careful not to say. Both now read the same in everything public (the marker's failure, the
 * alarm); the App's log keeps the difference for the operator.
 */

const REPO = "mallory/wg";
const BOT = "wg-meetings[bot]";
const NOW = new Date("2024-10-28T15:00:00Z");
const minutes = (n: number) => n * 60_000;

const CONFIG = `meetings:
  - id: wg
    name: Working group
    host: Mallory
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start: 2024-10-03T10:00
      zone: America/New_York
    createBefore: P3D
    agenda: { label: wg-agenda, repos: [mallory/wg] }
    actionItems: { issues: false }
    itemComments: { enabled: false }
    announce:
      to: [acme-embargo, acme-nothing]
      moments: [opened]
`;

/** The operator's destinations: acme's, open to acme only. */
const CHAT = { WG_MEETINGS_CHAT: JSON.stringify({ "acme-embargo": { service: "slack", url: "https://hooks.slack.com/services/T0ACME/B0ACME/acmeSecret0123", owners: ["acme"] } }) };

async function tick(now: Date) {
  const { probot } = await createTestProbot();
  return runTick({ auth: (id) => probot.auth(id), log: probot.log, chat: () => loadChat(CHAT, { maxTries: 1 }) }, { now, clock: () => now });
}

describe("issue 14, adversarial: another tenant tells which destination names exist", () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, bot: BOT, fullTick: true });
  });
  afterEach(() => {
    world.close();
  });

  it("a destination open to others and a name nobody configured leave the same words in the tenant's repository", async () => {
    await tick(NOW);
    await tick(new Date(NOW.getTime() + minutes(10)));
    await tick(new Date(NOW.getTime() + minutes(30)));
    const issue = world.issues.find((candidate) => parseMarker(candidate.body)?.series === "wg")!;
    expect(parseMarker(issue.body)!.announceFailures).toEqual({
      "opened:acme-embargo": { n: 3, at: new Date(NOW.getTime() + minutes(30)).toISOString() },
      "opened:acme-nothing": { n: 3, at: new Date(NOW.getTime() + minutes(30)).toISOString() },
    });

    const alarms = world.issues.filter((candidate) => parseChatAlarmMarker(candidate.body));
    expect(alarms.map((alarm) => parseChatAlarmMarker(alarm.body)!.destination).sort()).toEqual(["acme-embargo", "acme-nothing"]);
    const [embargo, nothing] = ["acme-embargo", "acme-nothing"].map((name) => alarms.find((alarm) => parseChatAlarmMarker(alarm.body)!.destination === name)!);
    const neutral = (text: string, name: string) => text.replaceAll(name, "NAME").replace(/\(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/, "(TIME)");
    expect(neutral(embargo!.title, "acme-embargo")).toBe(neutral(nothing!.title, "acme-nothing"));
    expect(neutral(embargo!.body, "acme-embargo")).toBe(neutral(nothing!.body, "acme-nothing"));
    expect(embargo!.body).not.toMatch(/exists|not open to mallory\b(?! )|acmeSecret/);
    expect(embargo!.body).toContain("WG_MEETINGS_CHAT");
  });
});
