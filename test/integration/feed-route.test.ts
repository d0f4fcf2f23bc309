import { request as httpRequest, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import ICAL from "ical.js";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRepoLookup, type FeedLookup, type FeedRepo, type KnownRepo } from "../../src/calendar-feed/lookup-repo.js";
import { parseConfigText } from "../../src/config/load-config.js";
import type { MeetingsConfig } from "../../src/config/schema.js";
import { createFeedRoute, type FeedRouteOptions, parseFeedPath } from "../../src/http/feed-route.js";
import { formatMarker } from "../../src/state/meeting-marker.js";
import { FeedFetchError } from "../../src/schedule/fetch-feed.js";
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

/** A response without what differs between any two responses (the date). */
const comparable = (res: RawResponse) => ({ status: res.status, body: res.body, headers: { ...res.headers, date: undefined } });

const known = (fullName: string, extra: Partial<KnownRepo> = {}): KnownRepo => ({ fullName, installationId: 77, private: false, ...extra });
const publicRepo = (extra: Partial<FeedRepo> = {}): FeedRepo => ({ config: config(), fullName: "nodejs/security-wg", ...extra });

/**
 * A lookup that counts its upstream work: `listRepos` answers `repos`, `loadRepo` the config
 * `configs` has for the repository (a function is called each time).
 */
function countingLookup(repos: KnownRepo[], configs: Record<string, FeedRepo | null | (() => Promise<FeedRepo | null>)>) {
  const listRepos = vi.fn(async () => repos);
  const loadRepo = vi.fn(async (repo: KnownRepo) => {
    const found = configs[repo.fullName];
    return typeof found === "function" ? found() : (found ?? null);
  });
  return { listRepos, loadRepo };
}

const standard = () =>
  countingLookup([known("nodejs/security-wg"), known("nodejs/secret", { private: true }), known("nodejs/empty")], {
    "nodejs/security-wg": publicRepo(),
    "nodejs/secret": { config: config(), fullName: "nodejs/secret" },
  });

function route(lookup: FeedLookup, extra: Partial<FeedRouteOptions> = {}) {
  const { log } = memoryLogger();
  return createFeedRoute({ lookup, io: noIo, now: () => NOW, log, ...extra });
}

