import { spawn } from "node:child_process";
import { createServer, type Server as HttpServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import wgMeetings from "../../src/index.js";
import { API, installedRepo, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot, memoryLogger, privateKey } from "../helpers/probot.js";

/**
 * The server's own tick, wired into the real app: loaded under a server (addHandler works) it
 * ticks on its interval, one summary line per run, sharing one run with the tick route; loaded
 * without one (`probot receive`, Actions mode, tests) it never starts a timer.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const TICK_SECRET = "tick-secret-self-tick";
type Route = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<boolean> | boolean | void;

const saved = { interval: process.env.WG_MEETINGS_TICK_INTERVAL, secret: process.env.WG_MEETINGS_TICK_SECRET };
function setInterval_(value: string | undefined) {
  if (value === undefined) delete process.env.WG_MEETINGS_TICK_INTERVAL;
  else process.env.WG_MEETINGS_TICK_INTERVAL = value;
}
afterEach(() => {
  setInterval_(saved.interval);
  if (saved.secret === undefined) delete process.env.WG_MEETINGS_TICK_SECRET;
  else process.env.WG_MEETINGS_TICK_SECRET = saved.secret;
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** The real app as a server loads it: addHandler works and collects the routes. */
async function loadUnderServer() {
  const logger = memoryLogger();
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: logger.log,
    Octokit: ProbotOctokit.defaults((instanceOptions: object) => ({ ...instanceOptions, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  const routes: Route[] = [];
  await probot.load(wgMeetings, { cwd: process.cwd(), addHandler: (route) => void routes.push(route as Route) });
  return { probot, routes, logs: logger.lines };
}

/**
 * One installation with one repository and no config: the shortest whole tick. Probot caches
 * the installation token, and the app the App's login, so only a process's first tick
 * exchanges one and asks `GET /app`.
 */
function mockEmptyTick(
  scope: nock.Scope,
  {
    token = true,
    login = true,
    installations = () => [200, [{ id: 7, account: { login: "acme" } }]],
  }: { token?: boolean; login?: boolean; installations?: () => Promise<[number, unknown]> | [number, unknown] } = {},
) {
  if (login) mockApp(scope);
  scope.get("/app/installations").query(true).reply(installations as never);
  if (token) mockToken(scope, 7);
  scope.get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [installedRepo("acme/meetings")] });
  scope.post("/graphql", operation("DiscoverMeetingConfigs")).reply(200, { data: { nodes: [{ nameWithOwner: "acme/meetings", config: null }] } });
}

const summaries = (logs: Array<{ msg: string } & Record<string, unknown>>) => logs.filter((line) => line.msg === "tick finished");
const failures = (logs: Array<{ msg: string } & Record<string, unknown>>) => logs.filter((line) => line.msg === "tick failed");

describe("the server's own tick (fake timers, the real app, GitHub in nock)", () => {
  beforeEach(() => {
    // Only the timers: the HTTP conversation with nock runs on real I/O.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // Jitter in the middle of its range: first run 60 s after start, then every 10 minutes.
    vi.spyOn(Math, "random").mockReturnValue(0.5);
  });

  it("by default ticks 60 ± 30 s after start, then every 10 minutes ± 10%: one summary line per run, a failed run does not stop the next", async () => {
    setInterval_(undefined);
    const scope = nock(API);
    mockEmptyTick(scope);
    const { routes, logs } = await loadUnderServer();
    expect(routes).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(1);
    expect(logs.find((line) => line.msg.startsWith("self-tick on"))).toMatchObject({ interval: "PT10M", firstRunMs: 60_000 });

    await vi.advanceTimersByTimeAsync(59_999);
    expect(logs.filter((line) => line.msg === "tick started")).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(summaries(logs)).toHaveLength(1), { timeout: 60_000, interval: 1 });
    expect(scope.pendingMocks()).toEqual([]);
    expect(summaries(logs)[0]).toEqual(
      expect.objectContaining({
        trigger: "interval",
        dryRun: false,
        durationMs: expect.any(Number),
        installations: 1,
        repositories: 1,
        configured: 0,
        created: 0,
        errors: 0,
      }),
    );

    // The second run fails as a whole (GitHub answers 500 to the installations listing). The
    // App's login is known from the first run: no second `GET /app`.
    scope.get("/app/installations").query(true).reply(500, { message: "Server Error" });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await vi.waitFor(() => expect(failures(logs)).toHaveLength(1), { timeout: 60_000, interval: 1 });
    expect(failures(logs)[0]).toMatchObject({ trigger: "interval", err: expect.stringContaining("500") });
    expect(summaries(logs)).toHaveLength(1);

    // The third run goes ahead as usual.
    mockEmptyTick(scope, { token: false, login: false });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await vi.waitFor(() => expect(summaries(logs)).toHaveLength(2), { timeout: 60_000, interval: 1 });
    expect(scope.pendingMocks()).toEqual([]);
    expect(logs.filter((line) => line.msg === "tick started")).toHaveLength(2);
    expect(summaries(logs).map((line) => line.trigger)).toEqual(["interval", "interval"]);
  });

  it("a tick route call while the interval's tick runs joins it: one walk over GitHub, the same report", async () => {
    setInterval_("PT10M");
    process.env.WG_MEETINGS_TICK_SECRET = TICK_SECRET;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    const scope = nock(API);
    mockEmptyTick(scope, {
      installations: async () => {
        asked = true;
        await held;
        return [200, [{ id: 7, account: { login: "acme" } }]];
      },
    });
    const { routes, logs } = await loadUnderServer();
    const server = await serve(routes[0]!);
    try {
      await vi.advanceTimersByTimeAsync(60_000);
      // The interval's tick is in flight, held at the installations listing.
      await vi.waitFor(() => expect(asked).toBe(true), { timeout: 60_000, interval: 1 });
      const answer = fetch(`${server.url}/wg-meetings/tick`, { method: "POST", headers: { authorization: `Bearer ${TICK_SECRET}` } });
      await vi.waitFor(() => expect(logs.some((line) => line.msg.startsWith("tick joined"))).toBe(true), { timeout: 60_000, interval: 1 });
      release();
      const response = await answer;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ installations: 1, repositories: 1, configured: 0, errors: [] });
      // Every interceptor was used once: the route ran no second tick (it would have found none).
      expect(scope.pendingMocks()).toEqual([]);
      expect(summaries(logs)).toEqual([expect.objectContaining({ trigger: "interval" })]);
      expect(logs.find((line) => line.msg.startsWith("tick joined"))).toMatchObject({ trigger: "route", running: "interval" });
    } finally {
      await server.close();
    }
  });

  it("asks GitHub for the App's login once per process; a failed GET /app is not kept, the next tick asks again", async () => {
    setInterval_("PT10M");
    const scope = nock(API);
    // The first run: GET /app fails, so the tick fails before it lists anything.
    scope.get("/app").reply(500, { message: "Server Error" });
    const { logs } = await loadUnderServer();
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(() => expect(failures(logs)).toHaveLength(1), { timeout: 60_000, interval: 1 });
    expect(failures(logs)[0]).toMatchObject({ trigger: "interval", err: expect.stringContaining("500") });
    expect(scope.pendingMocks()).toEqual([]);

    // The second run asks again, and this time GitHub answers.
    mockEmptyTick(scope);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await vi.waitFor(() => expect(summaries(logs)).toHaveLength(1), { timeout: 60_000, interval: 1 });
    expect(scope.pendingMocks()).toEqual([]);

    // The third run does not ask: with no GET /app interceptor left, asking would fail the run.
    mockEmptyTick(scope, { token: false, login: false });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    await vi.waitFor(() => expect(summaries(logs)).toHaveLength(2), { timeout: 60_000, interval: 1 });
    expect(scope.pendingMocks()).toEqual([]);
    expect(failures(logs)).toHaveLength(1);
  });

  it("WG_MEETINGS_TICK_INTERVAL=off: the routes are there, no timer is", async () => {
    setInterval_("off");
    const { routes, logs } = await loadUnderServer();
    expect(routes).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
    expect(logs.find((line) => line.msg.startsWith("self-tick off"))).toBeDefined();
  });

  it("no server (probot receive, tests, Actions mode): no timer, and the setting is not even read", async () => {
    setInterval_("not a duration");
    await createTestProbot();
    expect(vi.getTimerCount()).toBe(0);
    // Actions mode loads the app with an addHandler that throws (src/actions/run-action.ts).
    const { probot } = await createTestProbot();
    await probot.load(wgMeetings, {
      cwd: process.cwd(),
      addHandler: () => {
        throw new Error("No server instance");
      },
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a bad value fails loading under a server, naming the variable", async () => {
    setInterval_("5m");
    await expect(loadUnderServer()).rejects.toThrow(/^WG_MEETINGS_TICK_INTERVAL="5m" is not valid: .*PT10M/);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the production entry and its process", () => {
  it("lib/server.js refuses to start on a bad WG_MEETINGS_TICK_INTERVAL and says which variable", async () => {
    // A temporary working directory: Probot and lib/server.js read a .env from it.
    const cwd = mkdtempSync(join(tmpdir(), "wg-self-tick-"));
    try {
      const { code, output } = await runNode(["lib/server.js"].map((file) => join(ROOT, file)), cwd, {
        APP_ID: "123",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "whsec-self-tick",
        HOST: "127.0.0.1",
        PORT: "1", // never bound: start-up fails first
        LOG_FORMAT: "json",
        WG_MEETINGS_TICK_INTERVAL: "5m",
      });
      expect(code).not.toBe(0);
      expect(output).toContain('WG_MEETINGS_TICK_INTERVAL="5m" is not valid');
      expect(output).not.toContain(privateKey.split("\n")[1]!);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("a stopped server's process exits by itself: the self-tick's timer keeps nothing alive", async () => {
    // A Probot Server with the built app and the default interval, started and stopped again.
    // If the timer held the event loop, this process would run until the safety timeout.
    const script = `
      import { Probot, Server } from ${JSON.stringify(join(ROOT, "node_modules/probot/lib/index.js"))};
      import wgMeetings from ${JSON.stringify(join(ROOT, "lib/index.js"))};
      const server = new Server({
        Probot: Probot.defaults({ appId: 123, privateKey: process.env.PRIVATE_KEY, secret: "whsec" }),
        host: "127.0.0.1",
        port: "0",
        enableStaticFiles: false,
      });
      await server.load(wgMeetings);
      await server.start();
      await server.stop();
      console.log("stopped");
    `;
    const cwd = mkdtempSync(join(tmpdir(), "wg-self-tick-"));
    try {
      const { code, output } = await runNode(["--input-type=module", "-e", script], cwd, { PRIVATE_KEY: privateKey, LOG_LEVEL: "info" });
      expect(output).toContain("self-tick on");
      expect(output).toContain("stopped");
      expect(code).toBe(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

/** Runs node with exactly this environment (nothing inherited but PATH) until it exits by itself. */
function runNode(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** A loopback server for one route, as Probot's server would call it. */
async function serve(route: Route): Promise<{ url: string; close(): Promise<void> }> {
  const server: HttpServer = createServer(async (req, res) => {
    if (!(await route(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
