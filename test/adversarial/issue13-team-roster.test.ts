import nock from "nock";
import { ProbotOctokit } from "probot";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import type { GitHub } from "../../src/github/client.js";
import { attendanceFollowUp } from "../../src/minutes/attendance-follow-up.js";

/**
 * Who writes it: a config author (anyone whose PR to .github/meetings.yml is merged) sets
 * `quorum.members: acme/some-team`. The App reads the team with the organization permission
 * `members: read`, which sees what the public cannot: secret teams, and members who keep their
 * organization membership private. The quorum statement then names every member, present or not
 * (`* Absent: …`, `* Not counted …`), in the minutes PR body of a repository that may be public,
 * and ATTENDANCE.md commits the same roster. Who attended is public already (the minutes say it);
 * who else is on the team is not.
 */
const API = "https://api.github.com";
const REPO = { owner: "acme", repo: "wg" };

function series() {
  const parsed = parseConfigText(`meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [acme/wg] }
    quorum: { members: acme/security-responders, ratio: 0.5, window: 0 }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config.meetings[0]!;
}

const MINUTES = `# Hello team meeting 2026-12-02

## Present

* @alice
* @bob
`;

function octokit(): GitHub {
  const Octokit = ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));
  return new Octokit({ auth: "token" }) as unknown as GitHub;
}

describe("issue 13, adversarial: a team's roster in a public repository", () => {
  // Guarded: in a public repository, a team's members are named only when the minutes show them present; the rest are counted.
  it("in a public repository the quorum statement names no team member who is not in the minutes", async () => {
    const scope = nock(API)
      .get("/orgs/acme/teams/security-responders/members")
      .query({ per_page: "100" })
      .reply(200, [{ login: "alice" }, { login: "bob" }, { login: "quiet-member" }, { login: "private-member" }]);
    const result = await attendanceFollowUp({
      gh: octokit(),
      repo: REPO,
      ref: "main",
      series: series(),
      date: "2026-12-02",
      minutes: MINUTES,
      log: pino({ level: "silent" }),
      // The webhook's repository.private.
      ...({ repoPrivate: false } as object),
    } as Parameters<typeof attendanceFollowUp>[0]);
    expect(scope.isDone()).toBe(true);
    expect(result.quorum).toContain("alice");
    expect(result.quorum).not.toContain("quiet-member");
    expect(result.quorum).not.toContain("private-member");
  });
});
