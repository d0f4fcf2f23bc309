import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction, type ActionIo } from "../../src/actions/run-action.js";
import { main } from "../../src/cli.js";
import { API, installedRepo, operation } from "../helpers/github.js";
import { memoryLogger } from "../helpers/probot.js";

/**
 * `wg-meetings action` as a workflow runs it: the event file GitHub writes, the workflow's
 * token, no App key. Every request must carry that token and none may need the App's JWT.
 */
const TOKEN = "ghs_workflow_token_1234";
const REPO = "/repos/Codertocat/Hello-World";
const fixture = (name: string) => new URL(`../fixtures/actions/${name}.json`, import.meta.url).pathname;
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda:
      label: hello-agenda
      repos: [Codertocat/Hello-World]
`;
const MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"2026-12-02T16:00:00.000Z","date":"2026-12-02","doc":null} -->`;

let dir: string;
let requests: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "wg-action-"));
  requests = [];
  // Requests no interceptor answers (GET /app, a token exchange) are recorded too.
  nock.emitter.on("no match", (req: { method?: string; path?: string; href?: string }) =>
    requests.push(`${req.method ?? "?"} ${req.path ?? req.href ?? "?"} (no match)`),
  );
});
afterEach(() => {
  nock.emitter.removeAllListeners("no match");
});

/** A scope that only matches requests authenticated with the workflow's token, and logs every request. */
function github(): nock.Scope {
  const scope = nock(API, { reqheaders: { authorization: `token ${TOKEN}` } });
  scope.on("request", (req: { method: string; path: string }) => requests.push(`${req.method} ${req.path}`));
  return scope;
}

function run(event: string, file: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ActionIo = {
    env: {
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: file,
      GITHUB_REPOSITORY: "Codertocat/Hello-World",
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: API,
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      ...env,
    },
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => new Date("2026-11-30T17:00:00Z"),
    log: memoryLogger().log,
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  };
  return runAction(io).then((code) => ({ code, out: out.join(""), err: err.join("") }));
}

/** What every run must not do: ask for the App itself or an installation token. */
function expectNoAppAuth() {
  expect(requests.filter((line) => / \/app(\/|$)/.test(line))).toEqual([]);
}

