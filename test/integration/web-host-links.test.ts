import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { syncAlarms, type SeriesFailure } from "../../src/alarms/sync.js";
import { createRepoLookup } from "../../src/calendar-feed/lookup-repo.js";
import { seriesFeed } from "../../src/calendar-feed/series-feed.js";
import { feedOccurrences } from "../../src/calendar-feed/feed-window.js";
import { parseConfigText } from "../../src/config/load-config.js";
import { main } from "../../src/cli.js";
import type { GitHub } from "../../src/github/client.js";
import { appIssues } from "../../src/github/alarm-issues.js";
import { gitHubWebUrl } from "../../src/github/web-host.js";
import { closeMeetingOnMerge } from "../../src/meetings/close-meeting.js";
import { formatMarker } from "../../src/state/meeting-marker.js";
import { scheduleFromConfig } from "../../src/schedule/occurrences.js";
import { memoryLogger, privateKey } from "../helpers/probot.js";

/**
 * Every link the App writes names the web host of the GitHub it works with. Here that is a
 * GitHub Enterprise Server: Probot's API at `<host>/api/v3` (what GHE_HOST sets up), links at
 * `<host>/…`, and github.com nowhere.
 */
const GHE = "https://ghe.example.test";
const GHE_API = `${GHE}/api/v3`;
const REPO = "acme/tsc";
const BASE = "/api/v3/repos/acme/tsc";
const BOT = "wg-meetings[bot]";
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
const NOW = new Date("2026-11-30T17:00:00Z");

