import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { atLeast, mayChair, repositoryRole } from "../../../src/github/permissions.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";
import { recordUnmatched } from "../../helpers/unmatched.js";

/**
 * How a commenter's standing is read from GitHub for chair commands: what an odd answer means,
 * and that an outage is never taken for "not a chair" (or for "a chair").
 */
const repo = { owner: "nodejs", repo: "security-wg" };
const PERMISSION = "/repos/nodejs/security-wg/collaborators/alice/permission";
let gh: GitHub;
let unmatched: string[];
beforeEach(async () => {
  unmatched = recordUnmatched();
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

describe("a commenter's repository role", () => {
  it.each([
    [{ permission: "write", role_name: "maintain" }, "maintain"],
    [{ permission: "read", role_name: "triage" }, "triage"],
    [{ permission: "admin", role_name: "admin" }, "admin"],
    // A custom role (GitHub Enterprise) counts as its base permission.
    [{ permission: "read", role_name: "wg-observer" }, "read"],
    // Neither known: no standing at all.
    [{ permission: "superuser", role_name: "wg-chair" }, "none"],
    [{ permission: "none", role_name: "none" }, "none"],
  ])("GitHub's %j reads as %s", async (data, role) => {
    const scope = nock(API).get(PERMISSION).reply(200, data);
    expect(await repositoryRole(gh, repo, "alice")).toBe(role);
    expect(scope.isDone()).toBe(true);
  });

  it("someone GitHub does not know in the repository (404) reads as none", async () => {
    nock(API).get(PERMISSION).reply(404, { message: "Not Found" });
    expect(await repositoryRole(gh, repo, "alice")).toBe("none");
  });

  it("an outage while reading it (500) is an error, not `none`", async () => {
    nock(API).get(PERMISSION).reply(500, { message: "Server Error" });
    await expect(repositoryRole(gh, repo, "alice")).rejects.toMatchObject({ status: 500 });
  });

  it("roles rank none < read < triage < write < maintain < admin, each at least itself", () => {
    const order = ["none", "read", "triage", "write", "maintain", "admin"] as const;
    for (const [i, role] of order.entries()) {
      for (const [j, needed] of order.entries()) expect(atLeast(role, needed), `${role} >= ${needed}`).toBe(i >= j);
    }
  });
});

describe("mayChair", () => {
  it("uses the role the caller already read: no request", async () => {
    expect(await mayChair(gh, repo, "alice", { permission: "write", users: [], teams: [] }, "write")).toBe(true);
    expect(await mayChair(gh, repo, "alice", { permission: "admin", users: [], teams: [] }, "maintain")).toBe(false);
    expect(unmatched).toEqual([]);
  });

  it("named users replace the role: a repository admin who is not named may not, with no request", async () => {
    expect(await mayChair(gh, repo, "alice", { permission: "write", users: ["bob"], teams: [] }, "admin")).toBe(false);
    expect(unmatched).toEqual([]);
  });

  it("a team entry without an org (`chairs`) matches nobody and asks GitHub nothing", async () => {
    expect(await mayChair(gh, repo, "alice", { permission: "write", users: [], teams: ["chairs", "/chairs", "nodejs/"] })).toBe(false);
    expect(unmatched).toEqual([]);
  });

  it("the teams are asked in order until one says active", async () => {
    const scope = nock(API)
      .get("/orgs/nodejs/teams/tsc/memberships/alice")
      .reply(404, { message: "Not Found" })
      .get("/orgs/nodejs/teams/security-wg/memberships/alice")
      .reply(200, { state: "active" });
    expect(await mayChair(gh, repo, "alice", { permission: "write", users: [], teams: ["nodejs/tsc", "nodejs/security-wg", "nodejs/never-asked"] })).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("an outage while reading a team membership (502) is an error, not `not a member`", async () => {
    nock(API).get("/orgs/nodejs/teams/tsc/memberships/alice").reply(502, { message: "Bad Gateway" });
    await expect(mayChair(gh, repo, "alice", { permission: "write", users: [], teams: ["nodejs/tsc"] })).rejects.toMatchObject({ status: 502 });
  });
});
