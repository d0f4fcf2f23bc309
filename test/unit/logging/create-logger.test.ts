import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import wgMeetings from "../../../src/index.js";
import { createLogger } from "../../../src/logging/create-logger.js";
import { API, mockApp } from "../../helpers/github.js";
import { privateKey } from "../../helpers/probot.js";

/**
 * The production logger (src/logging/create-logger.ts, what server.ts runs) keeps secrets out of
 * the log. Its output is caught where it leaves the process (`pino.destination(1)`), after
 * Probot's own formatting, so what is asserted is what an operator's log store receives.
 */
const TICK_SECRET = "tick-secret-4f1d2a";
const WEBHOOK_SECRET = "webhook-secret-9c3e";
const COOKIE = "session=cookie-secret-77ab";
const PROXY_AUTH = "Basic cHJveHktc2VjcmV0LTEy";

const ping = (createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as Array<{ name: string; examples: object[] }>)
  .find((entry) => entry.name === "ping")!.examples[0]!;

/** Everything the logger writes to stdout, line by line, and a way to wait for a line. */
function captureStdout() {
  const raw: string[] = [];
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) {
        if (!line.trim()) continue;
        raw.push(line);
        for (const waiter of waiters.filter((candidate) => candidate.test(line))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
      done();
    },
  });
  const destination = vi.spyOn(pino, "destination").mockImplementation(() => sink as unknown as ReturnType<typeof pino.destination>);
  return {
    raw,
    destination,
    /** Resolves with the first line (already written or still to come) that contains `text`. */
    line(text: string): Promise<string> {
      const seen = raw.find((line) => line.includes(text));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ test: (line) => line.includes(text), resolve }));
    },
  };
}