/** A Probot configured for the GitHub Enterprise Server exactly as GHE_HOST=ghe.example.test does. */
function gheProbot(): Probot {
  return new Probot({
    appId: 123,
    privateKey,
    baseUrl: GHE_API,
    log: memoryLogger().log,
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
}

function token(scope: nock.Scope, installationId: number): nock.Scope {
  return scope
    .post(`/api/v3/app/installations/${installationId}/access_tokens`)
    .reply(201, { token: `ghs_test_${installationId}`, expires_at: "2099-01-01T00:00:00Z" });
}

function listing(scope: nock.Scope, issues: object[]): nock.Scope {
  return scope
    .get(`${BASE}/issues`)
    .query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" })
    .reply(200, issues);
}

let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);
beforeEach(() => {
  unmatched = [];
  nock.emitter.on("no match", onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener("no match", onNoMatch);
});

describe("the web host GHE_HOST names", () => {
  it("is the one Probot's API client is pointed at", () => {
    const env = { GHE_HOST: "ghe.example.test" };
    expect(gitHubWebUrl(env)).toBe(GHE);
    // Probot's own rule for the API (read-env-options: `${GHE_PROTOCOL || "https"}://${GHE_HOST}/api/v3`).
    expect(`${gitHubWebUrl(env)}/api/v3`).toBe(GHE_API);
  });
});

describe("alarm issues on GitHub Enterprise Server", () => {
  let gh: GitHub;
  beforeEach(async () => {
    token(nock(GHE), 1);
    gh = await gheProbot().auth(1);
  });

  it("an invalid config opens an alarm whose links point at the file on the instance", async () => {
    const parsed = parseConfigText(CONFIG.replace("Europe/London", "Europe/Londn"));
    if (parsed.ok) throw new Error("expected errors");
    const scope = listing(nock(GHE), []);
    let created: { title: string; body: string } | undefined;
    scope.post(`${BASE}/issues`, (body) => ((created = body), true)).reply(201, { number: 50, html_url: `${GHE}/${REPO}/issues/50` });

    const alarms = await syncAlarms({
      gh,
      repository: REPO,
      defaultBranch: "main",
      webUrl: GHE,
      botLogin: BOT,
      now: NOW,
      log: memoryLogger().log,
      issues: appIssues(gh, { owner: "acme", repo: "tsc" }, BOT),
      config: { status: "invalid", errors: parsed.errors },
    });

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(alarms).toEqual([{ repository: REPO, scope: "config", action: "opened", number: 50 }]);
    const file = `${GHE}/acme/tsc/blob/main/.github/meetings.yml`;
    expect(created!.body).toContain(`### Cause\n\n[\`.github/meetings.yml\`](${file}) on \`main\` is not valid`);
    expect(created!.body).toContain(`[Line 8](${file}#L8), \`meetings[0].schedule.zone\`: unknown time zone "Europe/Londn"`);
    expect(created!.body).not.toContain("github.com");
  });

  it("a permission the instance refused points at the App's settings on the instance", async () => {
    const parsed = parseConfigText(CONFIG);
    if (!parsed.ok) throw new Error("expected a valid config");
    // The real error Octokit raises for GitHub Enterprise's 403 on the claim.
    nock(GHE).post(`${BASE}/git/refs`).reply(403, { message: "Resource not accessible by integration" });
    const error = await gh.rest.git.createRef({ owner: "acme", repo: "tsc", ref: "refs/wg-meetings/claims/tsc/x", sha: "c" }).catch((e: unknown) => e);
    const failures = new Map<string, SeriesFailure>([["tsc", { error, meetingStart: new Date("2026-12-02T16:00:00Z") }]]);

    const scope = listing(nock(GHE), []);
    let created: { title: string; body: string } | undefined;
    scope.post(`${BASE}/issues`, (body) => ((created = body), true)).reply(201, { number: 41, html_url: `${GHE}/${REPO}/issues/41` });

    const alarms = await syncAlarms({
      gh,
      repository: REPO,
      defaultBranch: "main",
      webUrl: GHE,
      botLogin: BOT,
      now: NOW,
      log: memoryLogger().log,
      issues: appIssues(gh, { owner: "acme", repo: "tsc" }, BOT),
      config: { status: "ok", config: parsed.config },
      outcomes: [{ series: "tsc", outcome: { action: "failed" } }],
      failures,
    });

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(alarms).toEqual([{ repository: REPO, scope: "series", series: "tsc", action: "opened", number: 41 }]);
    expect(created!.title).toBe("wg-meetings cannot open the tsc meeting");
    expect(created!.body).toContain("**Contents: Read and write**");
    expect(created!.body).toContain(`(${GHE}/organizations/acme/settings/installations, or ${GHE}/settings/installations for a personal account)`);
    expect(created!.body).not.toContain("github.com");
  });

  it("without a web host the links stay on github.com (the default)", async () => {
    const parsed = parseConfigText("meetings: 3\n");
    if (parsed.ok) throw new Error("expected errors");
    const scope = listing(nock(GHE), []);
    let created: { body: string } | undefined;
    scope.post(`${BASE}/issues`, (body) => ((created = body), true)).reply(201, { number: 52, html_url: `${GHE}/${REPO}/issues/52` });

    await syncAlarms({
      gh,
      repository: REPO,
      defaultBranch: "main",
      botLogin: BOT,
      now: NOW,
      log: memoryLogger().log,
      issues: appIssues(gh, { owner: "acme", repo: "tsc" }, BOT),
      config: { status: "invalid", errors: parsed.errors },
    });

    expect(scope.isDone()).toBe(true);
    expect(created!.body).toContain("(https://github.com/acme/tsc/blob/main/.github/meetings.yml)");
  });
});

describe("closing a meeting on GitHub Enterprise Server", () => {
  const marker = formatMarker({ v: 1, series: "tsc", at: "2026-12-02T16:00:00.000Z", date: "2026-12-02", doc: null });
  let gh: GitHub;
  beforeEach(async () => {
    token(nock(GHE), 1);
    gh = await gheProbot().auth(1);
  });

  /** The whole conversation of one merged minutes PR; returns the comment the App posted. */
  function conversation() {
    const scope = listing(nock(GHE), [
      { number: 7, html_url: `${GHE}/${REPO}/issues/7`, title: "Acme TSC Meeting 2026-12-02", body: `Agenda\n\n${marker}\n`, state: "open", user: { login: BOT, type: "Bot" } },
    ])
      .get(`${BASE}/contents/.github%2Fmeetings.yml`)
      .reply(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") })
      .get(`${BASE}/issues/7/comments`)
      .query(true)
      .reply(200, []);
    // The merge's claim (follow-up-claims.ts), taken before the comment and, with no follow-up here, deleted after the close.
    const claimRef = "wg-meetings/claims/follow-up/tsc/2026-12-02/c0ffee1";
    scope
      .get(`${BASE}/git/commits/c0ffee1`)
      .reply(200, { sha: "c0ffee1", tree: { sha: "tree9" } })
      .post(`${BASE}/git/commits`)
      .reply(201, { sha: "claim1" })
      .post(`${BASE}/git/refs`, { ref: `refs/${claimRef}`, sha: "claim1" })
      .reply(201, {})
      .delete(`${BASE}/git/refs/${encodeURIComponent(claimRef)}`)
      .reply(204);
    const posted: { body?: string } = {};
    scope
      .post(`${BASE}/issues/7/comments`, (body) => ((posted.body = body.body), true))
      .reply(201, { id: 1 })
      .patch(`${BASE}/issues/7`, { state: "closed", state_reason: "completed" })
      .reply(200, {});
    return { scope, posted };
  }

  const pull = (url: string) => ({ number: 9, url, merged: true, headRef: "wg-meetings/minutes-tsc-2026-12-02", mergeCommitSha: "c0ffee1" });
  const repo = { owner: "acme", repo: "tsc" };
  const file = "meetings/2026-12-02.md";

  it("links the merged file under the PR's own URL, as GitHub returned it", async () => {
    const { scope, posted } = conversation();
    const outcome = await closeMeetingOnMerge(gh, repo, pull(`${GHE}/${REPO}/pull/9`), BOT, memoryLogger().log, GHE);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(outcome).toEqual({ closed: true, issue: 7, alreadyClosed: false });
    expect(posted.body).toContain(`[\`${file}\`](${GHE}/${REPO}/blob/c0ffee1/${file}) (#9)`);
  });

  it("falls back to the instance's web host when the PR's URL cannot be read", async () => {
    const { scope, posted } = conversation();
    await closeMeetingOnMerge(gh, repo, pull("not a pull request URL"), BOT, memoryLogger().log, GHE);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(posted.body).toContain(`[\`${file}\`](${GHE}/${REPO}/blob/c0ffee1/${file}) (#9)`);
    expect(posted.body).not.toContain("github.com");
  });

  it("and to github.com when no web host is given", async () => {
    const { scope, posted } = conversation();
    await closeMeetingOnMerge(gh, repo, pull("not a pull request URL"), BOT, memoryLogger().log);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(posted.body).toContain(`[\`${file}\`](https://github.com/${REPO}/blob/c0ffee1/${file}) (#9)`);
  });
});

describe("calendar feeds on GitHub Enterprise Server", () => {
  it("the lookup keeps the repository's html_url, and the feed links the instance", async () => {
    const scope = nock(GHE)
      .get("/api/v3/app/installations")
      .query(true)
      .reply(200, [{ id: 77, account: { login: "acme" }, suspended_at: null }]);
    token(scope, 77)
      .get("/api/v3/installation/repositories")
      .query(true)
      .reply(200, {
        total_count: 1,
        repositories: [{ name: "tsc", full_name: REPO, owner: { login: "acme" }, private: false, visibility: "public", html_url: `${GHE}/${REPO}` }],
      })
      .get(`${BASE}/contents/.github%2Fmeetings.yml`)
      .reply(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") });

    const probot = gheProbot();
    const lookup = createRepoLookup({ auth: (id?: number) => probot.auth(id), botLogin: async () => BOT });
    const known = (await lookup.listRepos()).find((repo) => repo.fullName === REPO);
    expect(known).toMatchObject({ private: false, htmlUrl: `${GHE}/${REPO}` });
    const found = await lookup.loadRepo(known!);
    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(found).toMatchObject({ fullName: REPO, htmlUrl: `${GHE}/${REPO}` });

    // What the feed route builds from it (feed-route passes `repoUrl: found.htmlUrl`).
    const series = found!.config.meetings[0]!;
    const noIo = { fetchText: () => Promise.reject(new Error("no I/O")), calendar: () => Promise.reject(new Error("no I/O")) };
    const occurrences = await feedOccurrences(scheduleFromConfig(series.schedule), noIo, NOW);
    const text = seriesFeed({ repo: { owner: "acme", repo: "tsc" }, repoUrl: found!.htmlUrl, series, occurrences, now: NOW }).replace(/\r\n /g, "");
    expect(text).toContain(`X-WR-CALDESC:Meetings of Acme Technical Steering Committee\\, from ${GHE}/${REPO} (wg-meetings)\r\n`);
    expect(text).toContain(`URL;VALUE=URI:${GHE}/${REPO}/issues?q=is%3Aissue%20in%3Atitle%20%22Acme%20Technical%20Steering%20Committee%20Meeting%202026-12-02%22\r\n`);
    expect(text).not.toContain("github.com");
  });
});

describe("wg-meetings action", () => {
  it("a GITHUB_SERVER_URL that is not a web address stops the run before any request, naming the variable", async () => {
    const err: string[] = [];
    const code = await main(["action"], {
      out: () => {},
      err: (text) => err.push(text),
      env: {
        GITHUB_EVENT_NAME: "schedule",
        GITHUB_EVENT_PATH: "/nonexistent/event.json",
        GITHUB_REPOSITORY: REPO,
        GITHUB_TOKEN: "ghs_workflow_token_1234",
        GITHUB_SERVER_URL: "ghe.example.test",
      },
    });
    expect(code).toBe(1);
    expect(err.join("")).toMatch(/^wg-meetings action: GITHUB_SERVER_URL: expected the GitHub server's web address/);
    expect(err.join("")).not.toContain("ghs_workflow_token_1234");
    expect(unmatched).toEqual([]);
  });
});
