import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTickRoute, TICK_PATH } from "../../src/http/tick-route.js";
import { fanOutFromEnv, sendInstallationJob, type FanOut } from "../../src/meetings/fan-out.js";
import { runTick, type TickDeps, type TickReport } from "../../src/meetings/tick.js";
import { API, installedRepo, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot, memoryLogger } from "../helpers/probot.js";

/**
 * Issue 12: the tick spreads over installations (bounded, each within its deadline) and over
 * replicas (one job per installation through the Service in front of them).
 */
const NOW = new Date("2026-12-02T12:00:00Z");
/** A weekly series on Saturdays that opens a day ahead: not due on Wednesday NOW. */
const CONFIG = `meetings:
  - id: wg
    name: Fan-out WG
    schedule: { rrule: "FREQ=WEEKLY;BYDAY=SA", start: "2026-11-07T12:00", zone: UTC }
    createBefore: P1D
    agenda: { label: wg-agenda, orgs: [acme] }
`;
const SECRET = "fan-out-secret-value";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))));
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** GitHub for installations `ids`: each has one repository `org-<id>/wg` with the config. */
function gitHub(ids: number[]): nock.Scope {
  const scope = nock(API).persist();
  mockApp(scope);
  scope.get("/app/installations").query(true).reply(200, ids.map((id) => ({ id, account: { login: `org-${id}` }, suspended_at: null })));
  for (const id of ids) {
    mockToken(scope, id);
    scope
      .get("/installation/repositories")
      .matchHeader("authorization", `token ghs_test_${id}`)
      .query(true)
      .reply(200, { total_count: 1, repositories: [installedRepo(`org-${id}/wg`)] });
  }
  scope.post("/graphql").reply((_uri, body) => {
    const ids = (body as { variables: { ids: string[] } }).variables.ids;
    return [200, { data: { nodes: ids.map((nodeId) => ({ nameWithOwner: nodeId.slice(2), config: { text: CONFIG } })) } }];
  });
  return scope;
}

describe("installations: bounded, each within its deadline", () => {
  it("a stalled installation and a failing one neither delay nor fail the healthy one; the tick ends with both reported", async () => {
    const scope = nock(API).persist();
    mockApp(scope);
    scope.get("/app/installations").query(true).reply(200, [
      { id: 1, account: { login: "stalled" }, suspended_at: null },
      { id: 2, account: { login: "failing" }, suspended_at: null },
      { id: 3, account: { login: "healthy" }, suspended_at: null },
    ]);
    mockToken(scope, 1);
    mockToken(scope, 3);
    // Installation 2: its token is refused (the App was uninstalled a moment ago).
    scope.post("/app/installations/2/access_tokens").reply(404, { message: "Not Found" });
    // Installation 1: GitHub takes the listing and never answers.
    let stalled!: () => void;
    const stalledArrived = new Promise<void>((resolve) => (stalled = resolve));
    scope
      .get("/installation/repositories")
      .matchHeader("authorization", "token ghs_test_1")
      .query(true)
      .reply(() => (stalled(), new Promise<never>(() => {})));
    scope
      .get("/installation/repositories")
      .matchHeader("authorization", "token ghs_test_3")
      .query(true)
      .reply(200, { total_count: 1, repositories: [installedRepo("healthy/wg")] });
    scope.post("/graphql").reply(200, { data: { nodes: [{ nameWithOwner: "healthy/wg", config: { text: CONFIG } }] } });

    // The deadlines' timers are the test's: the stalled one's fires when the test says.
    const armed: Array<() => void> = [];
    const cleared = new Set<number>();
    const timers = {
      setTimeout: ((callback: () => void) => (armed.push(callback), armed.length)) as unknown as typeof setTimeout,
      clearTimeout: ((id: number) => void cleared.add(id)) as unknown as typeof clearTimeout,
    };
    const { probot } = await createTestProbot();
    const run = runTick({ auth: (id) => probot.auth(id), log: probot.log, limits: { installationDeadlineMs: 300_000, tickConcurrency: 3 }, timers }, { now: NOW });

    // All three start together; the failing and the healthy one finish while the stalled one hangs.
    await stalledArrived;
    await vi.waitFor(() => expect(cleared.has(2) && cleared.has(3)).toBe(true), { timeout: 60_000, interval: 5 });
    expect(armed).toHaveLength(3);
    expect(cleared.has(1)).toBe(false);
    armed[0]!();
    const report = await run;

    expect(report.installations).toBe(3);
    expect(report.series).toEqual([{ repository: "healthy/wg", series: "wg", outcome: expect.objectContaining({ action: "not-due" }) }]);
    expect(report.errors.map((error) => error.scope).sort()).toEqual(["installation 1", "installation 2"]);
    expect(report.errors.find((error) => error.scope === "installation 1")?.error).toBe("did not finish within its deadline of 300 s; the next tick carries on");
    scope.persist(false);
  });
});

