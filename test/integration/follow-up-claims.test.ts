import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { claimFollowUp, FOLLOW_UP_LEASE_MS, followUpClaimRefName } from "../../src/github/follow-up-claims.js";
import { withDeadline } from "../../src/github/request-deadline.js";
import { API } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * The merge follow-up (src/meetings/follow-up-on-merge.ts) runs for one delivery at a time:
 * its claim ref (src/github/follow-up-claims.ts) lets one delivery through and the other stand
 * down, a delivery that dies leaves its claim to expire, and one that ends deletes it. Played
 * against a small stateful GitHub (issues, comments, the git data API's commits and refs, the
 * minutes file at the merge commit), so several deliveries meet the state the others left.
 */
const REPO = "Codertocat/Hello-World";
const BASE = `/repos/${REPO}`;
const WEB = `https://github.com/${REPO}`;
const BOT = "wg-meetings[bot]";
const SHA = "abc123";
const CLAIM = `refs/wg-meetings/claims/follow-up/hello/2026-12-02/${SHA}`;
const OPENED_AT = "2026-11-29T16:00:00Z";
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [${REPO}] }
`;

/** Four action items (one inline under the agenda item), and notes on one agenda item. */
const MINUTES = `# Hello team meeting 2026-12-02

## Agenda

### Rotate the signing keys ([${REPO}#31](${WEB}/issues/31))

* Decision: rotate every 90 days
* ACTION: @alice to draft the rotation runbook

## Action items

