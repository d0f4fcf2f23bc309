import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../src/github/client.js";
import { claimOccurrence, claimRef } from "../../src/github/claims.js";
import { API, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * Who opens a meeting when several runs try at once, through claimOccurrence/claimRef and the
 * git data API as GitHub answers it: the first ref wins, a held claim is respected for its lease,
 * a stale one is taken over by exactly one run, and a lost answer never loses (or steals) a claim.
 */
const BASE = "/repos/acme/tsc";
const repo = { owner: "acme", repo: "tsc" };
const START = new Date("2026-12-02T16:00:00.000Z");
const NOW = new Date("2026-11-30T17:00:00.000Z");
const REF = "wg-meetings/claims/tsc/20261202T160000Z";
const AUTHOR = { name: "wg-meetings", email: "wg-meetings@users.noreply.github.com", date: NOW.toISOString() };

let gh: GitHub;
let unmatched: string[];
beforeEach(async () => {
  unmatched = recordUnmatched();
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

const claim = (extra: { tree?: string; purpose?: "doc" } = {}) => claimOccurrence(gh, repo, { series: "tsc", start: START, defaultBranch: "main", now: NOW, ...extra });

/** The default branch's tree, then the claim commit (its body kept); answers `sha`. */
function claimCommit(scope: nock.Scope, sha = "mine", seen: Array<Record<string, unknown>> = []) {
  scope.get(`${BASE}/branches/main`).reply(200, { commit: { sha: "head", commit: { tree: { sha: "tree1" } } } });
  scope.post(`${BASE}/git/commits`, (body) => (seen.push(body), true)).reply(201, { sha });
  return seen;
}

const exists = [422, { message: "Reference already exists" }] as const;
const notFastForward = [422, { message: "Update is not a fast forward" }] as const;

describe("claiming an occurrence", () => {
  it("the first run creates the ref on its own dangling commit, dated now, and gets the claim", async () => {
    const scope = nock(API);
    const commits = claimCommit(scope);
    let ref: Record<string, unknown> | undefined;
    scope.post(`${BASE}/git/refs`, (body) => ((ref = body), true)).reply(201, { ref: `refs/${REF}` });

    expect(await claim()).toEqual({ acquired: true, ref: REF, tookOver: false, tree: "tree1" });

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(commits).toEqual([
      { message: expect.stringMatching(/^wg-meetings claim tsc 2026-12-02T16:00:00\.000Z \(run [0-9a-f]{8}\)$/), tree: "tree1", parents: [], author: AUTHOR },
    ]);
    expect(ref).toEqual({ ref: `refs/${REF}`, sha: "mine" });
  });

  it("a further claim of the same run reuses the tree it has: no branch read; the doc step has a claim of its own", async () => {
    const scope = nock(API);
    let commit: Record<string, unknown> | undefined;
    scope.post(`${BASE}/git/commits`, (body) => ((commit = body), true)).reply(201, { sha: "mine" });
    scope.post(`${BASE}/git/refs`, { ref: `refs/${REF}-doc`, sha: "mine" }).reply(201, {});

    expect(await claim({ tree: "tree0", purpose: "doc" })).toEqual({ acquired: true, ref: `${REF}-doc`, tookOver: false, tree: "tree0" });
    expect(scope.isDone()).toBe(true);
    expect(commit).toMatchObject({ tree: "tree0", message: expect.stringMatching(/^wg-meetings claim tsc 2026-12-02T16:00:00\.000Z doc \(run /) });
  });

  it("another run's claim inside its lease is respected: not acquired, and the reason says until when", async () => {
    const scope = nock(API);
    claimCommit(scope);
    scope.post(`${BASE}/git/refs`).reply(...exists);
    let read = "";
    scope.get(/\/git\/ref\//).reply(200, (uri) => ((read = decodeURIComponent(uri)), { object: { sha: "theirs" } }));
    scope.get(`${BASE}/git/commits/theirs`).reply(200, { sha: "theirs", author: { date: "2026-11-30T16:59:00Z" } });

    expect(await claim()).toEqual({
      acquired: false,
      ref: REF,
      reason: "claimed by another run at 2026-11-30T16:59:00Z; its lease ends after 120 s",
    });
    expect(read).toBe(`${BASE}/git/ref/${REF}`);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a claim taken exactly one lease ago is stale: taken over by a fast-forward onto a child of it", async () => {
    const scope = nock(API);
    claimCommit(scope);
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "theirs" } });
    scope.get(`${BASE}/git/commits/theirs`).reply(200, { sha: "theirs", author: { date: "2026-11-30T16:58:00.000Z" } });
    let takeover: Record<string, unknown> | undefined;
    scope.post(`${BASE}/git/commits`, (body) => ((takeover = body), true)).reply(201, { sha: "child" });
    let update: Record<string, unknown> | undefined;
    let updated = "";
    scope.patch(/\/git\/refs\//, (body) => ((update = body), true)).reply(200, (uri) => ((updated = decodeURIComponent(uri)), {}));

    expect(await claim()).toEqual({ acquired: true, ref: REF, tookOver: true, tree: "tree1" });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(takeover).toEqual({
      message: expect.stringMatching(/^wg-meetings claim tsc 2026-12-02T16:00:00\.000Z \(run [0-9a-f]{8}\) \(takeover\)$/),
      tree: "tree1",
      parents: ["theirs"],
      author: AUTHOR,
    });
    expect(update).toEqual({ sha: "child", force: false });
    expect(updated).toBe(`${BASE}/git/refs/${REF}`);
  });

  it("a command's claim has its own lease: ten minutes, named in the reason", async () => {
    const scope = nock(API);
    claimCommit(scope);
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "theirs" } });
    // Five minutes old: stale for an occurrence, held for a command.
    scope.get(`${BASE}/git/commits/theirs`).reply(200, { sha: "theirs", author: { date: "2026-11-30T16:55:00Z" } });

    const result = await claimRef(gh, repo, { ref: "wg-meetings/claims/comments/7", label: "comment 7", defaultBranch: "main", now: NOW, leaseMs: 600_000 });
    expect(result).toEqual({
      acquired: false,
      ref: "wg-meetings/claims/comments/7",
      reason: "claimed by another run at 2026-11-30T16:55:00Z; its lease ends after 600 s",
    });
    expect(scope.isDone()).toBe(true);
  });

  it("two runs taking over the same stale claim: the one whose update is no fast forward stands down", async () => {
    const scope = nock(API);
    claimCommit(scope);
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "theirs" } });
    scope.get(`${BASE}/git/commits/theirs`).reply(200, { sha: "theirs", author: { date: "2026-11-30T10:00:00Z" } });
    scope.post(`${BASE}/git/commits`).reply(201, { sha: "child" });
    scope.patch(/\/git\/refs\//).reply(...notFastForward);
    // The ref now points at the other taker's commit.
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "other-child" } });

    const result = await claim();
    expect(result).toMatchObject({ acquired: false, ref: REF });
    expect((result as { reason: string }).reason).toMatch(/^another run took over the stale claim \(422: Update is not a fast forward/);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a takeover whose answer was lost (500) but which happened is this run's: the ref points at its child commit", async () => {
    const scope = nock(API);
    claimCommit(scope);
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "theirs" } });
    scope.get(`${BASE}/git/commits/theirs`).reply(200, { sha: "theirs", author: { date: "2026-11-30T10:00:00Z" } });
    scope.post(`${BASE}/git/commits`).reply(201, { sha: "child" });
    scope.patch(/\/git\/refs\//).reply(500, { message: "Server Error" });
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "child" } });

    expect(await claim()).toEqual({ acquired: true, ref: REF, tookOver: true, tree: "tree1" });
    expect(scope.isDone()).toBe(true);
  });

  it("a takeover that failed (500) and did not happen is an error, not a claim", async () => {
    const scope = nock(API);
    claimCommit(scope);
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "theirs" } });
    scope.get(`${BASE}/git/commits/theirs`).reply(200, { sha: "theirs", author: { date: "2026-11-30T10:00:00Z" } });
    scope.post(`${BASE}/git/commits`).reply(201, { sha: "child" });
    scope.patch(/\/git\/refs\//).reply(500, { message: "Server Error" });
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "theirs" } });

    await expect(claim()).rejects.toMatchObject({ status: 500 });
    expect(scope.isDone()).toBe(true);
  });

  it("a create refused as existing whose ref is this run's own commit (a replayed create) is this run's claim", async () => {
    const scope = nock(API);
    claimCommit(scope, "mine");
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "mine" } });

    expect(await claim()).toEqual({ acquired: true, ref: REF, tookOver: false, tree: "tree1" });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a create whose answer was lost (500) and that did happen is this run's claim: read back, not created again", async () => {
    const scope = nock(API);
    claimCommit(scope, "mine");
    scope.post(`${BASE}/git/refs`).reply(500, { message: "Server Error" });
    scope.get(/\/git\/ref\//).reply(200, { object: { sha: "mine" } });

    expect(await claim()).toEqual({ acquired: true, ref: REF, tookOver: false, tree: "tree1" });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a create that failed (500) and did not happen is an error: it is not sent a second time", async () => {
    const scope = nock(API);
    claimCommit(scope, "mine");
    scope.post(`${BASE}/git/refs`).reply(500, { message: "Server Error" });
    scope.get(/\/git\/ref\//).reply(404, { message: "Not Found" });

    await expect(claim()).rejects.toMatchObject({ status: 500 });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a create refused as existing whose ref is gone by the time it is read is created once more", async () => {
    const scope = nock(API);
    claimCommit(scope, "mine");
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(404, { message: "Not Found" });
    scope.post(`${BASE}/git/refs`, { ref: `refs/${REF}`, sha: "mine" }).reply(201, {});

    expect(await claim()).toEqual({ acquired: true, ref: REF, tookOver: false, tree: "tree1" });
    expect(scope.isDone()).toBe(true);
  });

  it("an outage while reading whose the ref is (500) is an error: the claim is not created again", async () => {
    const scope = nock(API);
    claimCommit(scope, "mine");
    scope.post(`${BASE}/git/refs`).reply(...exists);
    scope.get(/\/git\/ref\//).reply(500, { message: "Server Error" });

    await expect(claim()).rejects.toMatchObject({ status: 500 });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a refusal that is not about the ref existing (403: no permission) is an error at once", async () => {
    const scope = nock(API);
    claimCommit(scope);
    scope.post(`${BASE}/git/refs`).reply(403, { message: "Resource not accessible by integration" });

    await expect(claim()).rejects.toMatchObject({ status: 403 });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });
});
