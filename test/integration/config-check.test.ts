import { readFileSync } from "node:fs";
import webhooks from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CONFIG_CHECK_PULL_REQUEST_EVENTS,
  checkConfigOnPullRequest,
  checkConfigOnPush,
  type ConfigCheckDeps,
} from "../../src/checks/config-check-handlers.js";
import { API, mockToken } from "../helpers/github.js";
import { memoryLogger, privateKey } from "../helpers/probot.js";

const REPO = "/repos/Codertocat/Hello-World";
const CONFIG_URL = `${REPO}/contents/${encodeURIComponent(".github/meetings.yml")}`;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/checks/${name}`, import.meta.url), "utf8");

/** Monday 2024-10-28 12:00 UTC: the US changes clocks on Sunday 2024-11-03. */
const NOW = new Date("2024-10-28T12:00:00Z");

// Real payloads from @octokit/webhooks-examples, mutated only where a test says so.
type Example = { name: string; examples: Array<Record<string, any>> };
const examples = (name: string) => (webhooks as unknown as Example[]).find((w) => w.name === name)!.examples;
const pushExample = examples("push").find((e) => e.installation && e.ref.startsWith("refs/heads/") && !e.deleted)!;
const pullExample = (action: string) => examples("pull_request").find((e) => e.action === action && e.installation)!;
const PUSH_SHA = pushExample.after as string;
const PR_SHA = pullExample("opened").pull_request.head.sha as string;

function pushTouching(change: { added?: string[]; modified?: string[]; removed?: string[] }, ref = "refs/heads/edit-meetings") {
  const payload = structuredClone(pushExample);
  payload.ref = ref;
  payload.commits = [{ ...payload.commits[0], added: [], modified: [], removed: [], ...change }];
  return payload;
}

/** A tiny app with only the config check handlers, wired as `src/index.ts` wires them. */
async function probotWithConfigCheck(deps: ConfigCheckDeps = {}) {
  const logger = memoryLogger();
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: logger.log,
    Octokit: ProbotOctokit.defaults((instanceOptions: object) => ({
      ...instanceOptions,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load((app: Probot) => {
    app.on("push", checkConfigOnPush(deps));
    app.on([...CONFIG_CHECK_PULL_REQUEST_EVENTS], checkConfigOnPullRequest(deps));
  });
  return { probot, logs: logger.lines };
}

/** No check run named ours on the commit yet. */
function mockNoCheckRun(scope: nock.Scope, sha: string): nock.Scope {
  return scope
    .get(`${REPO}/commits/${sha}/check-runs`)
    .query({ check_name: "wg-meetings / config", filter: "latest", app_id: "123", per_page: "1" })
    .reply(200, { total_count: 0, check_runs: [] });
}

function mockConfigAt(scope: nock.Scope, sha: string, text: string | null): nock.Scope {
  const interceptor = scope.get(CONFIG_URL).query({ ref: sha });
  return text === null
    ? interceptor.reply(404, { message: "Not Found" })
    : interceptor.reply(200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") });
}

/** Records every check-run write's body, in order. */
function recordCheckRuns(scope: nock.Scope, updates = 0) {
  const bodies: Array<Record<string, any>> = [];
  scope.post(`${REPO}/check-runs`, (body) => (bodies.push(body), true)).reply(201, { id: 4242 });
  for (let i = 0; i < updates; i++) scope.patch(`${REPO}/check-runs/4242`, (body) => (bodies.push(body), true)).reply(200, { id: 4242 });
  return bodies;
}

describe("config check runs", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a push to a branch that changes a valid config gets a success check with the next meetings", async () => {
    const scope = nock(API);
    mockToken(scope, 1);
    mockNoCheckRun(scope, PUSH_SHA);
    mockConfigAt(scope, PUSH_SHA, fixture("security-wg.yml"));
    const bodies = recordCheckRuns(scope);

    const { probot } = await probotWithConfigCheck();
    await probot.receive({ id: "push-1", name: "push", payload: pushTouching({ modified: [".github/meetings.yml"] }) as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(bodies).toMatchInlineSnapshot(`
      [
        {
          "conclusion": "success",
          "head_sha": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          "name": "wg-meetings / config",
          "output": {
            "summary": "The next meetings of each series, in its own zone, and when each meeting's issue opens. Meetings are opened from the config on the default branch: this takes effect once it is there.

      ### Security team (\`security\`)

      - Thu 31-Oct-2024 10:00 (America/New_York) — 14:00 UTC; issue opens Mon 28-Oct-2024 10:00
      - Thu 07-Nov-2024 10:00 (America/New_York) — 15:00 UTC; issue opens Mon 04-Nov-2024 10:00
      - Thu 14-Nov-2024 10:00 (America/New_York) — 15:00 UTC; issue opens Mon 11-Nov-2024 10:00",
            "title": ".github/meetings.yml is valid: 1 series",
          },
          "status": "completed",
        },
      ]
    `);
  });

  it("pull_request.opened with an invalid config: failure, one annotation per error line", async () => {
    const scope = nock(API);
    mockToken(scope, 1);
    // Two pages of files: the config is on the second.
    scope
      .get(`${REPO}/pulls/2/files`)
      .query({ per_page: "100" })
      .reply(200, Array.from({ length: 100 }, (_, i) => ({ filename: `docs/${i}.md`, status: "added" })), {
        link: `<${API}${REPO}/pulls/2/files?per_page=100&page=2>; rel="next", <${API}${REPO}/pulls/2/files?per_page=100&page=2>; rel="last"`,
      });
    scope
      .get(`${REPO}/pulls/2/files`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [{ filename: ".github/meetings.yml", status: "modified" }]);
    mockNoCheckRun(scope, PR_SHA);
    mockConfigAt(scope, PR_SHA, fixture("invalid.yml"));
    const bodies = recordCheckRuns(scope);

    const { probot } = await probotWithConfigCheck();
    await probot.receive({ id: "pr-1", name: "pull_request", payload: pullExample("opened") as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(bodies).toMatchInlineSnapshot(`
      [
        {
          "conclusion": "failure",
          "head_sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
          "name": "wg-meetings / config",
          "output": {
            "annotations": [
              {
                "annotation_level": "failure",
                "end_line": 7,
                "message": "unknown time zone "America/Gotham" (use an IANA name such as America/New_York)",
                "path": ".github/meetings.yml",
                "start_line": 7,
                "title": "meetings[0].schedule.zone",
              },
              {
                "annotation_level": "failure",
                "end_line": 8,
                "message": "unknown key "createBefor" (did you mean "createBefore"?)",
                "path": ".github/meetings.yml",
                "start_line": 8,
                "title": "meetings[0].createBefor",
              },
            ],
            "summary": "wg-meetings cannot use this \`.github/meetings.yml\`: fix the 2 errors below and push again.

      2 errors are annotated on their lines.",
            "title": "2 errors in .github/meetings.yml",
          },
          "status": "completed",
        },
      ]
    `);
  });

  it("a pull request from a fork is checked without reading its calendars or feeds", async () => {
    const text = `meetings:\n  - id: f\n    name: F\n    schedule:\n      ical: { url: "https://calendar.example.org/feed.ics" }\n    agenda: { label: x, orgs: [y] }\n`;
    const scope = nock(API);
    mockToken(scope, 1);
    scope.get(`${REPO}/pulls/2/files`).query({ per_page: "100" }).reply(200, [{ filename: ".github/meetings.yml", status: "modified" }]);
    mockNoCheckRun(scope, PR_SHA);
    mockConfigAt(scope, PR_SHA, text);
    const bodies = recordCheckRuns(scope);
    const fetched: string[] = [];

    const { probot } = await probotWithConfigCheck({ fetchText: async (url) => (fetched.push(url), "") });
    const payload = structuredClone(pullExample("opened")) as any;
    payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: "mallory/Hello-World" };
    await probot.receive({ id: "pr-fork", name: "pull_request", payload });

    expect(scope.pendingMocks()).toEqual([]);
    expect(fetched).toEqual([]);
    expect(bodies[0]).toMatchObject({ conclusion: "success" });
    expect(bodies[0]!.output.summary).toContain("This pull request comes from a fork: its series are checked, and their meetings are listed once the change is pushed to this repository.\n\n- F (`f`)");
  });

  it("pull_request.synchronize with more than 50 errors: one create with the first 50 annotations and the count of the rest, no update", async () => {
    const text = `meetings:\n${Array.from({ length: 60 }, (_, i) => `  - id: s${i}\n    name: S${i}\n    schedule: R/2024-10-01T08:00:00[Asia/Tokyo]/P2W\n    agenda: { label: x, orgs: [y] }\n    bogus: ${i}\n`).join("")}`;
    const scope = nock(API);
    mockToken(scope, 1);
    scope.get(`${REPO}/pulls/2/files`).query({ per_page: "100" }).reply(200, [{ filename: ".github/meetings.yml", status: "modified" }]);
    mockNoCheckRun(scope, PR_SHA);
    mockConfigAt(scope, PR_SHA, text);
    // No update is mocked: one would fail the webhook (nock refuses unmatched requests).
    const bodies = recordCheckRuns(scope);

    const { probot } = await probotWithConfigCheck();
    await probot.receive({ id: "pr-2", name: "pull_request", payload: pullExample("synchronize") as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(bodies).toHaveLength(1);
    const [create] = bodies;
    expect(create).toMatchObject({
      name: "wg-meetings / config",
      head_sha: PR_SHA,
      status: "completed",
      conclusion: "failure",
      output: {
        title: "60 errors in .github/meetings.yml",
        summary:
          "wg-meetings cannot use this `.github/meetings.yml`: it has 60 errors: fix the first ones below and push again.\n\n" +
          "50 errors are annotated on their lines.\n\n" +
          "… and 10 more errors (the first 50 are listed; fix them and check again)",
      },
    });
    expect(create!.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual(Array.from({ length: 50 }, (_, i) => 6 + i * 5));
    expect(create!.output.annotations[49]).toEqual({
      path: ".github/meetings.yml",
      start_line: 251,
      end_line: 251,
      annotation_level: "failure",
      title: "meetings[49].bogus",
      message: 'unknown key "bogus" (valid keys: id, name, host, schedule, duration, createBefore, agenda, timezones, issue, minutes, chairs, actionItems, decisions, itemComments, quorum, attendance, announce)',
    });
  });

  it("a push that removes the config gets a neutral check", async () => {
    const scope = nock(API);
    mockToken(scope, 1);
    mockNoCheckRun(scope, PUSH_SHA);
    mockConfigAt(scope, PUSH_SHA, null);
    const bodies = recordCheckRuns(scope);

    const { probot } = await probotWithConfigCheck();
    await probot.receive({ id: "push-2", name: "push", payload: pushTouching({ removed: [".github/meetings.yml"] }) as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(bodies).toEqual([
      {
        name: "wg-meetings / config",
        head_sha: PUSH_SHA,
        status: "completed",
        conclusion: "neutral",
        output: {
          title: ".github/meetings.yml was removed",
          summary:
            "This commit has no `.github/meetings.yml`. Once that is on the default branch, wg-meetings opens no more meetings in this repository.",
        },
      },
    ]);
  });

  it("a commit that already has the check run gets no second one (redelivery, or a PR opened on a pushed commit)", async () => {
    const scope = nock(API);
    mockToken(scope, 1);
    scope
      .get(`${REPO}/commits/${PUSH_SHA}/check-runs`)
      .query({ check_name: "wg-meetings / config", filter: "latest", app_id: "123", per_page: "1" })
      .reply(200, { total_count: 1, check_runs: [{ id: 4242, name: "wg-meetings / config", app: { id: 123, slug: "wg-meetings" } }] });

    const { probot, logs } = await probotWithConfigCheck();
    await probot.receive({ id: "push-3", name: "push", payload: pushTouching({ modified: [".github/meetings.yml"] }) as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(logs.some((line) => line.msg === "config check skipped: this commit already has one")).toBe(true);
  });

  it("an installation that has not granted `checks: write` yet gets a warning in the log, not a failed webhook", async () => {
    const scope = nock(API);
    mockToken(scope, 1);
    scope
      .get(`${REPO}/commits/${PUSH_SHA}/check-runs`)
      .query(true)
      .reply(403, { message: "Resource not accessible by integration" });

    const { probot, logs } = await probotWithConfigCheck();
    await probot.receive({ id: "push-7", name: "push", payload: pushTouching({ modified: [".github/meetings.yml"] }) as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(logs.find((line) => line.msg.startsWith("config check skipped: the installation has not granted"))).toMatchObject({ level: 40 });
  });

  it("pushes and pull requests that do not touch the config send nothing but the PR's file list", async () => {
    const scope = nock(API);
    mockToken(scope, 1);
    scope.get(`${REPO}/pulls/2/files`).query({ per_page: "100" }).reply(200, [{ filename: "README.md", status: "modified" }]);

    const { probot } = await probotWithConfigCheck();
    await probot.receive({ id: "push-4", name: "push", payload: pushTouching({ modified: ["README.md"] }) as any });
    await probot.receive({ id: "push-5", name: "push", payload: pushTouching({ modified: [".github/meetings.yml"] }, "refs/tags/v1") as any });
    const deleted = { ...pushTouching({}), deleted: true, after: "0000000000000000000000000000000000000000" };
    await probot.receive({ id: "push-6", name: "push", payload: deleted as any });
    await probot.receive({ id: "pr-3", name: "pull_request", payload: pullExample("reopened") as any });

    expect(scope.pendingMocks()).toEqual([]);
  });
});
