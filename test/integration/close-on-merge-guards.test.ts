import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeMeetingOnMerge } from "../../src/meetings/close-meeting.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { API, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot, memoryLogger } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * Merging the App's minutes PR closes the meeting it was made for, and nothing else closes a
 * meeting: not a person's PR, not a fork's, not a branch that only looks like the App's, and
 * never another series' meeting or another date's. Each guard has its own test, changing one
 * thing about the App's real PR at a time.
 */
const REPO = "Codertocat/Hello-World";
const BASE = `/repos/${REPO}`;
const BOT = "wg-meetings[bot]";
const PATH = "meetings/2026-12-02.md";
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [${REPO}] }
  - id: hello-world
    name: Hello World team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T18:00, zone: Europe/London }
    agenda: { label: hw-agenda, repos: [${REPO}] }
`;
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");

function marker(series: string, date: string, hour = "16") {
  return `<!-- wg-meetings:meeting {"v":1,"series":"${series}","at":"${date}T${hour}:00:00.000Z","date":"${date}","doc":null} -->`;
}

/**
 * The real `pull_request.closed` payload, made into the App's own merged minutes PR (its login,
 * its branch in this repository); `change` then alters one thing.
 */
function mergedPull(branch: string, change: (pull: any) => void = () => {}) {
  const payload = structuredClone(closedFixture);
  const pull = payload.pull_request;
  pull.merged = true;
  pull.number = 9;
  pull.html_url = `https://github.com/${REPO}/pull/9`;
  pull.merge_commit_sha = "abc123";
  pull.head.ref = branch;
  pull.user = { ...pull.user, login: BOT, type: "Bot" };
  pull.head.repo = { ...pull.head.repo, full_name: REPO };
  change(pull);
  return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
}

describe("a merged minutes PR closes its meeting (nock chain)", () => {
  it("the App's own PR from its branch here: one comment linking the merged file, then the issue is closed as completed", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    scope
      .get(`${BASE}/issues`)
      .query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" })
      .reply(200, [
        { number: 2, html_url: `https://github.com/${REPO}/issues/2`, title: "hw", body: marker("hello-world", "2026-12-02", "18"), state: "open", user: { login: BOT } },
        { number: 1, html_url: `https://github.com/${REPO}/issues/1`, title: "m", body: marker("hello", "2026-12-02"), state: "open", user: { login: BOT } },
      ]);
    scope.get(`${BASE}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") });
    // One delivery of the merge at a time: its claim (follow-up-claims.ts) is taken before the
    // App looks for its comment, and deleted when the merge step ends.
    const claimRef = "wg-meetings/claims/follow-up/hello/2026-12-02/abc123";
    scope.get(`${BASE}/git/commits/abc123`).reply(200, { sha: "abc123", tree: { sha: "tree9" } });
    scope.post(`${BASE}/git/commits`, (body) => body.tree === "tree9" && body.parents.length === 0).reply(201, { sha: "claim1" });
    scope.post(`${BASE}/git/refs`, { ref: `refs/${claimRef}`, sha: "claim1" }).reply(201, {});
    scope.delete(`${BASE}/git/refs/${encodeURIComponent(claimRef)}`).reply(204);
    scope.get(`${BASE}/issues/1/comments`).query(true).reply(200, []);
    let comment: { body: string } | undefined;
    scope.post(`${BASE}/issues/1/comments`, (body) => ((comment = body), true)).reply(201, {});
    let close: Record<string, unknown> | undefined;
    scope.patch(`${BASE}/issues/1`, (body) => ((close = body), true)).reply(200, {});
    // Then the follow-up reads the minutes as merged (follow-up-on-merge.test.ts has the rest); here the file is not there.
    scope.get(`${BASE}/contents/${enc(PATH)}`).query({ ref: "abc123" }).reply(404, { message: "Not Found" });

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull("wg-meetings/minutes-hello-2026-12-02"));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "meeting closed: minutes merged")).toMatchObject({ repo: REPO, issue: 1, pr: 9, alreadyClosed: false });
    expect(logs.find((line) => line.msg === "meeting left open")).toBeUndefined();
    expect(comment).toEqual({
      body: `The minutes are merged: [\`${PATH}\`](https://github.com/${REPO}/blob/abc123/${PATH}) (#9). Closing this meeting.\n\n<!-- wg-meetings:minutes-merged -->`,
    });
    expect(close).toEqual({ state: "closed", state_reason: "completed" });
    expect(logs.find((line) => line.msg === "follow-up skipped: the minutes file is not in the merge commit")).toMatchObject({ path: PATH, sha: "abc123" });
  });

  it("a PR closed without merging sends nothing at all and leaves the meeting open", async () => {
    const unmatched = recordUnmatched();
    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull("wg-meetings/minutes-hello-2026-12-02", (pull) => {
      pull.merged = false;
      pull.merge_commit_sha = null;
    }));
    expect(unmatched).toEqual([]);
    expect(logs.find((line) => line.msg === "minutes PR closed without merging: the meeting stays open")).toMatchObject({ pr: 9 });
  });

  it("a merged PR whose branch is not a minutes branch sends nothing at all", async () => {
    const unmatched = recordUnmatched();
    const { probot } = await createTestProbot();
    await probot.receive(mergedPull("feature/wg-meetings/minutes-hello-2026-12-02"));
    await probot.receive(mergedPull("changes"));
    expect(unmatched).toEqual([]);
  });
});

