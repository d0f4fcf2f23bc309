import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseReplyMarker } from "../../src/state/reply-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createProductionLikeProbot } from "../helpers/probot.js";

/**
 * A reply can quote a config value: `/minutes` with a bad `minutes.path` answers with the path
 * as written. A path holding a reply marker for another comment must not make the App's own
 * reply read as that comment's answer: the App's marker is the last line of its reply, and the
 * last marker is the one that counts.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const REPO = "Codertocat/Hello-World";
const BOT = "wg-meetings[bot]";
const AT = "2026-12-02T16:00:00.000Z";
const PLANTED = 424242;
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
    minutes:
      path: 'meetings/{{date}} <!-- wg-meetings:reply {"comment":${PLANTED},"result":"done"} --> .md'
`;
const MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2026-12-02","doc":null} -->`;

let world: FakeWorld;

function setUp() {
  world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, roles: { chair: "write" } });
  world.files.set("master", new Map());
  world.issues.push({ number: 1, title: "Hello team Meeting 2026-12-02", body: `## Agenda\n\n${MARKER}\n`, state: "open", labels: [], user: BOT });
}

function delivery(id: number, body: string) {
  const payload = structuredClone(commentFixture);
  payload.issue.number = 1;
  payload.issue.body = world.issues[0]!.body;
  payload.issue.user = { ...payload.issue.user, login: BOT, type: "Bot" };
  payload.comment = { ...payload.comment, id, body, user: { ...payload.comment.user, login: "chair", type: "User" } };
  return { id: `delivery-${id}-${Math.random()}`, name: "issue_comment" as const, payload };
}

afterEach(() => world.close());

describe("a reply that quotes a reply marker from the config", () => {
  it("still reads as the answer to its own command, and only to it", async () => {
    setUp();
    const { probot } = await createProductionLikeProbot();
    await probot.receive(delivery(7101, "/minutes"));

    const replies = world.comments.filter((comment) => comment.user === BOT);
    expect(replies).toHaveLength(1);
    // The quoted marker is there, before the App's own.
    expect(replies[0]!.body).toContain(`"comment":${PLANTED}`);
    expect(parseReplyMarker(replies[0]!.body)).toEqual({ comment: 7101, result: "refused" });
    expect(world.reactions.filter((r) => r.comment === 7101).map((r) => r.content)).toEqual(["eyes", "confused"]);
  });

  it("is found again after its answer was lost, not written twice", async () => {
    setUp();
    const { probot } = await createProductionLikeProbot();
    await probot.receive(delivery(7102, "/minutes"));
    const replyIndex = world.log.findIndex((line) => line === "POST /repos/Codertocat/Hello-World/issues/1/comments");
    expect(replyIndex).toBeGreaterThan(0);
    world.close();

    setUp();
    world.faultAt(replyIndex, "reset-after");
    const { probot: second } = await createProductionLikeProbot();
    await second.receive(delivery(7103, "/minutes"));

    expect(world.faults).toEqual([{ index: replyIndex, kind: "reset-after", request: "POST /repos/Codertocat/Hello-World/issues/1/comments" }]);
    expect(world.comments.filter((comment) => comment.user === BOT)).toHaveLength(1);
  });
});