describe("replicas: one job per installation through the Service", () => {
  /** A replica: the tick route, whose installation jobs run the real tick against nock's GitHub. */
  async function replica(name: string, deps: TickDeps, ran: Array<{ replica: string; installation: number }>): Promise<number> {
    const route = createTickRoute({
      secret: SECRET,
      log: deps.log,
      run: () => Promise.reject(new Error("a job must never run a full tick")),
      runInstallation: (installationId, { dryRun }) => {
        ran.push({ replica: name, installation: installationId });
        return runTick(deps, { now: NOW, installationId, dryRun });
      },
    });
    const url = await listen((req, res) => void route(req, res).then((handled) => handled || res.writeHead(404).end()));
    return Number(new URL(url).port);
  }

  /** The Kubernetes Service: round robin over the replicas; its first answer is a 503 (a replica going away). */
  async function service(ports: number[]): Promise<{ url: string; requests: string[] }> {
    const requests: string[] = [];
    let next = 0;
    const url = await listen((req, res) => {
      requests.push(req.url ?? "");
      if (requests.length === 1) {
        res.writeHead(503).end();
        return;
      }
      const port = ports[next++ % ports.length]!;
      const upstream = httpRequest({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    return { url, requests };
  }

  it("every installation is ticked once, spread over both replicas; a refused job is sent again; the report is the replicas' answers together", async () => {
    const scope = gitHub([11, 12, 13, 14]);
    const { probot } = await createTestProbot();
    const { log } = memoryLogger();
    const deps: TickDeps = { auth: (id) => probot.auth(id), log };
    const ran: Array<{ replica: string; installation: number }> = [];
    const svc = await service([await replica("a", deps, ran), await replica("b", deps, ran)]);
    const fanOut = fanOutFromEnv({ WG_MEETINGS_FANOUT_URL: svc.url, WG_MEETINGS_TICK_SECRET: SECRET, WG_MEETINGS_FANOUT_CONCURRENCY: "2" })!;

    const report = await runTick(
      {
        ...deps,
        limits: { installationDeadlineMs: 60_000, tickConcurrency: 4, fanOut },
        sendJob: (target, id, options) => sendInstallationJob(target, id, { ...options, retryDelaysMs: [0, 0] }),
      },
      { now: NOW },
    );

    expect(ran.map((job) => job.installation).sort()).toEqual([11, 12, 13, 14]);
    expect(new Set(ran.map((job) => job.replica))).toEqual(new Set(["a", "b"]));
    // Five requests for four jobs: the refused one went again.
    expect(svc.requests).toHaveLength(5);
    expect(svc.requests.every((path) => /^\/wg-meetings\/tick\?installation=1[1-4]$/.test(path))).toBe(true);
    expect(report).toMatchObject({ installations: 4, repositories: 4, configured: 4, errors: [] });
    expect(report.series.map((s) => `${s.repository} ${s.outcome.action}`).sort()).toEqual(["org-11/wg not-due", "org-12/wg not-due", "org-13/wg not-due", "org-14/wg not-due"]);
    scope.persist(false);
  });

  it("a job that keeps failing is reported for its installation after three attempts; the others' parts still count", async () => {
    const scope = gitHub([21, 22]);
    const { probot } = await createTestProbot();
    const { log } = memoryLogger();
    const attempts: number[] = [];
    const route = createTickRoute({
      secret: SECRET,
      log,
      run: () => Promise.reject(new Error("never")),
      runInstallation: async (installationId) => {
        attempts.push(installationId);
        if (installationId === 22) throw new Error("GitHub answered 502");
        return { now: NOW.toISOString(), dryRun: false, installations: 1, suspendedInstallations: 0, repositories: 3, configured: 1, series: [], invalidConfigs: [], alarms: [], errors: [] } satisfies TickReport;
      },
    });
    const url = await listen((req, res) => void route(req, res));
    const fanOut: FanOut = fanOutFromEnv({ WG_MEETINGS_FANOUT_URL: url, WG_MEETINGS_TICK_SECRET: SECRET })!;

    const report = await runTick(
      { auth: (id) => probot.auth(id), log, limits: { installationDeadlineMs: 60_000, tickConcurrency: 4, fanOut }, sendJob: (t, id, o) => sendInstallationJob(t, id, { ...o, retryDelaysMs: [0, 0] }) },
      { now: NOW },
    );

    expect(attempts.sort()).toEqual([21, 22, 22, 22]);
    expect(report).toMatchObject({ installations: 2, repositories: 3, configured: 1 });
    expect(report.errors).toEqual([{ scope: "installation 22", error: "fan-out: the job answered 500: GitHub answered 502" }]);
    scope.persist(false);
  });

  it("a dry run, and a tick scoped to one installation, run here and send no job", async () => {
    const scope = gitHub([31]);
    const { probot } = await createTestProbot();
    const sendJob = vi.fn();
    const fanOut = fanOutFromEnv({ WG_MEETINGS_FANOUT_URL: "http://wg-meetings.test.svc", WG_MEETINGS_TICK_SECRET: SECRET })!;
    const deps: TickDeps = { auth: (id) => probot.auth(id), log: probot.log, limits: { installationDeadlineMs: 60_000, tickConcurrency: 4, fanOut }, sendJob };

    const dry = await runTick(deps, { now: NOW, dryRun: true });
    const one = await runTick(deps, { now: NOW, installationId: 31 });

    expect(sendJob).not.toHaveBeenCalled();
    expect(dry.series).toHaveLength(1);
    expect(one.series).toHaveLength(1);
    scope.persist(false);
  });
});

describe("an installation's job on a replica that knows the App's login", () => {
  it("makes no App (JWT) client and asks no GET /app: the installation's token, its listing and the config discovery only", async () => {
    const scope = nock(API);
    mockToken(scope, 41);
    scope.get("/installation/repositories").matchHeader("authorization", "token ghs_test_41").query(true).reply(200, { total_count: 1, repositories: [installedRepo("org-41/wg")] });
    scope.post("/graphql").reply(200, { data: { nodes: [{ nameWithOwner: "org-41/wg", config: { text: CONFIG } }] } });
    const { probot } = await createTestProbot();
    const auth = vi.fn((id?: number) => probot.auth(id));

    const report = await runTick({ auth, log: probot.log, botLogin: async () => "wg-meetings[bot]" }, { now: NOW, installationId: 41 });

    expect(auth.mock.calls).toEqual([[41]]);
    expect(report).toMatchObject({ installations: 1, repositories: 1, configured: 1, errors: [] });
    expect(report.series.map((s) => s.outcome.action)).toEqual(["not-due"]);
    expect(scope.isDone()).toBe(true);
  });
});

describe(`POST ${TICK_PATH}?installation=<id>`, () => {
  const { log } = memoryLogger();
  const REPORT: TickReport = { now: NOW.toISOString(), dryRun: false, installations: 1, suspendedInstallations: 0, repositories: 0, configured: 0, series: [], invalidConfigs: [], alarms: [], errors: [] };

  async function post(query: string, options: { runInstallation?: boolean; authorization?: string } = {}) {
    const run = vi.fn(async () => REPORT);
    const runInstallation = vi.fn(async () => REPORT);
    const route = createTickRoute({ secret: SECRET, log, run, ...(options.runInstallation === false ? {} : { runInstallation }) });
    const url = await listen((req, res) => void route(req, res));
    const res = await fetch(`${url}${TICK_PATH}${query}`, { method: "POST", headers: { authorization: options.authorization ?? `Bearer ${SECRET}` } });
    return { status: res.status, body: (await res.json()) as unknown, run, runInstallation };
  }

  it("ticks that one installation, never the full tick", async () => {
    const { status, run, runInstallation } = await post("?installation=1234567");
    expect(status).toBe(200);
    expect(runInstallation).toHaveBeenCalledWith(1234567, { dryRun: false });
    expect(run).not.toHaveBeenCalled();
  });

  it.each([["?installation="], ["?installation=0"], ["?installation=-1"], ["?installation=1e3"], ["?installation=12abc"], ["?installation=%2012"], ["?installation=0x1f"], ["?installation=1234567890123456"], ["?installation=1&installation=2"], ["?installation=１２"]])(
    "refuses %s with 400 and runs nothing",
    async (query) => {
      const { status, body, run, runInstallation } = await post(query);
      expect(status).toBe(400);
      expect(body).toEqual({ error: "installation must be one installation id: digits only" });
      expect(run).not.toHaveBeenCalled();
      expect(runInstallation).not.toHaveBeenCalled();
    },
  );

  it("asks for the bearer secret before anything else", async () => {
    const { status, runInstallation } = await post("?installation=12abc", { authorization: "Bearer wrong" });
    expect(status).toBe(401);
    expect(runInstallation).not.toHaveBeenCalled();
  });

  it("a server that cannot tick one installation answers 501 and runs nothing (no full tick in its place)", async () => {
    const { status, run } = await post("?installation=12", { runInstallation: false });
    expect(status).toBe(501);
    expect(run).not.toHaveBeenCalled();
  });
});
