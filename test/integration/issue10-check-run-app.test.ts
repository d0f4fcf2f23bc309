import webhooks from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import nock from "nock";
import { describe, expect, it } from "vitest";
import { API, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Issue 10: the config check finds its earlier check run by name *and* App. Any App, or a
 * workflow's token, can put a check run named `wg-meetings / config` on a commit; matched by
 * name alone, it made the App skip its own check, or take that run as the one it had created.
 */
type Example = { name: string; examples: Array<Record<string, any>> };
const pushExample = (webhooks as unknown as Example[]).find((w) => w.name === "push")!.examples.find(
  (e) => e.installation && e.ref.startsWith("refs/heads/") && !e.deleted,
)!;
const REPO = "/repos/Codertocat/Hello-World";
const SHA = pushExample.after as string;
const NAME = "wg-meetings / config";
/** The App's id in createTestProbot. */
const APP_ID = 123;
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
`;
/** A check run of the same name by another App, as GitHub lists it. */
const FORGED = { id: 666, name: NAME, head_sha: SHA, status: "completed", conclusion: "success", app: { id: 999, slug: "mallory-ci" } };

/** A push to a feature branch that changed the config: only the config check runs. */
function push() {
  const payload = structuredClone(pushExample);
  payload.ref = "refs/heads/edit-meetings";
  payload.commits = [{ ...payload.commits[0], added: [], modified: [".github/meetings.yml"], removed: [] }];
  return { id: `push-${Math.random()}`, name: "push" as const, payload: payload as any };
}

function listing(scope: nock.Scope, runs: object[]) {
  scope
    .get(`${REPO}/commits/${SHA}/check-runs`)
    .query({ check_name: NAME, filter: "latest", app_id: String(APP_ID), per_page: "1" })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

function configAtCommit(scope: nock.Scope) {
  scope
    .get(`${REPO}/contents/${encodeURIComponent(".github/meetings.yml")}`)
    .query({ ref: SHA })
    .reply(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") });
}

describe("issue 10: check runs are found by name and App", () => {
  it("another App's check run of the same name on the commit does not stop the App's own check", async () => {
    const scope = nock(API);
    mockToken(scope, pushExample.installation.id);
    // Asked for the App's runs only; a listing that still holds another App's run is not believed.
    listing(scope, [FORGED]);
    configAtCommit(scope);
    let created: Record<string, any> | undefined;
    scope.post(`${REPO}/check-runs`, (body) => ((created = body), true)).reply(201, { id: 4242, app: { id: APP_ID } });

    const { probot, logs } = await createTestProbot();
    await probot.receive(push());

    expect(scope.isDone()).toBe(true);
    expect(created).toMatchObject({ name: NAME, head_sha: SHA, status: "completed", conclusion: "success" });
    expect(logs.find((line) => line.msg === "config check posted")).toMatchObject({ checkRunId: 4242 });
  });

  it("after a lost answer to the create, another App's run is not taken for the App's own: it is created once more", async () => {
    const scope = nock(API);
    mockToken(scope, pushExample.installation.id);
    listing(scope, []);
    configAtCommit(scope);
    const creates: Array<Record<string, any>> = [];
    scope.post(`${REPO}/check-runs`, (body) => (creates.push(body), true)).reply(502, { message: "Bad Gateway" });
    // Looked for again: only the other App's run is there.
    listing(scope, [FORGED]);
    scope.post(`${REPO}/check-runs`, (body) => (creates.push(body), true)).reply(201, { id: 4243, app: { id: APP_ID } });

    const { probot, logs } = await createTestProbot();
    await probot.receive(push());

    expect(scope.isDone()).toBe(true);
    expect(creates).toHaveLength(2);
    expect(creates[1]).toEqual(creates[0]);
    expect(logs.find((line) => line.msg === "config check posted")).toMatchObject({ checkRunId: 4243 });
  });

  it("the App's own earlier run (a redelivery) is found, and nothing is written", async () => {
    const scope = nock(API);
    mockToken(scope, pushExample.installation.id);
    listing(scope, [{ ...FORGED, id: 4242, app: { id: APP_ID, slug: "wg-meetings" } }]);

    const { probot, logs } = await createTestProbot();
    await probot.receive(push());

    expect(scope.isDone()).toBe(true);
    expect(logs.some((line) => line.msg === "config check skipped: this commit already has one")).toBe(true);
  });
});