* @alice: rotate the npm token
* Update the blog post template
* @bob: book the room
`;
const TITLES = ["Update the blog post template", "book the room", "draft the rotation runbook", "rotate the npm token"];

type Reply = [number, unknown];
interface Issue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  user: string;
  created_at: string;
}

/**
 * The state GitHub keeps, and the routes the close and the follow-up use. `onCreateIssue` may
 * hold an issue create (a gate), or make nothing: `crash` (the replica died, the answer goes
 * nowhere), `refuse` (a 403, for good). `onComment` may hold a comment's create (a gate);
 * `onCloseMeeting` may hold the meeting issue's close, or make it `crash` (nothing changes).
 * `minutes` is the file at the merge commit, `config` the one on the default branch.
 */
function fakeGitHub(
  hooks: {
    onCreateIssue?: (count: number) => Promise<"create" | "crash" | "refuse">;
    onComment?: (issue: number) => Promise<void>;
    onCloseMeeting?: () => Promise<"close" | "crash">;
    minutes?: string;
    config?: string;
  } = {},
) {
  const state = {
    issues: [{ number: 1, title: "Hello team meeting 2026-12-02", body: `Agenda\n\n<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"2026-12-02T16:00:00.000Z","date":"2026-12-02","doc":null} -->\n`, state: "open", user: BOT, created_at: OPENED_AT }] as Issue[],
    /** Every request to the repository, in order, as `METHOD /path` (no query). */
    requests: [] as string[],
    comments: [] as Array<{ id: number; issue: number; body: string; user: string; at: string }>,
    refs: new Map<string, string>(),
    commits: new Map<string, { parents: string[]; date: string }>(),
    /** Every claim ref request, in order: `create <ref> -> status`, `delete <ref> -> status`. */
    claimLog: [] as string[],
    /** How many POST /issues were received (answered or not). */
    creates: 0,
    /** How many listings of the App's issues since the meeting (the follow-up's look for its action items). */
    actionListings: 0,
  };
  let nextCommit = 1;
  let nextComment = 100;
  const json = (issue: Issue) => ({ ...issue, html_url: `${WEB}/issues/${issue.number}`, user: { login: issue.user, type: "Bot" } });
  const gh = nock(API).persist();
  gh.on("request", (req: { method: string; path: string }) => {
    if (req.path.startsWith(BASE)) state.requests.push(`${req.method} ${decodeURIComponent(req.path.split("?")[0]!)}`);
  });
  gh.get("/app").reply(200, { id: 123, slug: "wg-meetings" });
  gh.post(/\/app\/installations\/\d+\/access_tokens/).reply(201, { token: "ghs_fake", expires_at: "2099-01-01T00:00:00Z" });
  gh.get(`${BASE}/contents/.github%2Fmeetings.yml`).reply(200, { type: "file", encoding: "base64", content: Buffer.from(hooks.config ?? CONFIG).toString("base64") });
  gh.get(`${BASE}/contents/meetings%2F2026-12-02.md`).query({ ref: SHA }).reply(200, { type: "file", encoding: "base64", content: Buffer.from(hooks.minutes ?? MINUTES).toString("base64") });
  gh.get(`${BASE}/issues`).query(true).reply((uri): Reply => {
    const query = new URL(uri, API).searchParams;
    const page = Number(query.get("page") ?? "1");
    if (query.has("since")) state.actionListings++;
    const list = state.issues.filter((issue) => issue.user === query.get("creator")).sort((a, b) => b.number - a.number);
    return [200, list.slice((page - 1) * 100, page * 100).map(json)];
  });
  gh.get(/\/issues\/\d+$/).reply((uri): Reply => {
    const issue = state.issues.find((candidate) => candidate.number === Number(uri.split("/").pop()));
    return issue ? [200, json(issue)] : [404, { message: "Not Found" }];
  });
  gh.patch(/\/issues\/\d+$/).reply(async (uri, body: any): Promise<Reply> => {
    const issue = state.issues.find((candidate) => candidate.number === Number(uri.split("/").pop()))!;
    if (issue.number === 1 && (await hooks.onCloseMeeting?.()) === "crash") return [500, { message: "the replica died: nothing was changed" }];
    issue.state = body.state ?? issue.state;
    return [200, json(issue)];
  });
  gh.post(`${BASE}/issues`).reply(async (_uri, body: any): Promise<Reply> => {
    const count = ++state.creates;
    const what = await hooks.onCreateIssue?.(count);
    if (what === "crash") return [500, { message: "the replica died: nothing was created" }];
    if (what === "refuse") return [403, { message: "Resource not accessible by integration" }];
    const issue: Issue = { number: 50 + state.issues.length, title: body.title, body: body.body, state: "open", user: BOT, created_at: new Date().toISOString() };
    state.issues.push(issue);
    return [201, json(issue)];
  });
  gh.get(/\/assignees\/[^/]+$/).reply(204);
  gh.get(/\/issues\/\d+\/comments/).query(true).reply((uri): Reply => {
    const number = Number(uri.split("/issues/")[1]!.split("/")[0]);
    const list = state.comments.filter((comment) => comment.issue === number);
    return [200, list.map((comment) => ({ id: comment.id, body: comment.body, user: { login: comment.user, type: "Bot" }, created_at: comment.at, updated_at: comment.at }))];
  });
  gh.post(/\/issues\/\d+\/comments$/).reply(async (uri, body: any): Promise<Reply> => {
    const issue = Number(uri.split("/issues/")[1]!.split("/")[0]);
    await hooks.onComment?.(issue);
    const comment = { id: nextComment++, issue, body: body.body, user: BOT, at: new Date().toISOString() };
    state.comments.push(comment);
    return [201, { id: comment.id, body: comment.body, user: { login: BOT, type: "Bot" }, created_at: comment.at }];
  });
  // The git data API: the merge commit (its tree), claim commits, and refs created atomically.
  gh.get(/\/git\/commits\/[^/]+$/).reply((uri): Reply => {
    const sha = uri.split("/").pop()!;
    if (sha === SHA) return [200, { sha, tree: { sha: "tree-of-merge" } }];
    const commit = state.commits.get(sha);
    return commit ? [200, { sha, author: { date: commit.date } }] : [404, { message: "Not Found" }];
  });
  gh.post(`${BASE}/git/commits`).reply((_uri, body: any): Reply => {
    const sha = `claim${nextCommit++}`;
    state.commits.set(sha, { parents: body.parents, date: body.author.date });
    return [201, { sha }];
  });
  gh.post(`${BASE}/git/refs`).reply((_uri, body: any): Reply => {
    const taken = state.refs.has(body.ref);
    state.claimLog.push(`create ${body.ref} -> ${taken ? 422 : 201}`);
    if (taken) return [422, { message: "Reference already exists" }];
    state.refs.set(body.ref, body.sha);
    return [201, { ref: body.ref, object: { sha: body.sha } }];
  });
  gh.get(/\/git\/ref\//).reply((uri): Reply => {
    const sha = state.refs.get(`refs/${decodeURIComponent(uri.split("/git/ref/")[1]!)}`);
    return sha ? [200, { object: { sha } }] : [404, { message: "Not Found" }];
  });
  gh.patch(/\/git\/refs\//).reply((uri, body: any): Reply => {
    const ref = `refs/${decodeURIComponent(uri.split("/git/refs/")[1]!)}`;
    const current = state.refs.get(ref);
    if (!current) return [422, { message: "Reference does not exist" }];
    if (!state.commits.get(body.sha)?.parents.includes(current)) return [422, { message: "Update is not a fast forward" }];
    state.refs.set(ref, body.sha);
    state.claimLog.push(`takeover ${ref} -> 200`);
    return [200, { ref, object: { sha: body.sha } }];
  });
  gh.delete(/\/git\/refs\//).reply((uri): Reply => {
    const ref = `refs/${decodeURIComponent(uri.split("/git/refs/")[1]!)}`;
    const existed = state.refs.delete(ref);
    state.claimLog.push(`delete ${ref} -> ${existed ? 204 : 422}`);
    return existed ? [204, ""] : [422, { message: "Reference does not exist" }];
  });
  return state;
}

/** The real payload, made into the App's own merged minutes PR; a new delivery id each time. */
function mergedPull() {
  const payload = structuredClone(closedFixture);
  const pull = payload.pull_request;
  Object.assign(pull, { merged: true, number: 9, html_url: `${WEB}/pull/9`, merge_commit_sha: SHA });
  pull.head.ref = "wg-meetings/minutes-hello-2026-12-02";
  pull.user = { ...pull.user, login: BOT, type: "Bot" };
  pull.head.repo = { ...pull.head.repo, full_name: REPO };
  return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
}

/** The action-item issues the App opened, by title. */
const actionItemTitles = (state: ReturnType<typeof fakeGitHub>) =>
  state.issues.filter((issue) => issue.body.includes("<!-- wg-meetings:action-item ")).map((issue) => issue.title).sort();
const itemComments = (state: ReturnType<typeof fakeGitHub>) => state.comments.filter((comment) => comment.issue === 31);
/** The App's closing comments on the meeting issue. */
const closingComments = (state: ReturnType<typeof fakeGitHub>) => state.comments.filter((comment) => comment.issue === 1 && comment.body.includes("<!-- wg-meetings:minutes-merged -->"));
const msgs = (logs: Array<{ msg: string }>) => logs.map((line) => line.msg);

describe("the merge follow-up's claim (stateful fake GitHub)", () => {
  it("two deliveries of the merge at the same time post the closing comment once and open each action item once: one runs the merge step, the other stands down", async () => {
    const unmatched = recordUnmatched();
    // The closing comment and the first create wait until both deliveries have tried to claim
    // (or, were there no claim before the close, both have looked for the closing comment or
    // listed the App's issues and found nothing: both would then write it all).
    let release!: () => void;
    const bothClaimed = new Promise<void>((resolve) => (release = resolve));
    const state = fakeGitHub({
      onComment: async (issue) => {
        if (issue === 1) await bothClaimed;
      },
      onCreateIssue: async () => {
        await bothClaimed;
        return "create";
      },
    });
    const looks = () => state.requests.filter((line) => line === `GET ${BASE}/issues/1/comments`).length;
    const watch = setInterval(() => {
      if (state.claimLog.filter((line) => line.startsWith("create ")).length >= 2 || looks() >= 2 || state.actionListings >= 2) release();
    }, 5);
    const [a, b] = await Promise.all([createTestProbot(), createTestProbot()]);
    try {
      await Promise.all([a.probot.receive(mergedPull()), b.probot.receive(mergedPull())]);
    } finally {
      clearInterval(watch);
    }

    expect(unmatched).toEqual([]);
    expect(closingComments(state)).toHaveLength(1);
    expect(state.requests.filter((line) => line === `PATCH ${BASE}/issues/1`)).toHaveLength(1);
    expect(state.issues[0]!.state).toBe("closed");
    expect(actionItemTitles(state)).toEqual(TITLES);
    expect(itemComments(state)).toHaveLength(1);
    expect(state.claimLog).toEqual([`create ${CLAIM} -> 201`, `create ${CLAIM} -> 422`, `delete ${CLAIM} -> 204`]);
    expect(state.refs.size).toBe(0);
    const stoodDown = [...a.logs, ...b.logs].filter((line) => line.msg === "merge step left to another delivery of the merge, which is running it now");
    expect(stoodDown).toHaveLength(1);
    expect(stoodDown[0]!.why).toMatch(/^claimed by another run at .*; its lease ends after 1200 s$/);
    // The delivery that stood down asked nothing after the claim: it neither looked for the comment nor read the file.
    expect([...a.logs, ...b.logs].filter((line) => line.msg === "meeting closed: minutes merged")).toHaveLength(1);
    expect([...a.logs, ...b.logs].filter((line) => line.msg === "minutes followed up: action items and item comments")).toHaveLength(1);
    expect(looks()).toBe(1);
    expect(state.requests.filter((line) => line === `GET ${BASE}/contents/meetings/2026-12-02.md`)).toHaveLength(1);
  });

  it("a delivery that dies after the closing comment, before the meeting is closed, leaves its claim; a redelivery after the lease closes it without a second comment and follows up", async () => {
    const unmatched = recordUnmatched();
    const death = new AbortController();
    const state = fakeGitHub({
      onCloseMeeting: async () => {
        if (death.signal.aborted) return "close";
        death.abort(new Error("the replica died"));
        return "crash";
      },
    });
    const first = await createTestProbot();
    await withDeadline(death.signal, () => first.probot.receive(mergedPull())).catch(() => {});
    expect(closingComments(state)).toHaveLength(1);
    expect(state.issues[0]!.state).toBe("open");
    expect(state.refs.has(CLAIM)).toBe(true);

    // Redelivered at once: the claim holds; the meeting is left to it, nothing is written.
    const mark = state.requests.length;
    const again = await createTestProbot();
    await again.probot.receive(mergedPull());
    expect(msgs(again.logs)).toContain("merge step left to another delivery of the merge, which is running it now");
    expect(state.requests.slice(mark).filter((line) => !line.startsWith("GET ") && !line.startsWith("POST /repos/Codertocat/Hello-World/git/"))).toEqual([]);
    expect(state.issues[0]!.state).toBe("open");

    // Twenty-one minutes later, a redelivery takes the claim over and finishes the merge step.
    const claimCommit = state.commits.get(state.refs.get(CLAIM)!)!;
    claimCommit.date = new Date(Date.parse(claimCommit.date) - 21 * 60_000).toISOString();
    const later = await createTestProbot();
    await later.probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(msgs(later.logs)).toContain("merge step takes over from an earlier delivery that stopped before it was done");
    expect(closingComments(state)).toHaveLength(1);
    expect(state.issues[0]!.state).toBe("closed");
    expect(actionItemTitles(state)).toEqual(TITLES);
    expect(itemComments(state)).toHaveLength(1);
    expect(state.refs.size).toBe(0);
    expect(state.claimLog).toEqual([`create ${CLAIM} -> 201`, `create ${CLAIM} -> 422`, `create ${CLAIM} -> 422`, `takeover ${CLAIM} -> 200`, `delete ${CLAIM} -> 204`]);
  });

  it("a close GitHub fails (500) after the comment ends the run and deletes its claim: a redelivery right after closes the meeting without a second comment", async () => {
    const unmatched = recordUnmatched();
    let closes = 0;
    const state = fakeGitHub({ onCloseMeeting: async () => (++closes === 1 ? "crash" : "close") });
    const first = await createTestProbot();
    await expect(first.probot.receive(mergedPull())).rejects.toThrow();
    expect(closingComments(state)).toHaveLength(1);
    expect(state.issues[0]!.state).toBe("open");
    expect(actionItemTitles(state)).toEqual([]);
    expect(state.refs.size).toBe(0);

    const again = await createTestProbot();
    await again.probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(closingComments(state)).toHaveLength(1);
    expect(state.issues[0]!.state).toBe("closed");
    expect(actionItemTitles(state)).toEqual(TITLES);
    expect(state.claimLog).toEqual([`create ${CLAIM} -> 201`, `delete ${CLAIM} -> 204`, `create ${CLAIM} -> 201`, `delete ${CLAIM} -> 204`]);
  });

  it("a delivery that dies after opening two items leaves its claim; a redelivery inside the lease stands down, one after it takes over and opens only the other two", async () => {
    const unmatched = recordUnmatched();
    const death = new AbortController();
    const state = fakeGitHub({
      // The third create kills the replica: nothing more it sends is answered, its claim stays.
      onCreateIssue: async (count) => {
        if (count !== 3 || death.signal.aborted) return "create";
        death.abort(new Error("the replica died"));
        return "crash";
      },
    });
    const { probot, logs } = await createTestProbot();
    await withDeadline(death.signal, () => probot.receive(mergedPull())).catch(() => {});

    expect(actionItemTitles(state)).toHaveLength(2);
    expect(state.refs.has(CLAIM)).toBe(true);
    const opened = actionItemTitles(state);

    // Redelivered at once: the dead run's claim holds for twenty minutes; nothing is written.
    const again = await createTestProbot();
    await again.probot.receive(mergedPull());
    expect(actionItemTitles(state)).toEqual(opened);
    expect(msgs(again.logs)).toContain("follow-up left to another delivery of the merge, which is running it now");

    // Twenty-one minutes later (the claim's date moved back as the clock would have moved on).
    const claimCommit = state.commits.get(state.refs.get(CLAIM)!)!;
    claimCommit.date = new Date(Date.parse(claimCommit.date) - 21 * 60_000).toISOString();
    const later = await createTestProbot();
    await later.probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(actionItemTitles(state)).toEqual(TITLES);
    expect(itemComments(state)).toHaveLength(1);
    expect(msgs(later.logs)).toContain("follow-up takes over from an earlier delivery that stopped before it was done");
    expect(later.logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({
      actionItems: { opened: 2, existing: 2, failed: 0 },
      itemComments: { created: 1 },
    });
    // The takeover's claim is deleted when it ends: the next redelivery claims afresh and only reads.
    expect(state.refs.has(CLAIM)).toBe(false);
    const last = await createTestProbot();
    await last.probot.receive(mergedPull());
    expect(actionItemTitles(state)).toEqual(TITLES);
    expect(itemComments(state)).toHaveLength(1);
    expect(last.logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({
      actionItems: { opened: 0, existing: 4 },
      itemComments: { created: 0, unchanged: 1 },
    });
    expect(state.claimLog).toEqual([
      `create ${CLAIM} -> 201`,
      `create ${CLAIM} -> 422`,
      `create ${CLAIM} -> 422`,
      `takeover ${CLAIM} -> 200`,
      `delete ${CLAIM} -> 204`,
      `create ${CLAIM} -> 201`,
      `delete ${CLAIM} -> 204`,
    ]);
    expect(msgs(logs)).toContain("follow-up claim not released: it expires with its lease");
  });

  it("a run that ends with failures deletes its claim: a redelivery right after opens only what failed", async () => {
    const unmatched = recordUnmatched();
    // GitHub refuses the second create for good (403): the run goes on, then ends.
    const state = fakeGitHub({ onCreateIssue: async (count) => (count === 2 ? "refuse" : "create") });
    const first = await createTestProbot();
    await first.probot.receive(mergedPull());
    expect(actionItemTitles(state)).toHaveLength(3);
    expect(first.logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({ actionItems: { opened: 3, failed: 1 } });
    expect(state.refs.size).toBe(0);

    const again = await createTestProbot();
    await again.probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(actionItemTitles(state)).toEqual(TITLES);
    expect(again.logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({ actionItems: { opened: 1, existing: 3 } });
    expect(state.claimLog).toEqual([`create ${CLAIM} -> 201`, `delete ${CLAIM} -> 204`, `create ${CLAIM} -> 201`, `delete ${CLAIM} -> 204`]);
  });
});

describe("the merge step's requests (stateful fake GitHub)", () => {
  /** What one delivery asked of the repository, then what it wrote (reads left out). */
  async function deliver(state: ReturnType<typeof fakeGitHub>) {
    const mark = state.requests.length;
    const { probot } = await createTestProbot();
    await probot.receive(mergedPull());
    const sent = state.requests.slice(mark);
    return { sent, writes: sent.filter((line) => !line.startsWith("GET ")) };
  }

  const NONE = "# Hello team meeting 2026-12-02\n\n## Agenda\n\nNothing was said.\n";
  const CLAIM_WRITES = [`POST ${BASE}/git/commits`, `POST ${BASE}/git/refs`, `DELETE ${BASE}/git/${CLAIM}`];

  it("with action items: the close takes the claim the follow-up runs under (20 requests, as with the follow-up's own claim); redelivered, 11, of which only the claim's 3 write", async () => {
    const unmatched = recordUnmatched();
    const state = fakeGitHub();
    const first = await deliver(state);
    expect(first.sent.slice(0, 8)).toEqual([
      `GET ${BASE}/issues`,
      `GET ${BASE}/contents/.github/meetings.yml`,
      `GET ${BASE}/git/commits/${SHA}`,
      `POST ${BASE}/git/commits`,
      `POST ${BASE}/git/refs`,
      `GET ${BASE}/issues/1/comments`,
      `POST ${BASE}/issues/1/comments`,
      `PATCH ${BASE}/issues/1`,
    ]);
    expect(first.sent).toHaveLength(20);
    expect(first.sent.at(-1)).toBe(`DELETE ${BASE}/git/${CLAIM}`);
    const again = await deliver(state);
    expect(again.sent).toHaveLength(11);
    expect(again.writes).toEqual(CLAIM_WRITES);
    expect(closingComments(state)).toHaveLength(1);
    expect(unmatched).toEqual([]);
  });

  it("no action items and no notes: the meeting still closes, under the claim (10 requests); redelivered, 4 reads and no claim", async () => {
    const unmatched = recordUnmatched();
    const state = fakeGitHub({ minutes: NONE });
    const first = await deliver(state);
    expect(first.sent).toHaveLength(10);
    expect(first.writes).toEqual([`POST ${BASE}/git/commits`, `POST ${BASE}/git/refs`, `POST ${BASE}/issues/1/comments`, `PATCH ${BASE}/issues/1`, `DELETE ${BASE}/git/${CLAIM}`]);
    expect(state.issues[0]!.state).toBe("closed");
    expect(state.refs.size).toBe(0);
    const again = await deliver(state);
    expect(again.sent).toEqual([`GET ${BASE}/issues`, `GET ${BASE}/contents/.github/meetings.yml`, `GET ${BASE}/issues/1/comments`, `GET ${BASE}/contents/meetings/2026-12-02.md`]);
    expect(closingComments(state)).toHaveLength(1);
    expect(unmatched).toEqual([]);
  });

  it("a series gone from the config: the meeting closes under the claim, linking the PR, and the claim is deleted with no follow-up", async () => {
    const unmatched = recordUnmatched();
    const state = fakeGitHub({ config: CONFIG.replace("id: hello\n", "id: renamed\n") });
    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());
    expect(unmatched).toEqual([]);
    expect(closingComments(state).map((comment) => comment.body)).toEqual([`The minutes are merged: ${WEB}/pull/9 (#9). Closing this meeting.\n\n<!-- wg-meetings:minutes-merged -->`]);
    expect(state.issues[0]!.state).toBe("closed");
    expect(state.claimLog).toEqual([`create ${CLAIM} -> 201`, `delete ${CLAIM} -> 204`]);
    expect(state.requests.filter((line) => line.includes("/contents/meetings/"))).toEqual([]);
    expect(msgs(logs)).toContain("no follow-up: the series or its minutes file is no longer known");
  });

  it("a meeting GitHub already closed (Fixes:) without the App's comment: looked for, claimed, looked for again, commented (10 requests)", async () => {
    const unmatched = recordUnmatched();
    const state = fakeGitHub({ minutes: NONE });
    state.issues[0]!.state = "closed";
    const first = await deliver(state);
    expect(first.sent.slice(0, 8)).toEqual([
      `GET ${BASE}/issues`,
      `GET ${BASE}/contents/.github/meetings.yml`,
      `GET ${BASE}/issues/1/comments`,
      `GET ${BASE}/git/commits/${SHA}`,
      `POST ${BASE}/git/commits`,
      `POST ${BASE}/git/refs`,
      `GET ${BASE}/issues/1/comments`,
      `POST ${BASE}/issues/1/comments`,
    ]);
    expect(first.sent).toHaveLength(10);
    expect(closingComments(state)).toHaveLength(1);
    expect((await deliver(state)).writes).toEqual([]);
    expect(unmatched).toEqual([]);
  });
});

