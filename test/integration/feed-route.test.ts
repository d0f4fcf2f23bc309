import { request as httpRequest, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import ICAL from "ical.js";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRepoLookup, type FeedLookup, type FeedRepo } from "../../src/calendar-feed/lookup-repo.js";
import { parseConfigText } from "../../src/config/load-config.js";
import type { MeetingsConfig } from "../../src/config/schema.js";
import { createFeedRoute, parseFeedPath } from "../../src/http/feed-route.js";
import { formatMarker } from "../../src/meetings/marker.js";
import { API, installedRepo, issueJson, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot, memoryLogger } from "../helpers/probot.js";

const CONFIG_YAML = `
meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start: 2024-01-04T10:00
      zone: America/New_York
    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
`;

function config(): MeetingsConfig {
  const parsed = parseConfigText(CONFIG_YAML, ".github/meetings.yml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

const NOW = new Date("2024-06-01T12:00:00Z");
const FEED = "/meetings/nodejs/security-wg/security-wg.ics";
const noIo = { fetchText: () => Promise.reject(new Error("no I/O")), calendar: () => Promise.reject(new Error("no I/O")) };

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves one handler on a loopback port the test owns; requests it does not claim get a bare 404. */
async function serve(handler: ReturnType<typeof createFeedRoute>): Promise<string> {
  server = createServer(async (req, res) => {
    if (!(await handler(req, res))) res.writeHead(404, { "x-unclaimed": "1" }).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent exactly as written (fetch would resolve `..` before sending). */
function raw(base: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function route(lookup: FeedLookup, extra: { cacheMs?: number } = {}) {
  const { log } = memoryLogger();
  return createFeedRoute({ lookup, io: noIo, now: () => NOW, log, cacheMs: extra.cacheMs ?? 0 });
}

const publicRepo = (extra: Partial<FeedRepo> = {}): FeedRepo => ({ private: false, config: config(), fullName: "nodejs/security-wg", ...extra });

describe("GET /meetings/<owner>/<repo>/<series>.ics", () => {
  it("serves a public repository's series as an iCalendar feed", async () => {
    const lookup = vi.fn(async () => publicRepo());
    const base = await serve(route(lookup));
    const res = await raw(base, FEED);

    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/calendar; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("public, max-age=900");
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.body));
    expect(lookup).toHaveBeenCalledWith("nodejs", "security-wg");

    const calendar = new ICAL.Component(ICAL.parse(res.body));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Node.js Security team meetings");
    expect(events[0]!.summary).toBe("Node.js Security team Meeting 2024-03-07");
    expect(events[0]!.startDate.toJSDate().toISOString()).toBe("2024-03-07T15:00:00.000Z");
    expect(events[0]!.uid).toBe("security-wg-20240307T150000Z.nodejs.security-wg@wg-meetings");
  });

  it("answers HEAD with the headers only, and If-None-Match with 304", async () => {
    const base = await serve(route(async () => publicRepo()));
    const first = await raw(base, FEED);
    const head = await raw(base, FEED, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers.etag).toBe(first.headers.etag);
    expect(head.headers["content-length"]).toBe(first.headers["content-length"]);

    const etag = String(first.headers.etag);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const cached = await raw(base, FEED, { headers: { "if-none-match": header } });
      expect(cached.status).toBe(304);
      expect(cached.body).toBe("");
      expect(cached.headers.etag).toBe(etag);
    }
    expect((await raw(base, FEED, { headers: { "if-none-match": '"stale"' } })).status).toBe(200);
  });

  it("links each meeting's issue when the lookup lists them, and still serves the feed when listing fails", async () => {
    const issues = async () => [
      { series: "security-wg", at: "2024-05-30T14:00:00.000Z", url: "https://github.com/nodejs/security-wg/issues/42" },
      { series: "other", at: "2024-06-06T14:00:00.000Z", url: "https://github.com/nodejs/security-wg/issues/43" },
    ];
    const base = await serve(route(async () => publicRepo({ meetingIssues: issues })));
    const body = (await raw(base, FEED)).body.replace(/\r\n /g, "");
    expect(body).toContain("URL;VALUE=URI:https://github.com/nodejs/security-wg/issues/42\r\n");
    expect(body).not.toContain("issues/43");

    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const failing = await serve(route(async () => publicRepo({ meetingIssues: () => Promise.reject(new Error("rate limited")) })));
    expect((await raw(failing, FEED)).status).toBe(200);
  });

  it("gives the same 404 for a private repository, an unknown repository or series, and a malformed path", async () => {
    const lookup: FeedLookup = async (owner, repo) => {
      if (repo === "secret") return { private: true, config: config() };
      if (repo === "security-wg") return publicRepo();
      return null;
    };
    const base = await serve(route(lookup));
    const paths = [
      "/meetings/nodejs/secret/security-wg.ics",
      "/meetings/nodejs/unknown/security-wg.ics",
      "/meetings/nodejs/security-wg/no-such-series.ics",
      "/meetings/nodejs/security-wg/security-wg", // no .ics
      "/meetings/nodejs/security-wg/Security-WG.ics", // series ids are lowercase
      "/meetings/nodejs/../security-wg/security-wg.ics",
      "/meetings/nodejs/security-wg/../security-wg.ics",
      "/meetings/nodejs/../../etc/passwd",
      "/meetings/nodejs/%2E%2E/security-wg.ics",
      "/meetings/nodejs%2Fsecurity-wg/security-wg.ics",
      "/meetings/nodejs/security-wg%2Fsecurity-wg.ics",
      "/meetings/nodejs/../security-wg.ics",
      "/meetings/nodejs/./security-wg.ics",
      "/meetings/nodejs//security-wg.ics",
      "/meetings/nodejs/security-wg/security-wg.ics/extra",
      "/meetings/-nodejs/security-wg/security-wg.ics",
      "/meetings/nodejs/security%20wg/security-wg.ics",
      "/meetings/nodejs/security-wg/security-wg.ics%00",
      "/meetings/",
    ];
    const answers = await Promise.all(paths.map((path) => raw(base, path)));
    const reference = answers[0]!;
    expect(reference.status).toBe(404);
    for (const [index, answer] of answers.entries()) {
      expect({ path: paths[index], status: answer.status, body: answer.body }).toEqual({ path: paths[index], status: 404, body: reference.body });
      expect(answer.headers["content-type"]).toBe(reference.headers["content-type"]);
      expect(answer.headers["cache-control"]).toBe(reference.headers["cache-control"]);
      expect(answer.headers["x-unclaimed"]).toBeUndefined();
    }
  });

  it("only answers GET and HEAD, and leaves other paths to other handlers", async () => {
    const lookup = vi.fn(async () => publicRepo());
    const base = await serve(route(lookup));
    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await raw(base, FEED, { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("GET, HEAD");
    }
    expect(lookup).not.toHaveBeenCalled();
    const elsewhere = await raw(base, "/meetingsx/nodejs/security-wg/security-wg.ics");
    expect(elsewhere.headers["x-unclaimed"]).toBe("1");
    expect((await raw(base, "/api/github/webhooks", { method: "POST" })).headers["x-unclaimed"]).toBe("1");
  });

  it("answers 502 (never cached) when GitHub fails, and 200 once it is back", async () => {
    let down = true;
    const lookup = vi.fn(async () => (down ? Promise.reject(Object.assign(new Error("boom"), { status: 500 })) : publicRepo()));
    const base = await serve(route(lookup, { cacheMs: 60_000 }));
    const res = await raw(base, FEED);
    expect(res.status).toBe(502);
    expect(res.headers["cache-control"]).toBe("no-store");
    down = false;
    expect((await raw(base, FEED)).status).toBe(200);
  });

  it("reuses a lookup and a built feed for cacheMs, a refusal included", async () => {
    const lookup = vi.fn(async (_owner: string, repo: string) => (repo === "security-wg" ? publicRepo() : null));
    const base = await serve(route(lookup, { cacheMs: 60_000 }));
    await raw(base, FEED);
    await raw(base, FEED);
    await raw(base, "/meetings/NodeJS/Security-WG/no-such.ics");
    await raw(base, "/meetings/nodejs/private/security-wg.ics");
    await raw(base, "/meetings/nodejs/private/security-wg.ics");
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it("parses paths strictly", () => {
    expect(parseFeedPath("/meetings/nodejs/security-wg/security-wg.ics?x=1")).toEqual({ owner: "nodejs", repo: "security-wg", series: "security-wg" });
    expect(parseFeedPath("/meetings/o/.github/s.ics")).toEqual({ owner: "o", repo: ".github", series: "s" });
    expect(parseFeedPath("/meetings/o/../s.ics")).toBeNull();
    expect(parseFeedPath("/meetings/o/r r/s.ics")).toBeNull();
    expect(parseFeedPath("/meetings/o/r\\x/s.ics")).toBeNull();
    expect(parseFeedPath("/other")).toBe("other");
    expect(parseFeedPath(undefined)).toBe("other");
  });
});

describe("createRepoLookup (Probot)", () => {
  const REPO = "nodejs/security-wg";
  const contents = () => ({ type: "file", encoding: "base64", content: Buffer.from(CONFIG_YAML).toString("base64") });

  async function lookupWithProbot() {
    const { probot } = await createTestProbot();
    return createRepoLookup({ auth: (id?: number) => probot.auth(id) });
  }

  it("finds the installation, checks the repository is public, loads the config and lists the meeting issues", async () => {
    const marker = formatMarker({ v: 1, series: "security-wg", at: "2024-05-30T14:00:00.000Z", date: "2024-05-30", doc: null });
    const cancelled = formatMarker({ v: 1, series: "security-wg", at: "2024-06-06T14:00:00.000Z", date: "2024-06-06", doc: null, cancelled: true });
    const scope = nock(API)
      .get(`/repos/${REPO}/installation`)
      .reply(200, { id: 77, account: { login: "nodejs" }, suspended_at: null });
    mockToken(scope, 77)
      .get(`/repos/${REPO}`)
      .reply(200, installedRepo(REPO, { visibility: "public" }))
      .get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`)
      .reply(200, contents());
    mockApp(scope)
      .get(`/repos/${REPO}/issues`)
      .query((q) => q.creator === "wg-meetings[bot]" && q.state === "all")
      .reply(200, [
        issueJson(REPO, 43, { title: "[Cancelled] Node.js Security team Meeting 2024-06-06", body: `Off\n\n${cancelled}\n`, state: "closed" }),
        issueJson(REPO, 42, { title: "Node.js Security team Meeting 2024-05-30", body: `Agenda\n\n${marker}\n` }),
      ]);

    const lookup = await lookupWithProbot();
    const { log } = memoryLogger();
    const base = await serve(createFeedRoute({ lookup, io: noIo, now: () => NOW, log, cacheMs: 0 }));
    const res = await raw(base, FEED);

    expect(res.status).toBe(200);
    const body = res.body.replace(/\r\n /g, "");
    expect(body).toContain("URL;VALUE=URI:https://github.com/nodejs/security-wg/issues/42\r\n");
    expect(body).toContain("SUMMARY:[Cancelled] Node.js Security team Meeting 2024-06-06\r\n");
    expect(body).toContain("STATUS:CANCELLED\r\n");
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a private repository without reading its config", async () => {
    const scope = nock(API).get(`/repos/nodejs/embargo/installation`).reply(200, { id: 77, suspended_at: null });
    mockToken(scope, 77).get(`/repos/nodejs/embargo`).reply(200, installedRepo("nodejs/embargo", { private: true, visibility: "private" }));
    expect(await (await lookupWithProbot())("nodejs", "embargo")).toBeNull();
    expect(scope.isDone()).toBe(true);
  });

  it("refuses an internal repository", async () => {
    const scope = nock(API).get(`/repos/corp/tools/installation`).reply(200, { id: 77, suspended_at: null });
    mockToken(scope, 77).get(`/repos/corp/tools`).reply(200, installedRepo("corp/tools", { private: false, visibility: "internal" }));
    expect(await (await lookupWithProbot())("corp", "tools")).toBeNull();
  });

  it("is null when the App is not installed, the installation is suspended, or there is no config", async () => {
    nock(API).get(`/repos/someone/else/installation`).reply(404, { message: "Not Found" });
    nock(API).get(`/repos/nodejs/paused/installation`).reply(200, { id: 78, suspended_at: "2024-01-01T00:00:00Z" });
    const scope = nock(API).get(`/repos/nodejs/empty/installation`).reply(200, { id: 77, suspended_at: null });
    mockToken(scope, 77)
      .get(`/repos/nodejs/empty`)
      .reply(200, installedRepo("nodejs/empty"))
      .get(`/repos/nodejs/empty/contents/.github%2Fmeetings.yml`)
      .reply(404, { message: "Not Found" });
    const lookup = await lookupWithProbot();
    expect(await lookup("someone", "else")).toBeNull();
    expect(await lookup("nodejs", "paused")).toBeNull();
    expect(await lookup("nodejs", "empty")).toBeNull();
    expect(scope.isDone()).toBe(true);
  });

  it("throws on other GitHub failures (the route answers 502)", async () => {
    nock(API).get(`/repos/nodejs/security-wg/installation`).reply(500, { message: "Server Error" });
    await expect((await lookupWithProbot())("nodejs", "security-wg")).rejects.toMatchObject({ status: 500 });
  });
});
