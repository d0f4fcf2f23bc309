import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runTick } from "../../src/meetings/tick.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { API, installedRepo, issueJson, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

const CONFIG = `# the Node.js Security WG, as a repo would commit it
meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2022-07-21T10:00
      zone: America/New_York
    createBefore: P3D
    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
    timezones: nodejs
    issue:
      template: nodejs
      labels: [security-wg-meeting]
      invited: ["Security wg team: @nodejs/security-wg"]
`;

/** Monday 2024-10-21, one hour after the lead time of Thursday's 10:00 New York meeting began. */
const NOW = new Date("2024-10-21T15:00:00Z");
const MEETING_AT = "2024-10-24T14:00:00.000Z";

function searchReply(nodes: Array<{ repo: string; number: number; title: string; pr?: boolean }>) {
  return {
    data: {
      search: {
        issueCount: nodes.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: nodes.map((node) => ({
          __typename: node.pr ? "PullRequest" : "Issue",
          number: node.number,
          title: node.title,
          url: `https://github.com/${node.repo}/${node.pr ? "pull" : "issues"}/${node.number}`,
          repository: { nameWithOwner: node.repo, isPrivate: false },
        })),
      },
      rateLimit: { cost: 1, remaining: 4999 },
    },
  };
}

const AGENDA = [
  { repo: "nodejs/node", number: 54364, title: "src: add WDAC integration (Windows)", pr: true },
  { repo: "nodejs/security-wg", number: 1390, title: "[StepSecurity] Apply security best practices" },
];

