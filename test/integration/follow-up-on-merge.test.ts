import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { actionItemKey } from "../../src/minutes/action-items.js";
import { actionItemMeetingId } from "../../src/state/action-item-marker.js";
import { API, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * Merging the App's minutes PR closes the meeting (close-on-merge-guards.test.ts), then follows
 * it up (src/meetings/follow-up-on-merge.ts): the minutes file as merged is read at the merge
 * commit, each action item not done becomes one issue, and each agenda item with notes, in a
 * public repository of the same owner, gets one comment linking its minutes. Each test is the
 * whole HTTP conversation of one delivery of GitHub's real `pull_request.closed` payload.
 */
const REPO = "Codertocat/Hello-World";
const BASE = `/repos/${REPO}`;
const WEB = `https://github.com/${REPO}`;
const BOT = "wg-meetings[bot]";
const BRANCH = "wg-meetings/minutes-hello-2026-12-02";
const SHA = "abc123";
const PATH = "meetings/2026-12-02.md";
const FILE_URL = `${WEB}/blob/${SHA}/${PATH}`;
const OPENED_AT = "2026-11-29T16:00:00Z";
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

function config(extra = "") {
  return `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [${REPO}] }
    actionItems: { labels: [action-item] }
${extra}`;
}

/** The minutes as merged: per-item notes with a decision and an inline action item, and an Action items section. */
const MINUTES = `# Hello team meeting 2026-12-02

## Present

* Alice (@alice)
* @bob

## Agenda

### Rotate the signing keys ([Codertocat/Hello-World#31](https://github.com/Codertocat/Hello-World/issues/31))

* We talked about how often to rotate.
* Decision: rotate every 90 days
* ACTION: @alice to draft the rotation runbook (due 2026-12-10)

### Private CI logs ([Codertocat/secret-stuff#7](https://github.com/Codertocat/secret-stuff/issues/7))

* Notes about private things.

### Upstream bug ([other-org/thing#3](https://github.com/other-org/thing/issues/3))

* Notes about someone else's bug.

### Nothing said ([Codertocat/Hello-World#40](https://github.com/Codertocat/Hello-World/issues/40))

## Action items

* @alice, @outsider: rotate the npm token
* Update the blog post template
* [x] @bob: book the room
`;

const MEETING = actionItemMeetingId(REPO, "hello", "2026-12-02");
const KEYS = {
  runbook: actionItemKey(MEETING, ["alice"], "draft the rotation runbook"),
  token: actionItemKey(MEETING, ["alice", "outsider"], "rotate the npm token"),
  blog: actionItemKey(MEETING, [], "Update the blog post template"),
};
const marker = (key: string) => `<!-- wg-meetings:action-item {"v":1,"meeting":"${REPO}","series":"hello","date":"2026-12-02","key":"${key}"} -->`;
const NOTES_MARKER = `<!-- wg-meetings:item-notes {"v":1,"meeting":"${REPO}","series":"hello","date":"2026-12-02"} -->`;
const MEETING_MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"2026-12-02T16:00:00.000Z","date":"2026-12-02","doc":null} -->`;
const meetingIssue = (state: "open" | "closed") => ({
  number: 1,
  html_url: `${WEB}/issues/1`,
  title: "Hello team meeting 2026-12-02",
  body: `Agenda\n\n${MEETING_MARKER}\n`,
  state,
  user: { login: BOT, type: "Bot" },
  created_at: OPENED_AT,
});
const ACTION_LISTING = { creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100", page: "1", since: OPENED_AT };

/** The real payload, made into the App's own merged minutes PR; `change` alters it. */
function mergedPull(change: (payload: any) => void = () => {}) {
  const payload = structuredClone(closedFixture);
  const pull = payload.pull_request;
  Object.assign(pull, { merged: true, number: 9, html_url: `${WEB}/pull/9`, merge_commit_sha: SHA });
  pull.head.ref = BRANCH;
  pull.user = { ...pull.user, login: BOT, type: "Bot" };
  pull.head.repo = { ...pull.head.repo, full_name: REPO };
  change(payload);
  return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
}

/** The close step (close-meeting.ts) as it goes the first time, or once the meeting is closed and said so. */
function closeStep(scope: nock.Scope, cfg: string, already = false) {
  scope
    .get(`${BASE}/issues`)
    .query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" })
    .reply(200, [meetingIssue(already ? "closed" : "open")]);
  scope.get(`${BASE}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(cfg) });
  if (already) {
    scope.get(`${BASE}/issues/1/comments`).query(true).reply(200, [{ id: 70, body: "The minutes are merged.\n\n<!-- wg-meetings:minutes-merged -->", user: { login: BOT } }]);
  } else {
    scope.get(`${BASE}/issues/1/comments`).query(true).reply(200, []);
    scope.post(`${BASE}/issues/1/comments`).reply(201, { id: 70 });
    scope.patch(`${BASE}/issues/1`, { state: "closed", state_reason: "completed" }).reply(200, {});
  }
}

