import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { API, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * A series may keep its action items in another repository of the owner
 * (`actionItems.repository`). Merging the minutes opens them there only when that repository
 * can take them: never a public repository for a private meeting's minutes (they would leak),
 * never an archived one. Each test is the whole HTTP conversation of one real
 * `pull_request.closed` delivery; what is refused is never listed or written.
 */
const REPO = "Codertocat/Hello-World";
const BASE = `/repos/${REPO}`;
const WEB = `https://github.com/${REPO}`;
const BOT = "wg-meetings[bot]";
const SHA = "abc123";
const PATH = "meetings/2026-12-02.md";
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [${REPO}] }
    actionItems: { repository: tracker, labels: [action-item] }
    itemComments: { enabled: false }
`;
const MINUTES = `# Hello team meeting 2026-12-02

## Present

* @alice

## Action items

* @alice: rotate the npm token for the security release
`;
const MEETING_MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"2026-12-02T16:00:00.000Z","date":"2026-12-02","doc":null} -->`;
const meetingIssue = (state: "open" | "closed") => ({
  number: 1,
  html_url: `${WEB}/issues/1`,
  title: "Hello team meeting 2026-12-02",
  body: `Agenda\n\n${MEETING_MARKER}\n`,
  state,
  user: { login: BOT, type: "Bot" },
  created_at: "2026-11-29T16:00:00Z",
});
const CLAIM_REF = `wg-meetings/claims/follow-up/hello/2026-12-02/${SHA}`;

function mergedPull(repoPrivate: boolean) {
  const payload = structuredClone(closedFixture);
  const pull = payload.pull_request;
  Object.assign(pull, { merged: true, number: 9, html_url: `${WEB}/pull/9`, merge_commit_sha: SHA });
  pull.head.ref = "wg-meetings/minutes-hello-2026-12-02";
  pull.user = { ...pull.user, login: BOT, type: "Bot" };
  pull.head.repo = { ...pull.head.repo, full_name: REPO };
  payload.repository.private = repoPrivate;
  return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
}

/** Close the meeting (comment, close), the merge's claim, the file as merged: everything before the target is asked about. */
function upToTheTarget(scope: nock.Scope) {
  mockApp(scope);
  mockToken(scope, closedFixture.installation.id);
  scope.get(`${BASE}/issues`).query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" }).reply(200, [meetingIssue("open")]);
  scope.get(`${BASE}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
  scope.get(`${BASE}/issues/1/comments`).query(true).reply(200, []);
  scope.post(`${BASE}/issues/1/comments`).reply(201, { id: 70 });
  scope.patch(`${BASE}/issues/1`, { state: "closed", state_reason: "completed" }).reply(200, {});
  scope.get(`${BASE}/git/commits/${SHA}`).reply(200, { sha: SHA, tree: { sha: "tree9" } });
  scope.post(`${BASE}/git/commits`).reply(201, { sha: "claim1" });
  scope.post(`${BASE}/git/refs`, { ref: `refs/${CLAIM_REF}`, sha: "claim1" }).reply(201, {});
  scope.delete(`${BASE}/git/refs/${encodeURIComponent(CLAIM_REF)}`).reply(204);
  scope.get(`${BASE}/contents/${enc(PATH)}`).query({ ref: SHA }).reply(200, { type: "file", encoding: "base64", content: b64(MINUTES) });
}

describe("action items kept in another repository of the owner", () => {
  it("a private meeting's action items are not opened in a public repository: it is asked about once, nothing is listed or opened", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    upToTheTarget(scope);
    scope.get("/repos/Codertocat/tracker").reply(200, { full_name: "Codertocat/tracker", private: false, archived: false });

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull(true));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "action items not opened as issues")).toMatchObject({
      target: "Codertocat/tracker",
      why: "the meeting's repository is private and actionItems.repository is public",
    });
    expect(logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({ actionItems: { opened: 0, skipped: 1 } });
  });

  it("an archived repository gets no action items: it is asked about once, nothing is listed or opened", async () => {
    const unmatched = recordUnmatched();
    const scope = nock(API);
    upToTheTarget(scope);
    scope.get("/repos/Codertocat/tracker").reply(200, { full_name: "Codertocat/tracker", private: false, archived: true });

    const { probot, logs } = await createTestProbot();
    await probot.receive(mergedPull(false));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(logs.find((line) => line.msg === "action items not opened as issues")).toMatchObject({ why: "actionItems.repository is archived" });
    expect(logs.find((line) => line.msg === "minutes followed up: action items and item comments")).toMatchObject({ actionItems: { opened: 0, skipped: 1 } });
  });
});
