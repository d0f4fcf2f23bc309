import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { COMMAND_LEASE_MS } from "../../src/state/claim-refs.js";
import { parseReplyMarker, replyMarker } from "../../src/state/reply-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * The App's 👀 claims a command comment; its reply (with the hidden marker) and its 🚀/😕 answer
 * it. These are the deliveries that find a command half-answered, through the
 * `issue_comment.created` handler against the stateful fake GitHub.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const REPO = "Codertocat/Hello-World";
const BOT = "wg-meetings[bot]";
const AT = "2099-12-02T16:00:00.000Z";
const MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2099-12-02","doc":null} -->`;
const BODY = `## Agenda\n\n<!-- wg-meetings:agenda -->_No items yet._<!-- /wg-meetings:agenda -->\n\n${MARKER}\n`;
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [${REPO}] }
`;
const stamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

let world: FakeWorld;
let nextComment = 9500;
afterEach(() => world?.close());

function setUp() {
  world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, roles: { chair: "write" } });
  world.issues.push({ number: 1, title: "Hello team Meeting", body: BODY, state: "open", labels: [], user: BOT });
}

async function deliver(id: number, text = "/agenda") {
  const payload = structuredClone(commentFixture);
  payload.issue.number = 1;
  payload.issue.body = world.issues[0]!.body;
  payload.issue.user = { ...payload.issue.user, login: BOT, type: "Bot" };
  payload.comment = { ...payload.comment, id, body: text, user: { ...payload.comment.user, login: "chair", type: "User" } };
  const { probot, logs } = await createTestProbot();
  await probot.receive({ id: `d-${id}-${Math.random()}`, name: "issue_comment" as const, payload });
  return logs;
}

const repliesTo = (id: number) => world.comments.filter((comment) => comment.user === BOT && parseReplyMarker(comment.body)?.comment === id);
const reactionsOn = (id: number) => world.reactions.filter((r) => r.comment === id).map((r) => `${r.user === BOT ? "app" : r.user} ${r.content}`);
const writes = () => world.log.filter((line) => !line.startsWith("GET ") && !line.endsWith("/access_tokens"));

describe("a delivery that finds the command half-answered", () => {
  it("the reply is there but its 😕 is not (the run died in between): the 😕 its marker names is added, no second reply", async () => {
    setUp();
    const id = ++nextComment;
    const claimed = stamp(new Date(Date.now() - 60_000));
    world.reactions.push({ id: 1, comment: id, content: "eyes", user: BOT, created_at: claimed });
    world.comments.push({ id: 1, issue: 1, body: `I did not refresh the agenda: x.\n\n${replyMarker(id, "refused")}`, user: BOT, created_at: claimed, updated_at: claimed });

    const logs = await deliver(id);

    expect(repliesTo(id)).toHaveLength(1);
    expect(reactionsOn(id)).toEqual(["app eyes", "app confused"]);
    expect(writes()).toEqual([`POST /repos/${REPO}/issues/comments/${id}/reactions`, `POST /repos/${REPO}/issues/comments/${id}/reactions`]);
    expect(logs.find((line) => line.msg === "skipped: this comment was already answered (redelivered event)")).toBeDefined();
  });

  it("a reply written before the App's 👀 (another comment's, or older) is not this command's answer", async () => {
    setUp();
    const id = ++nextComment;
    const claimed = new Date(Date.now() - COMMAND_LEASE_MS - 60_000);
    world.reactions.push({ id: 1, comment: id, content: "eyes", user: BOT, created_at: stamp(claimed) });
    // A person pasted a reply marker for this comment: not the App's, so not an answer.
    world.comments.push({ id: 2, issue: 1, body: `done\n\n${replyMarker(id, "done")}`, user: "mallory", created_at: stamp(claimed), updated_at: stamp(claimed) });

    await deliver(id);

    expect(repliesTo(id).map((reply) => reply.body)).toEqual([expect.stringMatching(/^The agenda is refreshed: 0 items\./)]);
    expect(reactionsOn(id)).toEqual(["app eyes", "app rocket"]);
  });

  it("the App's own 😕 means answered too: the redelivery writes nothing", async () => {
    setUp();
    const id = ++nextComment;
    world.reactions.push({ id: 1, comment: id, content: "eyes", user: BOT, created_at: stamp(new Date(Date.now() - COMMAND_LEASE_MS - 60_000)) });
    world.reactions.push({ id: 2, comment: id, content: "confused", user: BOT, created_at: stamp(new Date()) });
    await deliver(id);
    expect(repliesTo(id)).toEqual([]);
    expect(writes()).toEqual([`POST /repos/${REPO}/issues/comments/${id}/reactions`]);
  });

  it("the App's replies to other comments, and its other comments, after the 👀 are not this command's answer", async () => {
    setUp();
    const id = ++nextComment;
    const claimed = stamp(new Date(Date.now() - COMMAND_LEASE_MS - 60_000));
    const later = stamp(new Date(Date.now() - COMMAND_LEASE_MS));
    world.reactions.push({ id: 1, comment: id, content: "eyes", user: BOT, created_at: claimed });
    world.comments.push({ id: 4, issue: 1, body: "The next meeting of this series is open: #2. Closing this one.", user: BOT, created_at: later, updated_at: later });
    world.comments.push({ id: 5, issue: 1, body: `Done.\n\n${replyMarker(id + 1000, "done")}`, user: BOT, created_at: later, updated_at: later });

    await deliver(id);

    expect(repliesTo(id).map((reply) => reply.body)).toEqual([expect.stringMatching(/^The agenda is refreshed: 0 items\./)]);
    expect(reactionsOn(id)).toEqual(["app eyes", "app rocket"]);
  });

  it("another delivery's 👀 inside its lease: this one stands down, writes nothing but the 👀 request, and says why", async () => {
    setUp();
    const id = ++nextComment;
    world.reactions.push({ id: 1, comment: id, content: "eyes", user: BOT, created_at: stamp(new Date(Date.now() - 60_000)) });
    const before = { ...world.issues[0]! };

    const logs = await deliver(id);

    expect(repliesTo(id)).toEqual([]);
    expect(world.issues[0]).toEqual(before);
    expect(writes()).toEqual([`POST /repos/${REPO}/issues/comments/${id}/reactions`]);
    expect(logs.find((line) => line.msg === "skipped: another delivery of this comment is answering it")).toMatchObject({
      reason: expect.stringMatching(/^another delivery is answering it \(👀 since \d{4}-\d\d-\d\dT/),
    });
  });

  it("a stale 👀 whose comment claim another delivery already took over: this one stands down", async () => {
    setUp();
    const id = ++nextComment;
    world.reactions.push({ id: 1, comment: id, content: "eyes", user: BOT, created_at: stamp(new Date(Date.now() - COMMAND_LEASE_MS - 60_000)) });
    await deliver(id);
    expect(repliesTo(id)).toHaveLength(1);
    const answered = world.comments.length;

    // The same stale state again (its 🚀 and reply gone from view), but the claim ref is held now.
    world.reactions = world.reactions.filter((r) => r.content === "eyes");
    world.comments.length = 0;
    const logs = await deliver(id);
    expect(world.comments).toHaveLength(0);
    expect(answered).toBe(1);
    expect(logs.find((line) => line.msg === "skipped: another delivery of this comment is answering it")).toMatchObject({
      reason: expect.stringContaining("claimed by another run at"),
    });
  });

  it("a takeover logs that it takes over, and answers once", async () => {
    setUp();
    const id = ++nextComment;
    world.reactions.push({ id: 1, comment: id, content: "eyes", user: BOT, created_at: stamp(new Date(Date.now() - COMMAND_LEASE_MS - 60_000)) });
    const logs = await deliver(id);
    expect(logs.find((line) => line.msg === "taking over a command whose first run did not answer it")).toMatchObject({ level: 40, comment: id });
    expect(repliesTo(id)).toHaveLength(1);
  });

  it.each([
    ["a rate limit (429)", 429],
    ["a server error that did nothing (502)", 502],
  ])("the 👀 refused by %s with no 👀 of the App's there: sent once more, and the command is answered", async (_name, status) => {
    setUp();
    const id = ++nextComment;
    world.failNext("POST", `/repos/${REPO}/issues/comments/${id}/reactions`, status);

    await deliver(id);

    expect(repliesTo(id)).toHaveLength(1);
    expect(reactionsOn(id)).toEqual(["app eyes", "app rocket"]);
  });

  it("the 👀 made but its answer lost (reset after GitHub made it): that 👀 is this run's claim, not sent again; answered once", async () => {
    setUp();
    const id = ++nextComment;
    // Requests of a fresh process: GET /app, the token, then the 👀.
    world.faultAt(2, "reset-after");

    await deliver(id);

    expect(world.faults).toEqual([{ index: 2, kind: "reset-after", request: `POST /repos/${REPO}/issues/comments/${id}/reactions` }]);
    expect(repliesTo(id)).toHaveLength(1);
    expect(reactionsOn(id)).toEqual(["app eyes", "app rocket"]);
    // The 👀 once, then the 🚀.
    expect(world.log.filter((line) => line === `POST /repos/${REPO}/issues/comments/${id}/reactions`)).toHaveLength(2);
  });

  it("the 👀 refused for lack of permission (403): the delivery fails, nothing else is written", async () => {
    setUp();
    const id = ++nextComment;
    world.failNext("POST", `/repos/${REPO}/issues/comments/${id}/reactions`, 403);

    await expect(deliver(id)).rejects.toThrow();

    expect(writes()).toEqual([`POST /repos/${REPO}/issues/comments/${id}/reactions`]);
    expect(world.comments).toEqual([]);
  });
});
