import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { runTick } from "../../src/meetings/tick.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { API, installedRepo, issueJson, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * What the tick may touch when a meeting is due: with `closePrevious`, only the same series'
 * earlier meetings that are still open and that nobody reopened; an issue that already exists
 * for the occurrence is kept up to date only while it is open, not cancelled, and not started.
 */
const REPO = "acme/web";
const BOT = "wg-meetings[bot]";
const config = (closePrevious: boolean) => `meetings:
  - id: wg
    name: Web team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    createBefore: P2D
    agenda: { label: web-agenda, repos: [${REPO}] }
    issue: { closePrevious: ${closePrevious} }
`;
/** Monday 2026-11-30 17:00 London: Wednesday's meeting (2026-12-02 16:00 UTC) is due. */
const NOW = new Date("2026-11-30T17:00:00Z");
const DUE = "2026-12-02T16:00:00.000Z";
const BODY = (series: string, at: string, extra = "") =>
  `## Agenda\n\n<!-- wg-meetings:agenda -->_No items yet._<!-- /wg-meetings:agenda -->\n\n<!-- wg-meetings:meeting {"v":1,"series":"${series}","at":"${at}","date":"${at.slice(0, 10)}","doc":null${extra}} -->\n`;

let world: FakeWorld;
afterEach(() => world?.close());

function setUp(closePrevious: boolean, issues: Array<{ series: string; at: string; state?: "open" | "closed"; stateReason?: string; extra?: string }>) {
  world = fakeWorld({ repo: REPO, installationId: 9, config: config(closePrevious) });
  for (const issue of issues) {
    world.issues.push({
      number: world.issues.length + 1,
      title: `${issue.series} ${issue.at.slice(0, 10)}`,
      body: BODY(issue.series, issue.at, issue.extra),
      state: issue.state ?? "open",
      labels: [],
      user: BOT,
      ...(issue.stateReason ? { stateReason: issue.stateReason } : {}),
    });
  }
}

async function tick(dryRun = false) {
  const { probot } = await createTestProbot();
  const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, installationId: 9, repository: REPO, dryRun });
  expect(report.errors).toEqual([]);
  return report.series.map((line) => line.outcome);
}

const states = () => world.issues.map((issue) => `#${issue.number} ${issue.state}`);
const writes = () => world.log.filter((line) => !line.startsWith("GET ") && !line.endsWith("/access_tokens") && line !== "POST /graphql");

describe("closePrevious", () => {
  it("closes only the same series' earlier open meetings: not a later one, another series', a closed one or one a person reopened", async () => {
    setUp(true, [
      { series: "wg", at: "2026-11-25T16:00:00.000Z" }, // #1 earlier, open: closed
      { series: "wg", at: "2026-11-18T16:00:00.000Z", stateReason: "reopened" }, // #2 reopened by a person
      { series: "other", at: "2026-11-25T16:00:00.000Z" }, // #3 another series
      { series: "wg", at: "2026-12-09T16:00:00.000Z" }, // #4 a later one
      { series: "wg", at: "2026-11-11T16:00:00.000Z", state: "closed" }, // #5 closed already
    ]);

    const [outcome] = await tick();

    expect(outcome).toMatchObject({ action: "created", number: 6, closedPrevious: [1] });
    expect(states()).toEqual(["#1 closed", "#2 open", "#3 open", "#4 open", "#5 closed", "#6 open"]);
    expect(world.comments.map((comment) => [comment.issue, comment.body])).toEqual([[1, "The next meeting of this series is open: #6. Closing this one."]]);
  });

  it("is off unless the series asks for it: the earlier meeting stays open", async () => {
    setUp(false, [{ series: "wg", at: "2026-11-25T16:00:00.000Z" }]);
    const [outcome] = await tick();
    expect(outcome).toMatchObject({ action: "created", number: 2, closedPrevious: [] });
    expect(states()).toEqual(["#1 open", "#2 open"]);
    expect(world.comments).toEqual([]);
  });

  it("an existing meeting issue for the occurrence closes the earlier one too (a run that died before closing it)", async () => {
    setUp(true, [
      { series: "wg", at: "2026-11-25T16:00:00.000Z" },
      { series: "wg", at: DUE },
    ]);
    const [outcome] = await tick();
    expect(outcome).toMatchObject({ action: "exists", number: 2, closedPrevious: [1] });
    expect(states()).toEqual(["#1 closed", "#2 open"]);
  });
});

