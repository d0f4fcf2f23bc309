import { readFileSync } from "node:fs";
import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { API, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));

const REPO = "/repos/Codertocat/Hello-World";
const COMMENT = 492700400;
const BRANCH = "wg-meetings/minutes-hello-2026-12-02";
const PATH = "meetings/2026-12-02.md";
const AT = "2026-12-02T16:00:00.000Z";
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
    issue:
      invited: ["Hello team: @Codertocat/hello"]
    minutes:
      labels: [meeting-notes]
      reviewers: [octocat]
`;

function marker(doc: string | null = null) {
  return `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2026-12-02","doc":${doc ? `"${doc}"` : "null"}} -->`;
}

/** The real example payload, turned into a /minutes comment on a meeting issue the App opened. */
function minutesComment(body: string, overrides: { issueBody?: string; issueAuthor?: string; pr?: boolean; bot?: boolean } = {}) {
  const payload = structuredClone(commentFixture);
  payload.comment.body = body;
  payload.issue.body = overrides.issueBody ?? `## Time\n\n…\n\n${marker()}\n`;
  payload.issue.user.login = overrides.issueAuthor ?? "wg-meetings[bot]";
  payload.issue.user.type = "Bot";
  if (overrides.pr) payload.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
  if (overrides.bot) payload.comment.user.type = "Bot";
  return { id: `c-${Math.random()}`, name: "issue_comment" as const, payload };
}

let probot: Awaited<ReturnType<typeof createTestProbot>>["probot"];
beforeEach(async () => {
  ({ probot } = await createTestProbot());
});

/**
 * Up to the permission check: identity, token, the claim (👀, made now: 201), config. The
 * commenter's role is each test's own.
 */
function upToPermission(scope: nock.Scope, config = CONFIG) {
  mockApp(scope);
  mockToken(scope, 1);
  reaction(scope, "eyes");
  scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(config) });
}

function reaction(scope: nock.Scope, content: string) {
  return scope
    .post(`${REPO}/issues/comments/${COMMENT}/reactions`, { content })
    .reply(201, { id: 1, content, user: { login: "wg-meetings[bot]" }, created_at: "2026-12-02T17:00:00Z" });
}

/** The reply's text; the hidden line that ties it to the command comment is checked and cut. */
function text(reply: { body: string } | undefined, result: string): string {
  const marker = `\n\n<!-- wg-meetings:reply {"comment":${COMMENT},"result":"${result}"} -->`;
  expect(reply?.body.endsWith(marker), reply?.body).toBe(true);
  return reply!.body.slice(0, -marker.length);
}