describe("the tick opens the meeting issue", () => {
  let probot: Awaited<ReturnType<typeof createTestProbot>>["probot"];
  let logs: Awaited<ReturnType<typeof createTestProbot>>["logs"];

  beforeEach(async () => {
    ({ probot, logs } = await createTestProbot());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The conversation up to the point where the repo's config is known. */
  function discovery(scope: nock.Scope, configText = CONFIG) {
    mockApp(scope);
    scope.get("/app/installations").query({ per_page: "100" }).reply(200, [
      { id: 1, account: { login: "nodejs" }, suspended_at: null },
      { id: 2, account: { login: "sleepy" }, suspended_at: "2024-01-01T00:00:00Z" },
    ]);
    mockToken(scope, 1);
    scope
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, {
        total_count: 3,
        repositories: [
          installedRepo("nodejs/security-wg"),
          installedRepo("nodejs/node"),
          installedRepo("nodejs/old", { archived: true }),
        ],
      });
    const discover: Array<{ query: string; variables: Record<string, unknown> }> = [];
    scope.post("/graphql", operation("DiscoverMeetingConfigs", discover)).reply(200, {
      data: {
        nodes: [
          { nameWithOwner: "nodejs/security-wg", config: { text: configText } },
          { nameWithOwner: "nodejs/node", config: null },
        ],
      },
    });
    return discover;
  }

  it("gathers the agenda, claims the occurrence and creates one issue with the marker", async () => {
    const scope = nock(API);
    const discover = discovery(scope);
    scope
      .get("/repos/nodejs/security-wg/issues")
      .query({ creator: "wg-meetings[bot]", state: "all", sort: "created", direction: "desc", per_page: "100" })
      .reply(200, []);
    const searches: Array<{ query: string; variables: Record<string, unknown> }> = [];
    scope.post("/graphql", operation("AgendaSearch", searches)).reply(200, searchReply(AGENDA));
    scope
      .get("/repos/nodejs/security-wg/branches/main")
      .reply(200, { name: "main", commit: { sha: "head1", commit: { tree: { sha: "tree1" } } } });
    let claimCommit: Record<string, unknown> | undefined;
    scope
      .post("/repos/nodejs/security-wg/git/commits", (body) => ((claimCommit = body), true))
      .reply(201, { sha: "claim1" });
    let claimRef: Record<string, unknown> | undefined;
    scope
      .post("/repos/nodejs/security-wg/git/refs", (body) => ((claimRef = body), true))
      .reply(201, { ref: "refs/wg-meetings/claims/security-wg/20241024T1400Z", object: { sha: "claim1" } });
    let created: { title: string; body: string; labels: string[] } | undefined;
    scope
      .post("/repos/nodejs/security-wg/issues", (body) => ((created = body), true))
      .reply(201, { number: 1396, html_url: "https://github.com/nodejs/security-wg/issues/1396" });

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, clock: () => NOW });
    expect(scope.pendingMocks()).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(discover[0]!.variables).toEqual({
      ids: ["R_nodejs/security-wg", "R_nodejs/node"],
      expression: "HEAD:.github/meetings.yml",
    });
    expect(searches).toHaveLength(1);
    expect(searches[0]!.variables).toEqual({
      q: 'label:"security-wg-agenda" is:open org:nodejs is:public',
      first: 100,
      after: null,
    });
    expect(claimCommit).toEqual({
      message: expect.stringMatching(new RegExp(`^wg-meetings claim security-wg ${MEETING_AT} \\(run [0-9a-f]{8}\\)$`)),
      tree: "tree1",
      parents: [],
      author: { name: "wg-meetings", email: "wg-meetings@users.noreply.github.com", date: NOW.toISOString() },
    });
    expect(claimRef).toEqual({ ref: "refs/wg-meetings/claims/security-wg/20241024T140000Z", sha: "claim1" });

    expect(created!.title).toBe("Node.js Security team Meeting 2024-10-24");
    expect(created!.labels).toEqual(["security-wg-meeting"]);
    expect(created!.body).toContain("**UTC Thu 24-Oct-2024 14:00 (02:00 PM)**:");
    expect(created!.body).toContain("| Sydney        | Fri 25-Oct-2024 01:00 (01:00 AM) |");
    expect(created!.body).toContain(
      "### nodejs/node\n\n* src: add WDAC integration (Windows) [#54364](https://github.com/nodejs/node/pull/54364)",
    );
    expect(created!.body).toContain("\\[StepSecurity\\] Apply security best practices");
    expect(parseMarker(created!.body)).toEqual({
      v: 1,
      series: "security-wg",
      at: MEETING_AT,
      date: "2024-10-24",
      doc: null,
      zone: "America/New_York",
    });

    expect(report).toMatchObject({
      installations: 1,
      suspendedInstallations: 1,
      repositories: 3,
      configured: 1,
      errors: [],
      invalidConfigs: [],
    });
    expect(report.series).toEqual([
      {
        repository: "nodejs/security-wg",
        series: "security-wg",
        outcome: { action: "created", number: 1396, url: "https://github.com/nodejs/security-wg/issues/1396", closedPrevious: [] },
      },
    ]);
    expect(logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining(["tick started", "meeting due", "agenda gathered", "opened meeting issue", "tick finished"]),
    );
  });

  it("re-running finds the issue by its marker and writes nothing", async () => {
    const scope = nock(API);
    discovery(scope);
    const body = `## Time\n\n<!-- wg-meetings:meeting {"v":1,"series":"security-wg","at":"${MEETING_AT}","date":"2024-10-24","doc":null} -->`;
    scope
      .get("/repos/nodejs/security-wg/issues")
      .query(true)
      .reply(200, [issueJson("nodejs/security-wg", 1396, { title: "Node.js Security team Meeting 2024-10-24", body })]);
    // Until the meeting starts the agenda follows its label: one search, one read; this issue
    // has no agenda section (edited away), so nothing is written.
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));
    scope.get("/repos/nodejs/security-wg/issues/1396").reply(200, issueJson("nodejs/security-wg", 1396, { title: "t", body }));

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW });

    expect(scope.pendingMocks()).toEqual([]);
    expect(report.series[0]!.outcome).toEqual({
      action: "exists",
      number: 1396,
      url: "https://github.com/nodejs/security-wg/issues/1396",
      agenda: "skipped",
    });
  });

  it("ignores a marker pasted into an issue somebody else opened", async () => {
    const scope = nock(API);
    discovery(scope);
    // The listing is filtered by creator, so a human's issue never comes back; this proves the
    // filter is sent. (GitHub does the filtering; the reply is what it would return.)
    scope
      .get("/repos/nodejs/security-wg/issues")
      .query((query) => query.creator === "wg-meetings[bot]")
      .reply(200, []);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([]));
    scope.get("/repos/nodejs/security-wg/branches/main").reply(200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } });
    scope.post("/repos/nodejs/security-wg/git/commits").reply(201, { sha: "c" });
    scope.post("/repos/nodejs/security-wg/git/refs").reply(201, {});
    scope.post("/repos/nodejs/security-wg/issues").reply(201, { number: 7, html_url: "https://github.com/nodejs/security-wg/issues/7" });

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW });
    expect(scope.isDone()).toBe(true);
    expect(report.series[0]!.outcome.action).toBe("created");
  });

  it("is not due before the lead time starts: no listing, no search, no write", async () => {
    const scope = nock(API);
    discovery(scope);
    const report = await runTick(
      { auth: (id) => probot.auth(id), log: probot.log },
      { now: new Date("2024-10-21T13:59:00Z") },
    );
    expect(scope.isDone()).toBe(true);
    expect(report.series[0]!.outcome.action).toBe("not-due");
  });

  it("a dry run renders but writes nothing", async () => {
    const scope = nock(API);
    discovery(scope);
    scope.get("/repos/nodejs/security-wg/issues").query(true).reply(200, []);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, dryRun: true });

    expect(scope.isDone()).toBe(true);
    const outcome = report.series[0]!.outcome;
    expect(outcome.action).toBe("dry-run");
    if (outcome.action === "dry-run") expect(outcome.title).toBe("Node.js Security team Meeting 2024-10-24");
  });

  it("reports a broken config with its lines and still serves the other repositories", async () => {
    const scope = nock(API);
    mockApp(scope);
    scope.get("/app/installations").query(true).reply(200, [{ id: 1, account: { login: "nodejs" }, suspended_at: null }]);
    mockToken(scope, 1);
    scope
      .get("/installation/repositories")
      .query(true)
      .reply(200, { total_count: 2, repositories: [installedRepo("nodejs/broken"), installedRepo("nodejs/security-wg")] });
    scope.post("/graphql", operation("DiscoverMeetingConfigs")).reply(200, {
      data: {
        nodes: [
          { nameWithOwner: "nodejs/broken", config: { text: CONFIG.replace("America/New_York", "Mars/Olympus_Mons") } },
          { nameWithOwner: "nodejs/security-wg", config: { text: CONFIG } },
        ],
      },
    });
    scope.get("/repos/nodejs/security-wg/issues").query(true).reply(200, []);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([]));
    scope.get("/repos/nodejs/security-wg/branches/main").reply(200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } });
    scope.post("/repos/nodejs/security-wg/git/commits").reply(201, { sha: "c" });
    scope.post("/repos/nodejs/security-wg/git/refs").reply(201, {});
    scope.post("/repos/nodejs/security-wg/issues").reply(201, { number: 8, html_url: "https://github.com/nodejs/security-wg/issues/8" });

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW });

    expect(scope.isDone()).toBe(true);
    expect(report.invalidConfigs).toHaveLength(1);
    expect(report.invalidConfigs[0]!.repository).toBe("nodejs/broken");
    expect(report.invalidConfigs[0]!.errors).toEqual([
      expect.objectContaining({ path: "meetings[0].schedule.zone", line: 9, message: expect.stringContaining("Mars/Olympus_Mons") }),
    ]);
    expect(report.series.map((s) => [s.repository, s.outcome.action])).toEqual([["nodejs/security-wg", "created"]]);
  });

  it("keeps going when one repository fails: the error is reported, the tick does not throw", async () => {
    const scope = nock(API);
    discovery(scope);
    scope.get("/repos/nodejs/security-wg/issues").query(true).reply(500, { message: "boom" });

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW });

    expect(scope.isDone()).toBe(true);
    expect(report.series[0]!.outcome).toEqual({ action: "failed", error: expect.stringContaining("500") });
  });
});
