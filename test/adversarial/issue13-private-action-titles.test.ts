import nock from "nock";
import { ProbotOctokit } from "probot";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import type { GitHub } from "../../src/github/client.js";
import { followUpOf, listOtherActionItems } from "../../src/meetings/follow-up.js";

/**
 * Who writes it: a config author sets `actionItems.repository` to a private repository of the
 * org (say the security team's) while the meetings run in a public one. Opening the issues there
 * is allowed (public minutes into a private repository leak nothing), but every later meeting
 * issue lists the open ones with their *current* title and assignees, read from the private
 * repository: a title a private maintainer edited ("Fix CVE-2026-1234: heap overflow in the
 * parser") is copied into the public meeting issue. follow-up-on-merge.ts refuses the other
 * direction (private minutes, public repository); the listing back checks no visibility at all.
 */
const API = "https://api.github.com";
const BOT = "wg-meetings[bot]";
const REPO = { owner: "acme", repo: "wg" };

function series() {
  const parsed = parseConfigText(`meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [acme/wg] }
    actionItems: { repository: security-private }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config.meetings[0]!;
}

function octokit(): GitHub {
  const Octokit = ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));
  return new Octokit({ auth: "token" }) as unknown as GitHub;
}

const SECRET_TITLE = "Fix CVE-2026-1234: heap overflow in the parser";
const actionIssue = {
  number: 12,
  html_url: "https://github.com/acme/security-private/issues/12",
  title: SECRET_TITLE,
  state: "open",
  user: { login: BOT, type: "Bot" },
  assignees: [{ login: "alice" }],
  created_at: "2026-11-26T18:00:00Z",
  body: `An action item.\n\n- **Owners:** @alice\n\n<!-- wg-meetings:action-item {"v":1,"meeting":"acme/wg","series":"hello","date":"2026-11-25","key":"0123456789abcdef"} -->\n`,
};

describe("issue 13, adversarial: a private actionItems.repository listed in a public meeting", () => {
  // Guarded: a private actionItems.repository's open items are listed in a public meeting's issue without their titles or owners.
  it("the next issue of a public meeting shows no title read from a private actionItems.repository", async () => {
    nock(API)
      .get("/repos/acme/security-private")
      .optionally()
      .reply(200, { full_name: "acme/security-private", private: true, archived: false })
      .get("/repos/acme/wg")
      .optionally()
      .reply(200, { full_name: "acme/wg", private: false, archived: false })
      .get("/repos/acme/security-private/issues")
      .query(true)
      .optionally()
      .reply(200, [actionIssue]);
    const gh = octokit();
    const actionItemIssues = await listOtherActionItems(gh, series(), REPO, BOT, pino({ level: "silent" }));
    const followUp = followUpOf({
      series: series(),
      at: "2026-12-02T16:00:00.000Z",
      date: "2026-12-02",
      repo: REPO,
      defaultBranch: "main",
      webUrl: "https://github.com",
      botLogin: BOT,
      issues: [],
      actionItemIssues,
    });
    const titles = (followUp.openActionItems?.items ?? []).map((item) => item.title);
    expect(titles).not.toContain(SECRET_TITLE);
  });
});
