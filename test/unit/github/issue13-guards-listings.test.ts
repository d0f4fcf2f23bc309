import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { listActionItemIssues } from "../../../src/github/action-item-issues.js";
import type { GitHub } from "../../../src/github/client.js";
import { claimFollowUp } from "../../../src/github/follow-up-claims.js";
import { findItemComment } from "../../../src/github/item-comments.js";
import { formatActionItemMarker } from "../../../src/state/action-item-marker.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

/**
 * The merge follow-up finds what an earlier delivery wrote by listing the App's issues and
 * comments: the listings stop exactly where GitHub's pages end, the App's newest comment is the
 * one edited, and a claim whose ref is already gone is released without an error.
 */
const repo = { owner: "acme", repo: "wg" };
const BASE = "/repos/acme/wg";
const BOT = "wg-meetings[bot]";
const SINCE = "2026-11-29T16:00:00Z";

let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

describe("listing the App's action-item issues", () => {
  it("a page of 99 is the last page: one request, and the listing is complete", async () => {
    const marker = (n: number) => formatActionItemMarker({ v: 1, meeting: "acme/wg", series: "wg", date: "2026-12-02", key: n.toString(16).padStart(16, "0") });
    const page = Array.from({ length: 99 }, (_, i) => ({ number: 200 - i, html_url: `https://github.com/acme/wg/issues/${200 - i}`, state: "open", body: `x\n\n${marker(i)}\n`, user: { login: BOT } }));
    const scope = nock(API)
      .get(`${BASE}/issues`)
      .query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100", page: "1", since: SINCE })
      .reply(200, page);

    const listing = await listActionItemIssues(gh, repo, BOT, SINCE);

    expect(scope.isDone()).toBe(true);
    expect(listing).toMatchObject({ complete: true, pages: 1 });
    expect(listing.issues).toHaveLength(99);
  });
});

describe("finding the App's comment on an agenda item", () => {
  it("is the newest of the App's comments that carry this meeting's marker", async () => {
    const scope = nock(API)
      .get(`${BASE}/issues/31/comments`)
      .query({ per_page: "100", page: "1", since: SINCE })
      .reply(200, [
        { id: 5, body: "older, this meeting", user: { login: BOT } },
        { id: 6, body: "a person's copy, this meeting", user: { login: "mallory" } },
        { id: 7, body: "newer, this meeting", user: { login: BOT } },
        { id: 8, body: "another meeting", user: { login: BOT } },
      ]);

    const found = await findItemComment(gh, repo, 31, BOT, SINCE, (comment) => comment.body.endsWith("this meeting"));

    expect(scope.isDone()).toBe(true);
    expect(found).toEqual({ comment: { id: 7, body: "newer, this meeting" }, complete: true, pages: 1 });
  });
});

describe("releasing the merge follow-up's claim", () => {
  it("a ref already gone (404) is released, not an error", async () => {
    const ref = "wg-meetings/claims/follow-up/wg/2026-12-02/abc123";
    const scope = nock(API);
    scope.get(`${BASE}/git/commits/abc123`).reply(200, { sha: "abc123", tree: { sha: "tree9" } });
    scope.post(`${BASE}/git/commits`).reply(201, { sha: "claim1" });
    scope.post(`${BASE}/git/refs`, { ref: `refs/${ref}`, sha: "claim1" }).reply(201, {});
    scope.delete(`${BASE}/git/refs/${encodeURIComponent(ref)}`).reply(404, { message: "Not Found" });
    const now = () => new Date("2026-12-02T18:00:00Z");

    const claim = await claimFollowUp(gh, repo, { series: "wg", date: "2026-12-02", sha: "abc123" }, now);
    expect(claim.status).toBe("ours");
    if (claim.status !== "ours") return;

    await expect(claim.release()).resolves.toBe("released");
    expect(scope.isDone()).toBe(true);
  });
});
