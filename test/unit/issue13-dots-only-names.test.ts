import { describe, expect, it } from "vitest";
import { parseAgendaFile } from "../../src/agenda/parse-agenda-file.js";
import { main } from "../../src/cli.js";
import { agendaItemReference } from "../../src/github/action-item-issues.js";
import { extendsTarget, loadRepoConfig } from "../../src/github/repo-config.js";
import { teamMembers, TeamMembersError } from "../../src/github/team-members.js";
import { parseFeedPath } from "../../src/http/feed-route.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * A repository name made only of dots (`.`, `..`, `...`) is no repository: GitHub refuses to
 * create one, and Octokit sends the name as a path segment, where `.` and `..` are resolved
 * (`POST /repos/acme/../issues` is sent as `POST /repos/issues`). The config schema and the
 * minutes' item links already refuse such names; every other place that reads a repository or
 * team name from outside refuses them too, and asks GitHub nothing. `.github` and `..x` are
 * real names and stay accepted.
 */
const DOTS = [".", "..", "..."];
const REPO = { owner: "acme", repo: "wg" };

/** An installation client with no answer mocked: any request it sent would be recorded as unmatched. */
async function gitHub() {
  const { probot } = await createTestProbot();
  return probot.auth(1);
}

describe("issue 13: names of dots only are never a repository", () => {
  it.each(DOTS)("the calendar feed path /meetings/acme/%s/x.ics names no feed", (name) => {
    expect(parseFeedPath(`/meetings/acme/${name}/x.ics`)).toBeNull();
  });

  it("the calendar feed path still takes a repository named .github or ...x", () => {
    expect(parseFeedPath("/meetings/acme/.github/x.ics")).toEqual({ owner: "acme", repo: ".github", series: "x" });
    expect(parseFeedPath("/meetings/acme/...x/x.ics")).toEqual({ owner: "acme", repo: "...x", series: "x" });
  });

  it.each(DOTS)("an --agenda file whose item is in acme/%s is refused, naming the field", (name) => {
    const item = { repository: `acme/${name}`, number: 5, title: "t", url: "https://github.com/acme/wg/issues/5", kind: "issue" };
    expect(() => parseAgendaFile(JSON.stringify([item]))).toThrow(`agenda.json[0].repository: expected owner/name, got "acme/${name}"`);
    expect(parseAgendaFile(JSON.stringify([{ ...item, repository: "acme/.github" }]))).toHaveLength(1);
  });

  it.each(DOTS)("wg-meetings attendance --repo acme/%s is a usage error (exit 2) and asks GitHub nothing", async (name) => {
    let err = "";
    const code = await main(["attendance", "--repo", `acme/${name}`], { out: () => {}, err: (text) => (err += text), env: { GITHUB_TOKEN: "ghp_test" } });
    expect(code).toBe(2);
    expect(err).toContain(`--repo: expected OWNER/NAME (got "acme/${name}")`);
  });

  it.each(["...", "acme/...", "acme/...:x.yml", "....:cfg/x.yaml"])("_extends: %s is not a form the App reads", (value) => {
    expect(extendsTarget(value, REPO)).toBeNull();
  });

  it("_extends still takes a repository whose name starts with dots", () => {
    expect(extendsTarget("acme/...x:x.yml", REPO)).toMatchObject({ repo: "...x", path: "x.yml" });
  });

  it.each(["..", "...", "acme/..", "acme/...:cfg/x.yml"])("a config with _extends: %s is refused at the _extends key, without a request", async (value) => {
    const unmatched = recordUnmatched();
    const gh = await gitHub();
    const result = await loadRepoConfig(gh, REPO, `_extends: "${value}"\n`);
    expect(result.status).toBe("invalid");
    if (result.status !== "invalid") return;
    expect(result.errors[0]!.message).toBe(
      `_extends (line 1): .github/meetings.yml names ${JSON.stringify(value)}: \`_extends\` takes \`repo\`, \`owner/repo\` or \`owner/repo:path.yml\``,
    );
    expect(unmatched).toEqual([]);
  });

  it.each(DOTS)("an action item's agenda link to github.com/acme/%s/issues/5 is shown as written, not as a reference", (name) => {
    const url = `https://github.com/acme/${name}/issues/5`;
    expect(agendaItemReference(url)).toBe(url);
    expect(agendaItemReference("https://github.com/acme/.github/pull/5")).toBe("acme/.github#5");
  });

  it.each(DOTS)("the team acme/%s is not a team, and GitHub is not asked for its members", async (slug) => {
    const unmatched = recordUnmatched();
    const gh = await gitHub();
    const error = await teamMembers(gh, REPO, `acme/${slug}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamMembersError);
    expect((error as TeamMembersError).reason).toBe("not-a-team");
    expect(unmatched).toEqual([]);
  });
});
