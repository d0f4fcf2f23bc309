import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { mayChair } from "../../../src/github/permissions.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

const repo = { owner: "nodejs", repo: "security-wg" };
let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

describe("mayChair", () => {
  it.each([
    ["admin", "write", true],
    ["maintain", "write", true],
    ["write", "write", true],
    ["triage", "write", false],
    ["read", "write", false],
    ["write", "maintain", false],
    ["maintain", "maintain", true],
  ] as const)("role %s against permission %s → %s", async (role, permission, expected) => {
    const scope = nock(API)
      .get("/repos/nodejs/security-wg/collaborators/alice/permission")
      .reply(200, { permission: role === "maintain" ? "write" : role === "triage" ? "read" : role, role_name: role });
    expect(await mayChair(gh, repo, "alice", { permission, users: [], teams: [] })).toBe(expected);
    expect(scope.isDone()).toBe(true);
  });

  it("a custom role counts as its base permission", async () => {
    nock(API).get("/repos/nodejs/security-wg/collaborators/carol/permission").reply(200, { permission: "write", role_name: "wg-chair" });
    expect(await mayChair(gh, repo, "carol", { permission: "write", users: [], teams: [] })).toBe(true);
  });

  it("a user who is not a collaborator (404) may not", async () => {
    nock(API).get("/repos/nodejs/security-wg/collaborators/mallory/permission").reply(404, { message: "Not Found" });
    expect(await mayChair(gh, repo, "mallory", { permission: "write", users: [], teams: [] })).toBe(false);
  });

  it("named users and teams replace the permission rule", async () => {
    expect(await mayChair(gh, repo, "MhDawson", { permission: "write", users: ["mhdawson"], teams: [] })).toBe(true);

    const scope = nock(API)
      .get("/orgs/nodejs/teams/security-wg/memberships/rafaelgss")
      .reply(200, { state: "active", role: "member" })
      .get("/orgs/nodejs/teams/security-wg/memberships/pending")
      .reply(200, { state: "pending", role: "member" })
      .get("/orgs/nodejs/teams/security-wg/memberships/admin-elsewhere")
      .reply(404, { message: "Not Found" });
    const rule = { permission: "write" as const, users: [], teams: ["nodejs/security-wg"] };
    expect(await mayChair(gh, repo, "rafaelgss", rule)).toBe(true);
    expect(await mayChair(gh, repo, "pending", rule)).toBe(false);
    // Even a repository admin is not a chair when the config names the chairs.
    expect(await mayChair(gh, repo, "admin-elsewhere", rule)).toBe(false);
    expect(scope.isDone()).toBe(true);
  });
});
