import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTickRoute, TICK_PATH } from "../../src/http/tick-route.js";
import type { TickReport } from "../../src/meetings/tick.js";
import wgMeetings from "../../src/index.js";
import { createTestProbot, memoryLogger } from "../helpers/probot.js";

const REPORT: TickReport = {
  now: "2026-11-25T00:00:00.000Z",
  dryRun: false,
  installations: 1,
  suspendedInstallations: 0,
  repositories: 2,
  configured: 1,
  series: [],
  invalidConfigs: [],
  alarms: [],
  errors: [],
};

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves one handler on a loopback port the test owns. */
async function serve(handler: ReturnType<typeof createTickRoute>): Promise<string> {
  server = createServer(async (req, res) => {
    if (!(await handler(req, res))) {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe(`POST ${TICK_PATH}`, () => {
  const { log } = memoryLogger();

  it("runs the tick for the right bearer secret and answers with the report", async () => {
    const run = vi.fn(async ({ dryRun }: { dryRun: boolean }) => ({ ...REPORT, dryRun }));
    const base = await serve(createTickRoute({ secret: "s3cret-value", run, log }));

    const res = await fetch(`${base}${TICK_PATH}?dry-run=1`, { method: "POST", headers: { authorization: "Bearer s3cret-value" } });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...REPORT, dryRun: true });
    expect(run).toHaveBeenCalledWith({ dryRun: true });
  });

  it.each([
    ["no header", {}],
    ["a wrong secret", { authorization: "Bearer nope" }],
    ["a secret of another length", { authorization: "Bearer s3cret-value-and-more" }],
    ["basic auth", { authorization: "Basic czNjcmV0LXZhbHVl" }],
  ])("refuses %s with 401 and runs nothing", async (_name, headers) => {
    const run = vi.fn();
    const base = await serve(createTickRoute({ secret: "s3cret-value", run, log }));
    const res = await fetch(`${base}${TICK_PATH}`, { method: "POST", headers });
    expect(res.status).toBe(401);
    expect(run).not.toHaveBeenCalled();
  });

  it("is disabled (503) when no secret is configured, and only answers POST", async () => {
    const run = vi.fn();
    const base = await serve(createTickRoute({ secret: undefined, run, log }));
    expect((await fetch(`${base}${TICK_PATH}`, { method: "POST" })).status).toBe(503);
    expect((await fetch(`${base}${TICK_PATH}`)).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    expect(run).not.toHaveBeenCalled();
  });

  it("answers 207 when some repositories failed, 500 when the tick itself failed", async () => {
    const partial = await serve(
      createTickRoute({ secret: "x", run: async () => ({ ...REPORT, errors: [{ scope: "a/b", error: "500: boom" }] }), log }),
    );
    expect((await fetch(`${partial}${TICK_PATH}`, { method: "POST", headers: { authorization: "Bearer x" } })).status).toBe(207);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const broken = await serve(
      createTickRoute({ secret: "x", run: async () => Promise.reject(new Error("GitHub is down")), log }),
    );
    const res = await fetch(`${broken}${TICK_PATH}`, { method: "POST", headers: { authorization: "Bearer x" } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "GitHub is down" });
  });

  it("is registered by the app when a server offers addHandler, and skipped without one", async () => {
    const { probot } = await createTestProbot();
    const handlers: unknown[] = [];
    await probot.load(wgMeetings, { cwd: process.cwd(), addHandler: (handler) => handlers.push(handler) });
    // The tick route and the calendar feed route.
    expect(handlers).toHaveLength(2);
    // createTestProbot loaded the app without addHandler: that must not throw.
  });
});
