import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTickRoute, TICK_PATH } from "../../src/http/tick-route.js";
import type { TickReport } from "../../src/meetings/tick.js";
import { memoryLogger } from "../helpers/probot.js";

/**
 * Who may start the tick over HTTP: exactly `Authorization: Bearer <secret>`, nothing that
 * merely resembles it. Every request here goes through a real loopback server, as a CronJob's
 * curl would.
 */
const SECRET = "s3cret-value";
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
afterEach(async () => {
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
});

/** Serves the route on a loopback port the test owns; what it does not handle answers 404. */
async function serve(secret: string | undefined, run: (options: { dryRun: boolean }) => Promise<TickReport>) {
  const logger = memoryLogger();
  const route = createTickRoute({ secret, run, log: logger.log });
  server = createServer(async (req, res) => {
    if (!(await route(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, logs: logger.lines };
}

/** Sends the request with exactly the Authorization value given (none when undefined). */
async function post(base: string, authorization: string | undefined, path = TICK_PATH) {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: authorization === undefined ? {} : { authorization } });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe(`who may POST ${TICK_PATH}`, () => {
  it("the exact bearer secret runs the tick once and gets the report", async () => {
    const run = vi.fn(async ({ dryRun }: { dryRun: boolean }) => ({ ...REPORT, dryRun }));
    const { base } = await serve(SECRET, run);

    const res = await fetch(`${base}${TICK_PATH}`, { method: "POST", headers: { authorization: `Bearer ${SECRET}` } });

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    // Indented JSON and a final newline, for a person reading curl's output.
    expect(await res.text()).toBe(`${JSON.stringify(REPORT, null, 2)}\n`);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith({ dryRun: false });
  });

  it("the scheme is case-insensitive, as HTTP says: `bearer` and `BEARER` are accepted", async () => {
    const run = vi.fn(async () => REPORT);
    const { base } = await serve(SECRET, run);

    expect((await post(base, `bearer ${SECRET}`)).status).toBe(200);
    expect((await post(base, `BEARER ${SECRET}`)).status).toBe(200);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it.each([
    ["a bearer token that is a prefix of the secret", `Bearer ${SECRET.slice(0, 6)}`],
    ["a bearer token of the secret's first character", `Bearer ${SECRET[0]}`],
    ["a bearer token that is the secret minus its last character", `Bearer ${SECRET.slice(0, -1)}`],
    ["a longer bearer token that starts with the secret", `Bearer ${SECRET}x`],
    ["the secret followed by more words", `Bearer ${SECRET} and more`],
    ["a bearer token that ends with the secret", `Bearer x${SECRET}`],
    ["the secret in another case", `Bearer ${SECRET.toUpperCase()}`],
    ["a token of the same length that differs in its last character", `Bearer ${SECRET.slice(0, -1)}X`],
    ["text before the scheme", `xBearer ${SECRET}`],
    ["another scheme that ends in Bearer", `NotBearer ${SECRET}`],
    ["the secret after another scheme", `Token Bearer ${SECRET}`],
    ["the secret without a scheme", SECRET],
    ["the scheme glued to the secret", `Bearer${SECRET}`],
    ["the secret under Basic", `Basic ${Buffer.from(SECRET).toString("base64")}`],
    ["an empty bearer token", "Bearer "],
    ["the bare scheme", "Bearer"],
    ["an empty header", ""],
    ["no header at all", undefined],
  ])("%s is refused with 401 and runs nothing", async (_name, authorization) => {
    const run = vi.fn(async () => REPORT);
    const { base, logs } = await serve(SECRET, run);

    const res = await post(base, authorization);

    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.body).toEqual({ error: "missing or wrong bearer token" });
    expect(run).not.toHaveBeenCalled();
    // The refusal is logged without the token that was tried.
    const refusal = logs.find((line) => line.msg === "tick refused: bad or missing bearer token");
    expect(refusal).toMatchObject({ level: 40, path: TICK_PATH });
    expect(JSON.stringify(logs)).not.toContain(SECRET.slice(0, 6));
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("with the secret %s the route is off (503) for every token, the empty one included", async (_name, secret) => {
    const run = vi.fn(async () => REPORT);
    const { base } = await serve(secret, run);

    for (const authorization of [undefined, "Bearer ", "Bearer", "Bearer x", `Bearer ${SECRET}`]) {
      const res = await post(base, authorization);
      expect(res.status, String(authorization)).toBe(503);
      expect(res.body).toEqual({ error: "the tick route is disabled: set WG_MEETINGS_TICK_SECRET" });
    }
    expect(run).not.toHaveBeenCalled();
  });

  it("a secret of one character is compared as exactly one character", async () => {
    const run = vi.fn(async () => REPORT);
    const { base } = await serve("x", run);

    expect((await post(base, "Bearer xx")).status).toBe(401);
    expect((await post(base, "Bearer y")).status).toBe(401);
    expect((await post(base, "Bearer x")).status).toBe(200);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("only POST runs it: GET is answered 405 with Allow: POST, even with the right secret", async () => {
    const run = vi.fn(async () => REPORT);
    const { base } = await serve(SECRET, run);

    const res = await fetch(`${base}${TICK_PATH}`, { headers: { authorization: `Bearer ${SECRET}` } });

    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toEqual({ error: "use POST" });
    expect(run).not.toHaveBeenCalled();
  });

  it("only its own path: a longer path or a neighbour is not the tick route", async () => {
    const run = vi.fn(async () => REPORT);
    const { base } = await serve(SECRET, run);

    expect((await post(base, `Bearer ${SECRET}`, `${TICK_PATH}/now`)).status).toBe(404);
    expect((await post(base, `Bearer ${SECRET}`, "/wg-meetings/tickle")).status).toBe(404);
    expect((await post(base, `Bearer ${SECRET}`, `/x${TICK_PATH}`)).status).toBe(404);
    expect(run).not.toHaveBeenCalled();
    // A query string is still the route.
    expect((await post(base, `Bearer ${SECRET}`, `${TICK_PATH}?from=cron`)).status).toBe(200);
    expect(run).toHaveBeenCalledWith({ dryRun: false });
  });

  it.each([
    ["?dry-run=1", true],
    ["?dry-run=true", true],
    ["?dry-run=0", false],
    ["?dry-run=false", false],
    ["?dry-run=", false],
    ["?dry-run=yes", false],
    ["", false],
  ])("%s asks for a dry run: %s", async (query, dryRun) => {
    const run = vi.fn(async (options: { dryRun: boolean }) => ({ ...REPORT, dryRun: options.dryRun }));
    const { base } = await serve(SECRET, run);

    const res = await post(base, `Bearer ${SECRET}`, `${TICK_PATH}${query}`);

    expect(res.status).toBe(200);
    expect(run).toHaveBeenCalledWith({ dryRun });
    expect(res.body?.dryRun).toBe(dryRun);
  });

  it("a tick that failed as a whole answers 500 with its message and logs it", async () => {
    const { base, logs } = await serve(SECRET, async () => Promise.reject(new Error("GitHub is down")));

    const res = await post(base, `Bearer ${SECRET}`);

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: "GitHub is down" });
    expect(logs.find((line) => line.msg === "tick failed")).toMatchObject({ level: 50, err: "GitHub is down" });
  });

  it("a tick in which some repositories failed answers 207 with the whole report", async () => {
    const partial = { ...REPORT, errors: [{ scope: "a/b", error: "500: boom" }] };
    const { base } = await serve(SECRET, async () => partial);

    const res = await post(base, `Bearer ${SECRET}`);

    expect(res.status).toBe(207);
    expect(res.body).toEqual(partial);
  });
});
