import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { withRequestPolicy } from "../../../src/github/octokit-class.js";
import { budget, budgetGroups, requestCost, SECONDARY_RATE_LIMITS } from "../../../src/github/request-budget.js";
import { REPO_CONFIG_DOCUMENTS } from "../../../src/github/repo-config.js";
import { API, mockToken } from "../../helpers/github.js";
import { privateKey } from "../../helpers/probot.js";

describe("requestCost: what a request is to GitHub's secondary limits", () => {
  it.each([
    ["GET", "/installation/repositories", undefined, { kind: "read", api: "rest", points: 1 }],
    ["HEAD", "/repos/{owner}/{repo}", undefined, { kind: "read", api: "rest", points: 1 }],
    ["GET", "/search/issues", undefined, { kind: "search", api: "rest", points: 1 }],
    ["POST", "/repos/{owner}/{repo}/issues", undefined, { kind: "write", api: "rest", points: 5 }],
    ["PATCH", "https://ghe.example/api/v3/repos/a/b/issues/1", undefined, { kind: "write", api: "rest", points: 5 }],
    ["DELETE", "/repos/{owner}/{repo}/git/refs/{ref}", undefined, { kind: "write", api: "rest", points: 5 }],
    ["POST", "/app/installations/12/access_tokens", undefined, { kind: "auth", api: "rest", points: 0 }],
    ["POST", "/graphql", REPO_CONFIG_DOCUMENTS.DISCOVER_CONFIGS, { kind: "read", api: "graphql", points: 1 }],
    ["POST", "/graphql", "{ viewer { login } }", { kind: "read", api: "graphql", points: 1 }],
    ["POST", "https://ghe.example/api/graphql", "query { viewer { login } }", { kind: "read", api: "graphql", points: 1 }],
    ["POST", "/graphql", 'query Agenda($q: String!) { search(query: $q, type: ISSUE, first: 100) { issueCount } }', { kind: "search", api: "graphql", points: 1 }],
    ["POST", "/graphql", "mutation { addComment(input: {subjectId: \"I_1\", body: \"x\"}) { clientMutationId } }", { kind: "write", api: "graphql", points: 5 }],
    ["POST", "/graphql", "# a comment\nfragment F on Repository { id }\nmutation M { deleteRef(input: {refId: \"R\"}) { clientMutationId } }", { kind: "write", api: "graphql", points: 5 }],
    // Words in comments and strings do not make a query a mutation (or a search).
    ["POST", "/graphql", '# no mutation here\nquery { repository(owner: "mutation", name: "search(") { id } }', { kind: "read", api: "graphql", points: 1 }],
    // A GraphQL request without a readable document counts as a write: the safe side.
    ["POST", "/graphql", undefined, { kind: "write", api: "graphql", points: 5 }],
  ])("%s %s %#", (method, url, query, cost) => {
    expect(requestCost(method, url, query)).toEqual(cost);
  });
});

describe("budget: never more than the limit in any window", () => {
  it.each([
    ["REST points a minute", SECONDARY_RATE_LIMITS.restPointsPerMinute, 60_000],
    ["GraphQL points a minute", SECONDARY_RATE_LIMITS.graphqlPointsPerMinute, 60_000],
    ["content-creating requests an hour", SECONDARY_RATE_LIMITS.contentCreatingPerHour, 3_600_000],
    ["content-creating requests a minute", SECONDARY_RATE_LIMITS.contentCreatingPerMinute, 60_000],
  ])("%s (%i)", (_name, limit, windowMs) => {
    const plan = budget(limit, windowMs);
    // A window holds the full bucket and at most one refill per interval, both ends included.
    const refills = Math.floor(windowMs / plan.reservoirIncreaseInterval) + 1;
    expect(plan.reservoir + refills * plan.reservoirIncreaseAmount).toBeLessThanOrEqual(limit);
    // Sustained, it still passes more than half the limit.
    expect((plan.reservoirIncreaseAmount * windowMs) / plan.reservoirIncreaseInterval).toBeGreaterThanOrEqual(limit / 2);
  });
});

/**
 * The throttling as production configures it: Probot's Octokit (retry, throttling with Probot's
 * options) under the App's request policy, exactly as server.ts builds it. No clock is read:
 * the limiters' own state says what waits, and a job the test holds stands for a write in
 * progress (the write limiter runs one at a time).
 */
