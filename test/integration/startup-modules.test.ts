import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { privateKey } from "../helpers/probot.js";

/*
 * Start-up loads only the wiring (issue 12): the production entry, lib/server.js, runs in a child
 * process with bench/loaded-modules-hook.mjs, which lists every file it has loaded. What only
 * the minutes, the calendars, the config check, the templates or the tick need is loaded when an
 * event first needs it. Counts and membership only: nothing here is timed.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HOOK = pathToFileURL(join(ROOT, "bench/loaded-modules-hook.mjs")).href;
const SECRET = "whsec-startup-modules";
const REPO = "/repos/Codertocat/Hello-World";
const COMMENT = 492700400;
const AT = "2026-12-02T16:00:00.000Z";
const PATH = "meetings/2026-12-02.md";
const BRANCH = "wg-meetings/minutes-hello-2026-12-02";
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");

/** Packages none of which start-up, or a webhook the App ignores, may load. */
const HEAVY = ["markdownlint", "micromark", "katex", "date-fns", "@date-fns/tz", "handlebars", "ical.js", "zod", "@googleapis/", "googleapis", "gaxios", "google-auth-library"];
/** The App's own modules that only some event, route or the tick loads. */
const LAZY_APP = ["meetings/tick.js", "meetings/chair-command.js", "meetings/close-meeting.js", "meetings/publish-minutes.js", "checks/config-check-handlers.js", "http/feed-route.js", "google/google-docs.js", "render/renderer.js", "config/schema.js", "minutes/lint-minutes.js", "schedule/wall-clock.js", "calendar-feed/add-to-calendar.js"];

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
`;

type Answer = [status: number, body?: unknown];

/**
 * GitHub on loopback, as far as the /minutes command needs it (the conversation of
 * minutes-command.test.ts's first test, without agenda items). Every request is recorded; one it
 * does not know is answered 404 and recorded as unexpected.
 */
function fakeGitHub() {
  const requests: string[] = [];
  const unexpected: string[] = [];
  const bodies = new Map<string, Record<string, unknown>>();
  const routes: Record<string, (body: Record<string, unknown>) => Answer> = {
    "GET /app": () => [200, { id: 123, slug: "wg-meetings", name: "wg-meetings", owner: { login: "wg-meetings-dev" } }],
    "POST /app/installations/1/access_tokens": () => [201, { token: "ghs_startup", expires_at: "2099-01-01T00:00:00Z", permissions: { issues: "write", contents: "write" } }],
    [`POST ${REPO}/issues/comments/${COMMENT}/reactions`]: (body) => [201, { id: 1, content: body.content, user: { login: "wg-meetings[bot]" }, created_at: "2026-12-02T17:00:00Z" }],
    [`GET ${REPO}/contents/${enc(".github/meetings.yml")}`]: () => [200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") }],
    [`GET ${REPO}/collaborators/Codertocat/permission`]: () => [200, { permission: "admin", role_name: "admin" }],
    "POST /graphql": () => [200, { data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 4999 } } }],
    [`GET ${REPO}/issues/1/reactions?content=%2B1&per_page=100`]: () => [200, []],
    // The App's issues, for the previous and next meetings the minutes link (none here).
    [`GET ${REPO}/issues?creator=${encodeURIComponent("wg-meetings[bot]")}&state=all&sort=created&direction=desc&per_page=100`]: () => [200, []],
    [`GET ${REPO}/git/ref/${enc("heads/master")}`]: () => [200, { object: { sha: "base" } }],
    [`GET ${REPO}/pulls?head=${encodeURIComponent(`Codertocat:${BRANCH}`)}&state=all&sort=created&direction=desc&per_page=1`]: () => [200, []],
    [`GET ${REPO}/git/ref/${enc(`heads/${BRANCH}`)}`]: () => [404, { message: "Not Found" }],
    [`POST ${REPO}/git/refs`]: () => [201, {}],
    [`GET ${REPO}/contents/${enc(PATH)}?ref=${encodeURIComponent(BRANCH)}`]: () => [404, { message: "Not Found" }],
    [`PUT ${REPO}/contents/${enc(PATH)}`]: () => [201, {}],
    [`POST ${REPO}/pulls`]: () => [201, { number: 9, html_url: "https://github.com/Codertocat/Hello-World/pull/9" }],
    [`POST ${REPO}/issues/1/comments`]: () => [201, { id: 2 }],
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      // GHE_HOST's API lives under /api/v3, its GraphQL at /api/graphql.
      const path = (req.url ?? "").replace(/^\/api\/v3/, "").replace(/^\/api\/graphql/, "/graphql");
      const key = `${req.method} ${path}`;
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      requests.push(key);
      bodies.set(key, body);
      // The App's installations (for the feed route), however the listing is paged: none.
      const route = routes[key] ?? (key.startsWith("GET /app/installations?") || key === "GET /app/installations" ? () => [200, []] as Answer : undefined);
      if (!route) unexpected.push(key);
      const [status, answer] = route ? route(body) : [404, { message: "Not Found" }];
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer ?? {}));
    });
  });
  return { server, requests, unexpected, bodies };
}

/** Resolves once `condition` holds, checking whenever the child or the fake says something. */
async function until(condition: () => boolean, child: ChildProcess, what: string): Promise<void> {
  while (!condition()) {
    if (child.exitCode !== null) throw new Error(`the server exited while waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("start-up loads only the wiring (lib/server.js)", () => {
  it("loads none of the heavy packages until an event needs them; /minutes still loads markdownlint and publishes", async ({ onTestFailed, onTestFinished }) => {
    const github = fakeGitHub();
    await new Promise<void>((resolve) => github.server.listen(0, "127.0.0.1", resolve));
    const work = mkdtempSync(join(tmpdir(), "wg-meetings-modules-"));
    const out = join(work, "modules.json");
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(process.execPath, ["--import", HOOK, join(ROOT, "lib/server.js")], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        APP_ID: "123",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_FORMAT: "json",
        LOG_LEVEL: "info",
        GHE_HOST: `127.0.0.1:${(github.server.address() as { port: number }).port}`,
        GHE_PROTOCOL: "http",
        WG_MEETINGS_TICK_INTERVAL: "off",
        LOADED_MODULES_OUT: out,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    onTestFailed(() => console.error(`lib/server.js printed:\n${output}\nGitHub saw:\n${github.requests.join("\n")}`));
    onTestFinished(() => {
      child.kill("SIGKILL");
      github.server.close();
      rmSync(work, { recursive: true, force: true });
    });

    const base = `http://127.0.0.1:${port}`;
    /** The files the server has loaded so far. */
    const loaded = async (): Promise<string[]> => {
      rmSync(out, { force: true });
      child.kill("SIGUSR2");
      await until(() => existsSync(out) && readFileSync(out, "utf8").endsWith("}"), child, "the module list");
      return (JSON.parse(readFileSync(out, "utf8")) as { files: string[] }).files;
    };
    const packages = (files: string[]) => HEAVY.filter((name) => files.some((file) => file.includes(`/node_modules/${name}`)));
    const appModules = (files: string[]) => LAZY_APP.filter((name) => files.includes(join(ROOT, "lib", name)));
    const deliver = async (body: string) => {
      const response = await fetch(`${base}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "issue_comment",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      return response.status;
    };
    const comment = (text: string) => {
      const payload = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
      payload.comment.body = text;
      payload.issue.body = `## Time\n\n…\n\n<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2026-12-02","doc":null} -->\n`;
      payload.issue.user.login = "wg-meetings[bot]";
      payload.issue.user.type = "Bot";
      return JSON.stringify(payload);
    };

    // Up: wait for the first /ping, however long starting takes.
    await until(() => output.includes("Listening on"), child, "the server to listen");
    expect(await (await fetch(`${base}/ping`)).text()).toBe("PONG");
    const atStart = await loaded();
    expect(packages(atStart), "heavy packages loaded at start-up").toEqual([]);
    expect(appModules(atStart), "App modules loaded at start-up that only some event needs").toEqual([]);
    // The hook works: Probot and the wiring are in the list.
    expect(atStart).toContain(join(ROOT, "lib/index.js"));
    expect(atStart.some((file) => file.includes("/node_modules/probot/"))).toBe(true);

    // A comment that is no command: the command code loads, the minutes' markdownlint does not,
    // and GitHub is not asked anything.
    expect(await deliver(comment("Thanks, see you next week!"))).toBe(200);
    const afterComment = await loaded();
    expect(appModules(afterComment)).toContain("meetings/chair-command.js");
    expect(packages(afterComment)).not.toContain("markdownlint");
    expect(appModules(afterComment)).not.toContain("meetings/publish-minutes.js");
    expect(github.requests).toEqual([]);

    // The calendar feed's route loads on its first request: the App lists its installations
    // (none), so the feed is the route's one 404.
    const feed = await fetch(`${base}/meetings/Codertocat/Hello-World/hello.ics`);
    expect(feed.status).toBe(404);
    expect(feed.headers.get("cache-control")).toBe("public, max-age=300");
    expect(appModules(await loaded())).toContain("http/feed-route.js");
    expect(github.unexpected).toEqual([]);
    github.requests.length = 0;

    // /minutes by a chair: publish-minutes (and markdownlint) load, and the minutes are published.
    expect(await deliver(comment("Thanks all!\n/minutes"))).toBe(200);
    await until(() => github.requests.filter((key) => key === `POST ${REPO}/issues/comments/${COMMENT}/reactions`).length === 2, child, "the final reaction");
    const afterMinutes = await loaded();
    expect(packages(afterMinutes)).toContain("markdownlint");
    expect(appModules(afterMinutes)).toContain("meetings/publish-minutes.js");
    expect(github.unexpected).toEqual([]);
    const put = github.bodies.get(`PUT ${REPO}/contents/${enc(PATH)}`) as { content: string; branch: string };
    expect(put.branch).toBe(BRANCH);
    expect(Buffer.from(put.content, "base64").toString("utf8")).toMatch(/^# Acme Hello team Meeting 2026-12-02\n/);
    expect(github.bodies.get(`POST ${REPO}/pulls`)).toMatchObject({ head: BRANCH, base: "master" });
    expect(String(github.bodies.get(`POST ${REPO}/issues/1/comments`)?.body)).toContain("I opened #9");
    expect(github.bodies.get(`POST ${REPO}/issues/comments/${COMMENT}/reactions`)).toEqual({ content: "rocket" });
  });
});
