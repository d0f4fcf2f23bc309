import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { runTick } from "../../src/meetings/tick.js";
import type { FakeWorld } from "../helpers/fake-world.js";
import { API, installedRepo, mockApp, mockToken } from "../helpers/github.js";
import { AT, checkTick, LATER, newWorld, NOW, tick } from "../helpers/meeting-scenario.js";
import { createProductionLikeProbot } from "../helpers/probot.js";

/**
 * Finding 5 of issue 10, replayed against the stateful fake GitHub and Drive with Octokit's
 * retry on as in production: a lost answer to `POST /issues` made two meeting issues, a lost
 * answer to Drive's `permissions.create` two sharing rules, and a GitHub request that never
 * answered held up the tick, and every installation after it, indefinitely.
 */
let world: FakeWorld | undefined;
afterEach(() => world?.close());

/** The index of `request` in a clean run of the meeting-opening tick. */
async function indexOf(request: string): Promise<number> {
  const clean = newWorld();
  await tick(NOW);
  const index = clean.log.indexOf(request);
  clean.close();
  expect(index, request).toBeGreaterThan(0);
  return index;
}

describe("a lost answer to a create", () => {
  it("POST /issues done, its answer lost: one meeting issue, found again by its marker, and the run goes on to the doc", async () => {
    const index = await indexOf("POST /repos/acme/wg/issues");
    world = newWorld();
    world.faultAt(index, "reset-after");

    const report = await tick(NOW);

    expect(world.faults.map((fault) => fault.request)).toEqual(["POST /repos/acme/wg/issues"]);
    expect(world.issues.filter((issue) => parseMarker(issue.body)?.at === AT)).toHaveLength(1);
    expect(report).toMatchObject({ series: [{ outcome: { action: "created", number: 2, doc: { status: "linked" } } }] });
    expect(checkTick(world)).toEqual({ duplicates: [], halfWritten: [] });
  });

  it("Drive's permissions.create done, its answer lost: the grant is found in the doc's permissions, not made twice", async () => {
    const index = await indexOf("POST /drive/v3/files/DOC1/permissions");
    world = newWorld();
    world.faultAt(index, "reset-after");

    await tick(NOW);
    await tick(LATER);

    expect(world.faults.map((fault) => fault.request)).toEqual(["POST /drive/v3/files/DOC1/permissions"]);
    expect(world.docs[0]!.permissions.map((p) => `${p.type}:${p.role}`)).toEqual(["anyone:reader", "group:writer"]);
    expect(checkTick(world)).toEqual({ duplicates: [], halfWritten: [] });
  });

  it("POST /issues answered 500 after GitHub opened the issue: still one issue", async () => {
    const index = await indexOf("POST /repos/acme/wg/issues");
    world = newWorld();
    world.faultAt(index, "reset-after");
    world.faultAt(index + 1, "500");

    await tick(NOW);
    await tick(LATER);

    expect(world.issues.filter((issue) => parseMarker(issue.body)?.at === AT)).toHaveLength(1);
    expect(checkTick(world)).toEqual({ duplicates: [], halfWritten: [] });
  });
});

