import nock from "nock";
import { describe, expect, it } from "vitest";
import { runTick } from "../../src/meetings/tick.js";
import { API, installedRepo, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

const CONFIG = `meetings:
  - id: tsc
    name: TSC
    host: Node.js
    schedule: 2025-08-04T13:00:00[America/Chicago]/P2W
    createBefore: P2D
    agenda:
      label: tsc-agenda
      repos: [nodejs/TSC]
`;
/** Saturday 2025-08-16 14:00 UTC: the 2025-08-18 13:00 Chicago meeting opened two days before. */
const NOW = new Date("2025-08-16T19:00:00Z");
const REF = "wg-meetings/claims/tsc/20250818T180000Z";

function replicaConversation(scope: nock.Scope) {
  mockApp(scope);
  scope.get("/app/installations").query(true).reply(200, [{ id: 5, account: { login: "nodejs" }, suspended_at: null }]);
  mockToken(scope, 5);
  scope.get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [installedRepo("nodejs/TSC")] });
  scope
    .post("/graphql", operation("DiscoverMeetingConfigs"))
    .reply(200, { data: { nodes: [{ nameWithOwner: "nodejs/TSC", config: { text: CONFIG } }] } });
  scope.get("/repos/nodejs/TSC/issues").query(true).reply(200, []);
  scope.post("/graphql", operation("AgendaSearch")).reply(200, {
    data: {
      search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
      rateLimit: { cost: 1, remaining: 4990 },
    },
  });
  scope.get("/repos/nodejs/TSC/branches/main").reply(200, { commit: { sha: "head", commit: { tree: { sha: "tree" } } } });
}

describe("two replicas ticking at the same moment", () => {
  it("open exactly one issue: the claim ref lets one through, the other stands down", async () => {
    const scope = nock(API);
    replicaConversation(scope);
    replicaConversation(scope);
    // Each run's claim commit is its own (a nonce in its message), so each can tell its claim.
    const messages: string[] = [];
    scope.post("/repos/nodejs/TSC/git/commits", (body) => (messages.push(body.message), true)).reply(201, { sha: "claim-a" });
    scope.post("/repos/nodejs/TSC/git/commits", (body) => (messages.push(body.message), true)).reply(201, { sha: "claim-b" });
    // Git ref creation is atomic on GitHub: the first request wins, the second is refused.
    let winner: string | undefined;
    scope.post("/repos/nodejs/TSC/git/refs", (body) => ((winner = body.sha), true)).reply(201, { ref: `refs/${REF}` });
    scope.post("/repos/nodejs/TSC/git/refs").reply(422, { message: "Reference already exists" });
    scope.get(`/repos/nodejs/TSC/git/ref/${encodeURIComponent(REF)}`).reply(200, () => ({ ref: `refs/${REF}`, object: { sha: winner } }));
    scope.get(/\/repos\/nodejs\/TSC\/git\/commits\/claim-[ab]$/).reply(200, { author: { date: NOW.toISOString() } });
    const issues: unknown[] = [];
    scope
      .post("/repos/nodejs/TSC/issues", (body) => (issues.push(body), true))
      .reply(201, { number: 1700, html_url: "https://github.com/nodejs/TSC/issues/1700" });

    const [a, b] = await Promise.all([createTestProbot(), createTestProbot()]);
    const reports = await Promise.all([
      runTick({ auth: (id) => a.probot.auth(id), log: a.probot.log }, { now: NOW, clock: () => NOW }),
      runTick({ auth: (id) => b.probot.auth(id), log: b.probot.log }, { now: NOW, clock: () => NOW }),
    ]);

    expect(scope.pendingMocks()).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(new Set(messages).size).toBe(2);
    const actions = reports.map((report) => report.series[0]!.outcome.action).sort();
    expect(actions).toEqual(["claimed-elsewhere", "created"]);
  });

  it("a claim left by a crashed run is taken over after its lease, with a fast-forward-only update", async () => {
    const scope = nock(API);
    replicaConversation(scope);
    scope.post("/repos/nodejs/TSC/git/commits").reply(201, { sha: "mine" });
    scope.post("/repos/nodejs/TSC/git/refs").reply(422, { message: "Reference already exists" });
    scope.get(`/repos/nodejs/TSC/git/ref/${encodeURIComponent(REF)}`).reply(200, { object: { sha: "stale" } });
    scope
      .get("/repos/nodejs/TSC/git/commits/stale")
      .reply(200, { sha: "stale", author: { date: new Date(NOW.getTime() - 10 * 60_000).toISOString() } });
    let takeover: { parents: string[] } | undefined;
    scope
      .post("/repos/nodejs/TSC/git/commits", (body) => ((takeover = body), true))
      .reply(201, { sha: "takeover" });
    let update: unknown;
    scope
      .patch(`/repos/nodejs/TSC/git/refs/${encodeURIComponent(REF)}`, (body) => ((update = body), true))
      .reply(200, { object: { sha: "takeover" } });
    // The stale holder might have been slow, not dead: the taker looks again before writing.
    scope.get("/repos/nodejs/TSC/issues").query(true).reply(200, []);
    scope.post("/repos/nodejs/TSC/issues").reply(201, { number: 1701, html_url: "https://github.com/nodejs/TSC/issues/1701" });

    const { probot } = await createTestProbot();
    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, clock: () => NOW });

    expect(scope.pendingMocks()).toEqual([]);
    expect(takeover!.parents).toEqual(["stale"]);
    expect(update).toEqual({ sha: "takeover", force: false });
    expect(report.series[0]!.outcome).toMatchObject({ action: "created", number: 1701 });
  });

  it("of two runs taking over the same stale claim, the one whose update is not a fast forward stands down", async () => {
    const scope = nock(API);
    replicaConversation(scope);
    scope.post("/repos/nodejs/TSC/git/commits").reply(201, { sha: "mine" });
    scope.post("/repos/nodejs/TSC/git/refs").reply(422, { message: "Reference already exists" });
    scope.get(`/repos/nodejs/TSC/git/ref/${encodeURIComponent(REF)}`).reply(200, { object: { sha: "stale" } });
    scope.get("/repos/nodejs/TSC/git/commits/stale").reply(200, { author: { date: "2025-08-16T18:00:00Z" } });
    scope.post("/repos/nodejs/TSC/git/commits").reply(201, { sha: "takeover" });
    scope
      .patch(`/repos/nodejs/TSC/git/refs/${encodeURIComponent(REF)}`)
      .reply(422, { message: "Update is not a fast forward" });
    // Not this run's own update replayed: the ref now points at the other taker's commit.
    scope.get(`/repos/nodejs/TSC/git/ref/${encodeURIComponent(REF)}`).reply(200, { object: { sha: "their-takeover" } });

    const { probot } = await createTestProbot();
    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, clock: () => NOW });

    expect(scope.pendingMocks()).toEqual([]);
    expect(report.series[0]!.outcome.action).toBe("claimed-elsewhere");
  });
});
