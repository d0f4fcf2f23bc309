import nock from "nock";
import { ProbotOctokit } from "probot";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import type { GitHub } from "../../src/github/client.js";
import { attendanceFollowUp } from "../../src/minutes/attendance-follow-up.js";

/**
 * Who writes it: a config author sets `attendance.file` to any relative `.md` path of the
 * repository (the schema refuses only `..`, `.git`, absolute paths and non-Markdown): README.md,
 * CODE_OF_CONDUCT.md, GOVERNANCE.md, or an earlier meeting's minutes (`meetings/2026-11-25.md`).
 * Unlike the decisions log (decisions-log.ts keeps "anything else here as written"), the
 * attendance file is generated whole and never read first: every minutes PR replaces that file.
 * A typo or a hostile config then erases a document in a PR whose title says it adds minutes.
 */
const API = "https://api.github.com";
const REPO = { owner: "acme", repo: "wg" };
const README = "# Hello WG\n\nOur charter, members and how to join.\n";

function series(file: string) {
  const parsed = parseConfigText(`meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [acme/wg] }
    attendance: { file: ${file}, window: 1 }
`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config.meetings[0]!;
}

function octokit(): GitHub {
  const Octokit = ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));
  return new Octokit({ auth: "token" }) as unknown as GitHub;
}

describe("issue 13, adversarial: attendance.file naming a file the App did not write", () => {
  // Guarded: the attendance file is read first and replaced only when missing or carrying the App's marker line.
  it("attendance.file: README.md, a hand-written file, is not replaced: its text is kept or the file is left alone", async () => {
    nock(API)
      .get(`/repos/acme/wg/contents/README.md`)
      .query(true)
      .optionally()
      .reply(200, { type: "file", encoding: "base64", size: README.length, content: Buffer.from(README).toString("base64") });
    const result = await attendanceFollowUp({
      gh: octokit(),
      repo: REPO,
      ref: "main",
      series: series("README.md"),
      date: "2026-12-02",
      minutes: "# Hello team meeting 2026-12-02\n\n## Present\n\n* @alice\n",
      log: pino({ level: "silent" }),
    });
    const readme = result.files.find((file) => file.path === "README.md");
    if (readme) expect(readme.content).toContain("Our charter, members and how to join.");
  });
});
