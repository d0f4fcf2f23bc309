import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { COMMAND_LEASE_MS } from "../../src/state/claim-refs.js";
import { parseReplyMarker } from "../../src/state/reply-marker.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { API } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * Who may run a chair command, and what counts as the App's answer to one, through the
 * `issue_comment.created` handler against the stateful fake GitHub. Every command that changes
 * something is refused to a non-chair with nothing changed; only the App's own 🚀/😕 say a
 * command was answered.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const REPO = "Codertocat/Hello-World";
const BOT = "wg-meetings[bot]";
/** A meeting far ahead, so `/move` and `/agenda` would work for a chair whenever the test runs. */
const AT = "2099-12-02T16:00:00.000Z";
const MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2099-12-02","doc":null} -->`;
const BODY = `## Time\n\n<!-- wg-meetings:time -->Wednesday<!-- /wg-meetings:time -->\n\n## Agenda\n\n<!-- wg-meetings:agenda -->_No items yet._<!-- /wg-meetings:agenda -->\n\n${MARKER}\n`;
const CONFIG = (chairs = "") => `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [${REPO}] }
${chairs}`;

let world: FakeWorld;
let nextComment = 8000;
afterEach(() => world?.close());

function setUp(config = CONFIG(), roles: Record<string, string> = { chair: "write", visitor: "read", maintainer: "maintain" }) {
  world = fakeWorld({ repo: REPO, installationId: 1, config, roles });
  world.files.set("master", new Map());
  world.issues.push({ number: 1, title: "Hello team Meeting 2099-12-02", body: BODY, state: "open", labels: [], user: BOT });
  world.agenda = [{ repo: REPO, number: 77, title: "Labelled item" }];
}

/** One `issue_comment.created` delivery (the real example payload) of comment `id` by `by`. */
function delivery(id: number, body: string, by: string | null, type = "User") {
  const payload = structuredClone(commentFixture);
  payload.issue.number = 1;
  payload.issue.body = world.issues[0]!.body;
  payload.issue.user = { ...payload.issue.user, login: BOT, type: "Bot" };
  payload.comment = { ...payload.comment, id, body, user: by === null ? null : { ...payload.comment.user, login: by, type } };
  return { id: `delivery-${id}-${Math.random()}`, name: "issue_comment" as const, payload };
}

async function command(body: string, by: string | null, id = ++nextComment) {
  const { probot } = await createTestProbot();
  await probot.receive(delivery(id, body, by));
  return id;
}

/** The App's reply to comment `id`, without its hidden marker line; undefined when none. */
function replyTo(id: number): string | undefined {
  const replies = world.comments.filter((comment) => comment.user === BOT && parseReplyMarker(comment.body)?.comment === id);
  expect(replies.length).toBeLessThanOrEqual(1);
  return replies[0]?.body.replace(/\n\n<!-- wg-meetings:reply \{[^\n]*\} -->$/, "");
}

const reactionsOn = (id: number) => world.reactions.filter((r) => r.comment === id).map((r) => `${r.user} ${r.content}`);
const meetingAsItWas = () => ({ ...world.issues[0]!, labels: [...world.issues[0]!.labels] });