describe("/minutes", () => {
  it("by a chair, without a doc: commits the minutes from the agenda and the 👍 RSVPs, opens one PR, answers", async () => {
    const scope = nock(API);
    upToPermission(scope);
    scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "admin", role_name: "admin" });
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: {
        search: {
          issueCount: 1,
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: [{ __typename: "Issue", number: 7, title: "Ship it", url: "https://github.com/Codertocat/Hello-World/issues/7", repository: { nameWithOwner: "Codertocat/Hello-World", isPrivate: false } }],
        },
        rateLimit: { cost: 1, remaining: 1 },
      },
    });
    scope
      .get(`${REPO}/issues/1/reactions`)
      .query({ content: "+1", per_page: "100" })
      .reply(200, [
        { content: "+1", user: { login: "octocat", type: "User" } },
        { content: "+1", user: { login: "monalisa", type: "User" } },
        { content: "+1", user: { login: "dependabot[bot]", type: "Bot" } },
      ]);
    // The App's issues: the previous and next meetings the minutes link (none here).
    scope.get(`${REPO}/issues`).query({ creator: "wg-meetings[bot]", state: "all", sort: "created", direction: "desc", per_page: "100" }).reply(200, []);
    scope.get(`${REPO}/git/ref/${enc("heads/master")}`).reply(200, { object: { sha: "base" } });
    scope.get(`${REPO}/pulls`).query({ head: `Codertocat:${BRANCH}`, state: "all", sort: "created", direction: "desc", per_page: "1" }).reply(200, []);
    scope.get(`${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`).reply(404, { message: "Not Found" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: "base" }).reply(201, {});
    scope.get(`${REPO}/contents/${enc(PATH)}`).query({ ref: BRANCH }).reply(404, { message: "Not Found" });
    let put: { message: string; content: string; branch: string } | undefined;
    scope.put(`${REPO}/contents/${enc(PATH)}`, (body) => ((put = body), true)).reply(201, {});
    let pr: { title: string; body: string; head: string; base: string } | undefined;
    scope.post(`${REPO}/pulls`, (body) => ((pr = body), true)).reply(201, { number: 9, html_url: "https://github.com/Codertocat/Hello-World/pull/9" });
    scope.post(`${REPO}/issues/9/labels`, { labels: ["meeting-notes"] }).reply(200, []);
    scope.post(`${REPO}/pulls/9/requested_reviewers`, { reviewers: ["octocat"], team_reviewers: [] }).reply(201, {});
    let reply: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((reply = body), true)).reply(201, { id: 2 });
    reaction(scope, "rocket");

    await probot.receive(minutesComment("Thanks all!\n/minutes https://youtu.be/abc123"));

    expect(scope.pendingMocks()).toEqual([]);
    expect(pr).toMatchObject({ head: BRANCH, base: "master", title: "doc: add 2026-12-02 meeting notes" });
    expect(pr!.body).toContain("Fixes: https://github.com/Codertocat/Hello-World/issues/1");
    expect(pr!.body).toContain("https://youtu.be/abc123");
    expect(put!.branch).toBe(BRANCH);
    const file = Buffer.from(put!.content, "base64").toString("utf8");
    if (process.env.PRINT_MINUTES) console.log(file);
    expect(file).toMatch(/^# Acme Hello team Meeting 2026-12-02\n/);
    expect(file).toContain("https://youtu.be/abc123");
    expect(file).toContain("https://github.com/Codertocat/Hello-World/issues/1");
    expect(file).toContain("@octocat");
    expect(file).toContain("@monalisa");
    expect(file).not.toContain("dependabot");
    expect(file).toContain("Ship it");
    expect(file).not.toMatch(/\$[A-Z_]+\$|\{\{/);
    expect(text(reply, "done")).toBe(
      `I opened #9 with \`${PATH}\` for review: https://github.com/Codertocat/Hello-World/pull/9\n\nMerging it closes this meeting.`,
    );
  });

  it("by someone without write access: a polite reply and 😕, nothing else written", async () => {
    const scope = nock(API);
    upToPermission(scope);
    scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "read", role_name: "triage" });
    let reply: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((reply = body), true)).reply(201, { id: 2 });
    reaction(scope, "confused");

    await probot.receive(minutesComment("/minutes"));

    expect(scope.pendingMocks()).toEqual([]);
    expect(text(reply, "unauthorized")).toBe(
      "Thanks @Codertocat! Only people with write access to this repository can run `/minutes` here, so I have not changed anything. A chair can run it for you.",
    );
  });

  it.each([
    ["an ordinary comment", minutesComment("Looks good to me")],
    ["a quoted command", minutesComment("> /minutes\n\nshould I run this?")],
    ["a command in a code block", minutesComment("```\n/minutes\n```")],
    ["a comment by a bot", minutesComment("/minutes", { bot: true })],
    ["a comment on a pull request", minutesComment("/minutes", { pr: true })],
    ["an issue that is not a meeting", minutesComment("/minutes", { issueBody: "Just an issue" })],
  ])("%s costs no request and writes nothing", async (_name, event) => {
    const unmatched = recordUnmatched();
    await probot.receive(event);
    expect(unmatched).toEqual([]);
  });

  it("a meeting marker in an issue a person opened is not trusted: only the App's identity is read", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    await probot.receive(minutesComment("/minutes", { issueAuthor: "mallory" }));
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a redelivered comment event (the App already answered it) writes nothing: its 👀 is there (200), so is its 🚀", async () => {
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 1);
    const eyes = { id: 1, content: "eyes", user: { login: "wg-meetings[bot]" }, created_at: "2026-12-02T17:00:00Z" };
    scope.post(`${REPO}/issues/comments/${COMMENT}/reactions`, { content: "eyes" }).reply(200, eyes);
    scope
      .get(`${REPO}/issues/comments/${COMMENT}/reactions`)
      .query(true)
      .reply(200, [eyes, { id: 2, content: "rocket", user: { login: "wg-meetings[bot]" }, created_at: "2026-12-02T17:00:05Z" }]);
    await probot.receive(minutesComment("/minutes"));
    expect(scope.pendingMocks()).toEqual([]);
  });

  it("a bad argument answers with the expected form and writes nothing", async () => {
    const scope = nock(API);
    upToPermission(scope);
    scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" });
    let reply: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((reply = body), true)).reply(201, { id: 2 });
    reaction(scope, "confused");

    await probot.receive(minutesComment("/minutes not-a-url"));

    expect(scope.pendingMocks()).toEqual([]);
    expect(reply!.body).toContain("/minutes [recording URL]");
  });

  it("with a doc that cannot be exported: a clear reply, 😕, and nothing half-written", async () => {
    const scope = nock(API);
    const config = CONFIG.replace("    minutes:\n", "    minutes:\n      doc: google\n      google: { folder: F1 }\n");
    upToPermission(scope, config);
    scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "maintain" });
    let reply: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((reply = body), true)).reply(201, { id: 2 });
    reaction(scope, "confused");

    // The App has no Google credentials in this test: the export cannot happen.
    await probot.receive(minutesComment("/minutes", { issueBody: `x\n\n${marker("DOC1")}\n` }));

    expect(scope.pendingMocks()).toEqual([]);
    expect(text(reply, "refused")).toBe(
      "I did not publish the minutes: Google is not configured for this App, so the doc cannot be exported",
    );
  });
});