describe("GET /meetings/<owner>/<repo>/<series>.ics", () => {
  it("serves a public repository's series as an iCalendar feed", async () => {
    const lookup = standard();
    const base = await serve(route(lookup));
    const res = await raw(base, FEED);

    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/calendar; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("public, max-age=900");
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.body));
    expect(lookup.loadRepo).toHaveBeenCalledWith(known("nodejs/security-wg"));

    const calendar = new ICAL.Component(ICAL.parse(res.body));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Node.js Security team meetings");
    expect(events[0]!.summary).toBe("Node.js Security team Meeting 2024-03-07");
    expect(events[0]!.startDate.toJSDate().toISOString()).toBe("2024-03-07T15:00:00.000Z");
    expect(events[0]!.uid).toBe("security-wg-20240307T150000Z.nodejs.security-wg@wg-meetings");
  });

  it("answers HEAD with the headers only, and If-None-Match with 304", async () => {
    const base = await serve(route(standard()));
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
    const base = await serve(route(countingLookup([known("nodejs/security-wg")], { "nodejs/security-wg": publicRepo({ meetingIssues: issues }) })));
    const body = (await raw(base, FEED)).body.replace(/\r\n /g, "");
    expect(body).toContain("URL;VALUE=URI:https://github.com/nodejs/security-wg/issues/42\r\n");
    expect(body).not.toContain("issues/43");

    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const failing = countingLookup([known("nodejs/security-wg")], { "nodejs/security-wg": publicRepo({ meetingIssues: () => Promise.reject(new Error("rate limited")) }) });
    expect((await raw(await serve(route(failing)), FEED)).status).toBe(200);
  });

  it("gives the same 404 for a private repository, an unknown repository or series, and a malformed path", async () => {
    const lookup = standard();
    const base = await serve(route(lookup));
    const paths = [
      "/meetings/nodejs/secret/security-wg.ics",
      "/meetings/nodejs/unknown/security-wg.ics",
      "/meetings/nodejs/empty/security-wg.ics",
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
    const reference = comparable(answers[0]!);
    expect(reference.status).toBe(404);
    for (const [index, answer] of answers.entries()) {
      expect({ path: paths[index], ...comparable(answer) }).toEqual({ path: paths[index], ...reference });
    }
    // The private repository's config was never read.
    expect(lookup.loadRepo.mock.calls.map(([repo]) => repo.fullName).sort()).toEqual(["nodejs/empty", "nodejs/security-wg"]);
  });

  it("only answers GET and HEAD, and leaves other paths to other handlers", async () => {
    const lookup = standard();
    const base = await serve(route(lookup));
    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await raw(base, FEED, { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("GET, HEAD");
    }
    expect(lookup.listRepos).not.toHaveBeenCalled();
    const elsewhere = await raw(base, "/meetingsx/nodejs/security-wg/security-wg.ics");
    expect(elsewhere.headers["x-unclaimed"]).toBe("1");
    expect((await raw(base, "/api/github/webhooks", { method: "POST" })).headers["x-unclaimed"]).toBe("1");
  });

  it("answers 502 (never cached by clients) when GitHub fails, keeps the failure for failureMs, and serves 200 after", async () => {
    let at = NOW.getTime();
    let down = true;
    const lookup = countingLookup([known("nodejs/security-wg")], {
      "nodejs/security-wg": () => (down ? Promise.reject(Object.assign(new Error("boom"), { status: 500 })) : Promise.resolve(publicRepo())),
    });
    const base = await serve(route(lookup, { now: () => new Date(at), failureMs: 60_000 }));
    const res = await raw(base, FEED);
    expect(res.status).toBe(502);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["retry-after"]).toBe("60");
    down = false;
    expect((await raw(base, FEED)).status).toBe(502); // still within failureMs: not asked again
    expect(lookup.loadRepo).toHaveBeenCalledTimes(1);
    at += 60_000;
    expect((await raw(base, FEED)).status).toBe(200);
    expect(lookup.loadRepo).toHaveBeenCalledTimes(2);
  });

  it("reuses the listing, a config (or its absence) and a built feed for cacheMs", async () => {
    const lookup = standard();
    const base = await serve(route(lookup, { cacheMs: 60_000 }));
    await raw(base, FEED);
    await raw(base, FEED);
    await raw(base, "/meetings/NodeJS/Security-WG/no-such.ics");
    await raw(base, "/meetings/nodejs/empty/security-wg.ics");
    await raw(base, "/meetings/nodejs/empty/other.ics");
    await raw(base, "/meetings/nodejs/secret/security-wg.ics");
    expect(lookup.listRepos).toHaveBeenCalledTimes(1);
    expect(lookup.loadRepo).toHaveBeenCalledTimes(2); // security-wg and empty, once each
  });

  it("refreshes the listing after directoryMs, answering from the old one meanwhile; a repository made private drops out", async () => {
    let at = NOW.getTime();
    const repos = [known("nodejs/security-wg")];
    const lookup = countingLookup(repos, { "nodejs/security-wg": publicRepo() });
    const base = await serve(route(lookup, { now: () => new Date(at), directoryMs: 300_000, cacheMs: 0 }));
    expect((await raw(base, FEED)).status).toBe(200);
    at += 300_000;
    repos[0] = known("nodejs/security-wg", { private: true });
    expect((await raw(base, FEED)).status).toBe(200); // answered from the listing it had
    expect(lookup.listRepos).toHaveBeenCalledTimes(2); // …while the next one was made
    await lookup.listRepos.mock.results[1]!.value;
    expect((await raw(base, FEED)).status).toBe(404);
    expect(lookup.listRepos).toHaveBeenCalledTimes(2);
  });

  it("answers 502 while the App's repositories cannot be listed at all, asking GitHub at most once per failureMs", async () => {
    let at = NOW.getTime();
    const lookup = standard();
    lookup.listRepos.mockRejectedValueOnce(Object.assign(new Error("down"), { status: 503 }));
    const base = await serve(route(lookup, { now: () => new Date(at) }));
    for (const path of [FEED, "/meetings/nodejs/secret/security-wg.ics", "/meetings/x/y/z.ics"]) expect((await raw(base, path)).status).toBe(502);
    expect(lookup.listRepos).toHaveBeenCalledTimes(1);
    at += 60_000;
    expect((await raw(base, FEED)).status).toBe(200);
    expect(lookup.listRepos).toHaveBeenCalledTimes(2);
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

describe("the feed route under a hostile client (finding 4)", () => {
  const ICAL_YAML = `
meetings:
  - id: triage
    name: Triage
    host: Node.js
    schedule:
      ical:
        url: https://calendar.example.org/secret-key-123/basic.ics
        summary: Triage
    agenda:
      label: triage-agenda
      orgs: [nodejs]
`;
  const icalRepo = (): FeedRepo => {
    const parsed = parseConfigText(ICAL_YAML, ".github/meetings.yml");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return { config: parsed.config, fullName: "nodejs/triage" };
  };
  const TRIAGE = "/meetings/nodejs/triage/triage.ics";
  const lookup = () => countingLookup([known("nodejs/triage")], { "nodejs/triage": icalRepo() });

  it("a feed that cannot be fetched, requested 10 times, is fetched once within failureMs", async () => {
    let at = NOW.getTime();
    const fetchText = vi.fn(async () => {
      throw new FeedFetchError("calendar.example.org", "it answered HTTP 500", "calendar.example.org answered HTTP 500", true);
    });
    const { log, lines } = memoryLogger();
    const base = await serve(createFeedRoute({ lookup: lookup(), io: { ...noIo, fetchText }, now: () => new Date(at), log }));
    for (let i = 0; i < 10; i++) expect((await raw(base, TRIAGE)).status).toBe(502);
    expect(fetchText).toHaveBeenCalledTimes(1);
    expect(lines.filter((line) => line.msg === "calendar feed failed")).toHaveLength(10);
    expect(JSON.stringify(lines)).not.toContain("secret-key-123");
    at += 60_000;
    await raw(base, TRIAGE);
    expect(fetchText).toHaveBeenCalledTimes(2);
  });

  it("a feed over its expansion budget is refused (502) and not expanded again for every request", async () => {
    const runaway = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      ...Array.from({ length: 20 }, (_, i) => ["BEGIN:VEVENT", `UID:d${i}@x`, "SUMMARY:Triage", "DTSTART:19000101T100000Z", "RRULE:FREQ=DAILY;COUNT=99999", "END:VEVENT"]).flat(),
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const fetchText = vi.fn(async () => runaway);
    const { log, lines } = memoryLogger();
    const io = { ...noIo, fetchText, limits: { maxInstances: 1000, clock: () => 0 } };
    const base = await serve(createFeedRoute({ lookup: lookup(), io, now: () => NOW, log }));
    for (let i = 0; i < 10; i++) expect((await raw(base, TRIAGE)).status).toBe(502);
    expect(fetchText).toHaveBeenCalledTimes(1);
    expect(lines.find((line) => line.msg === "calendar feed failed")?.err).toMatch(
      /^the iCalendar feed from calendar\.example\.org has too many occurrences: its events start more than 1000 times/,
    );
  });

  it("public repositories without a config, however many, never evict a real feed or its config", async () => {
    const empties = Array.from({ length: 1500 }, (_, i) => known(`nodejs/empty-${i}`));
    const lookup = countingLookup([known("nodejs/security-wg"), ...empties], { "nodejs/security-wg": publicRepo() });
    const base = await serve(route(lookup));
    const real = await raw(base, FEED);
    for (let i = 0; i < empties.length; i += 100) {
      const batch = empties.slice(i, i + 100).map((repo) => raw(base, `/meetings/${repo.fullName}/security-wg.ics`));
      for (const res of await Promise.all(batch)) expect(res.status).toBe(404);
    }
    expect(lookup.loadRepo).toHaveBeenCalledTimes(1 + empties.length);
    const again = await raw(base, FEED);
    expect(again.status).toBe(200);
    expect(again.headers.etag).toBe(real.headers.etag);
    expect(lookup.loadRepo).toHaveBeenCalledTimes(1 + empties.length); // the real config and feed came from memory
    expect(lookup.listRepos).toHaveBeenCalledTimes(1);
  });

  it("runs at most maxConcurrent builds at once, whatever the number of requests", async () => {
    const feeds = ["a", "b", "c"].map((id) => ({ ...icalRepo().config.meetings[0]!, id }));
    const repo: FeedRepo = { config: { ...icalRepo().config, meetings: feeds }, fullName: "nodejs/triage" };
    const pending: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const fetchText = vi.fn(
      () =>
        new Promise<string>((resolve) => {
          running++;
          most = Math.max(most, running);
          pending.push(() => {
            running--;
            resolve("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n");
          });
        }),
    );
    const base = await serve(route(countingLookup([known("nodejs/triage")], { "nodejs/triage": repo }), { io: { ...noIo, fetchText }, maxConcurrent: 1 }));
    const answers = Promise.all(["a", "b", "c", "a", "b", "c"].map((id) => raw(base, `/meetings/nodejs/triage/${id}.ics`)));
    for (let done = 0; done < 3; done++) {
      await vi.waitFor(() => expect(pending.length).toBe(1), { timeout: 60_000 });
      pending.shift()!();
    }
    expect((await answers).map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(most).toBe(1);
    expect(fetchText).toHaveBeenCalledTimes(3);
  });
});

describe("createRepoLookup (Probot)", () => {
  const REPO = "nodejs/security-wg";
  const contents = () => ({ type: "file", encoding: "base64", content: Buffer.from(CONFIG_YAML).toString("base64") });

  async function lookupWithProbot() {
    const { probot } = await createTestProbot();
    return createRepoLookup({ auth: (id?: number) => probot.auth(id) });
  }

  /** Every request nock saw, matched or not. */
  function countRequests() {
    const seen: string[] = [];
    const onRequest = (req: { method?: string; path?: string }) => seen.push(`${req.method} ${req.path}`);
    // The test's own loopback requests to the route pass through nock too: only GitHub's count.
    // nock hands over request options, or (for a host it has interceptors for) the request itself.
    const onNoMatch = (req: { method?: string; hostname?: string; path?: string; options?: { hostname?: string; host?: string } }) => {
      const host = req.hostname ?? req.options?.hostname ?? req.options?.host ?? "";
      if (host.startsWith(new URL(API).hostname)) seen.push(`unmatched ${req.method} ${req.path}`);
    };
    nock.emitter.on("no match", onNoMatch);
    return {
      seen,
      watch: (scope: nock.Scope) => scope.on("request", onRequest),
      stop: () => nock.emitter.removeListener("no match", onNoMatch),
    };
  }

  /** The installations and what they list: nodejs (public security-wg, private embargo, internal tools), and acme. */
  function installations(scope: nock.Scope) {
    scope.get("/app/installations").query(true).reply(200, [
      { id: 77, account: { login: "nodejs" }, suspended_at: null },
      { id: 78, account: { login: "acme" }, suspended_at: null },
      { id: 79, account: { login: "paused" }, suspended_at: "2024-01-01T00:00:00Z" },
    ]);
    mockToken(scope, 77)
      .get("/installation/repositories")
      // The installations are listed at the same time: each list answers its own token only.
      .matchHeader("authorization", /ghs_test_77$/)
      .query(true)
      .reply(200, {
        total_count: 3,
        repositories: [
          installedRepo(REPO, { visibility: "public", html_url: `https://github.com/${REPO}` }),
          installedRepo("nodejs/embargo", { private: true, visibility: "private" }),
          installedRepo("nodejs/tools", { private: false, visibility: "internal" }),
        ],
      });
    mockToken(scope, 78)
      .get("/installation/repositories")
      // The installations are listed at the same time: each list answers its own token only.
      .matchHeader("authorization", /ghs_test_78$/)
      .query(true)
      .reply(200, { total_count: 1, repositories: [installedRepo("acme/tsc", { visibility: "public" })] });
    return scope;
  }

  it("lists every active installation's repositories with their visibility, then loads a public one's config and meeting issues", async () => {
    const marker = formatMarker({ v: 1, series: "security-wg", at: "2024-05-30T14:00:00.000Z", date: "2024-05-30", doc: null });
    const cancelled = formatMarker({ v: 1, series: "security-wg", at: "2024-06-06T14:00:00.000Z", date: "2024-06-06", doc: null, cancelled: true });
    const scope = installations(nock(API)).get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, contents());
    mockApp(scope)
      .get(`/repos/${REPO}/issues`)
      .query((q) => q.creator === "wg-meetings[bot]" && q.state === "all")
      .reply(200, [
        issueJson(REPO, 43, { title: "[Cancelled] Node.js Security team Meeting 2024-06-06", body: `Off\n\n${cancelled}\n`, state: "closed" }),
        issueJson(REPO, 42, { title: "Node.js Security team Meeting 2024-05-30", body: `Agenda\n\n${marker}\n` }),
      ]);

    const lookup = await lookupWithProbot();
    const { log } = memoryLogger();
    const base = await serve(createFeedRoute({ lookup, io: noIo, now: () => NOW, log }));
    const res = await raw(base, FEED);

    expect(res.status).toBe(200);
    const body = res.body.replace(/\r\n /g, "");
    expect(body).toContain("URL;VALUE=URI:https://github.com/nodejs/security-wg/issues/42\r\n");
    expect(body).toContain("SUMMARY:[Cancelled] Node.js Security team Meeting 2024-06-06\r\n");
    expect(body).toContain("STATUS:CANCELLED\r\n");
    expect(scope.isDone()).toBe(true);
  });

  it("marks private and internal repositories, leaves suspended installations out, and never reads a private config", async () => {
    const scope = installations(nock(API));
    const lookup = await lookupWithProbot();
    const repos = await lookup.listRepos();
    expect(scope.isDone()).toBe(true);
    expect(repos).toEqual([
      { fullName: REPO, installationId: 77, private: false, htmlUrl: `https://github.com/${REPO}` },
      { fullName: "nodejs/embargo", installationId: 77, private: true },
      { fullName: "nodejs/tools", installationId: 77, private: true },
      { fullName: "acme/tsc", installationId: 78, private: false },
    ]);
    expect(await lookup.loadRepo(repos[1]!)).toBeNull(); // no request: nock would refuse it
  });

  it("is null without a config, or when the repository went away since the listing; throws on other failures", async () => {
    const scope = nock(API);
    mockToken(scope, 77)
      .get("/repos/nodejs/empty/contents/.github%2Fmeetings.yml")
      .reply(404, { message: "Not Found" })
      .get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`)
      .reply(500, { message: "Server Error" });
    const lookup = await lookupWithProbot();
    expect(await lookup.loadRepo({ fullName: "nodejs/empty", installationId: 77, private: false })).toBeNull();
    await expect(lookup.loadRepo({ fullName: REPO, installationId: 77, private: false })).rejects.toMatchObject({ status: 500 });
    expect(scope.isDone()).toBe(true);
  });

  it("1,100 unique unknown paths cost no GitHub request, and the real feed is still served from cache after them", async () => {
    const requests = countRequests();
    try {
      const scope = requests.watch(installations(nock(API)).get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, contents()));
      mockApp(scope).get(`/repos/${REPO}/issues`).query(true).reply(200, []);
      const base = await serve(createFeedRoute({ lookup: await lookupWithProbot(), io: noIo, now: () => NOW, log: memoryLogger().log }));

      const real = await raw(base, FEED);
      expect(real.status).toBe(200);
      expect(scope.isDone()).toBe(true);
      const forTheRealFeed = requests.seen.length;
      expect(forTheRealFeed).toBe(8); // installations, 2 × (token + repositories), config, GET /app, issues

      // Made-up owners, made-up repositories of a real owner, and made-up series of the real repository.
      for (let i = 0; i < 1100; i += 50) {
        const batch = Array.from({ length: 50 }, (_, j) => {
          const n = i + j;
          return n % 3 === 0 ? `/meetings/nobody-${n}/repo/s.ics` : n % 3 === 1 ? `/meetings/nodejs/repo-${n}/s.ics` : `/meetings/nodejs/security-wg/s-${n}.ics`;
        });
        for (const res of await Promise.all(batch.map((path) => raw(base, path)))) expect(res.status).toBe(404);
      }
      expect(requests.seen.slice(forTheRealFeed)).toEqual([]);

      const again = await raw(base, FEED);
      expect(again.status).toBe(200);
      expect(again.headers.etag).toBe(real.headers.etag);
      expect(requests.seen).toHaveLength(forTheRealFeed);
    } finally {
      requests.stop();
    }
  });

  it("answers a private and a missing repository identically, with the same number of GitHub requests (none)", async () => {
    const requests = countRequests();
    try {
      requests.watch(installations(nock(API)));
      const base = await serve(createFeedRoute({ lookup: await lookupWithProbot(), io: noIo, now: () => NOW, log: memoryLogger().log }));
      // The first request of all lists the installations, whatever it asks for.
      await raw(base, "/meetings/someone/else/warm-up.ics");
      const listing = requests.seen.length;
      expect(listing).toBe(5);

      const cases = {
        private: "/meetings/nodejs/embargo/security-wg.ics",
        internal: "/meetings/nodejs/tools/security-wg.ics",
        missing: "/meetings/nodejs/no-such-repo/security-wg.ics",
        "not installed": "/meetings/someone/else/security-wg.ics",
        suspended: "/meetings/paused/repo/security-wg.ics",
      };
      const costs: Record<string, number> = {};
      const answers: Record<string, ReturnType<typeof comparable>> = {};
      for (const [name, path] of Object.entries(cases)) {
        const before = requests.seen.length;
        answers[name] = comparable(await raw(base, path));
        costs[name] = requests.seen.length - before;
      }
      expect(costs).toEqual({ private: 0, internal: 0, missing: 0, "not installed": 0, suspended: 0 });
      for (const answer of Object.values(answers)) expect(answer).toEqual(answers.missing);
      expect(answers.missing!.status).toBe(404);
    } finally {
      requests.stop();
    }
  });
});
