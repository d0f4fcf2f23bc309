import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { isTimeout } from "../../../src/github/errors.js";
import { CREATING_ROUTES, isCreatingRequest } from "../../../src/github/no-blind-retry.js";
import { withRequestPolicy } from "../../../src/github/octokit-class.js";
import { withDeadline } from "../../../src/github/request-deadline.js";
import { API, mockToken } from "../../helpers/github.js";
import { privateKey, ProductionLikeOctokit } from "../../helpers/probot.js";

/** An installation client with Probot's retry and throttling as in production. */
async function productionClient() {
  const probot = new Probot({ appId: 123, privateKey, Octokit: ProductionLikeOctokit });
  mockToken(nock(API), 1);
  return probot.auth(1);
}

describe("isCreatingRequest", () => {
  it.each([
    ["POST", "/repos/{owner}/{repo}/issues", true],
    ["POST", "/repos/nodejs/node/issues", true],
    ["POST", "https://api.github.com/repos/nodejs/node/issues/12/comments", true],
    ["POST", "https://ghe.example/api/v3/repos/nodejs/node/pulls", true],
    ["POST", "/repos/nodejs/node/check-runs", true],
    ["post", "/repos/nodejs/node/issues?x=1", true],
    ["GET", "/repos/nodejs/node/issues", false],
    ["PATCH", "/repos/nodejs/node/issues/12", false],
    ["POST", "/repos/nodejs/node/issues/12/labels", false],
    ["POST", "/repos/nodejs/node/issues/comments/5/reactions", false],
    ["POST", "/repos/nodejs/node/pulls/3/requested_reviewers", false],
    ["POST", "/repos/nodejs/node/git/refs", false],
    ["POST", "/repos/nodejs/node/git/commits", false],
    ["POST", "/graphql", false],
  ])("%s %s → %s", (method, url, creating) => {
    expect(isCreatingRequest(method, url)).toBe(creating);
  });

  it("lists every creating route the App calls, and nothing it does not create with", () => {
    expect(CREATING_ROUTES.map((r) => `${r.method} ${r.route}`)).toEqual([
      "POST /repos/{owner}/{repo}/issues",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/pulls",
      "POST /repos/{owner}/{repo}/check-runs",
    ]);
  });
});

describe("the App's Octokit, with retries on as in production", () => {
  it("sends a creating request once: a 500 (which may come after GitHub opened the issue) is not replayed", async () => {
    const gh = await productionClient();
    const sent: unknown[] = [];
    const scope = nock(API)
      .post("/repos/nodejs/node/issues", (body) => (sent.push(body), true))
      .reply(500, { message: "Server Error" })
      .post("/repos/nodejs/node/issues")
      .optionally()
      .reply(201, { number: 2 });

    await expect(gh.rest.issues.create({ owner: "nodejs", repo: "node", title: "t" })).rejects.toMatchObject({ status: 500 });
    expect(sent).toHaveLength(1);
    // The 201 a replay would have had is still waiting: nobody asked for it.
    expect(scope.activeMocks()).toHaveLength(1);
  });

  it("sends a comment once after a dropped connection", async () => {
    const gh = await productionClient();
    let sent = 0;
    nock(API)
      .post("/repos/nodejs/node/issues/1/comments", () => (sent++, true))
      .times(4)
      .replyWithError({ code: "ECONNRESET", message: "socket hang up" });

    await expect(gh.rest.issues.createComment({ owner: "nodejs", repo: "node", issue_number: 1, body: "hi" })).rejects.toMatchObject({ status: 500 });
    expect(sent).toBe(1);
  });

  it("still replays reads and idempotent writes (a reaction, a label) after a 500 or a dropped connection", async () => {
    const gh = await productionClient();
    const scope = nock(API)
      .get("/repos/nodejs/node/issues/1")
      .reply(502, { message: "Bad Gateway" })
      .get("/repos/nodejs/node/issues/1")
      .reply(200, { number: 1 })
      .post("/repos/nodejs/node/issues/comments/9/reactions")
      .replyWithError({ code: "ECONNRESET", message: "socket hang up" })
      .post("/repos/nodejs/node/issues/comments/9/reactions")
      .reply(200, { content: "eyes" })
      .post("/repos/nodejs/node/issues/1/labels")
      .reply(500, {})
      .post("/repos/nodejs/node/issues/1/labels")
      .reply(200, []);

    await gh.rest.issues.get({ owner: "nodejs", repo: "node", issue_number: 1 });
    await gh.rest.reactions.createForIssueComment({ owner: "nodejs", repo: "node", comment_id: 9, content: "eyes" });
    await gh.rest.issues.addLabels({ owner: "nodejs", repo: "node", issue_number: 1, labels: ["x"] });
    expect(scope.pendingMocks()).toEqual([]);
  });
});

describe("timeouts and deadlines", () => {
  let server: Server | undefined;
  const held: Array<() => void> = [];
  afterEach(async () => {
    for (const release of held.splice(0)) release();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  /** A loopback server that takes every request and never answers (until the test ends). */
  async function silentServer(): Promise<{ url: string; requests: string[] }> {
    const requests: string[] = [];
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      held.push(() => res.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests };
  }

  it("a request GitHub never answers fails after the timeout, as a timeout", async () => {
    const { url, requests } = await silentServer();
    const Octokit = withRequestPolicy(ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }), { timeoutMs: 50 });
    const gh = new Octokit({ baseUrl: url, auth: "token" });

    const error = await gh.rest.issues.create({ owner: "o", repo: "r", title: "t" }).catch((e: unknown) => e);

    expect(isTimeout(error)).toBe(true);
    // Sent once (on a busy machine it may not even have arrived before the timeout).
    expect(requests.filter((r) => r !== "POST /repos/o/r/issues")).toEqual([]);
    expect(requests.length).toBeLessThanOrEqual(1);
  });

  it("the installation token exchange, which Probot sends with its own request function, times out too", async () => {
    const { url, requests } = await silentServer();
    const probot = new Probot({
      appId: 123,
      privateKey,
      baseUrl: url,
      Octokit: withRequestPolicy(ProbotOctokit.defaults((o: object) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })), { timeoutMs: 50 }),
    });
    const gh = await probot.auth(7);

    const error = await gh.rest.repos.get({ owner: "o", repo: "r" }).catch((e: unknown) => e);

    expect(isTimeout(error)).toBe(true);
    // Stuck at the exchange: the request it was for was never sent.
    expect(requests.filter((r) => r !== "POST /app/installations/7/access_tokens")).toEqual([]);
  });

  it("a deadline ends the requests in flight at once, and no retry sends them again", async () => {
    const { url, requests } = await silentServer();
    const Octokit = withRequestPolicy(ProbotOctokit.defaults({ retry: { retryAfterBaseValue: 1 }, throttle: { enabled: false } }), { timeoutMs: 60_000 });
    const gh = new Octokit({ baseUrl: url, auth: "token" });
    const controller = new AbortController();

    const pending = withDeadline(controller.signal, () => gh.rest.issues.get({ owner: "o", repo: "r", issue_number: 1 })).catch((e: unknown) => e);
    while (requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new DOMException("deadline", "AbortError"));
    const error = await pending;

    expect(isTimeout(error)).toBe(true);
    expect(requests).toEqual(["GET /repos/o/r/issues/1"]);
  });
});