/** The minutes file at the merge commit, and the meeting issue's opening time. */
function readStep(scope: nock.Scope, minutes = MINUTES) {
  scope.get(`${BASE}/contents/${enc(PATH)}`).query({ ref: SHA }).reply(200, { type: "file", encoding: "base64", content: b64(minutes) });
  scope.get(`${BASE}/issues/1`).reply(200, meetingIssue("closed"));
}

const CLAIM_REF = `wg-meetings/claims/follow-up/hello/2026-12-02/${SHA}`;

/**
 * The merge's claim (follow-up-claims.ts): taken by the close step before its comment when the
 * meeting is still open (else by the follow-up before its first write), and deleted when the
 * merge step ends: the merge commit (for a tree), the claim commit, the ref, the release.
 */
function claimStep(scope: nock.Scope) {
  scope.get(`${BASE}/git/commits/${SHA}`).reply(200, { sha: SHA, tree: { sha: "tree9" } });
  scope.post(`${BASE}/git/commits`, (body) => body.tree === "tree9" && body.parents.length === 0).reply(201, { sha: "claim1" });
  scope.post(`${BASE}/git/refs`, { ref: `refs/${CLAIM_REF}`, sha: "claim1" }).reply(201, {});
  scope.delete(`${BASE}/git/refs/${encodeURIComponent(CLAIM_REF)}`).reply(204);
}

interface Sent {
  issues: Array<{ title: string; body: string; labels?: string[]; assignees?: string[] }>;
  comments: Array<{ issue: number; body: string }>;
}

/** Records the body of every issue and comment the App creates. */
function record(scope: nock.Scope, sent: Sent, numbers: number[]) {
  let next = 0;
  scope
    .post(`${BASE}/issues`, (body) => (sent.issues.push(body), true))
    .times(numbers.length)
    .reply(() => {
      const number = numbers[next++]!;
      return [201, { number, html_url: `${WEB}/issues/${number}` }];
    });
}

