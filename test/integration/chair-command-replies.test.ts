import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { parseReplyMarker } from "../../src/state/reply-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { API } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * What a chair is told, and which reaction ends the command, for each way a command can end:
 * done, refused (nothing to do, or not now), or failed. Through the `issue_comment.created`
 * handler against the stateful fake GitHub.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const REPO = "Codertocat/Hello-World";
const BOT = "wg-meetings[bot]";
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [${REPO}] }
`;
const marker = (at: string) => `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${at}","date":"${at.slice(0, 10)}","doc":null} -->`;
const body = (at: string) =>
  `## Time\n\n<!-- wg-meetings:time -->Wednesday<!-- /wg-meetings:time -->\n\n## Agenda\n\n<!-- wg-meetings:agenda -->_No items yet._<!-- /wg-meetings:agenda -->\n\n${marker(at)}\n`;
/** Far ahead, so the meeting has not started whenever the test runs. */
const LATER = "2099-12-02T16:00:00.000Z";

let world: FakeWorld;
let nextComment = 9000;
afterEach(() => world?.close());

function setUp(issueBody = body(LATER), state: "open" | "closed" = "open") {
  world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, roles: { chair: "write" } });
  world.files.set("master", new Map());
  world.issues.push({ number: 1, title: "Hello team Meeting", body: issueBody, state, labels: [], user: BOT });
  world.agenda = [{ repo: REPO, number: 77, title: "Labelled item" }];
}

/** Delivers the chair's comment; returns the reply (without its marker line), its result and the App's final reaction. */
async function command(text: string) {
  const id = ++nextComment;
  const payload = structuredClone(commentFixture);
  payload.issue.number = 1;
  payload.issue.body = world.issues[0]!.body;
  payload.issue.state = world.issues[0]!.state;
  payload.issue.user = { ...payload.issue.user, login: BOT, type: "Bot" };
  payload.comment = { ...payload.comment, id, body: text, user: { ...payload.comment.user, login: "chair", type: "User" } };
  const { probot, logs } = await createTestProbot();
  await probot.receive({ id: `d-${id}`, name: "issue_comment" as const, payload });
  const replies = world.comments.filter((comment) => parseReplyMarker(comment.body)?.comment === id);
  expect(replies).toHaveLength(1);
  const reactions = world.reactions.filter((r) => r.comment === id && r.user === BOT).map((r) => r.content);
  return {
    reply: replies[0]!.body.replace(/\n\n<!-- wg-meetings:reply \{[^\n]*\} -->$/, ""),
    result: parseReplyMarker(replies[0]!.body)?.result,
    reactions,
    logs,
  };
}