describe("a GitHub request that never answers", () => {
  it("ends at its installation's deadline: the tick finishes, the other installation's meeting work is done meanwhile", async () => {
    const scope = nock(API).persist();
    mockApp(scope);
    scope.get("/app/installations").query(true).reply(200, [
      { id: 1, account: { login: "stuck" }, suspended_at: null },
      { id: 2, account: { login: "healthy" }, suspended_at: null },
    ]);
    mockToken(scope, 1);
    mockToken(scope, 2);
    // Installation 1: GitHub takes the request and never answers.
    let hung!: () => void;
    const arrived = new Promise<void>((resolve) => (hung = resolve));
    scope
      .get("/installation/repositories")
      .matchHeader("authorization", "token ghs_test_1")
      .query(true)
      .reply(() => {
        hung();
        return new Promise<never>(() => {});
      });
    // Installation 2: a repository without a config; its part is done after one more request.
    let healthyDone!: () => void;
    const healthy = new Promise<void>((resolve) => (healthyDone = resolve));
    scope
      .get("/installation/repositories")
      .matchHeader("authorization", "token ghs_test_2")
      .query(true)
      .reply(200, { total_count: 1, repositories: [installedRepo("healthy/site")] });
    scope.post("/graphql").reply(() => {
      healthyDone();
      return [200, { data: { nodes: [{ nameWithOwner: "healthy/site", config: null }] } }];
    });

    // The deadlines' timers are the test's: one fires when the test says, not after minutes.
    const timers: Array<() => void> = [];
    const cleared = new Set<number>();
    const fakeTimers = {
      setTimeout: ((callback: () => void) => (timers.push(callback), timers.length)) as unknown as typeof setTimeout,
      clearTimeout: ((id: number) => void cleared.add(id)) as unknown as typeof clearTimeout,
    };
    const { probot } = await createProductionLikeProbot();
    const run = runTick(
      { auth: (id) => probot.auth(id), log: probot.log, limits: { installationDeadlineMs: 300_000, tickConcurrency: 2 }, timers: fakeTimers },
      { now: NOW },
    );

    // Both installations start; the healthy one finishes (its deadline is cleared) while the
    // other hangs. Then the stuck one's deadline passes.
    await Promise.all([arrived, healthy]);
    while (!cleared.has(2)) await new Promise((resolve) => setImmediate(resolve));
    expect(timers).toHaveLength(2);
    expect(cleared.has(1)).toBe(false);
    timers[0]!();
    const report = await run;

    expect(report.errors).toEqual([{ scope: "installation 1", error: "did not finish within its deadline of 300 s; the next tick carries on" }]);
    expect(report.repositories).toBe(1);
    scope.persist(false);
  });

  it("one at a time (concurrency 1), the stuck installation holds the next one only until its deadline", async () => {
    const scope = nock(API).persist();
    mockApp(scope);
    scope.get("/app/installations").query(true).reply(200, [
      { id: 1, account: { login: "stuck" }, suspended_at: null },
      { id: 2, account: { login: "healthy" }, suspended_at: null },
    ]);
    mockToken(scope, 1);
    mockToken(scope, 2);
    let hung!: () => void;
    const arrived = new Promise<void>((resolve) => (hung = resolve));
    scope
      .get("/installation/repositories")
      .matchHeader("authorization", "token ghs_test_1")
      .query(true)
      .reply(() => {
        hung();
        return new Promise<never>(() => {});
      });
    scope
      .get("/installation/repositories")
      .matchHeader("authorization", "token ghs_test_2")
      .query(true)
      .reply(200, { total_count: 0, repositories: [] });

    const timers: Array<() => void> = [];
    const fakeTimers = {
      setTimeout: ((callback: () => void) => (timers.push(callback), timers.length)) as unknown as typeof setTimeout,
      clearTimeout: (() => undefined) as typeof clearTimeout,
    };
    const { probot } = await createProductionLikeProbot();
    const run = runTick(
      { auth: (id) => probot.auth(id), log: probot.log, limits: { installationDeadlineMs: 60_000, tickConcurrency: 1 }, timers: fakeTimers },
      { now: NOW },
    );

    await arrived;
    expect(timers).toHaveLength(1);
    timers[0]!();
    const report = await run;

    expect(report.errors.map((error) => error.scope)).toEqual(["installation 1"]);
    expect(report.installations).toBe(2);
    scope.persist(false);
  });
});

describe("a run that died half-way (issue opened, the rest not done)", () => {
  /** What the dead run left: the meeting issue, no doc yet, last week's meeting still open. */
  function leftBehind(): FakeWorld {
    const w = newWorld();
    const marker = `<!-- wg-meetings:meeting ${JSON.stringify({ v: 1, series: "wg", at: AT, date: "2024-10-31", doc: null })} -->`;
    w.issues.push({ number: 2, title: "Acme Working group Meeting 2024-10-31", body: `## Agenda\n\n${marker}\n`, state: "open", labels: ["meeting"], user: "wg-meetings[bot]" });
    return w;
  }

  it("the next tick closes the previous meeting (one comment) and links the doc", async () => {
    world = leftBehind();
    await tick(LATER);
    expect(checkTick(world)).toEqual({ duplicates: [], halfWritten: [] });
  });

  it("the dead run had commented on the previous meeting already: it is closed without saying it twice", async () => {
    world = leftBehind();
    world.comments.push({ id: 1, issue: 1, body: "The next meeting of this series is open: #2. Closing this one.", user: "wg-meetings[bot]", created_at: "2024-10-28T15:00:00Z", updated_at: "2024-10-28T15:00:00Z" });
    await tick(LATER);
    expect(world.comments.filter((comment) => comment.issue === 1)).toHaveLength(1);
    expect(world.issues[0]!.state).toBe("closed");
  });

  it("a previous meeting someone reopened is left open: a person wants it so", async () => {
    world = leftBehind();
    world.issues[0]!.stateReason = "reopened";
    await tick(LATER);
    expect(world.issues[0]!.state).toBe("open");
    expect(world.comments.filter((comment) => comment.issue === 1)).toHaveLength(0);
  });
});
