import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadChat } from "../../src/chat/load-chat.js";
import { withDeadline } from "../../src/github/request-deadline.js";
import { runTick } from "../../src/meetings/tick.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Who does it: a slow chat service, or a busy installation, near the end of the run's
 * deadline (5 minutes per installation). The deadline ends the post mid-request (Slack may
 * well have posted it) and, with it, every GitHub request after it: the post's sent ref and
 * its record in the marker are never written, and the claim is left to age. Ten minutes on,
 * the next tick took the stale claim over, found no record and posted the message a second
 * time. An interrupted post now counts as sent, like a post that got no answer; a post that
 * failed for sure (its failure recorded) is still tried again, and Matrix, which drops a
 * repeated transaction, is simply sent again.
 */

const REPO = "acme/wg";
const BOT = "wg-meetings[bot]";
const NOW = new Date("2024-10-28T15:00:00Z");
const minutes = (n: number) => n * 60_000;
const SLACK_PATH = "/services/T0000/B0000/XXXXXXXXXXXX";
const MATRIX_TOKEN = "syt_c2VjcmV0_token_1234";
const CHAT = {
  WG_MEETINGS_CHAT: JSON.stringify({
    "acme-slack": { service: "slack", url: `https://hooks.slack.com${SLACK_PATH}`, owners: ["acme"] },
    "acme-matrix": { service: "matrix", homeserver: "https://matrix.org", room: "!abcdef:matrix.org", token: MATRIX_TOKEN, owners: ["acme"] },
  }),
};

const CONFIG = (to: string) => `meetings:
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
      to: [${to}]
      moments: [opened]
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

describe("issue 14, adversarial: the run's deadline ends a post mid-request", () => {
  let world: FakeWorld;
  afterEach(() => {
    world.close();
  });

  describe("a webhook (Slack)", () => {
    beforeEach(() => {
      world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG("acme-slack"), bot: BOT, fullTick: true });
    });

    it("is not posted again by the tick that takes the stale claim over; the key is recorded", async () => {
      const posts: string[] = [];
      const deadline = new AbortController();
      // Slack takes the post; the run's deadline passes before its answer is read.
      nock("https://hooks.slack.com")
        .post(SLACK_PATH, (body: { text: string }) => body.text.includes("Acme Working group Meeting 2024-10-31"))
        .reply((_uri, body) => {
          posts.push((body as { text: string }).text);
          deadline.abort();
          return [200, "ok"];
        });
      await withDeadline(deadline.signal, () => tick(NOW));
      expect(posts).toHaveLength(1);
      expect(marker(world).announced).toBeUndefined();

      const again = nock("https://hooks.slack.com")
        .persist()
        .post(SLACK_PATH)
        .reply((_uri, body) => {
          posts.push((body as { text: string }).text);
          return [200, "ok"];
        });
      // Inside the claim's lease, then past it, then later still.
      await tick(new Date(NOW.getTime() + minutes(5)));
      await tick(new Date(NOW.getTime() + minutes(11)));
      await tick(new Date(NOW.getTime() + minutes(30)));
      expect(posts).toHaveLength(1);
      expect(marker(world).announced).toEqual(["opened:acme-slack"]);
      expect([...world.refs.keys()].filter((ref) => ref.endsWith("-sent"))).toHaveLength(1);
      expect(again.isDone()).toBe(false);
    });

    it("a post that failed for sure, its failure recorded, is still tried again after its back-off", async () => {
      const answers = [404, 200];
      const posts: number[] = [];
      const scope = nock("https://hooks.slack.com")
        .persist()
        .post(SLACK_PATH)
        .reply(() => {
          const status = answers.shift() ?? 500;
          posts.push(status);
          return status === 200 ? [200, "ok"] : [status, "no_service"];
        });
      await tick(NOW);
      expect(marker(world).announceFailures).toEqual({ "opened:acme-slack": { n: 1, at: NOW.toISOString() } });
      await tick(new Date(NOW.getTime() + minutes(11)));
      expect(posts).toEqual([404, 200]);
      expect(marker(world).announced).toEqual(["opened:acme-slack"]);
      expect(scope.isDone()).toBe(true);
    });
  });

  describe("Matrix, which drops a repeated transaction", () => {
    beforeEach(() => {
      world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG("acme-matrix"), bot: BOT, fullTick: true });
    });

    it("is sent again with the same transaction id, so the homeserver shows it once", async () => {
      const paths: string[] = [];
      const deadline = new AbortController();
      const room = /^\/_matrix\/client\/v3\/rooms\/!abcdef%3Amatrix\.org\/send\/m\.room\.message\/wgm-[0-9a-f]{40}$/;
      nock("https://matrix.org", { reqheaders: { authorization: `Bearer ${MATRIX_TOKEN}` } })
        .put(room)
        .reply((uri) => {
          paths.push(uri);
          deadline.abort();
          return [200, { event_id: "$first" }];
        });
      await withDeadline(deadline.signal, () => tick(NOW));
      const scope = nock("https://matrix.org", { reqheaders: { authorization: `Bearer ${MATRIX_TOKEN}` } })
        .put(room)
        .reply((uri) => {
          paths.push(uri);
          return [200, { event_id: "$first" }];
        });
      await tick(new Date(NOW.getTime() + minutes(11)));
      expect(paths).toHaveLength(2);
      expect(paths[1]).toBe(paths[0]);
      expect(marker(world).announced).toEqual(["opened:acme-matrix"]);
      expect(scope.isDone()).toBe(true);
    });
  });
});