describe("how a chair command ends", () => {
  it("/cancel twice: cancelled and closed the first time; the second is refused as already done (😕) and changes nothing", async () => {
    setUp();
    const first = await command("/cancel no quorum");
    expect(first).toMatchObject({
      reply: "This meeting is cancelled and closed; its doc is kept. The next meeting of the series opens as usual.",
      result: "done",
      reactions: ["eyes", "rocket"],
    });
    expect(parseMarker(world.issues[0]!.body)).toMatchObject({ cancelled: true });
    const after = { ...world.issues[0]! };

    const second = await command("/cancel");
    expect(second).toMatchObject({ reply: "This meeting was already cancelled.", result: "refused", reactions: ["eyes", "confused"] });
    expect(world.issues[0]).toEqual(after);
    // A first delivery takes nothing over.
    expect(second.logs.find((line) => line.msg === "taking over a command whose first run did not answer it")).toBeUndefined();
  });

  it("/agenda on a meeting issue that is closed is refused: the agenda of a closed meeting stays as it was", async () => {
    setUp(body(LATER), "closed");
    const before = { ...world.issues[0]! };
    const answer = await command("/agenda");
    expect(answer).toMatchObject({ reply: "I did not refresh the agenda: the meeting issue is closed.", result: "refused", reactions: ["eyes", "confused"] });
    expect(world.issues[0]).toEqual(before);
    // Refused before any work: not even the App's issues (the follow-up) are listed.
    expect(world.log).not.toContain(`GET /repos/${REPO}/issues`);
  });

  it("/agenda once the meeting has started is refused, and the agenda stays as it was", async () => {
    setUp(body("2020-01-01T16:00:00.000Z"));
    const before = { ...world.issues[0]! };
    const answer = await command("/agenda");
    expect(answer).toMatchObject({ reply: "I did not refresh the agenda: the meeting has started.", result: "refused" });
    expect(world.issues[0]).toEqual(before);
  });

  it("/agenda on an issue whose agenda markers were edited away is refused with that reason", async () => {
    setUp(`Just text\n\n${marker(LATER)}\n`);
    const answer = await command("/agenda");
    expect(answer).toMatchObject({ reply: "I did not refresh the agenda: the issue has no agenda markers (edited away).", result: "refused" });
  });

  it("/agenda counts its items: 0 items, 1 item, 2 items", async () => {
    setUp();
    world.agenda = [];
    const answer = await command("/agenda");
    expect(answer.reply).toMatch(/^The agenda (is refreshed|was already up to date): 0 items\.$/);
    world.agenda = [{ repo: REPO, number: 77, title: "One" }];
    expect((await command("/agenda")).reply).toBe("The agenda is refreshed: 1 item.");
    world.agenda = [
      { repo: REPO, number: 77, title: "One" },
      { repo: REPO, number: 78, title: "Two" },
    ];
    expect((await command("/agenda")).reply).toBe("The agenda is refreshed: 2 items.");
  });

  it("a GitHub failure in the middle: the chair is told to run it again, 😕, and the error goes to the log only", async () => {
    setUp();
    world.failNext("POST", "/graphql", 500);
    const answer = await command("/agenda");
    expect(answer).toMatchObject({
      reply: "Something went wrong while running `/agenda` (the details are in the App's logs). Anything already done is kept; run it again to finish.",
      result: "failed",
      reactions: ["eyes", "confused"],
    });
    expect(answer.logs.find((line) => line.msg === "command failed")).toMatchObject({ level: 50, command: "agenda", by: "chair", issue: 1 });
  });

  it("/agenda whose listing of the App's issues fails: the chair is told to run it again, and nothing is written (not an agenda without its carried-over marks)", async () => {
    setUp();
    const before = { ...world.issues[0]! };
    world.failNext("GET", `/repos/${REPO}/issues?`, 500);
    const answer = await command("/agenda");
    expect(answer).toMatchObject({ result: "failed", reactions: ["eyes", "confused"] });
    expect(answer.reply).toMatch(/^Something went wrong while running `\/agenda`/);
    expect(world.issues[0]).toEqual(before);
    expect(world.log.filter((line) => line === "POST /graphql" || line.startsWith("PATCH "))).toEqual([]);
  });

  it("/move without a date and time answers with the form expected, refused (😕), and moves nothing", async () => {
    setUp();
    const usage = "/move YYYY-MM-DD HH:mm [time zone], e.g. /move 2024-11-07 10:00 America/New_York";
    expect(await command("/move soon")).toMatchObject({ reply: `I did not run \`/move\`: expected ${usage}`, result: "refused", reactions: ["eyes", "confused"] });
    expect(await command("/move next week")).toMatchObject({
      reply: `I did not run \`/move\`: "next week" is not a date and time: expected ${usage}`,
      result: "refused",
    });
    expect(world.issues[0]!.body).toBe(body(LATER));
  });

  it("/minutes a second time with the PR still open updates that PR; after it was closed unmerged, reopens it", async () => {
    setUp();
    const first = await command("/minutes");
    expect(first.reply).toMatch(/^I opened #100 with `meetings\/2099-12-02\.md` for review: https:\/\/github\.com\/Codertocat\/Hello-World\/pull\/100\n\nMerging it closes this meeting\.$/);

    const again = await command("/minutes");
    expect(again.reply).toBe(
      "I updated #100 (`meetings/2099-12-02.md` was already up to date) for review: https://github.com/Codertocat/Hello-World/pull/100\n\nMerging it closes this meeting.",
    );

    world.pulls[0]!.state = "closed";
    const reopened = await command("/minutes");
    expect(reopened).toMatchObject({
      reply: "I reopened #100 (`meetings/2099-12-02.md` was already up to date) for review: https://github.com/Codertocat/Hello-World/pull/100\n\nMerging it closes this meeting.",
      result: "done",
      reactions: ["eyes", "rocket"],
    });
    expect(world.pulls).toHaveLength(1);
    expect(world.pulls[0]!.state).toBe("open");
  });

  it("/minutes after its PR was merged, with nothing changed since: says so, and proposes nothing new", async () => {
    // GitHub resets the merged branch to the base (which has the merged file): served here ahead
    // of the fake's own ref updates, which know only claim refs.
    const resets: Array<Record<string, unknown>> = [];
    nock(API)
      .persist()
      .patch(/\/git\/refs\/heads(\/|%2F)/)
      .reply(200, (_uri, body) => (resets.push(body as Record<string, unknown>), {}));
    setUp();
    await command("/minutes");
    Object.assign(world.pulls[0]!, { state: "closed", merged_at: "2099-12-02T18:00:00Z" });

    const answer = await command("/minutes");

    expect(answer).toMatchObject({
      reply: "These minutes are already merged in #100 (https://github.com/Codertocat/Hello-World/pull/100), and the doc has not changed since.",
      result: "done",
      reactions: ["eyes", "rocket"],
    });
    expect(resets).toEqual([{ sha: "tip-master", force: true }]);
    expect(world.pulls).toHaveLength(1);
  });

  it("/move to a time already past is refused (😕) and moves nothing", async () => {
    setUp();
    const answer = await command("/move 2020-01-01 10:00");
    expect(answer).toMatchObject({
      reply: "I did not move the meeting: that time has already passed; nothing was changed",
      result: "refused",
      reactions: ["eyes", "confused"],
    });
    expect(world.issues[0]!.body).toBe(body(LATER));
  });

  it("a chair whose repository no longer has .github/meetings.yml is told so (😕)", async () => {
    // Served ahead of the fake's config: the file is gone.
    nock(API).get(`/repos/${REPO}/contents/${encodeURIComponent(".github/meetings.yml")}`).reply(404, { message: "Not Found" });
    setUp();
    const answer = await command("/agenda");
    expect(answer).toMatchObject({
      reply: "I could not run `/agenda`: this repository has no `.github/meetings.yml` any more",
      result: "failed",
      reactions: ["eyes", "confused"],
    });
  });

  it("a chair is shown every error of an invalid config, one per line", async () => {
    setUp();
    world.close();
    world = fakeWorld({ repo: REPO, installationId: 1, config: "meetings:\n  - id: hello\n    name: 5\n    schedule: {}\n", roles: { chair: "write" } });
    world.issues.push({ number: 1, title: "Hello team Meeting", body: body(LATER), state: "open", labels: [], user: BOT });
    const answer = await command("/agenda");
    expect(answer.reply).toMatch(/^I could not run `\/agenda`: `\.github\/meetings\.yml` is invalid:\n\n\* [^\n]+\n\* [^\n]+/);
  });

  it("/help lists every command", async () => {
    setUp();
    const answer = await command("/help");
    expect(answer).toMatchObject({ result: "help", reactions: ["eyes", "rocket"] });
    expect(answer.reply).toBe(
      [
        "Commands for the chairs of this meeting (write access, or as `chairs` in `.github/meetings.yml` says):",
        "",
        "* `/minutes [recording URL]`: publish the minutes from the doc as a pull request; merging it closes this meeting",
        "* `/agenda`: refresh the agenda from the labelled issues and pull requests now",
        "* `/cancel [reason]`: cancel this meeting (the doc is kept; the next meeting goes ahead)",
        "* `/move YYYY-MM-DD HH:mm [time zone], e.g. /move 2024-11-07 10:00 America/New_York`: reschedule this meeting",
        "* `/help`: this list",
      ].join("\n"),
    );
  });
});