describe("a merged minutes PR is followed up (nock chain)", () => {
  it("opens one issue per action item not done, assigns the owners GitHub accepts, and comments once on each public item of the owner with notes", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config());
    readStep(scope);
    claimStep(scope);
    scope.get(`${BASE}/issues`).query(ACTION_LISTING).reply(200, [meetingIssue("closed")]);
    scope.get(`${BASE}/assignees/alice`).reply(204);
    scope.get(`${BASE}/assignees/outsider`).reply(404, { message: "Not Found" });
    const sent: Sent = { issues: [], comments: [] };
    record(scope, sent, [50, 51, 52]);
    // The private repository is asked about once; the other org's item and the item without notes are never touched.
    scope.get("/repos/Codertocat/secret-stuff").reply(200, { full_name: "Codertocat/secret-stuff", private: true, archived: false });
    scope.get(`${BASE}/issues/31/comments`).query({ per_page: "100", page: "1", since: OPENED_AT }).reply(200, [
      { id: 5, body: `A comment quoting the marker\n${NOTES_MARKER}`, user: { login: "mallory", type: "User" } },
    ]);
    scope.post(`${BASE}/issues/31/comments`, (body) => (sent.comments.push({ issue: 31, ...body }), true)).reply(201, { id: 80 });

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(sent.issues).toEqual([
      {
        title: "draft the rotation runbook",
        body: [
          `An action item from the [Hello team meeting 2026-12-02](${WEB}/issues/1).`,
          "",
          "> draft the rotation runbook",
          "",
          "- **Owners:** @alice",
          "- **Due:** 2026-12-10",
          `- **Minutes:** [\`${PATH}\`](${FILE_URL}#rotate-the-signing-keys-codertocathello-world31), under Rotate the signing keys (Codertocat/Hello-World#31)`,
          "- **Agenda item:** Codertocat/Hello-World#31",
          "",
          marker(KEYS.runbook),
          "",
        ].join("\n"),
        labels: ["action-item"],
        assignees: ["alice"],
      },
      {
        title: "rotate the npm token",
        body: [
          `An action item from the [Hello team meeting 2026-12-02](${WEB}/issues/1).`,
          "",
          "> rotate the npm token",
          "",
          "- **Owners:** @alice, `@outsider` (not assignable in this repository)",
          `- **Minutes:** [\`${PATH}\`](${FILE_URL}#action-items)`,
          "",
          marker(KEYS.token),
          "",
        ].join("\n"),
        labels: ["action-item"],
        assignees: ["alice"],
      },
      {
        title: "Update the blog post template",
        body: expect.stringContaining("- **Owners:** none named in the minutes\n"),
        labels: ["action-item"],
      },
    ]);
    expect(sent.issues[2]!.body).toMatch(new RegExp(`${marker(KEYS.blog).replace(/[{}[\]()]/g, "\\$&")}\n$`));
    expect(sent.comments).toEqual([
      {
        issue: 31,
        body: [
          `Discussed at the [Hello team meeting 2026-12-02](${WEB}/issues/1): see [its notes in \`${PATH}\`](${FILE_URL}#rotate-the-signing-keys-codertocathello-world31).`,
          "",
          "**Decisions**",
          "",
          "> - rotate every 90 days",
          "",
          "**Action items**",
          "",
          `- ${WEB}/issues/50: draft the rotation runbook (@\u200Balice)`,
          "",
          NOTES_MARKER,
          "",
        ].join("\n"),
      },
    ]);
    const done = logs.find((line) => line.msg === "minutes followed up: action items and item comments");
    expect(done).toMatchObject({
      actionItems: { opened: 3, existing: 0, done: 1, skipped: 0, failed: 0 },
      itemComments: { created: 1, edited: 0, unchanged: 0, skipped: 2, failed: 0 },
    });
    expect(logs.filter((line) => line.msg === "item comment skipped" || line.msg.startsWith("item comment skipped:")).map((line) => [line.item, line.why ?? line.msg])).toEqual([
      ["Codertocat/secret-stuff#7", "the item's repository is private (itemComments.privateRepositories is off)"],
      ["other-org/thing#3", "item comment skipped: the item belongs to another owner"],
    ]);
  });

  it("a redelivered merge writes nothing but its claim (taken and deleted): every item has its issue and the item comment is unchanged", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config(), true);
    readStep(scope);
    claimStep(scope);
    const issue = (number: number, key: string) => ({ number, html_url: `${WEB}/issues/${number}`, title: "t", body: `x\n\n${marker(key)}\n`, state: "open", user: { login: BOT, type: "Bot" } });
    scope.get(`${BASE}/issues`).query(ACTION_LISTING).reply(200, [issue(52, KEYS.blog), issue(51, KEYS.token), issue(50, KEYS.runbook), meetingIssue("closed")]);
    scope.get("/repos/Codertocat/secret-stuff").reply(200, { private: true, archived: false });
    const body = [
      `Discussed at the [Hello team meeting 2026-12-02](${WEB}/issues/1): see [its notes in \`${PATH}\`](${FILE_URL}#rotate-the-signing-keys-codertocathello-world31).`,
      "",
      "**Decisions**",
      "",
      "> - rotate every 90 days",
      "",
      "**Action items**",
      "",
      `- ${WEB}/issues/50: draft the rotation runbook (@\u200Balice)`,
      "",
      NOTES_MARKER,
      "",
    ].join("\n");
    scope.get(`${BASE}/issues/31/comments`).query(true).reply(200, [{ id: 80, body, user: { login: BOT, type: "Bot" } }]);

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({
      actionItems: { opened: 0, existing: 3, done: 1, failed: 0 },
      itemComments: { created: 0, edited: 0, unchanged: 1, skipped: 2, failed: 0 },
    });
  });

  it("minutes merged again after an edit (a second /minutes PR): only the new item is opened, and the item comment is edited in place", async () => {
    const unmatched = recordUnmatched();
    const edited = MINUTES.replace("* Decision: rotate every 90 days", "* Decision: rotate every 30 days").replace(
      "* Update the blog post template\n",
      "* Update the blog post template\n* @alice: tell the mailing list\n",
    );
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config(), true);
    readStep(scope, edited);
    claimStep(scope);
    const issue = (number: number, key: string) => ({ number, html_url: `${WEB}/issues/${number}`, title: "t", body: `x\n\n${marker(key)}\n`, state: "closed", user: { login: BOT, type: "Bot" } });
    // A person's issue pasting a marker is not the App's: it stops nothing.
    const pasted = { ...issue(60, actionItemKey(MEETING, ["alice"], "tell the mailing list")), user: { login: "mallory", type: "User" } };
    scope.get(`${BASE}/issues`).query(ACTION_LISTING).reply(200, [pasted, issue(52, KEYS.blog), issue(51, KEYS.token), issue(50, KEYS.runbook)]);
    scope.get(`${BASE}/assignees/alice`).reply(204);
    const sent: Sent = { issues: [], comments: [] };
    record(scope, sent, [61]);
    scope.get("/repos/Codertocat/secret-stuff").reply(200, { private: true, archived: false });
    scope.get(`${BASE}/issues/31/comments`).query(true).reply(200, [{ id: 80, body: `old text\n\n${NOTES_MARKER}\n`, user: { login: BOT, type: "Bot" } }]);
    let patched: { body: string } | undefined;
    scope.patch(`${BASE}/issues/comments/80`, (body) => ((patched = body), true)).reply(200, { id: 80 });

    const { probot } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(sent.issues.map((sentIssue) => [sentIssue.title, sentIssue.assignees])).toEqual([["tell the mailing list", ["alice"]]]);
    expect(patched!.body).toContain("> - rotate every 30 days\n");
    expect(patched!.body).toMatch(/\n<!-- wg-meetings:item-notes [^\n]*-->\n$/);
  });

  it("with itemComments.enabled false, only the action items are opened; with both off the file is not even read", async () => {
    const unmatched = recordUnmatched();
    const noComments = config("    itemComments: { enabled: false }\n");
    let scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, noComments);
    readStep(scope);
    claimStep(scope);
    scope.get(`${BASE}/issues`).query(ACTION_LISTING).reply(200, []);
    scope.get(`${BASE}/assignees/alice`).reply(204);
    scope.get(`${BASE}/assignees/outsider`).reply(404, { message: "Not Found" });
    const sent: Sent = { issues: [], comments: [] };
    record(scope, sent, [50, 51, 52]);
    let { probot } = await createTestProbot();
    await probot.receive(mergedPull());
    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(sent.issues).toHaveLength(3);

    scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config("    itemComments: { enabled: false }\n").replace("actionItems: { labels: [action-item] }", "actionItems: { issues: false }"));
    // The close's claim: taken before its comment, deleted with nothing more to do.
    claimStep(scope);
    ({ probot } = await createTestProbot());
    await probot.receive(mergedPull());
    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("private minutes are not quoted on a public item, and a private item is commented on when the config opts in", async () => {
    const unmatched = recordUnmatched();
    const minutes = MINUTES.replace(/## Action items[\s\S]*$/, "").replace("* ACTION: @alice to draft the rotation runbook (due 2026-12-10)\n", "");
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config("    itemComments: { privateRepositories: true }\n"));
    readStep(scope, minutes);
    claimStep(scope);
    scope.get("/repos/Codertocat/secret-stuff").reply(200, { private: true, archived: false });
    scope.get("/repos/Codertocat/secret-stuff/issues/7/comments").query(true).reply(200, []);
    let posted: { body: string } | undefined;
    scope.post("/repos/Codertocat/secret-stuff/issues/7/comments", (body) => ((posted = body), true)).reply(201, { id: 90 });

    const { probot, logs } = await createTestProbot();
    // The meeting's repository is private; #31 is in it, so it is private too and gets its comment.
    scope.get(`${BASE}/issues/31/comments`).query(true).reply(200, []);
    scope.post(`${BASE}/issues/31/comments`).reply(201, { id: 91 });
    await probot.receive(mergedPull((payload) => (payload.repository.private = true)));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(posted!.body).toContain(`[its notes in \`${PATH}\`](${FILE_URL}#private-ci-logs-codertocatsecret-stuff7)`);
    expect(logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({ itemComments: { created: 2, skipped: 1 } });
  });

  it("a private meeting repository's item in a public repository of the owner gets no comment", async () => {
    const unmatched = recordUnmatched();
    const minutes = `## Agenda\n\n### Public thing ([Codertocat/public-thing#2](https://github.com/Codertocat/public-thing/issues/2))\n\n* Said in private.\n`;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config());
    // Refused before anything is listed: the meeting issue's date is not even asked for.
    scope.get(`${BASE}/contents/${enc(PATH)}`).query({ ref: SHA }).reply(200, { type: "file", encoding: "base64", content: b64(minutes) });
    claimStep(scope);
    scope.get("/repos/Codertocat/public-thing").reply(200, { private: false, archived: false });

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull((payload) => (payload.repository.private = true)));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "item comment skipped")).toMatchObject({ why: "the meeting's repository is private and the item's is public" });
  });

  it("actionItems.repository: the issues open in that repository of the same owner, looked up there", async () => {
    const unmatched = recordUnmatched();
    const minutes = "## Action items\n\n* @alice: rotate the npm token\n";
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config().replace("actionItems: { labels: [action-item] }", "actionItems: { repository: tasks }"));
    readStep(scope, minutes);
    claimStep(scope);
    scope.get("/repos/Codertocat/tasks").reply(200, { private: false, archived: false });
    scope.get("/repos/Codertocat/tasks/issues").query(ACTION_LISTING).reply(200, []);
    scope.get("/repos/Codertocat/tasks/assignees/alice").reply(204);
    let created: { title: string; body: string; assignees?: string[]; labels?: string[] } | undefined;
    scope.post("/repos/Codertocat/tasks/issues", (body) => ((created = body), true)).reply(201, { number: 3, html_url: "https://github.com/Codertocat/tasks/issues/3" });

    const { probot } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(created).toMatchObject({ title: "rotate the npm token", assignees: ["alice"] });
    expect(created!.labels).toBeUndefined();
    expect(created!.body).toContain(`"meeting":"${REPO}"`);
  });

  it("a fork's PR or a person's PR named like the App's asks nothing past who the App is", async () => {
    const unmatched = recordUnmatched();
    for (const change of [
      (payload: any) => (payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: "mallory/Hello-World" }),
      (payload: any) => (payload.pull_request.user = { ...payload.pull_request.user, login: "mallory", type: "User" }),
    ]) {
      const scope = nock(API);
      mockApp(scope);
      const { probot } = await createTestProbot();
      await probot.receive(mergedPull(change));
      expect(scope.isDone()).toBe(true);
    }
    expect(unmatched).toEqual([]);
  });

  it("one failing item loses none of the others; GitHub refusing an assignee opens the issue without assignees", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config("    itemComments: { enabled: false }\n"));
    readStep(scope);
    claimStep(scope);
    scope.get(`${BASE}/issues`).query(ACTION_LISTING).reply(200, []);
    scope.get(`${BASE}/assignees/alice`).reply(204);
    // The first create is refused for good (a 403: nothing done, not tried again).
    scope.post(`${BASE}/issues`).reply(403, { message: "Resource not accessible by integration" });
    scope.get(`${BASE}/assignees/outsider`).reply(404, { message: "Not Found" });
    // alice stopped being assignable between the check and the create.
    const sent: Sent = { issues: [], comments: [] };
    scope
      .post(`${BASE}/issues`, (body) => (sent.issues.push(body), true))
      .reply(422, { message: "Validation Failed", errors: [{ resource: "Issue", field: "assignees", code: "invalid" }] });
    record(scope, sent, [51, 52]);

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(sent.issues.map((issue) => [issue.title, issue.assignees])).toEqual([
      ["rotate the npm token", ["alice"]],
      ["rotate the npm token", undefined],
      ["Update the blog post template", undefined],
    ]);
    expect(logs.find((line) => line.msg === "action item issue failed: the others go on")).toMatchObject({ key: KEYS.runbook, line: 14 });
    expect(logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({ actionItems: { opened: 2, failed: 1 } });
  });

  it("a lost answer to a create is looked for before the issue is sent again", async () => {
    const unmatched = recordUnmatched();
    const minutes = "## Action items\n\n* Update the blog post template\n";
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config());
    readStep(scope, minutes);
    claimStep(scope);
    scope.get(`${BASE}/issues`).query(ACTION_LISTING).reply(200, []);
    scope.post(`${BASE}/issues`).reply(502, { message: "Bad Gateway" });
    // It was opened after all: found by its marker, not opened twice.
    scope.get(`${BASE}/issues`).query(ACTION_LISTING).reply(200, [
      { number: 52, html_url: `${WEB}/issues/52`, title: "t", body: `x\n\n${marker(KEYS.blog)}\n`, state: "open", user: { login: BOT, type: "Bot" } },
    ]);

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "opened action item issue")).toMatchObject({ issue: 52, foundAgain: true });
  });

  it("a listing cut short by its page bound writes nothing it might duplicate, and says so", async () => {
    const unmatched = recordUnmatched();
    const minutes = MINUTES.replace("* ACTION: @alice to draft the rotation runbook (due 2026-12-10)\n", "");
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config());
    readStep(scope, minutes);
    claimStep(scope);
    const full = (page: number) =>
      Array.from({ length: 100 }, (_, i) => ({ number: 10_000 - page * 100 - i, html_url: `${WEB}/issues/x`, title: "t", body: "an issue of the App", state: "open", user: { login: BOT, type: "Bot" } }));
    for (let page = 1; page <= 10; page++) scope.get(`${BASE}/issues`).query({ ...ACTION_LISTING, page: String(page) }).reply(200, full(page));
    scope.get("/repos/Codertocat/secret-stuff").reply(200, { private: true, archived: false });
    const comments = (page: number) => Array.from({ length: 100 }, (_, i) => ({ id: page * 1000 + i, body: "+1", user: { login: "someone", type: "User" } }));
    for (let page = 1; page <= 10; page++) {
      scope.get(`${BASE}/issues/31/comments`).query({ per_page: "100", page: String(page), since: OPENED_AT }).reply(200, comments(page));
    }

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "action items not opened: the App's issues are too many to be sure none is opened twice")).toMatchObject({ pages: 10, left: 2 });
    expect(logs.find((line) => line.msg === "item comment skipped: too many comments to be sure the App has not written it")).toMatchObject({ item: `${REPO}#31`, pages: 10 });
  });

  it("a minutes file missing from the merge commit is logged, and nothing else is asked (the close's claim is deleted)", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config());
    claimStep(scope);
    scope.get(`${BASE}/contents/${enc(PATH)}`).query({ ref: SHA }).reply(404, { message: "Not Found" });

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "follow-up skipped: the minutes file is not in the merge commit")).toMatchObject({ path: PATH, sha: SHA });
  });

  it("comments on at most 50 agenda items of a meeting: of 51 items with notes, the first 50 get their comment and the 51st is logged", async () => {
    const unmatched = recordUnmatched();
    const numbers = Array.from({ length: 51 }, (_, i) => 101 + i);
    const agenda = numbers.map((n) => `### Item ${n} ([${REPO}#${n}](${WEB}/issues/${n}))\n\n* Notes on item ${n}.\n`).join("\n");
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    closeStep(scope, config());
    readStep(scope, `# Hello team meeting 2026-12-02\n\n## Agenda\n\n${agenda}`);
    claimStep(scope);
    const commented: number[] = [];
    for (const n of numbers.slice(0, 50)) {
      scope.get(`${BASE}/issues/${n}/comments`).query({ per_page: "100", page: "1", since: OPENED_AT }).reply(200, []);
      scope.post(`${BASE}/issues/${n}/comments`, (body) => (commented.push(n), body.body.includes(`#item-${n}-codertocathello-world${n}`))).reply(201, { id: 1000 + n });
    }

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull());

    // Item 151 was never asked about: no listing of its comments, no comment.
    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(commented).toEqual(numbers.slice(0, 50));
    expect(logs.find((line) => line.msg === "too many agenda items with notes: the last ones get no comment")).toMatchObject({ items: 51, max: 50 });
    expect(logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({
      itemComments: { created: 50, edited: 0, unchanged: 0, skipped: 1, failed: 0 },
    });
  });
});
