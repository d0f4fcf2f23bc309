import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { API, installedRepo, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

const pushFixture = JSON.parse(readFileSync(new URL("../fixtures/push.default-branch.json", import.meta.url), "utf8"));
const installationFixture = JSON.parse(readFileSync(new URL("../fixtures/installation.created.json", import.meta.url), "utf8"));

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=MO
      start: 2026-01-05T09:00
      zone: Europe/Berlin
    createBefore: P1D
    agenda:
      label: hello-agenda
      repos: [Codertocat/Hello-World]
`;

function pushTouching(files: string[], ref = "refs/heads/master") {
  const payload = structuredClone(pushFixture);
  payload.ref = ref;
  payload.commits = [{ ...payload.commits[0], added: [], modified: files, removed: [] }];
  return payload;
}

describe("webhook triggers", () => {
  it("a push that changes .github/meetings.yml on the default branch runs the tick for that repository", async () => {
    // Sunday 2026-11-29 10:00 Berlin: Monday's meeting opened an hour ago.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-29T09:00:00Z"));
    try {
      const scope = nock(API);
      mockApp(scope);
      mockToken(scope, 1);
      scope.get("/repos/Codertocat/Hello-World").reply(200, installedRepo("Codertocat/Hello-World", { default_branch: "master" }));
      scope
        .get(`/repos/Codertocat/Hello-World/contents/${encodeURIComponent(".github/meetings.yml")}`)
        .reply(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") });
      scope.get("/repos/Codertocat/Hello-World/issues").query(true).reply(200, []);
      scope.post("/graphql", operation("AgendaSearch")).reply(200, {
        data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
      });
      scope.get("/repos/Codertocat/Hello-World/branches/master").reply(200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } });
      scope.post("/repos/Codertocat/Hello-World/git/commits").reply(201, { sha: "c" });
      scope.post("/repos/Codertocat/Hello-World/git/refs").reply(201, {});
      let created: { title: string } | undefined;
      scope
        .post("/repos/Codertocat/Hello-World/issues", (body) => ((created = body), true))
        .reply(201, { number: 3, html_url: "https://github.com/Codertocat/Hello-World/issues/3" });

      // The same push is also checked: a check run on its head commit (see config-check.test.ts).
      const payload = pushTouching([".github/meetings.yml"]);
      scope
        .get(`/repos/Codertocat/Hello-World/commits/${payload.after}/check-runs`)
        .query(true)
        .reply(200, { total_count: 0, check_runs: [] });
      scope
        .get(`/repos/Codertocat/Hello-World/contents/${encodeURIComponent(".github/meetings.yml")}`)
        .query({ ref: payload.after })
        .reply(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") });
      let check: { conclusion: string } | undefined;
      scope.post("/repos/Codertocat/Hello-World/check-runs", (body) => ((check = body), true)).reply(201, { id: 1 });

      const { probot } = await createTestProbot();
      await probot.receive({ id: "push-1", name: "push", payload });

      expect(scope.pendingMocks()).toEqual([]);
      expect(created!.title).toBe("Hello team Meeting 2026-11-30");
      expect(check!.conclusion).toBe("success");
    } finally {
      vi.useRealTimers();
    }
  });

  it("a push that does not touch the config sends nothing; on another branch it is only checked", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    const { probot } = await createTestProbot();
    await probot.receive({ id: "push-2", name: "push", payload: pushTouching(["README.md"]) });
    expect(unmatched).toEqual([]);

    // On a feature branch: a check run, but no tick (meetings run from the default branch).
    const feature = pushTouching([".github/meetings.yml"], "refs/heads/feature");
    mockToken(scope, 1);
    scope.get(`/repos/Codertocat/Hello-World/commits/${feature.after}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
    scope
      .get(`/repos/Codertocat/Hello-World/contents/${encodeURIComponent(".github/meetings.yml")}`)
      .query({ ref: feature.after })
      .reply(200, { type: "file", encoding: "base64", content: Buffer.from("meetings: []\n").toString("base64") });
    let check: { conclusion: string } | undefined;
    scope.post("/repos/Codertocat/Hello-World/check-runs", (body) => ((check = body), true)).reply(201, { id: 2 });
    await probot.receive({ id: "push-3", name: "push", payload: feature });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(check!.conclusion).toBe("failure");
  });

  it("installing the App runs the tick for the new installation only", async () => {
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 957387);
    scope.get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [installedRepo("Codertocat/Hello-World")] });
    scope.post("/graphql", operation("DiscoverMeetingConfigs")).reply(200, { data: { nodes: [{ nameWithOwner: "Codertocat/Hello-World", config: null }] } });

    const { probot, logs } = await createTestProbot();
    await probot.receive({ id: "inst-1", name: "installation", payload: installationFixture });

    expect(scope.pendingMocks()).toEqual([]);
    expect(logs.find((line) => line.msg === "tick finished")).toMatchObject({ repositories: 1, configured: 0, created: 0 });
  });
});
