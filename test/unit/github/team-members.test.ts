import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { MAX_TEAM_MEMBERS, teamMembers, TeamMembersError } from "../../../src/github/team-members.js";
import { API, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

const repo = { owner: "nodejs", repo: "security-wg" };
const logins = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ login: `member-${from + i}` }));

let gh: GitHub;
beforeEach(async () => {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  gh = await probot.auth(1);
});

describe("teamMembers", () => {
  it("lists a team of the repository's owner in one request", async () => {
    const scope = nock(API)
      .get("/orgs/nodejs/teams/security-wg/members")
      .query({ per_page: "100" })
      .reply(200, [{ login: "RafaelGSS" }, { login: "mhdawson" }]);
    expect(await teamMembers(gh, repo, "@nodejs/security-wg")).toEqual({ logins: ["RafaelGSS", "mhdawson"], truncated: false });
    expect(scope.isDone()).toBe(true);
  });

  it("takes the organization's name in any case, and asks with the repository owner's", async () => {
    const scope = nock(API).get("/orgs/nodejs/teams/security-wg/members").query({ per_page: "100" }).reply(200, []);
    expect(await teamMembers(gh, repo, "NodeJS/security-wg")).toEqual({ logins: [], truncated: false });
    expect(scope.isDone()).toBe(true);
  });

  it(`follows the pages and stops at ${MAX_TEAM_MEMBERS} members`, async () => {
    const page = (n: number) => `<${API}/organizations/1/team/2/members?per_page=100&page=${n}>; rel="next"`;
    const scope = nock(API)
      .get("/orgs/nodejs/teams/security-wg/members")
      .query({ per_page: "100" })
      .reply(200, logins(0, 100), { link: page(2) })
      .get("/organizations/1/team/2/members")
      .query({ per_page: "100", page: "2" })
      .reply(200, logins(100, 200), { link: page(3) })
      .get("/organizations/1/team/2/members")
      .query({ per_page: "100", page: "3" })
      .reply(200, logins(200, 250));
    const members = await teamMembers(gh, repo, "nodejs/security-wg");
    expect(members.logins).toHaveLength(MAX_TEAM_MEMBERS);
    expect(members.logins.at(-1)).toBe("member-199");
    expect(members.truncated).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a team of another organization without asking GitHub", async () => {
    const error = await teamMembers(gh, repo, "other-org/security").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamMembersError);
    expect((error as TeamMembersError).reason).toBe("other-org");
  });

  it("refuses what is not org/team-slug", async () => {
    const error = await teamMembers(gh, repo, "nodejs/security wg").catch((e: unknown) => e);
    expect((error as TeamMembersError).reason).toBe("not-a-team");
  });

  it("says not found for a 404 (no such team, or no members: read)", async () => {
    const scope = nock(API).get("/orgs/nodejs/teams/ghost/members").query({ per_page: "100" }).reply(404, { message: "Not Found" });
    const error = await teamMembers(gh, repo, "nodejs/ghost").catch((e: unknown) => e);
    expect((error as TeamMembersError).reason).toBe("not-found");
    expect((error as Error).message).toContain("members: read");
    expect(scope.isDone()).toBe(true);
  });

  it("passes other failures on", async () => {
    const scope = nock(API).get("/orgs/nodejs/teams/security-wg/members").query({ per_page: "100" }).reply(403, { message: "Resource not accessible by integration" });
    const error = await teamMembers(gh, repo, "nodejs/security-wg").catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TeamMembersError);
    expect((error as { status?: number }).status).toBe(403);
    expect(scope.isDone()).toBe(true);
  });
});