describe("what may not close a meeting (a stateful GitHub)", () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = fakeWorld({ repo: REPO, installationId: closedFixture.installation.id, config: CONFIG });
  });
  afterEach(() => world.close());

  /** Meeting issues the App opened, oldest first (the listing returns them newest first). */
  function meetings(...list: Array<[series: string, date: string]>) {
    for (const [series, date] of list) {
      world.issues.push({ number: world.issues.length + 1, title: `${series} ${date}`, body: `Agenda\n\n${marker(series, date)}\n`, state: "open", labels: [], user: BOT });
    }
  }

  async function receive(event: ReturnType<typeof mergedPull>) {
    const { probot, logs } = await createTestProbot();
    await probot.receive(event);
    return logs;
  }

  /** What the App changed on GitHub (reads and the installation token left out). */
  const writes = () => world.log.filter((line) => !line.startsWith("GET ") && !line.endsWith("/access_tokens"));
  const states = () => world.issues.map((issue) => `#${issue.number} ${issue.state}`);

  it("the App's PR closes exactly its own meeting, even with another series' meeting on the same date listed first", async () => {
    meetings(["hello", "2026-12-02"], ["hello-world", "2026-12-02"]);
    await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02"));
    expect(states()).toEqual(["#1 closed", "#2 open"]);
    expect(world.comments.map((comment) => comment.issue)).toEqual([1]);
  });

  it("the other series' PR closes the other series' meeting, not the one whose id is a prefix of it", async () => {
    meetings(["hello-world", "2026-12-02"], ["hello", "2026-12-02"]);
    await receive(mergedPull("wg-meetings/minutes-hello-world-2026-12-02"));
    expect(states()).toEqual(["#1 closed", "#2 open"]);
  });

  it("a PR opened by a person, from a branch in this repository named like the App's, closes nothing", async () => {
    meetings(["hello", "2026-12-02"]);
    const logs = await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02", (pull) => {
      pull.user = { ...pull.user, login: "mallory", type: "User" };
    }));
    expect(states()).toEqual(["#1 open"]);
    expect(world.comments).toEqual([]);
    expect(world.log).toEqual(["GET /app"]);
    expect(logs.find((line) => line.msg === "not the App's minutes PR: the meeting stays open")).toMatchObject({ pr: 9, by: "mallory" });
  });

  it("a PR under the App's login whose head is a fork (another repository) closes nothing", async () => {
    meetings(["hello", "2026-12-02"]);
    await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02", (pull) => {
      pull.head.repo = { ...pull.head.repo, full_name: "mallory/Hello-World" };
    }));
    expect(states()).toEqual(["#1 open"]);
    expect(world.comments).toEqual([]);
    expect(world.log).toEqual(["GET /app"]);
  });

  it("a PR whose head repository is gone (a deleted fork) closes nothing", async () => {
    meetings(["hello", "2026-12-02"]);
    await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02", (pull) => {
      pull.head.repo = null;
    }));
    expect(states()).toEqual(["#1 open"]);
    expect(writes()).toEqual([]);
  });

  it("a PR with no author (a deleted account) closes nothing", async () => {
    meetings(["hello", "2026-12-02"]);
    await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02", (pull) => {
      pull.user = null;
    }));
    expect(states()).toEqual(["#1 open"]);
    expect(writes()).toEqual([]);
  });

  it.each([
    ["a suffix after the date", "wg-meetings/minutes-hello-2026-12-02-extra"],
    ["a path after the date", "wg-meetings/minutes-hello-2026-12-02/x"],
    ["a short day", "wg-meetings/minutes-hello-2026-12-2"],
    ["a capitalised series", "wg-meetings/minutes-Hello-2026-12-02"],
    ["no series", "wg-meetings/minutes-2026-12-02"],
    ["no date", "wg-meetings/minutes-hello"],
  ])("the App's PR from a branch that only resembles a minutes branch (%s) closes nothing and lists no issue", async (_name, branch) => {
    meetings(["hello", "2026-12-02"]);
    await receive(mergedPull(branch));
    expect(states()).toEqual(["#1 open"]);
    // Only who the App is was read: a name that is not a minutes branch looks for no meeting.
    expect(world.log).toEqual(["GET /app"]);
  });

  it("the App's PR for a series whose only meeting that day belongs to a series named like it closes nothing", async () => {
    meetings(["hello-world", "2026-12-02"]);
    const logs = await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02"));
    expect(states()).toEqual(["#1 open"]);
    expect(writes()).toEqual([]);
    expect(logs.find((line) => line.msg === "meeting left open")).toMatchObject({ pr: 9, why: "no meeting issue for hello on 2026-12-02" });

    world.issues.length = 0;
    meetings(["hello", "2026-12-02"]);
    await receive(mergedPull("wg-meetings/minutes-hello-world-2026-12-02"));
    expect(states()).toEqual(["#1 open"]);
    expect(writes()).toEqual([]);
  });

  it("the App's PR for one date leaves the same series' meeting on another date open", async () => {
    meetings(["hello", "2026-11-25"], ["hello", "2026-12-09"]);
    await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02"));
    expect(states()).toEqual(["#1 open", "#2 open"]);
    expect(writes()).toEqual([]);
  });

  it("a meeting GitHub already closed (the PR said Fixes:) gets the comment once and is not edited; a redelivery adds nothing", async () => {
    meetings(["hello", "2026-12-02"]);
    world.issues[0]!.state = "closed";
    await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02"));
    expect(world.comments.map((comment) => comment.body)).toEqual([
      `The minutes are merged: [\`${PATH}\`](https://github.com/${REPO}/blob/abc123/${PATH}) (#9). Closing this meeting.\n\n<!-- wg-meetings:minutes-merged -->`,
    ]);
    expect(writes()).toEqual([`POST ${BASE}/issues/1/comments`]);

    world.issues[0]!.state = "open"; // reopened by someone; the redelivery closes it again without a second comment
    await receive(mergedPull("wg-meetings/minutes-hello-2026-12-02"));
    expect(world.comments).toHaveLength(1);
    expect(states()).toEqual(["#1 closed"]);
  });
});

