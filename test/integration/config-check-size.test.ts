import webhooks from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CONFIG_CHECK_PULL_REQUEST_EVENTS, checkConfigOnPullRequest } from "../../src/checks/config-check-handlers.js";
import { MAX_CONFIG_BYTES } from "../../src/config/limits.js";
import { API, mockToken } from "../helpers/github.js";
import { memoryLogger, privateKey } from "../helpers/probot.js";

// Issue 10, finding 2: a fork's pull request with a 426 KB config of unknown keys held a
// handler for 245 s and cost 1 check-run create and 639 updates. The size is now refused at
// 64 KB; at 64 KB the parse is bounded (bench/config-parse.mjs measures it) and the report is
// capped: one create request with at most 50 annotations and the count of the rest. These tests
// replay it through the real webhook path and assert the conversation, not the time.

const REPO = "/repos/Codertocat/Hello-World";
const CONFIG_URL = `${REPO}/contents/${encodeURIComponent(".github/meetings.yml")}`;

type Example = { name: string; examples: Array<Record<string, any>> };
const pullOpened = (webhooks as unknown as Example[]).find((w) => w.name === "pull_request")!.examples.find((e) => e.action === "opened" && e.installation)!;
const PR_SHA = pullOpened.pull_request.head.sha as string;

const SERIES = `meetings:
  - id: wg
    name: WG
    schedule: R/2024-10-01T08:00:00[Asia/Tokyo]/P2W
    agenda: { label: x, orgs: [y] }
`;

/** `text` padded with a comment to exactly `MAX_CONFIG_BYTES`. */
function padded(text: string): string {
  const result = `${text}#${"-".repeat(MAX_CONFIG_BYTES - Buffer.byteLength(text) - 2)}\n`;
  expect(Buffer.byteLength(result)).toBe(MAX_CONFIG_BYTES);
  return result;
}

/** The whole conversation of one check; no `PATCH /check-runs` is answered, so an update fails the webhook. */
function checkConversation(text: string) {
  const scope = nock(API);
  mockToken(scope, 1);
  scope.get(`${REPO}/pulls/2/files`).query({ per_page: "100" }).reply(200, [{ filename: ".github/meetings.yml", status: "modified" }]);
  scope.get(`${REPO}/commits/${PR_SHA}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
  scope.get(CONFIG_URL).query({ ref: PR_SHA }).reply(200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") });
  const bodies: Array<Record<string, any>> = [];
  scope.post(`${REPO}/check-runs`, (body) => (bodies.push(body), true)).reply(201, { id: 4242 });
  return { scope, bodies };
}

async function receiveForkPullRequest(): Promise<Array<Record<string, unknown>>> {
  const logger = memoryLogger();
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: logger.log,
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load((app: Probot) => {
    app.on([...CONFIG_CHECK_PULL_REQUEST_EVENTS], checkConfigOnPullRequest({ googleAllow: { mode: "unset", entries: [] } }));
  });
  const payload = structuredClone(pullOpened);
  payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: "mallory/Hello-World" };
  // Resolves once the handler has finished; a failed request would reject it.
  await probot.receive({ id: "pr-64k", name: "pull_request", payload: payload as any });
  return logger.lines as unknown as Array<Record<string, unknown>>;
}

describe("a fork's 64 KB config of unknown keys", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-10-28T12:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("5,000 unknown keys: one check-run create with 50 annotations and the count of the rest, no update", async () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `unknown${String(i).padStart(4, "0")}:\n`).join("");
    const { scope, bodies } = checkConversation(padded(SERIES + keys));

    const logs = await receiveForkPullRequest();

    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    const [create] = bodies;
    expect(create).toMatchObject({
      name: "wg-meetings / config",
      head_sha: PR_SHA,
      status: "completed",
      conclusion: "failure",
      output: {
        title: "5,000 errors in .github/meetings.yml",
        summary:
          "wg-meetings cannot use this `.github/meetings.yml`: it has 5,000 errors: fix the first ones below and push again.\n\n" +
          "50 errors are annotated on their lines.\n\n" +
          "… and 4,950 more errors (the first 50 are listed; fix them and check again)",
      },
    });
    expect(create!.output.annotations).toHaveLength(50);
    expect(create!.output.annotations[0]).toEqual({
      path: ".github/meetings.yml",
      start_line: 6,
      end_line: 6,
      annotation_level: "failure",
      title: "unknown0000",
      message: 'unknown key "unknown0000" (valid keys: meetings)',
    });
    expect(create!.output.annotations[49].start_line).toBe(55);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "config check posted", annotations: 50, conclusion: "failure" }));
  });

  it("more values than a config may hold: refused where the count runs out, in one create", async () => {
    const keys = Array.from({ length: 9000 }, (_, i) => `k${String(i).padStart(4, "0")}: 0\n`).join("");
    const { scope, bodies } = checkConversation(SERIES + keys.slice(0, MAX_CONFIG_BYTES - SERIES.length - 100));

    await receiveForkPullRequest();

    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ conclusion: "failure", output: { title: "1 error in .github/meetings.yml" } });
    expect(bodies[0]!.output.annotations).toEqual([
      expect.objectContaining({ message: "the file holds more than 6,000 values (keys, list items, scalars): a meetings config needs far fewer (nothing was checked)" }),
    ]);
  });

  it("lists nested 5,000 levels deep: one error, and the handler finishes (yaml's recursive composer never sees them)", async () => {
    const { scope, bodies } = checkConversation(padded(`meetings:\n${"- ".repeat(5000)}x\n`));

    await receiveForkPullRequest();

    expect(scope.isDone()).toBe(true);
    expect(bodies[0]!.output.annotations).toEqual([
      expect.objectContaining({ start_line: 2, message: "mappings and lists are nested more than 32 levels deep: a meetings config needs 8 (nothing was checked)" }),
    ]);
  });
});