const savedEnv = { ...process.env };
afterEach(() => {
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe("the production logger: Probot's request log through a real server", () => {
  let server: Server | undefined;
  let out: ReturnType<typeof captureStdout>;
  let base: string;

  beforeEach(async () => {
    out = captureStdout();
    const log = await createLogger({ LOG_FORMAT: "json", LOG_LEVEL: "info" });
    process.env.WG_MEETINGS_TICK_SECRET = TICK_SECRET;
    process.env.WG_MEETINGS_TICK_INTERVAL = "off";
    server = new Server({
      Probot: Probot.defaults({
        appId: 123,
        privateKey,
        secret: WEBHOOK_SECRET,
        log,
        Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
      }),
      host: "127.0.0.1",
      // Probot's Server treats a numeric 0 as "unset" (→ 3000); the string reaches listen() as port 0.
      port: "0" as unknown as number,
      log,
      enableStaticFiles: false,
    });
    await server.load(wgMeetings);
    await server.start();
    base = `http://127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("a tick request's Authorization (the tick secret), Cookie and Proxy-Authorization are written as [redacted]", async () => {
    // The tick itself: the App, with no installation yet.
    const scope = nock(API);
    mockApp(scope);
    scope.get("/app/installations").query(true).reply(200, []);

    const res = await fetch(`${base}/wg-meetings/tick`, {
      method: "POST",
      headers: { authorization: `Bearer ${TICK_SECRET}`, cookie: COOKIE, "proxy-authorization": PROXY_AUTH, "x-request-id": "tick-1" },
    });
    expect(res.status).toBe(200);
    const line = JSON.parse(await out.line('"POST /wg-meetings/tick 200'));

    expect(scope.isDone()).toBe(true);
    expect(line.req.headers).toMatchObject({
      authorization: "[redacted]",
      cookie: "[redacted]",
      "proxy-authorization": "[redacted]",
      // The other headers are still there: only the secret-bearing ones are cut.
      "x-request-id": "tick-1",
    });
    const all = out.raw.join("\n");
    for (const secret of [TICK_SECRET, "cookie-secret-77ab", "cHJveHktc2VjcmV0LTEy"]) expect(all).not.toContain(secret);
  });

  it("a webhook delivery's X-Hub-Signature and X-Hub-Signature-256 are written as [redacted]", async () => {
    const body = JSON.stringify(ping);
    const sha1 = `sha1=${createHmac("sha1", WEBHOOK_SECRET).update(body).digest("hex")}`;
    const sha256 = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;

    const res = await fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "delivery-ping-1",
        "x-hub-signature": sha1,
        "x-hub-signature-256": sha256,
      },
      body,
    });
    expect(res.status).toBe(200);
    const line = JSON.parse(await out.line('"POST /api/github/webhooks 200'));

    expect(line.req.headers).toMatchObject({
      "x-hub-signature": "[redacted]",
      "x-hub-signature-256": "[redacted]",
      "x-github-event": "ping",
      "x-github-delivery": "delivery-ping-1",
    });
    const all = out.raw.join("\n");
    expect(all).not.toContain(sha1.slice(5));
    expect(all).not.toContain(sha256.slice(7));
  });
});

describe("the production logger: what it writes", () => {
  it.each([
    ["authorization", "Bearer tick-secret-4f1d2a"],
    ["cookie", COOKIE],
    ["proxy-authorization", PROXY_AUTH],
    ["x-hub-signature", "sha1=0123456789abcdef0123456789abcdef01234567"],
    ["x-hub-signature-256", "sha256=89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567"],
  ])("a request's %s header is replaced by [redacted], whatever else is logged with it", async (header, value) => {
    const out = captureStdout();
    const log = await createLogger({ LOG_FORMAT: "json" });

    log.info({ req: { method: "POST", url: "/x", headers: { [header]: value, "user-agent": "curl/8" } } }, "request");
    const line = JSON.parse(await out.line('"request"'));

    expect(line.req.headers).toEqual({ [header]: "[redacted]", "user-agent": "curl/8" });
    expect(out.raw.join("\n")).not.toContain(value);
  });

  it("writes JSON lines to stdout (fd 1) with LOG_FORMAT=json: level, name probot, msg", async () => {
    const out = captureStdout();
    const log = await createLogger({ LOG_FORMAT: "json" });

    log.info({ repo: "a/b" }, "tick started");
    const line = JSON.parse(await out.line("tick started"));

    expect(out.destination).toHaveBeenCalledWith(1);
    expect(line).toMatchObject({ level: 30, name: "probot", msg: "tick started", repo: "a/b" });
  });

  it("LOG_LEVEL sets the threshold (info by default: debug lines are left out)", async () => {
    const out = captureStdout();
    const byDefault = await createLogger({ LOG_FORMAT: "json" });
    byDefault.debug("quiet debug line");
    byDefault.info("loud info line");
    await out.line("loud info line");
    expect(out.raw.join("\n")).not.toContain("quiet debug line");

    const warnOnly = await createLogger({ LOG_FORMAT: "json", LOG_LEVEL: "warn" });
    warnOnly.info("info under warn");
    warnOnly.warn("warn under warn");
    await out.line("warn under warn");
    expect(out.raw.join("\n")).not.toContain("info under warn");

    const debug = await createLogger({ LOG_FORMAT: "json", LOG_LEVEL: "debug" });
    debug.debug("debug under debug");
    expect(JSON.parse(await out.line("debug under debug"))).toMatchObject({ level: 20 });
  });

  it("LOG_MESSAGE_KEY renames the message field; LOG_LEVEL_IN_STRING writes the level's name", async () => {
    const out = captureStdout();
    const keyed = await createLogger({ LOG_FORMAT: "json", LOG_MESSAGE_KEY: "message" });
    keyed.info("keyed line");
    const line = JSON.parse(await out.line("keyed line"));
    expect(line.message).toBe("keyed line");
    expect(line.msg).toBeUndefined();

    const named = await createLogger({ LOG_FORMAT: "json", LOG_LEVEL_IN_STRING: "true" });
    named.warn("named level");
    expect(JSON.parse(await out.line("named level"))).toMatchObject({ level: "warn" });

    const numbered = await createLogger({ LOG_FORMAT: "json", LOG_LEVEL_IN_STRING: "false" });
    numbered.warn("numbered level");
    expect(JSON.parse(await out.line("numbered level"))).toMatchObject({ level: 40 });
  });

  it.each([
    ["unset", undefined],
    ["pretty", "pretty"],
    ["anything else", "JSON"],
  ])("LOG_FORMAT %s writes Probot's readable lines, not JSON, and still no secret", async (_name, format) => {
    const out = captureStdout();
    const log = await createLogger((format === undefined ? {} : { LOG_FORMAT: format }) as NodeJS.ProcessEnv);

    log.info({ req: { headers: { authorization: `Bearer ${TICK_SECRET}` } } }, "readable line");
    const line = await out.line("readable line");

    expect(line).toMatch(/INFO/);
    expect(() => JSON.parse(line)).toThrow();
    expect(out.raw.join("\n")).not.toContain(TICK_SECRET);
  });
});