describe("chair commands are for the chairs", () => {
  it.each([
    ["/agenda", "agenda"],
    ["/move 2099-12-03 10:00", "move"],
    ["/cancel no quorum", "cancel"],
    ["/minutes", "minutes"],
  ])("%s by someone with read access is refused politely, 😕, and changes nothing", async (text, name) => {
    setUp();
    const before = meetingAsItWas();

    const { probot, logs } = await createTestProbot();
    const id = ++nextComment;
    await probot.receive(delivery(id, text, "visitor"));
    expect(logs.find((line) => line.msg === "refused: not a chair")).toMatchObject({ by: "visitor", command: name, issue: 1, comment: id, repo: REPO });

    expect(replyTo(id)).toBe(
      `Thanks @visitor! Only people with write access to this repository can run \`/${name}\` here, so I have not changed anything. A chair can run it for you.`,
    );
    expect(reactionsOn(id)).toEqual([`${BOT} eyes`, `${BOT} confused`]);
    expect(world.issues).toEqual([before]);
    expect(world.pulls).toEqual([]);
    expect([...world.files.keys()]).toEqual(["main", "master"]);
    // Not even read: the agenda search, the listing of the App's issues (the follow-up /agenda
    // and /move render) and the issue edits are a chair's.
    expect(world.log.filter((line) => line === "POST /graphql" || line === `GET /repos/${REPO}/issues` || line.startsWith("PATCH "))).toEqual([]);
  });

  it.each(["/agenda", "/move 2099-12-03 10:00", "/cancel", "/minutes"])(
    "%s by someone who is not a collaborator at all (404) is refused and changes nothing",
    async (text) => {
      setUp();
      const before = meetingAsItWas();
      const id = await command(text, "stranger");
      expect(replyTo(id)).toMatch(/^Thanks @stranger! Only people with write access to this repository can run `\/\w+` here/);
      expect(world.issues).toEqual([before]);
      expect(world.pulls).toEqual([]);
    },
  );

  it("the same /agenda and /move by someone with write access do their work (the refusals above are about who asks)", async () => {
    setUp();
    const agenda = await command("/agenda", "chair");
    expect(replyTo(agenda)).toBe("The agenda is refreshed: 1 item.");
    expect(world.issues[0]!.body).toContain("Labelled item");

    const move = await command("/move 2099-12-03 10:00", "chair");
    // 10:00 in the series' zone (London, on GMT in December); no doc, so nothing said of one.
    expect(replyTo(move)).toBe("Moved: this is now **Hello team Meeting 2099-12-03** (2099-12-03T10:00:00Z); the time table is updated.");
    expect(reactionsOn(move)).toEqual([`${BOT} eyes`, `${BOT} rocket`]);
    // One listing of the App's issues each: /agenda's follow-up, /move's clash check and follow-up.
    expect(world.log.filter((line) => line === `GET /repos/${REPO}/issues`)).toHaveLength(2);
  });

  it("with `chairs.permission: maintain`, write access is not enough; maintain is", async () => {
    setUp(CONFIG("    chairs: { permission: maintain }\n"));
    const before = meetingAsItWas();

    const writer = await command("/agenda", "chair");
    expect(replyTo(writer)).toBe(
      "Thanks @chair! Only people with maintain access to this repository can run `/agenda` here, so I have not changed anything. A chair can run it for you.",
    );
    expect(world.issues).toEqual([before]);

    const maintainer = await command("/agenda", "maintainer");
    expect(replyTo(maintainer)).toBe("The agenda is refreshed: 1 item.");
  });

  it("named chairs replace the permission rule: a named user without access may, a writer who is not named may not", async () => {
    setUp(CONFIG("    chairs: { users: [Alice] }\n"));
    const before = meetingAsItWas();

    const writer = await command("/move 2099-12-03 10:00", "chair");
    expect(replyTo(writer)).toBe(
      "Thanks @chair! Only the chairs named in `.github/meetings.yml` can run `/move` here, so I have not changed anything. A chair can run it for you.",
    );
    expect(world.issues).toEqual([before]);

    // Logins are case-insensitive on GitHub: `alice` is the `Alice` the config names.
    const named = await command("/agenda", "alice");
    expect(replyTo(named)).toBe("The agenda is refreshed: 1 item.");
  });

  it("a chairs team: an active member may; a pending member and a repository admin outside it may not", async () => {
    setUp(CONFIG("    chairs: { teams: [codertocat/hello-chairs] }\n"), { boss: "admin" });
    const teams = nock(API)
      .persist()
      .get(/^\/orgs\/codertocat\/teams\/hello-chairs\/memberships\/[^/]+$/)
      .reply((uri) => {
        const login = uri.split("/").pop();
        if (login === "member") return [200, { state: "active", role: "member" }];
        if (login === "invited") return [200, { state: "pending", role: "member" }];
        return [404, { message: "Not Found" }];
      });
    const before = meetingAsItWas();

    for (const login of ["invited", "boss"]) {
      const id = await command("/cancel", login);
      expect(replyTo(id)).toBe(
        `Thanks @${login}! Only the chairs named in \`.github/meetings.yml\` can run \`/cancel\` here, so I have not changed anything. A chair can run it for you.`,
      );
    }
    expect(world.issues).toEqual([before]);

    const member = await command("/agenda", "member");
    expect(replyTo(member)).toBe("The agenda is refreshed: 1 item.");
    teams.persist(false);
  });

  it("a non-chair never sees why the config is unusable; someone with write access is told", async () => {
    setUp("meetings: [ {id: hello} ]\n");
    const visitor = await command("/agenda", "visitor");
    expect(replyTo(visitor)).toBe(
      "Thanks @visitor! Only the chairs of this meeting can run `/agenda` here, so I have not changed anything. A chair can run it for you.",
    );
    const chair = await command("/agenda", "chair");
    expect(replyTo(chair)).toMatch(/^I could not run `\/agenda`: `\.github\/meetings\.yml` is invalid:\n\n\* /);
    expect(reactionsOn(chair)).toEqual([`${BOT} eyes`, `${BOT} confused`]);
  });

  it("an unknown command from someone with write access, with the config unusable, says why the config cannot be used", async () => {
    setUp("meetings: [ {id: hello} ]\n");
    const chair = await command("/shipit", "chair");
    expect(replyTo(chair)).toMatch(/^I could not run `\/shipit`: `\.github\/meetings\.yml` is invalid:\n\n\* /);
    expect(reactionsOn(chair)).toEqual([`${BOT} eyes`, `${BOT} confused`]);
  });

  it("a non-chair's command on a series the config no longer has is refused without naming the config", async () => {
    setUp(CONFIG().replace("id: hello", "id: renamed"));
    const visitor = await command("/cancel", "visitor");
    expect(replyTo(visitor)).toBe(
      "Thanks @visitor! Only the chairs of this meeting can run `/cancel` here, so I have not changed anything. A chair can run it for you.",
    );
    const chair = await command("/cancel", "chair");
    expect(replyTo(chair)).toBe("I could not run `/cancel`: the series `hello` is no longer in `.github/meetings.yml`.");
    expect(world.issues[0]!.state).toBe("open");
  });

  it("an unknown command from a non-chair is plain text: no 👀, no answer; from a chair it gets the list", async () => {
    setUp();
    const visitor = await command("/shipit now", "visitor");
    expect(reactionsOn(visitor)).toEqual([]);
    expect(replyTo(visitor)).toBeUndefined();

    const chair = await command("/shipit now", "chair");
    expect(replyTo(chair)).toMatch(/^I don't know `\/shipit`\. Commands for the chairs of this meeting/);
    expect(reactionsOn(chair)).toEqual([`${BOT} eyes`, `${BOT} rocket`]);
  });

  it.each([
    ["a bot", "dependabot[bot]", "Bot"],
    ["a deleted account (no user)", null, "User"],
  ])("a command by %s costs no request at all", async (_name, login, type) => {
    setUp();
    const unmatched = recordUnmatched();
    const { probot } = await createTestProbot();
    await probot.receive(delivery(++nextComment, "/cancel", login, type));
    expect(world.log).toEqual([]);
    expect(unmatched).toEqual([]);
    expect(world.issues[0]!.state).toBe("open");
  });
});

describe("only the App's own 🚀/😕 mean a command was answered", () => {
  /** What a run that died right after its claim leaves: the App's 👀, older than the lease, and no reply. */
  function diedAfterClaim(id: number) {
    const stale = new Date(Date.now() - COMMAND_LEASE_MS - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    world.reactions.push({ id: 90, comment: id, content: "eyes", user: BOT, created_at: stale });
  }

  it.each(["rocket", "confused"])("a person's %s on the command is not the App's answer: the redelivery takes over and answers once", async (content) => {
    setUp();
    const id = ++nextComment;
    diedAfterClaim(id);
    world.reactions.push({ id: 91, comment: id, content, user: "visitor", created_at: "2026-01-01T00:00:00Z" });

    await command("/agenda", "chair", id);

    expect(replyTo(id)).toBe("The agenda is refreshed: 1 item.");
    expect(reactionsOn(id)).toEqual([`${BOT} eyes`, `visitor ${content}`, `${BOT} rocket`]);
    expect(world.refs.has(`refs/wg-meetings/claims/comments/${id}`)).toBe(true);
  });

  it("the App's own 🚀 is: the redelivery writes nothing", async () => {
    setUp();
    const id = ++nextComment;
    diedAfterClaim(id);
    world.reactions.push({ id: 92, comment: id, content: "rocket", user: BOT, created_at: "2026-01-01T00:00:00Z" });
    const before = meetingAsItWas();

    await command("/agenda", "chair", id);

    expect(replyTo(id)).toBeUndefined();
    expect(world.issues).toEqual([before]);
    expect(world.log.filter((line) => !line.startsWith("GET ") && !line.endsWith("/access_tokens"))).toEqual([
      `POST /repos/${REPO}/issues/comments/${id}/reactions`,
    ]);
  });

  it("a person's 👀 is not the App's claim: when the App's own 👀 went unanswered (502), it is sent again and the command answered", async () => {
    setUp();
    const id = ++nextComment;
    world.reactions.push({ id: 93, comment: id, content: "eyes", user: "visitor", created_at: "2026-01-01T00:00:00Z" });
    world.failNext("POST", `/repos/${REPO}/issues/comments/${id}/reactions`, 502);

    await command("/agenda", "chair", id);

    expect(replyTo(id)).toBe("The agenda is refreshed: 1 item.");
    expect(reactionsOn(id)).toEqual([`visitor eyes`, `${BOT} eyes`, `${BOT} rocket`]);
    expect(world.log.filter((line) => line === `POST /repos/${REPO}/issues/comments/${id}/reactions`)).toHaveLength(3);
  });
});