describe("wg-meetings action", () => {
  it("schedule: runs the tick for the workflow's repository with the token, as github-actions[bot]", async () => {
    const scope = github();
    scope.get(REPO).reply(200, installedRepo("Codertocat/Hello-World", { default_branch: "master" }));
    scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
    scope.get(`${REPO}/issues`).query((q) => q.creator === "github-actions[bot]").reply(200, []);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
    });
    scope.get(`${REPO}/branches/master`).reply(200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } });
    scope.post(`${REPO}/git/commits`).reply(201, { sha: "c" });
    scope.post(`${REPO}/git/refs`).reply(201, {});
    let created: { title: string } | undefined;
    scope.post(`${REPO}/issues`, (body) => ((created = body), true)).reply(201, { number: 3, html_url: "https://github.com/Codertocat/Hello-World/issues/3" });

    const result = await run("schedule", fixture("schedule"));

    expect(scope.pendingMocks()).toEqual([]);
    expectNoAppAuth();
    expect(requests).toContain("GET /repos/Codertocat/Hello-World");
    expect(requests.filter((line) => line.endsWith("(no match)"))).toEqual([]);
    expect(result.code).toBe(0);
    expect(created!.title).toBe("Hello team Meeting 2026-12-02");
    expect(result.out).toContain("### wg-meetings: tick (schedule) on Codertocat/Hello-World: ok");
    expect(result.out).toContain("| hello | opened https://github.com/Codertocat/Hello-World/issues/3 |");
    expect(result.out).toContain("- `POST /repos/Codertocat/Hello-World/issues` → 201");
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toBe(`${result.out}\n`);
  });

  it("workflow_dispatch with dry-run: reads, writes nothing, says what it would open", async () => {
    const scope = github();
    scope.get(REPO).reply(200, installedRepo("Codertocat/Hello-World", { default_branch: "master" }));
    scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
    scope.get(`${REPO}/issues`).query(true).reply(200, []);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
    });
    const file = join(dir, "dispatch.json");
    writeFileSync(file, JSON.stringify({ inputs: { "dry-run": "true" }, ref: "refs/heads/master" }));

    const result = await run("workflow_dispatch", file);

    expect(scope.pendingMocks()).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("(dry run)");
    expect(result.out).toContain('would open "Hello team Meeting 2026-12-02"');
    expect(result.out).not.toContain("Changes sent to GitHub");
  });

  it("issue_comment.created: the App handles /minutes through context.octokit with the token, no GET /app", async () => {
    const scope = github();
    scope.post(`${REPO}/issues/comments/492700400/reactions`, { content: "eyes" }).reply(201, { id: 1, content: "eyes" });
    scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
    scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "read", role_name: "read" });
    let reply: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((reply = body), true)).reply(201, { id: 2 });
    scope.post(`${REPO}/issues/comments/492700400/reactions`, { content: "confused" }).reply(201, {});

    const result = await run("issue_comment", fixture("issue_comment.created"));

    expect(scope.pendingMocks()).toEqual([]);
    expectNoAppAuth();
    expect(result.code).toBe(0);
    expect(reply!.body).toContain("Only people with write access to this repository can run `/minutes`");
    expect(result.out).toContain("### wg-meetings: issue_comment.created on Codertocat/Hello-World: ok");
    expect(result.out).toContain("- `POST /repos/Codertocat/Hello-World/issues/1/comments` → 201");
  });

  it("issue_comment on a meeting issue opened by another login than WG_MEETINGS_BOT_LOGIN is not trusted", async () => {
    const scope = github();
    const result = await run("issue_comment", fixture("issue_comment.created"), { WG_MEETINGS_BOT_LOGIN: "wg-meetings[bot]" });
    expect(scope.pendingMocks()).toEqual([]);
    expect(requests).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("it asked for no change");
  });

  it("pull_request.closed (merged minutes PR) with an App token: closes the meeting its login opened", async () => {
    const scope = github();
    scope
      .get(`${REPO}/issues`)
      .query((q) => q.creator === "wg-meetings[bot]")
      .reply(200, [{ number: 1, html_url: "https://github.com/Codertocat/Hello-World/issues/1", title: "m", body: MARKER, state: "open", user: { login: "wg-meetings[bot]" } }]);
    scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
    // The merge's claim (follow-up-claims.ts), taken before the comment: the merge commit's tree, the claim commit, the ref; deleted at the end.
    const claimRef = "wg-meetings/claims/follow-up/hello/2026-12-02/abc123";
    scope.get(`${REPO}/git/commits/abc123`).reply(200, { sha: "abc123", tree: { sha: "tree9" } });
    scope.post(`${REPO}/git/commits`, (body) => body.tree === "tree9" && body.parents.length === 0).reply(201, { sha: "claim1" });
    scope.post(`${REPO}/git/refs`, { ref: `refs/${claimRef}`, sha: "claim1" }).reply(201, {});
    scope.delete(`${REPO}/git/refs/${encodeURIComponent(claimRef)}`).reply(204);
    scope.get(`${REPO}/issues/1/comments`).query(true).reply(200, []);
    scope.post(`${REPO}/issues/1/comments`).reply(201, {});
    scope.patch(`${REPO}/issues/1`, { state: "closed", state_reason: "completed" }).reply(200, {});
    // Then the follow-up reads the file as merged (docs/follow-up.md); here it is not in the merge commit, so nothing more.
    scope.get(`${REPO}/contents/${enc("meetings/2026-12-02.md")}`).query({ ref: "abc123" }).reply(404, { message: "Not Found" });

    const result = await run("pull_request", fixture("pull_request.closed"), { WG_MEETINGS_BOT_LOGIN: "wg-meetings[bot]" });

    expect(scope.pendingMocks()).toEqual([]);
    expect(requests.filter((line) => line.endsWith("(no match)"))).toEqual([]);
    expectNoAppAuth();
    expect(result.code).toBe(0);
    expect(result.out).toContain("- `PATCH /repos/Codertocat/Hello-World/issues/1` → 200");
  });

  it("an event payload that names an installation is delivered without it (a token run is no installation)", async () => {
    const scope = github();
    const payload = JSON.parse(readFileSync(fixture("pull_request.closed"), "utf8"));
    payload.installation = { id: 42 };
    payload.pull_request.head.ref = "feature/other";
    const file = join(dir, "pr.json");
    writeFileSync(file, JSON.stringify(payload));

    const result = await run("pull_request", file);

    expect(requests).toEqual([]);
    expect(scope.pendingMocks()).toEqual([]);
    expect(result.code).toBe(0);
  });

  it("a failing GitHub call fails the run (exit 1) and the summary says why", async () => {
    const scope = github();
    scope.get(`${REPO}/issues`).query(true).reply(500, { message: "Server Error" });

    const result = await run("pull_request", fixture("pull_request.closed"), { WG_MEETINGS_BOT_LOGIN: "wg-meetings[bot]" });

    expect(scope.pendingMocks()).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.out).toContain("pull_request.closed on Codertocat/Hello-World: failed");
    expect(result.out).toContain("500");
  });

  it("a tick that cannot read the repository fails, naming the repository (not a pseudo-installation)", async () => {
    const scope = github();
    scope.get(REPO).reply(500, { message: "Server Error" });

    const result = await run("schedule", fixture("schedule"));

    expect(scope.pendingMocks()).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.out).toBe("### wg-meetings: tick (schedule) on Codertocat/Hello-World: failed\n\nError (Codertocat/Hello-World): 500: Server Error\n");
  });

  it("push: runs the tick only when .github/meetings.yml changed on the default branch", async () => {
    const scope = github();
    const payload = JSON.parse(readFileSync(fixture("push.config-changed"), "utf8"));
    payload.commits[0].modified = ["README.md"];
    const file = join(dir, "push.json");
    writeFileSync(file, JSON.stringify(payload));

    const result = await run("push", file);

    expect(requests).toEqual([]);
    expect(scope.pendingMocks()).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("skipped");
  });

  it("push of the config: the tick runs for the repository", async () => {
    const scope = github();
    scope.get(REPO).reply(200, installedRepo("Codertocat/Hello-World", { default_branch: "master" }));
    scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64("meetings: []\nunknown: 1\n") });

    const result = await run("push", fixture("push.config-changed"));

    expect(scope.pendingMocks()).toEqual([]);
    // An invalid config fails the run: in Actions the red run is the notification.
    expect(result.code).toBe(1);
    expect(result.out).toContain("Invalid config in Codertocat/Hello-World:");
  });

  it("an event it does not handle fails loudly", async () => {
    const file = join(dir, "issues.json");
    writeFileSync(file, JSON.stringify({ action: "opened" }));
    const result = await run("issues", file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('does not handle "issues" events');
  });

  it("the CLI names what is missing outside a workflow", async () => {
    const err: string[] = [];
    const code = await main(["action"], { out: () => {}, err: (text) => err.push(text), env: { GITHUB_EVENT_NAME: "schedule" } });
    expect(code).toBe(1);
    expect(err.join("")).toMatch(/^wg-meetings action: missing GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_TOKEN \(pass it to the step/);
  });
});
