import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAction, type ActionIo } from "../../src/actions/run-action.js";
import { installedRepo } from "../helpers/github.js";
import { memoryLogger } from "../helpers/probot.js";

/**
 * Issue 9: every link the App writes uses the instance's web host. `wg-meetings action` on a
 * GitHub Enterprise Server runner: the runner sets GITHUB_SERVER_URL and GITHUB_API_URL to the
 * instance, and what the tick writes (here, the alarm for an invalid config) must link there.
 */
const GHE = "https://ghe.example.test";
const GHE_API = `${GHE}/api/v3`;
const TOKEN = "ghs_workflow_token_1234";
const BASE = "/api/v3/repos/acme/tsc";
const INVALID = `meetings:
  - id: tsc
    name: TSC
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/Londn
    agenda: { label: tsc-agenda, orgs: [acme] }
`;

let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);
beforeEach(() => {
  unmatched = [];
  nock.emitter.on("no match", onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  nock.cleanAll();
});

describe("wg-meetings action on a GitHub Enterprise Server runner", () => {
  it("a scheduled run's alarm for an invalid config links the file on the instance (GITHUB_SERVER_URL), never github.com", async () => {
    let created: { title: string; body: string } | undefined;
    const scope = nock(GHE, { reqheaders: { authorization: `token ${TOKEN}` } })
      .get(BASE)
      .reply(200, installedRepo("acme/tsc", { default_branch: "trunk", html_url: `${GHE}/acme/tsc` }))
      .get(`${BASE}/contents/.github%2Fmeetings.yml`)
      .reply(200, { type: "file", encoding: "base64", content: Buffer.from(INVALID).toString("base64") })
      .get(`${BASE}/issues`)
      .query(true)
      .reply(200, [])
      .post(`${BASE}/issues`, (body) => ((created = body), true))
      .reply(201, { number: 5, html_url: `${GHE}/acme/tsc/issues/5` });

    const out: string[] = [];
    const io: ActionIo = {
      env: {
        GITHUB_EVENT_NAME: "schedule",
        GITHUB_EVENT_PATH: new URL("../fixtures/actions/schedule.json", import.meta.url).pathname,
        GITHUB_REPOSITORY: "acme/tsc",
        GITHUB_TOKEN: TOKEN,
        GITHUB_SERVER_URL: GHE,
        GITHUB_API_URL: GHE_API,
        GITHUB_STEP_SUMMARY: join(mkdtempSync(join(tmpdir(), "wg-action-ghe-")), "summary.md"),
      },
      out: (text) => out.push(text),
      err: (text) => out.push(text),
      now: () => new Date("2026-11-30T17:00:00Z"),
      log: memoryLogger().log,
      Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
    };

    await runAction(io);

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(created!.body).toContain(`(${GHE}/acme/tsc/blob/trunk/.github/meetings.yml)`);
    expect(created!.body).toContain(`(${GHE}/acme/tsc/blob/trunk/.github/meetings.yml#L7)`);
    expect(created!.body).not.toContain("github.com");
  });
});