describe("a merged minutes PR", () => {
  function closed(merged: boolean, ref = BRANCH) {
    const payload = structuredClone(closedFixture);
    payload.pull_request.merged = merged;
    payload.pull_request.head.ref = ref;
    payload.pull_request.number = 9;
    payload.pull_request.html_url = "https://github.com/Codertocat/Hello-World/pull/9";
    payload.pull_request.merge_commit_sha = merged ? "abc123" : null;
    // The App's own PR, from its own branch in this repository.
    payload.pull_request.user = { ...payload.pull_request.user, login: "wg-meetings[bot]", type: "Bot" };
    payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: "Codertocat/Hello-World" };
    return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
  }

  it("closes the meeting issue with a comment linking the merged file", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    scope.get(`${REPO}/issues`).query(true).reply(200, [
      { number: 1, html_url: "https://github.com/Codertocat/Hello-World/issues/1", title: "m", body: marker(), state: "open", user: { login: "wg-meetings[bot]" } },
    ]);
    scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
    // The merge's claim (follow-up-claims.ts), taken before the comment: the merge commit's tree, the claim commit, the ref; deleted at the end.
    const claimRef = "wg-meetings/claims/follow-up/hello/2026-12-02/abc123";
    scope.get(`${REPO}/git/commits/abc123`).reply(200, { sha: "abc123", tree: { sha: "tree9" } });
    scope.post(`${REPO}/git/commits`, (body) => body.tree === "tree9" && body.parents.length === 0).reply(201, { sha: "claim1" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/${claimRef}`, sha: "claim1" }).reply(201, {});
    scope.delete(`${REPO}/git/refs/${encodeURIComponent(claimRef)}`).reply(204);
    scope.get(`${REPO}/issues/1/comments`).query(true).reply(200, []);
    let comment: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((comment = body), true)).reply(201, {});
    scope.patch(`${REPO}/issues/1`, { state: "closed", state_reason: "completed" }).reply(200, {});
    // Then the follow-up reads the file as merged (docs/follow-up.md); here it is not in the merge commit, so nothing more.
    scope.get(`${REPO}/contents/${enc(PATH)}`).query({ ref: "abc123" }).reply(404, { message: "Not Found" });

    await probot.receive(closed(true));

    expect(scope.pendingMocks()).toEqual([]);
    expect(unmatched).toEqual([]);
    expect(comment!.body).toBe(
      `The minutes are merged: [\`${PATH}\`](https://github.com/Codertocat/Hello-World/blob/abc123/${PATH}) (#9). Closing this meeting.\n\n<!-- wg-meetings:minutes-merged -->`,
    );
  });

  it("a minutes PR closed without merging leaves the meeting open; other PRs are ignored: no request at all", async () => {
    const unmatched = recordUnmatched();
    await probot.receive(closed(false));
    await probot.receive(closed(true, "feature/other"));
    expect(unmatched).toEqual([]);
  });

  // One guard each: the PR's author and its head repository are changed one at a time.
  it("a PR opened by a person from a branch in this repository, with the App's branch name, closes nothing", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    const event = closed(true);
    event.payload.pull_request.user = { ...event.payload.pull_request.user, login: "mallory", type: "User" };
    await probot.receive(event);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a PR under the App's own login from a fork, with the App's branch name, closes nothing", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    const event = closed(true);
    event.payload.pull_request.head.repo = { ...event.payload.pull_request.head.repo, full_name: "mallory/Hello-World" };
    await probot.receive(event);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });
});
