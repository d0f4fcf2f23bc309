import webhooks from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CONFIG_CHECK_PULL_REQUEST_EVENTS, checkConfigOnPullRequest, checkConfigOnPush } from "../../src/checks/config-check-handlers.js";
import { API, mockToken } from "../helpers/github.js";
import { memoryLogger, privateKey } from "../helpers/probot.js";

// Issue 10, finding 1: the config check run of a fork's pull request resolved `_extends` with the
// installation's token at the fork's commit and published the result. A fork's author (anyone)
// could make a public check run show a private repository's series, the top-level keys of any
// private YAML file, and whether a private file exists. Each attack below is replayed through
// the real webhook path; the private repository answers every request, so any read of it (and
// any word of it in the check run) is caught.

const REPO = "/repos/Codertocat/Hello-World";
const CONFIG_URL = `${REPO}/contents/${encodeURIComponent(".github/meetings.yml")}`;
const NOW = new Date("2024-10-28T12:00:00Z");

type Example = { name: string; examples: Array<Record<string, any>> };
const examples = (name: string) => (webhooks as unknown as Example[]).find((w) => w.name === name)!.examples;
const pullOpened = examples("pull_request").find((e) => e.action === "opened" && e.installation)!;
const pushExample = examples("push").find((e) => e.installation && e.ref.startsWith("refs/heads/") && !e.deleted)!;
const PR_SHA = pullOpened.pull_request.head.sha as string;

/** pull_request.opened from mallory's fork. */
function forkPullRequest() {
  const payload = structuredClone(pullOpened);
  payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: "mallory/Hello-World" };
  return payload;
}

/** The owner's private repository: a security team's embargoed meetings and a deploy workflow. */
const PRIVATE_MEETINGS = `meetings:
  - id: cve-2024-embargo
    name: Embargoed CVE triage
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2024-10-02T09:00
      zone: America/New_York
    agenda: { label: cve-embargo, orgs: [Codertocat] }
`;
const PRIVATE_WORKFLOW = `name: Deploy
on: push
permissions: { id-token: write }
jobs:
  deploy-to-prod-cluster-x9:
    runs-on: ubuntu-latest
    steps: [{ run: ./deploy.sh }]
`;
/** Words of the private files that must never appear in a check run. */
const SECRETS = ["cve-2024-embargo", "Embargoed", "Wed 30-Oct-2024", "deploy-to-prod-cluster-x9", "permissions", "jobs", "Deploy", "runs-on"];

/**
 * Answers every request for the private repository, as GitHub answers the installation's token
 * (which can read it), and records them. Optional: the fixed App never asks.
 */
