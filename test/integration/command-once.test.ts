import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMAND_LEASE_MS } from "../../src/state/claim-refs.js";
import { parseReplyMarker } from "../../src/state/reply-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createProductionLikeProbot } from "../helpers/probot.js";

/**
 * Finding 5 (replies) and finding 8 of issue 10, against the stateful fake GitHub with
 * Octokit's retry and throttling on as in production:
 * - `/minutes` left duplicate replies when an answer was lost and retried, and a redelivered or
 *   concurrently replayed event answered again;
 * - a non-chair's command made the App post the config's errors on the issue.
 * Each comment now gets exactly one reply, and a non-chair never sees the config.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const REPO = "Codertocat/Hello-World";
const BOT = "wg-meetings[bot]";
const AT = "2026-12-02T16:00:00.000Z";
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
    minutes:
      labels: [meeting-notes]
`;
const MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2026-12-02","doc":null} -->`;

let world: FakeWorld;
let nextComment = 7000;

function setUp(config = CONFIG) {
  world = fakeWorld({ repo: REPO, installationId: 1, config, roles: { chair: "write", visitor: "read" } });
  world.files.set("master", new Map());
  world.issues.push({ number: 1, title: "Hello team Meeting 2026-12-02", body: `## Agenda\n\n${MARKER}\n`, state: "open", labels: [], user: BOT });
}

/** One `issue_comment.created` delivery of comment `id`. */
function delivery(id: number, body: string, by: string) {
  const payload = structuredClone(commentFixture);
  payload.issue.number = 1;
  payload.issue.body = world.issues[0]!.body;
  payload.issue.user = { ...payload.issue.user, login: BOT, type: "Bot" };
  payload.comment = { ...payload.comment, id, body, user: { ...payload.comment.user, login: by, type: "User" } };
  return { id: `delivery-${id}-${Math.random()}`, name: "issue_comment" as const, payload };
}

/** The App's replies to comment `id` (by their marker). */
function repliesTo(id: number) {
  return world.comments.filter((comment) => comment.user === BOT && parseReplyMarker(comment.body)?.comment === id);
}

afterEach(() => world.close());

describe("one reply per command comment", () => {
  beforeEach(() => setUp());

  it("a redelivered /minutes (the App answered it already) is not answered again, and opens no second PR", async () => {
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    await probot.receive(delivery(id, "/minutes", "chair"));
    await probot.receive(delivery(id, "/minutes", "chair"));
    await probot.receive(delivery(id, "/minutes", "chair"));

    expect(repliesTo(id)).toHaveLength(1);
    expect(world.pulls).toHaveLength(1);
    expect(world.reactions.filter((r) => r.comment === id).map((r) => r.content)).toEqual(["eyes", "rocket"]);
  });

  it("three replays of the same delivery at once: one of them gets the 👀 (201) and answers; the others stand down", async () => {
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    const event = delivery(id, "/minutes", "chair");
    await Promise.all([probot.receive(event), probot.receive(event), probot.receive(event)]);

    expect(repliesTo(id)).toHaveLength(1);
    expect(world.pulls).toHaveLength(1);
  });

  it("the answer to the reply is lost (reset after GitHub wrote it): found again by its marker, not written twice", async () => {
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    // Find the reply's POST in a clean run of the same command, then fail exactly that one.
    const clean = await runOnce(probot, id);
    const replyIndex = clean.findIndex((line) => line === "POST /repos/Codertocat/Hello-World/issues/1/comments");
    expect(replyIndex).toBeGreaterThan(0);

    setUp();
    const again = ++nextComment;
    world.faultAt(replyIndex, "reset-after");
    const { probot: second } = await createProductionLikeProbot();
    await second.receive(delivery(again, "/minutes", "chair"));

    expect(world.faults).toEqual([{ index: replyIndex, kind: "reset-after", request: "POST /repos/Codertocat/Hello-World/issues/1/comments" }]);
    expect(repliesTo(again)).toHaveLength(1);
    expect(world.reactions.filter((r) => r.comment === again).map((r) => r.content)).toEqual(["eyes", "rocket"]);
  });

  it("a run that died after its 👀: a redelivery inside the lease stands down; after the lease it takes over and answers once", async () => {
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    // What a run that died right after claiming leaves: the App's 👀, no reply, no 🚀/😕.
    const claimedAt = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    world.reactions.push({ id: 99, comment: id, content: "eyes", user: BOT, created_at: claimedAt });

    await probot.receive(delivery(id, "/minutes", "chair"));
    expect(repliesTo(id)).toHaveLength(0);

    world.reactions[0]!.created_at = new Date(Date.now() - COMMAND_LEASE_MS - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await probot.receive(delivery(id, "/minutes", "chair"));
    await probot.receive(delivery(id, "/minutes", "chair"));

    expect(repliesTo(id)).toHaveLength(1);
    expect(world.pulls).toHaveLength(1);
    expect([...world.refs.keys()]).toContain(`refs/wg-meetings/claims/comments/${id}`);
  });

  it("a run that died between its reply and its 🚀: the redelivery adds the 🚀 the reply's marker names, and no second reply", async () => {
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    await probot.receive(delivery(id, "/minutes", "chair"));
    // Take the 🚀 away: as if the run had died right after replying.
    world.reactions = world.reactions.filter((r) => !(r.comment === id && r.content === "rocket"));

    await probot.receive(delivery(id, "/minutes", "chair"));

    expect(repliesTo(id)).toHaveLength(1);
    expect(world.reactions.filter((r) => r.comment === id).map((r) => r.content)).toEqual(["eyes", "rocket"]);
  });

  /** Delivers a /minutes once on a fresh world; returns the request log. */
  async function runOnce(probot: Awaited<ReturnType<typeof createProductionLikeProbot>>["probot"], id: number): Promise<string[]> {
    await probot.receive(delivery(id, "/minutes", "chair"));
    const log = [...world.log];
    world.close();
    return log;
  }
});

describe("finding 8: a non-chair's command with an invalid config", () => {
  const INVALID = `${CONFIG}    secretSauce: "the embargoed CVE-2026-0001 triage"\n`;

  it("gets the plain refusal: not one word of the config, its errors or its keys", async () => {
    setUp(INVALID);
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    await probot.receive(delivery(id, "/minutes", "visitor"));

    const [reply] = repliesTo(id);
    expect(reply!.body).toMatch(/^Thanks @visitor! Only the chairs of this meeting can run `\/minutes` here, so I have not changed anything\./);
    expect(reply!.body).not.toMatch(/secretSauce|CVE|meetings\.yml|invalid/i);
    expect(world.pulls).toHaveLength(0);
    expect(world.docs).toHaveLength(0);
  });

  it("an unknown command from a non-chair stays plain text: no reply, no reaction", async () => {
    setUp(INVALID);
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    await probot.receive(delivery(id, "/frobnicate", "visitor"));

    expect(world.comments).toHaveLength(0);
    expect(world.reactions).toHaveLength(0);
  });

  it("someone with write access, who may read and fix the file anyway, is told what is wrong with it", async () => {
    setUp(INVALID);
    const { probot } = await createProductionLikeProbot();
    const id = ++nextComment;
    await probot.receive(delivery(id, "/minutes", "chair"));

    const [reply] = repliesTo(id);
    expect(reply!.body).toContain("I could not run `/minutes`: `.github/meetings.yml` is invalid:");
    expect(reply!.body).toContain("secretSauce");
  });
});
