import { readFileSync } from "node:fs";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import wgMeetings from "../../src/index.js";
import { runTick } from "../../src/meetings/tick.js";
import { installedRepo, operation } from "../helpers/github.js";
import { memoryLogger, privateKey } from "../helpers/probot.js";

/**
 * The App on a GitHub Enterprise Server, wired as in production: GHE_HOST names the instance,
 * Probot calls `<host>/api/v3`, and the links in what the tick writes (the meeting issue's
 * calendar event, an alarm) name the instance too — never github.com.
 */
const GHE = "https://ghe.example.test";
const GHE_API = `${GHE}/api/v3`;
const REPO = "acme/tsc";
const CONFIG = `meetings:
  - id: tsc
    name: Technical Steering Committee
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda:
      label: tsc-agenda
      orgs: [acme]
`;
/** Monday 2026-11-30 17:00 London: Wednesday's meeting (16:00 UTC) became due an hour ago. */
const NOW = new Date("2026-11-30T17:00:00Z");

function gheProbot(): Probot {
  return new Probot({
    appId: 123,
    privateKey,
    baseUrl: GHE_API,
    log: memoryLogger().log,
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
}

/** One installation with one configured repository, up to the listing of the App's issues. */
function discovery(scope: nock.Scope, config: string, installation = 1): nock.Scope {
  return scope
    .get("/api/v3/app")
    .reply(200, { id: 123, slug: "wg-meetings", name: "wg-meetings" })
    .post(`/api/v3/app/installations/${installation}/access_tokens`)
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
    .get("/api/v3/installation/repositories")
    .query({ per_page: "100" })
    .reply(200, { total_count: 1, repositories: [installedRepo(REPO)] })
    .post("/api/graphql", operation("DiscoverMeetingConfigs"))
    .reply(200, { data: { nodes: [{ nameWithOwner: REPO, config: { text: config } }] } })
    .get(`/api/v3/repos/${REPO}/issues`)
    .query({ creator: "wg-meetings[bot]", state: "all", sort: "created", direction: "desc", per_page: "100" })
    .reply(200, []);
}

/** Agenda, claim and creation of the meeting issue; returns what the App posted. */
function opening(scope: nock.Scope): { body?: string } {
  const created: { body?: string } = {};
  scope
    .post("/api/graphql", operation("AgendaSearch"))
    .reply(200, { data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } } })
    .get(`/api/v3/repos/${REPO}/branches/main`)
    .reply(200, { name: "main", commit: { sha: "head1", commit: { tree: { sha: "tree1" } } } })
    .post(`/api/v3/repos/${REPO}/git/commits`)
    .reply(201, { sha: "claim1" })
    .post(`/api/v3/repos/${REPO}/git/refs`)
    .reply(201, { ref: "refs/wg-meetings/claims/tsc/x", object: { sha: "claim1" } })
    .post(`/api/v3/repos/${REPO}/issues`, (body) => ((created.body = body.body), true))
    .reply(201, { number: 8, html_url: `${GHE}/${REPO}/issues/8` });
  return created;
}

/** Where the meeting issue's "add to calendar" event sends people. */
function calendarDetails(body: string): string | null {
  const link = /\((https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE[^)]*)\)/.exec(body)?.[1];
  return link ? new URL(link).searchParams.get("details") : null;
}

const SEARCH = `${GHE}/${REPO}/issues?q=is%3Aissue%20in%3Atitle%20%22Acme%20Technical%20Steering%20Committee%20Meeting%202026-12-02%22`;

let unmatched: string[];
const onNoMatch = (req: { method?: string; href?: string; path?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);
beforeEach(() => {
  unmatched = [];
  nock.emitter.on("no match", onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener("no match", onNoMatch);
});

describe("the tick on GitHub Enterprise Server", () => {
  it("opens the meeting issue with its calendar event linking the instance", async () => {
    const probot = gheProbot();
    const scope = discovery(nock(GHE), CONFIG);
    const created = opening(scope);

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log, webUrl: GHE }, { now: NOW, clock: () => NOW, installationId: 1 });

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(report.errors).toEqual([]);
    expect(calendarDetails(created.body!)).toBe(`Agenda and how to join: ${SEARCH}`);
    expect(created.body).not.toContain("github.com%2F");
  });

  it("opens an alarm for an invalid config linking the file on the instance", async () => {
    const probot = gheProbot();
    const scope = discovery(nock(GHE), CONFIG.replace("Europe/London", "Europe/Londn"));
    let alarm: { body: string } | undefined;
    scope.post(`/api/v3/repos/${REPO}/issues`, (body) => ((alarm = body), true)).reply(201, { number: 9, html_url: `${GHE}/${REPO}/issues/9` });

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log, webUrl: GHE }, { now: NOW, clock: () => NOW, installationId: 1 });

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(report.alarms).toEqual([{ repository: REPO, scope: "config", action: "opened", number: 9 }]);
    expect(alarm!.body).toContain(`[Line 8](${GHE}/${REPO}/blob/main/.github/meetings.yml#L8)`);
    expect(alarm!.body).not.toContain("github.com");
  });
});

describe("the App with GHE_HOST set", () => {
  const saved = { GHE_HOST: process.env.GHE_HOST, GHE_PROTOCOL: process.env.GHE_PROTOCOL };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("reads the web host once at load: an installation's first tick links the instance", async () => {
    process.env.GHE_HOST = "ghe.example.test";
    delete process.env.GHE_PROTOCOL;
    const probot = gheProbot();
    await probot.load(wgMeetings);
    const scope = discovery(nock(GHE), CONFIG, 957387);
    const created = opening(scope);

    const payload = JSON.parse(readFileSync(new URL("../fixtures/installation.created.json", import.meta.url), "utf8"));
    // The installation's tick runs at the clock's time: the Monday the meeting is due.
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    try {
      await probot.receive({ id: "1", name: "installation", payload });
    } finally {
      vi.useRealTimers();
    }

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(calendarDetails(created.body!)).toBe(`Agenda and how to join: ${SEARCH}`);
  });

  it("refuses to load with a GHE_HOST that is not a host name, naming the variable", async () => {
    process.env.GHE_HOST = "https://ghe.example.test";
    await expect(gheProbot().load(wgMeetings)).rejects.toThrow(/^GHE_HOST: expected the GitHub Enterprise Server's host name/);
  });
});