describe("claimFollowUp and its release (nock chain)", () => {
  const repo = { owner: "Codertocat", repo: "Hello-World" };
  const REF = CLAIM.slice("refs/".length);
  const NOW = new Date("2026-12-02T18:00:00.000Z");

  async function gh() {
    const { probot } = await createTestProbot();
    nock(API).post(/\/app\/installations\/1\/access_tokens/).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" });
    return probot.auth(1);
  }

  it("claims with a dangling commit on the merge commit's tree, dated now; released, the ref is deleted", async () => {
    const unmatched = recordUnmatched();
    const octokit = await gh();
    const scope = nock(API);
    scope.get(`${BASE}/git/commits/${SHA}`).reply(200, { sha: SHA, tree: { sha: "tree9" } });
    let commit: Record<string, unknown> | undefined;
    scope.post(`${BASE}/git/commits`, (body) => ((commit = body), true)).reply(201, { sha: "claim1" });
    scope.post(`${BASE}/git/refs`, { ref: CLAIM, sha: "claim1" }).reply(201, {});
    let deleted = "";
    scope.delete(/\/git\/refs\//).reply(204, (uri) => ((deleted = decodeURIComponent(uri)), ""));

    const claim = await claimFollowUp(octokit, repo, { series: "hello", date: "2026-12-02", sha: SHA }, () => NOW);
    expect(claim).toMatchObject({ status: "ours", ref: REF, tookOver: false });
    expect(commit).toEqual({
      message: expect.stringMatching(/^wg-meetings claim follow-up hello 2026-12-02 abc123 \(run [0-9a-f]{8}\)$/),
      tree: "tree9",
      parents: [],
      author: { name: "wg-meetings", email: "wg-meetings@users.noreply.github.com", date: NOW.toISOString() },
    });
    expect(claim.status === "ours" && (await claim.release())).toBe("released");
    expect(deleted).toBe(`${BASE}/git/refs/${REF}`);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a run that outlasted half its lease leaves its claim to expire (another run may hold it now); a ref already gone counts as released", async () => {
    const unmatched = recordUnmatched();
    const octokit = await gh();
    const claimOnce = async (clock: () => Date) => {
      const scope = nock(API);
      scope.get(`${BASE}/git/commits/${SHA}`).reply(200, { sha: SHA, tree: { sha: "tree9" } });
      scope.post(`${BASE}/git/commits`).reply(201, { sha: "claim1" });
      scope.post(`${BASE}/git/refs`).reply(201, {});
      const claim = await claimFollowUp(octokit, repo, { series: "hello", date: "2026-12-02", sha: SHA }, clock);
      if (claim.status !== "ours") throw new Error("not claimed");
      return { claim, scope };
    };

    let now = NOW;
    const slow = await claimOnce(() => now);
    now = new Date(NOW.getTime() + FOLLOW_UP_LEASE_MS / 2);
    expect(await slow.claim.release()).toBe("left");
    expect(slow.scope.isDone()).toBe(true);

    const gone = await claimOnce(() => NOW);
    gone.scope.delete(/\/git\/refs\//).reply(422, { message: "Reference does not exist" });
    expect(await gone.claim.release()).toBe("released");
    expect(gone.scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("a merge sha, series or date that would not make a plain ref name is refused before any request", async () => {
    const unmatched = recordUnmatched();
    expect(followUpClaimRefName("hello", "2026-12-02", "ABC123")).toBe(REF);
    for (const [series, date, sha] of [
      ["hello", "2026-12-02", "../../heads/main"],
      ["hello", "2026-12-02", ""],
      ["Hello/x", "2026-12-02", SHA],
      ["hello", "2026-12-02/x", SHA],
    ] as const) {
      await expect(claimFollowUp(await gh(), repo, { series, date, sha }, () => NOW)).rejects.toThrow(/^no follow-up claim for/);
    }
    expect(unmatched).toEqual([]);
  });
});