describe("an occurrence whose issue exists", () => {
  it("open and not started: kept up to date (its agenda follows the label), nothing opened", async () => {
    setUp(false, [{ series: "wg", at: DUE }]);
    world.agenda = [{ repo: REPO, number: 12, title: "Labelled" }];
    const [outcome] = await tick();
    expect(outcome).toMatchObject({ action: "exists", number: 1, agenda: "updated" });
    expect(outcome).not.toHaveProperty("closedPrevious");
    expect(world.issues).toHaveLength(1);
    expect(world.issues[0]!.body).toContain("Labelled");
  });

  it.each([
    ["closed by a person", { state: "closed" as const }],
    ["cancelled", { extra: ',"cancelled":true' }],
  ])("%s: left exactly as it is, nothing opened, no agenda search", async (_name, change) => {
    setUp(true, [
      { series: "wg", at: "2026-11-25T16:00:00.000Z" },
      { series: "wg", at: DUE, ...change },
    ]);
    world.agenda = [{ repo: REPO, number: 12, title: "Labelled" }];
    const before = world.issues.map((issue) => ({ ...issue }));

    const [outcome] = await tick();

    expect(outcome).toEqual({ action: "exists", number: 2, url: `https://github.com/${REPO}/issues/2` });
    expect(world.issues).toEqual(before);
    expect(world.log).not.toContain("POST /graphql");
    expect(writes()).toEqual([]);
  });

  it("moved by /move to a time already past: left as it is", async () => {
    setUp(false, [{ series: "wg", at: "2026-11-30T09:00:00.000Z", extra: `,"movedFrom":"${DUE}"` }]);
    world.agenda = [{ repo: REPO, number: 12, title: "Labelled" }];
    const before = world.issues.map((issue) => ({ ...issue }));
    const [outcome] = await tick();
    expect(outcome).toEqual({ action: "exists", number: 1, url: `https://github.com/${REPO}/issues/1` });
    expect(world.issues).toEqual(before);
  });
});

describe("whose issue an occurrence's is", () => {
  it("another series' meeting at the very same time is not this series': this one's issue is opened", async () => {
    setUp(false, [{ series: "other", at: DUE }]);
    const [outcome] = await tick();
    expect(outcome).toMatchObject({ action: "created", number: 2 });
    expect(world.issues.map((issue) => issue.title)).toEqual(["other 2026-12-02", "Web team Meeting 2026-12-02"]);
  });
});

describe("a dry run", () => {
  it("says what it would open and writes nothing: no claim, no issue, no previous meeting closed", async () => {
    setUp(true, [{ series: "wg", at: "2026-11-25T16:00:00.000Z" }]);
    const [outcome] = await tick(true);
    expect(outcome).toMatchObject({ action: "dry-run", title: "Web team Meeting 2026-12-02" });
    expect((outcome as { body: string }).body).toContain(`"at":"${DUE}"`);
    expect(writes()).toEqual([]);
    expect(states()).toEqual(["#1 open"]);
  });

  it("for an existing live meeting changes nothing either", async () => {
    setUp(true, [
      { series: "wg", at: "2026-11-25T16:00:00.000Z" },
      { series: "wg", at: DUE },
    ]);
    world.agenda = [{ repo: REPO, number: 12, title: "Labelled" }];
    const [outcome] = await tick(true);
    expect(outcome).toEqual({ action: "exists", number: 2, url: `https://github.com/${REPO}/issues/2` });
    expect(writes()).toEqual([]);
  });
});

describe("a stale claim taken over", () => {
  it("finds the issue its slow holder opened meanwhile and keeps it: no second issue", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}`).reply(200, installedRepo(REPO));
    scope.get(`/repos/${REPO}/contents/${encodeURIComponent(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: Buffer.from(config(false)).toString("base64") });
    const listing = () => scope.get(`/repos/${REPO}/issues`).query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" });
    const search = () =>
      scope.post("/graphql", operation("AgendaSearch")).reply(200, {
        data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
      });
    listing().reply(200, []);
    search();
    scope.get(`/repos/${REPO}/branches/main`).reply(200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } });
    scope.post(`/repos/${REPO}/git/commits`).reply(201, { sha: "mine" });
    scope.post(`/repos/${REPO}/git/refs`).reply(422, { message: "Reference already exists" });
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "stale" } });
    scope.get(`/repos/${REPO}/git/commits/stale`).reply(200, { sha: "stale", author: { date: "2026-11-30T16:00:00Z" } });
    scope.post(`/repos/${REPO}/git/commits`).reply(201, { sha: "takeover" });
    scope.patch(/\/git\/refs\//, { sha: "takeover", force: false }).reply(200, {});
    // Looked at again after the takeover: the slow holder's issue is there now.
    listing().reply(200, [issueJson(REPO, 7, { title: "Web team Meeting 2026-12-02", body: BODY("wg", DUE) })]);
    search();
    // The agenda is refreshed from the issue as it stands.
    scope.get(`/repos/${REPO}/issues/7`).reply(200, issueJson(REPO, 7, { title: "Web team Meeting 2026-12-02", body: BODY("wg", DUE) }));
    const edits: unknown[] = [];
    scope.patch(`/repos/${REPO}/issues/7`, (body) => (edits.push(body), true)).optionally().reply(200, {});

    const { probot } = await createTestProbot();
    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, installationId: 9, repository: REPO, clock: () => NOW });

    expect(report.series.map((line) => line.outcome)).toEqual([expect.objectContaining({ action: "exists", number: 7 })]);
    expect(unmatched).toEqual([]);
    expect(scope.pendingMocks()).toEqual([]);
  });
});