function privateRepository(files: Record<string, string | null>) {
  const requested: string[] = [];
  nock(API)
    .get(/^\/repos\/Codertocat\/embargo\//)
    .query(true)
    .optionally()
    .times(10)
    .reply((uri) => {
      requested.push(uri);
      const path = decodeURIComponent(uri.split("/contents/")[1]?.split("?")[0] ?? "");
      const text = files[path];
      return text === null || text === undefined ? [404, { message: "Not Found" }] : [200, text, { "content-type": "application/vnd.github.raw; charset=utf-8" }];
    });
  return requested;
}

/**
 * The conversation the check run needs and no more: the token, the PR's files, the check-run
 * look-up, the changed file at the head commit, the created check run. (Probot's config plugin
 * would read the same file again as raw text before following `_extends`: answered, optionally,
 * so that a reverted fix reaches the private repository and the assertions below catch it.)
 */
function checkConversation(sha: string, text: string, options: { pullRequest: boolean }) {
  const scope = nock(API);
  mockToken(scope, 1);
  if (options.pullRequest) scope.get(`${REPO}/pulls/2/files`).query({ per_page: "100" }).reply(200, [{ filename: ".github/meetings.yml", status: "modified" }]);
  scope.get(`${REPO}/commits/${sha}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
  scope.get(CONFIG_URL).query({ ref: sha }).reply(200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") });
  nock(API).get(CONFIG_URL).query({ ref: sha }).optionally().reply(200, text, { "content-type": "application/vnd.github.raw; charset=utf-8" });
  const bodies: Array<Record<string, any>> = [];
  scope.post(`${REPO}/check-runs`, (body) => (bodies.push(body), true)).reply(201, { id: 4242 });
  return { scope, bodies };
}

async function probotWithConfigCheck() {
  const logger = memoryLogger();
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: logger.log,
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  const deps = { googleAllow: { mode: "unset" as const, entries: [] } };
  await probot.load((app: Probot) => {
    app.on("push", checkConfigOnPush(deps));
    app.on([...CONFIG_CHECK_PULL_REQUEST_EVENTS], checkConfigOnPullRequest(deps));
  });
  return probot;
}

async function checkForkPullRequest(text: string, privateFiles: Record<string, string | null>) {
  const requested = privateRepository(privateFiles);
  const { scope, bodies } = checkConversation(PR_SHA, text, { pullRequest: true });
  const probot = await probotWithConfigCheck();
  await probot.receive({ id: "pr-fork", name: "pull_request", payload: forkPullRequest() as any });
  expect(scope.isDone()).toBe(true);
  expect(bodies).toHaveLength(1);
  return { body: bodies[0]!, requested };
}

function expectNoSecrets(body: Record<string, any>): void {
  const published = JSON.stringify(body);
  for (const secret of SECRETS) expect(published, `the check run says "${secret}"`).not.toContain(secret);
}

describe("a fork's pull request whose config `_extends` a private file", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it("a private repository's meetings: never read, and not one word of them in the check run", async () => {
    const { body, requested } = await checkForkPullRequest("_extends: Codertocat/embargo:.github/meetings.yml\n", {
      ".github/meetings.yml": PRIVATE_MEETINGS,
    });

    expect(requested).toEqual([]);
    expectNoSecrets(body);
    expect(body).toMatchObject({
      conclusion: "neutral",
      output: {
        title: ".github/meetings.yml takes its series from _extends",
        summary:
          "This file has no `meetings` of its own, and nothing else in it is wrong.\n\n" +
          "This file declares `_extends`. The check reads this file alone, never the one it extends: the App resolves `_extends` when it reads the config from the default branch, after merge. Its series come from the config it extends.",
      },
    });
  });

  it("a private workflow file: its top-level keys do not leak as unknown keys", async () => {
    const { body, requested } = await checkForkPullRequest("_extends: Codertocat/embargo:.github/workflows/deploy.yml\n", {
      ".github/workflows/deploy.yml": PRIVATE_WORKFLOW,
    });

    expect(requested).toEqual([]);
    expectNoSecrets(body);
    expect(body.output.annotations ?? []).toEqual([]);
  });

  it("the fork's own series are checked and listed, without reading the extended file or working out their meetings", async () => {
    const own = `_extends: Codertocat/embargo:.github/meetings.yml
meetings:
  - id: fork-series
    name: Fork series
    schedule: R/2024-10-01T08:00:00[Asia/Tokyo]/P2W
    agenda: { label: x, orgs: [mallory] }
    bogus: 1
`;
    const { body, requested } = await checkForkPullRequest(own, { ".github/meetings.yml": PRIVATE_MEETINGS });

    expect(requested).toEqual([]);
    expectNoSecrets(body);
    // Only errors of the changed file, on its own lines.
    expect(body.output.annotations).toEqual([expect.objectContaining({ start_line: 7, title: "meetings[0].bogus" })]);
  });

  it("whether the private file exists: missing and present give the same check run, byte for byte", async () => {
    const text = "_extends: Codertocat/embargo:.github/workflows/release.yml\n";
    const present = await checkForkPullRequest(text, { ".github/workflows/release.yml": PRIVATE_WORKFLOW });
    nock.cleanAll();
    const missing = await checkForkPullRequest(text, { ".github/workflows/release.yml": null });

    expect([...present.requested, ...missing.requested]).toEqual([]);
    expect(missing.body).toEqual(present.body);
    expect(present.body).toMatchObject({ conclusion: "neutral" });
  });
});

describe("the repository's own branches: `_extends` is not read for their check runs either", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it("a push to a branch whose config extends a private file reads nothing but the changed file", async () => {
    // The check run is public to the repository's readers, who may not read the extended
    // repository; its verdict must not depend on it either.
    const requested = privateRepository({ ".github/meetings.yml": PRIVATE_MEETINGS });
    const { scope, bodies } = checkConversation(pushExample.after, "_extends: Codertocat/embargo:.github/meetings.yml\n", { pullRequest: false });
    const probot = await probotWithConfigCheck();
    const payload = structuredClone(pushExample);
    payload.ref = "refs/heads/edit-meetings";
    payload.commits = [{ ...payload.commits[0], added: [], removed: [], modified: [".github/meetings.yml"] }];

    await probot.receive({ id: "push-extends", name: "push", payload: payload as any });

    expect(scope.isDone()).toBe(true);
    expect(requested).toEqual([]);
    expectNoSecrets(bodies[0]!);
    expect(bodies[0]).toMatchObject({ conclusion: "neutral" });
  });
});