describe("the production Octokit's throttling groups", () => {
  async function installationClient(installationId: number) {
    const probot = new Probot({ appId: 123, privateKey, Octokit: withRequestPolicy(ProbotOctokit) });
    mockToken(nock(API), installationId);
    return probot.auth(installationId);
  }

  /** Lets I/O and timers run until `done()` holds. */
  async function until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it("a read-only GraphQL query and a GET go while writes wait; a mutation and a creating POST queue behind a write, in order", async () => {
    const gh = await installationClient(7001);
    const arrived: string[] = [];
    const seen = (request: string, status: number, body: object) => () => (arrived.push(request), [status, body] as [number, object]);
    const scope = nock(API)
      .post("/repos/acme/wg/git/refs")
      .reply(seen("POST git/refs", 201, { ref: "refs/heads/x" }))
      .post("/graphql", (body: { query: string }) => body.query.includes("mutation"))
      .reply(seen("mutation", 200, { data: {} }))
      .post("/repos/acme/wg/issues")
      .reply(seen("POST issues", 201, { number: 1 }))
      .post("/graphql", (body: { query: string }) => body.query.includes("DiscoverMeetingConfigs"))
      .reply(seen("query", 200, { data: { nodes: [] } }))
      .get("/installation/repositories")
      .query(true)
      .reply(seen("GET repositories", 200, { total_count: 0, repositories: [] }));

    // A write in progress on this installation: the write limiter's one slot is taken.
    const writes = budgetGroups().write.key("7001");
    let release!: () => void;
    const inProgress = writes.schedule(() => new Promise<void>((resolve) => (release = resolve)));
    await until(() => writes.counts().EXECUTING === 1);

    // Three writes, then a query and a GET.
    const sent = [
      gh.request("POST /repos/{owner}/{repo}/git/refs", { owner: "acme", repo: "wg", ref: "refs/heads/x", sha: "a".repeat(40) }),
      gh.graphql('mutation { addLabelsToLabelable(input: {labelableId: "I_1", labelIds: ["L_1"]}) { clientMutationId } }'),
      gh.request("POST /repos/{owner}/{repo}/issues", { owner: "acme", repo: "wg", title: "t" }),
      gh.graphql(REPO_CONFIG_DOCUMENTS.DISCOVER_CONFIGS, { ids: ["R_1"], expression: "HEAD:.github/meetings.yml" }),
      gh.request("GET /installation/repositories", { per_page: 100 }),
    ];

    // The query and the GET are answered; the three writes are still queued behind the one in progress.
    await until(() => arrived.length === 2);
    expect(arrived.sort()).toEqual(["GET repositories", "query"]);
    await until(() => writes.counts().QUEUED === 3);
    expect(writes.counts()).toMatchObject({ EXECUTING: 1, QUEUED: 3 });

    // Once it is done they go one by one (a second apart), in the order they were sent.
    release();
    await inProgress;
    await Promise.all(sent);
    expect(arrived.slice(2)).toEqual(["POST git/refs", "mutation", "POST issues"]);
    expect(scope.isDone()).toBe(true);
  });

  it("reads spend per-minute points: a burst beyond the bucket waits for more points", async () => {
    const gh = await installationClient(7002);
    const points = budgetGroups().restPoints.key("7002");
    // No refill during the test: only the test adds points.
    points.updateSettings({ reservoirIncreaseAmount: 0 });
    const bucket = budget(SECONDARY_RATE_LIMITS.restPointsPerMinute, 60_000).reservoir;
    let arrived = 0;
    const scope = nock(API)
      .persist()
      .get(/^\/repos\/acme\/wg\/issues\/\d+$/)
      .reply(() => (arrived++, [200, { number: 1 }]));

    const burst = bucket + 3;
    const sent = Array.from({ length: burst }, (_, i) => gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { owner: "acme", repo: "wg", issue_number: i + 1 }));

    await until(() => arrived === bucket && points.counts().QUEUED === 3);
    expect(await points.currentReservoir()).toBe(0);
    expect(arrived).toBe(bucket);

    await points.incrementReservoir(3);
    await Promise.all(sent);
    expect(arrived).toBe(burst);
    scope.persist(false);
  });
});
