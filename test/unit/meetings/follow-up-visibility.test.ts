import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { readOtherActionItems, WITHHELD_TITLE } from "../../../src/meetings/follow-up.js";

/**
 * readOtherActionItems: the App's issues in `actionItems.repository`, withheld when that
 * repository is private and the meeting's is not. GET /repos/{other} only when the listing holds
 * an open issue; GET /repos/{meeting} only when the other is private; neither when an event told.
 */
const API = "https://api.github.com";
const BOT = "wg-meetings[bot]";
const repos = { meeting: { owner: "acme", repo: "wg" }, other: { owner: "acme", repo: "security" } };
const MARKER = `<!-- wg-meetings:action-item {"v":1,"meeting":"acme/wg","series":"hello","date":"2026-11-25","key":"0123456789abcdef"} -->`;
const issue = (number: number, state: "open" | "closed") => ({
  number,
  html_url: `https://github.com/acme/security/issues/${number}`,
  title: "Fix CVE-2026-1234",
  state,
  user: { login: BOT, type: "Bot" },
  assignees: [{ login: "alice" }],
  body: `> Fix it\n\n- **Owners:** @alice\n\n${MARKER}\n`,
});

function octokit(): GitHub {
  const Octokit = ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));
  return new Octokit({ auth: "token" }) as unknown as GitHub;
}

function listing(scope: nock.Scope, issues: unknown[]): nock.Scope {
  return scope.get("/repos/acme/security/issues").query(true).reply(200, issues);
}

describe("readOtherActionItems", () => {
  it("a private one for a public meeting: the titles, owners and text are withheld; the marker and link kept", async () => {
    const scope = listing(nock(API), [issue(12, "open")])
      .get("/repos/acme/security")
      .reply(200, { private: true, archived: false })
      .get("/repos/acme/wg")
      .reply(200, { private: false, archived: false });
    const issues = await readOtherActionItems(octokit(), repos, BOT);
    expect(scope.isDone()).toBe(true);
    expect(issues).toEqual([
      { number: 12, url: "https://github.com/acme/security/issues/12", state: "open", title: WITHHELD_TITLE, body: MARKER, author: BOT, assignees: [] },
    ]);
  });

  it("a private one for a private meeting, both told by events: as listed, no visibility read", async () => {
    const scope = listing(nock(API), [issue(12, "open")]);
    const issues = await readOtherActionItems(octokit(), repos, BOT, { meetingPrivate: true, otherPrivate: true });
    expect(scope.isDone()).toBe(true);
    expect(issues[0]!.title).toBe("Fix CVE-2026-1234");
  });

  it("a public one: as listed, after one read of its visibility", async () => {
    const scope = listing(nock(API), [issue(12, "open")]).get("/repos/acme/security").reply(200, { private: false, archived: false });
    const issues = await readOtherActionItems(octokit(), repos, BOT, { meetingPrivate: false });
    expect(scope.isDone()).toBe(true);
    expect(issues[0]!.assignees).toEqual(["alice"]);
  });

  it("one the App cannot see (404) counts as private; nothing open: no visibility read at all", async () => {
    const hidden = listing(nock(API), [issue(12, "open")]).get("/repos/acme/security").reply(404, { message: "Not Found" });
    const issues = await readOtherActionItems(octokit(), repos, BOT, { meetingPrivate: false });
    expect(hidden.isDone()).toBe(true);
    expect(issues[0]!.title).toBe(WITHHELD_TITLE);

    const closed = listing(nock(API), [issue(12, "closed")]);
    expect((await readOtherActionItems(octokit(), repos, BOT))[0]!.state).toBe("closed");
    expect(closed.isDone()).toBe(true);
  });
});
