import webhooks from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CONFIG_CHECK_PULL_REQUEST_EVENTS, checkConfigOnPullRequest, checkConfigOnPush, type ConfigCheckDeps } from "../../src/checks/config-check-handlers.js";
import { parseHackmdAllowList } from "../../src/hackmd/allow-list.js";
import { API, mockToken } from "../helpers/github.js";
import { memoryLogger, privateKey } from "../helpers/probot.js";

/**
 * One HackMD token serves every installation: the operator's WG_MEETINGS_HACKMD_ALLOW says which
 * workspaces each owner's configs may use, and the config check run says so on the config's
 * line, through the real push and pull_request handlers, before any meeting is opened.
 */
type Example = { name: string; examples: Array<Record<string, any>> };
const examples = (name: string) => (webhooks as unknown as Example[]).find((w) => w.name === name)!.examples;
const pushExample = examples("push").find((e) => e.installation && e.ref.startsWith("refs/heads/") && !e.deleted)!;
const HELLO = "/repos/Codertocat/Hello-World";
const CONFIG_URL = `${HELLO}/contents/${encodeURIComponent(".github/meetings.yml")}`;

const config = (team: string) => `meetings:
  - id: web
    name: Web team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: web-agenda, orgs: [acme] }
    minutes:
      doc: hackmd
      hackmd:
        team: ${team}
`;

async function probotWithConfigCheck(deps: ConfigCheckDeps) {
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: memoryLogger().log,
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load((app: Probot) => {
    app.on("push", checkConfigOnPush(deps));
    app.on([...CONFIG_CHECK_PULL_REQUEST_EVENTS], checkConfigOnPullRequest(deps));
  });
  return probot;
}

async function pushConfig(text: string, deps: ConfigCheckDeps) {
  const scope = nock(API);
  mockToken(scope, 1);
  scope.get(`${HELLO}/commits/${pushExample.after}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
  scope.get(CONFIG_URL).query({ ref: pushExample.after }).reply(200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") });
  const bodies: Array<Record<string, any>> = [];
  scope.post(`${HELLO}/check-runs`, (body) => (bodies.push(body), true)).reply(201, { id: 4242 });
  const probot = await probotWithConfigCheck(deps);
  const payload = structuredClone(pushExample);
  payload.ref = "refs/heads/edit-meetings";
  payload.commits = [{ ...payload.commits[0], added: [], removed: [], modified: [".github/meetings.yml"] }];
  await probot.receive({ id: "push-hackmd", name: "push", payload: payload as any });
  expect(scope.isDone()).toBe(true);
  return bodies;
}

describe("the config check run and the operator's HackMD allow-list", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-10-28T12:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  const allow = parseHackmdAllowList("codertocat=team:codertocat-notes, acme=team:acme-private");

  it("fails a push whose config names a HackMD team the list does not allow for the owner, on the team's line, without naming other owners' entries", async () => {
    const bodies = await pushConfig(config("acme-private"), { hackmdAllow: allow });
    expect(bodies[0]).toMatchObject({ conclusion: "failure", output: { title: "1 error in .github/meetings.yml" } });
    expect(bodies[0]!.output.annotations).toEqual([
      {
        path: ".github/meetings.yml",
        start_line: 12,
        end_line: 12,
        annotation_level: "failure",
        title: "meetings[0].minutes.hackmd.team",
        message:
          "HackMD team acme-private is not on the App's HackMD allow-list for Codertocat, so the App did not use it: ask the App's operator to add Codertocat=team:acme-private to WG_MEETINGS_HACKMD_ALLOW, or use a workspace they allow",
      },
    ]);
    expect(JSON.stringify(bodies[0])).not.toContain("acme=");
  });

  it("passes the owner's own team", async () => {
    const bodies = await pushConfig(config("codertocat-notes"), { hackmdAllow: allow });
    expect(bodies[0]).toMatchObject({ conclusion: "success", output: { title: ".github/meetings.yml is valid: 1 series" } });
  });
});