describe("closeMeetingOnMerge", () => {
  const repo = { owner: "Codertocat", repo: "Hello-World" };
  const pull = { number: 9, url: `https://github.com/${REPO}/pull/9`, merged: true, mergeCommitSha: "abc123" };

  async function close(headRef: string, change: Partial<typeof pull> = {}, webUrl?: string) {
    const { probot } = await createTestProbot();
    const gh = await probot.auth(1);
    const { log } = memoryLogger();
    return closeMeetingOnMerge(gh, repo, { ...pull, ...change, headRef }, BOT, log, webUrl);
  }

  it("matches the whole branch name: a minutes branch inside a longer name is not one, and nothing is read", async () => {
    const unmatched = recordUnmatched();
    expect(await close("x/wg-meetings/minutes-hello-2026-12-02")).toEqual({ closed: false, why: "not a minutes branch" });
    expect(await close("wg-meetings/minutes-hello-2026-12-02-x")).toEqual({ closed: false, why: "not a minutes branch" });
    expect(await close("wg-meetings/minutes-hello-2026-12-02", { merged: false })).toEqual({ closed: false, why: "closed without merging" });
    expect(unmatched).toEqual([]);
  });

  it("without a meeting for that series and date it says which one it looked for, and writes nothing", async () => {
    const scope = nock(API);
    mockToken(scope, 1);
    scope.get(`${BASE}/issues`).query(true).reply(200, [
      { number: 1, html_url: `https://github.com/${REPO}/issues/1`, title: "m", body: marker("hello", "2026-12-09"), state: "open", user: { login: BOT } },
    ]);
    expect(await close("wg-meetings/minutes-hello-2026-12-02")).toEqual({ closed: false, why: "no meeting issue for hello on 2026-12-02" });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ["the series is no longer in the config", CONFIG.replace("id: hello\n", "id: renamed\n"), "abc123", `https://github.com/${REPO}/pull/9`],
    ["the config is gone (invalid)", "meetings: []\n", "abc123", `https://github.com/${REPO}/pull/9`],
    ["the merge commit is unknown", CONFIG, null, `https://github.com/${REPO}/pull/9`],
  ])("links the PR itself when %s", async (_name, config, sha, link) => {
    const world = fakeWorld({ repo: REPO, installationId: 1, config });
    try {
      world.issues.push({ number: 1, title: "m", body: marker("hello", "2026-12-02"), state: "open", labels: [], user: BOT });
      expect(await close("wg-meetings/minutes-hello-2026-12-02", { mergeCommitSha: sha as string })).toEqual({ closed: true, issue: 1, alreadyClosed: false });
      expect(world.comments[0]!.body).toBe(`The minutes are merged: ${link} (#9). Closing this meeting.\n\n<!-- wg-meetings:minutes-merged -->`);
    } finally {
      world.close();
    }
  });

  it("links the file where this series' own minutes.path puts it, not another series'", async () => {
    const config = `meetings:
  - id: other
    name: Other
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: o, repos: [${REPO}] }
    minutes: { path: "other/{{date}}.md" }
  - id: hello
    name: Hello
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: h, repos: [${REPO}] }
    minutes: { path: "notes/hello/{{date}}.md" }
`;
    const world = fakeWorld({ repo: REPO, installationId: 1, config });
    try {
      world.issues.push({ number: 1, title: "m", body: marker("hello", "2026-12-02"), state: "open", labels: [], user: BOT });
      await close("wg-meetings/minutes-hello-2026-12-02");
      expect(world.comments[0]!.body).toContain(`[\`notes/hello/2026-12-02.md\`](https://github.com/${REPO}/blob/abc123/notes/hello/2026-12-02.md)`);
    } finally {
      world.close();
    }
  });

  it.each([
    ["an http:// Enterprise host", "http://ghe.local/Codertocat/Hello-World/pull/9", "http://ghe.local/Codertocat/Hello-World"],
    ["a PR number of several digits", "https://ghe.example.com/Codertocat/Hello-World/pull/1234", "https://ghe.example.com/Codertocat/Hello-World"],
    ["a URL that is not the PR's page", "https://ghe.example.com/Codertocat/Hello-World/pull/9/files", "https://github.com/Codertocat/Hello-World"],
    ["text before the URL", "see https://ghe.example.com/Codertocat/Hello-World/pull/9", "https://github.com/Codertocat/Hello-World"],
  ])("takes the repository's address from the PR's URL only when it is the PR's page: %s", async (_name, url, base) => {
    const world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG });
    try {
      world.issues.push({ number: 1, title: "m", body: marker("hello", "2026-12-02"), state: "open", labels: [], user: BOT });
      await close("wg-meetings/minutes-hello-2026-12-02", { url });
      expect(world.comments[0]!.body).toContain(`](${base}/blob/abc123/${PATH})`);
    } finally {
      world.close();
    }
  });

  it("builds the file link from the web host when the PR's own URL cannot be read (GitHub Enterprise Server)", async () => {
    const world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG });
    try {
      world.issues.push({ number: 1, title: "m", body: marker("hello", "2026-12-02"), state: "closed", labels: [], user: BOT });
      const outcome = await close("wg-meetings/minutes-hello-2026-12-02", { url: "not a url" }, "https://ghe.example.com/");
      expect(outcome).toEqual({ closed: true, issue: 1, alreadyClosed: true });
      expect(world.comments[0]!.body).toBe(
        `The minutes are merged: [\`${PATH}\`](https://ghe.example.com/${REPO}/blob/abc123/${PATH}) (#9). Closing this meeting.\n\n<!-- wg-meetings:minutes-merged -->`,
      );
      // A PR URL on an Enterprise host is used as it is.
      world.comments.length = 0;
      await close("wg-meetings/minutes-hello-2026-12-02", { url: `https://ghe.example.com/${REPO}/pull/9` });
      expect(world.comments[0]!.body).toContain(`(https://ghe.example.com/${REPO}/blob/abc123/${PATH})`);
    } finally {
      world.close();
    }
  });
});
