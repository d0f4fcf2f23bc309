import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { listAppIssues, MAX_APP_ISSUE_PAGES } from "../../../src/github/meeting-issues.js";
import { runTick } from "../../../src/meetings/tick.js";
import { API, installedRepo, issueJson, mockApp, mockToken, operation } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";
import { recordUnmatched } from "../../helpers/unmatched.js";

/**
 * The listing of the App's issues (meeting issues, alarms, action items) reads on past its first
 * page while action-item issues fill it: until it has seen 100 issues that are not action items,
 * the listing ends, or five pages were read. A meeting issue pushed to page 2 by a big merge's
 * action items is still found, and the tick does not open it a second time.
 */
const REPO = "nodejs/security-wg";
const BASE = `/repos/${REPO}`;
const BOT = "wg-meetings[bot]";
const FIRST = { creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" };
const page = (n: number) => ({ ...FIRST, page: String(n) });

const actionItem = (number: number) =>
  issueJson(REPO, number, {
    title: `action item ${number}`,
    body: `An action item.\n\n<!-- wg-meetings:action-item {"v":1,"meeting":"${REPO}","series":"security-wg","date":"2024-10-10","key":"${number.toString(16).padStart(16, "0")}"} -->\n`,
  });
const meetingMarker = (at: string, date: string) => `<!-- wg-meetings:meeting {"v":1,"series":"security-wg","at":"${at}","date":"${date}","doc":null} -->`;
/** An earlier meeting's issue, closed. */
const oldMeeting = (number: number) =>
  issueJson(REPO, number, { title: `old meeting ${number}`, body: `Old.\n\n${meetingMarker("2020-01-02T15:00:00.000Z", "2020-01-02")}`, state: "closed" });
/** A range of numbers, newest first. */
const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => from - i);

describe("listAppIssues pages past action items", () => {
  let gh: GitHub;
  let unmatched: string[];
  beforeEach(async () => {
    unmatched = recordUnmatched();
    const { probot } = await createTestProbot();
    mockToken(nock(API), 1);
    gh = await probot.auth(1);
  });

  it("a short first page is the whole listing: one request, with no page parameter", async () => {
    const scope = nock(API);
    scope.get(`${BASE}/issues`).query(FIRST).reply(200, numbers(99, 99).map(actionItem));

    const issues = await listAppIssues(gh, { owner: "nodejs", repo: "security-wg" }, BOT);

    expect(issues).toHaveLength(99);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("carries each issue's assignees, so an owner assigned after the item opened is listed as its owner", async () => {
    const scope = nock(API);
    const assigned = { ...actionItem(12), assignees: [{ login: "alice" }, { login: "bob" }] };
    scope.get(`${BASE}/issues`).query(FIRST).reply(200, [assigned, actionItem(11)]);

    const issues = await listAppIssues(gh, { owner: "nodejs", repo: "security-wg" }, BOT);

    expect(issues.map((issue) => issue.assignees)).toEqual([["alice", "bob"], undefined]);
    expect(scope.isDone()).toBe(true);
  });

  it("a full first page with no action items is enough: one request, as before", async () => {
    const scope = nock(API);
    scope.get(`${BASE}/issues`).query(FIRST).reply(200, numbers(500, 100).map(oldMeeting));

    expect(await listAppIssues(gh, { owner: "nodejs", repo: "security-wg" }, BOT)).toHaveLength(100);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("60 action items on page 1: page 2 is read, and the listing stops once 100 other issues were seen", async () => {
    const scope = nock(API);
    scope.get(`${BASE}/issues`).query(FIRST).reply(200, [...numbers(500, 60).map(actionItem), ...numbers(440, 40).map(oldMeeting)]);
    // Page 2 is full too; 40 + 60 others make 100: no page 3.
    scope.get(`${BASE}/issues`).query(page(2)).reply(200, numbers(400, 100).map(oldMeeting));

    const issues = await listAppIssues(gh, { owner: "nodejs", repo: "security-wg" }, BOT);

    expect(issues).toHaveLength(200);
    expect(issues.at(-1)!.number).toBe(301);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it(`the page bound holds: ${MAX_APP_ISSUE_PAGES} full pages of action items, and no sixth request`, async () => {
    const scope = nock(API);
    scope.get(`${BASE}/issues`).query(FIRST).reply(200, numbers(1000, 100).map(actionItem));
    for (let n = 2; n <= MAX_APP_ISSUE_PAGES; n++) scope.get(`${BASE}/issues`).query(page(n)).reply(200, numbers(1000 - (n - 1) * 100, 100).map(actionItem));

    const issues = await listAppIssues(gh, { owner: "nodejs", repo: "security-wg" }, BOT);

    expect(issues).toHaveLength(MAX_APP_ISSUE_PAGES * 100);
    expect(scope.isDone()).toBe(true);
    // A sixth request would have found no interceptor.
    expect(unmatched).toEqual([]);
  });

  it("pull requests count towards the 100 but are not returned; an issue repeated across pages (one opened meanwhile) counts once", async () => {
    const scope = nock(API);
    const pull = (number: number) => ({ ...oldMeeting(number), pull_request: { url: "x" } });
    scope.get(`${BASE}/issues`).query(FIRST).reply(200, [...numbers(500, 50).map(actionItem), ...numbers(450, 50).map(pull)]);
    // An issue opened between the two requests moved #401 down onto page 2: it is not counted
    // twice, so 50 + 49 others are short of 100 and page 3 is read.
    scope.get(`${BASE}/issues`).query(page(2)).reply(200, [pull(401), ...numbers(400, 49).map(oldMeeting), ...numbers(351, 50).map(actionItem)]);
    scope.get(`${BASE}/issues`).query(page(3)).reply(200, numbers(301, 10).map(oldMeeting));

    const issues = await listAppIssues(gh, { owner: "nodejs", repo: "security-wg" }, BOT);

    expect(issues.some((issue) => issue.number > 400 && issue.number <= 450)).toBe(false);
    expect(issues).toHaveLength(50 + 49 + 50 + 10);
    expect(new Set(issues.map((issue) => issue.number)).size).toBe(issues.length);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });
});

describe("the tick with the meeting issue on page 2 of the App's issues", () => {
  const CONFIG = `meetings:
  - id: security-wg
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2022-07-21T10:00
      zone: America/New_York
    createBefore: P3D
    agenda:
      label: security-wg-agenda
      orgs: [nodejs]
`;
  /** Monday 2024-10-21, inside the lead time of Thursday's meeting (and past the claim's lease). */
  const NOW = new Date("2024-10-21T15:00:00Z");
  const MEETING_AT = "2024-10-24T14:00:00.000Z";

  it("finds it behind 60 action items and opens no second issue", async () => {
    const unmatched = recordUnmatched();
    const { probot, logs } = await createTestProbot();
    const scope = nock(API);
    mockApp(scope);
    scope.get("/app/installations").query(true).reply(200, [{ id: 1, account: { login: "nodejs" }, suspended_at: null }]);
    mockToken(scope, 1);
    scope.get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [installedRepo(REPO)] });
    scope.post("/graphql", operation("DiscoverMeetingConfigs")).reply(200, { data: { nodes: [{ nameWithOwner: REPO, config: { text: CONFIG } }] } });
    // A big merge opened 60 action items after the meeting issue: it is on page 2 now.
    const current = issueJson(REPO, 300, { title: "Node.js Security team Meeting 2024-10-24", body: `## Time\n\n${meetingMarker(MEETING_AT, "2024-10-24")}` });
    scope.get(`${BASE}/issues`).query(FIRST).reply(200, [...numbers(400, 60).map(actionItem), ...numbers(340, 40).map(oldMeeting)]);
    scope.get(`${BASE}/issues`).query(page(2)).reply(200, [current, ...numbers(299, 20).map(oldMeeting)]);
    // Found: the agenda is followed as for any open meeting; this issue has no agenda section, so nothing is written.
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 4999 } },
    });
    scope.get(`${BASE}/issues/300`).reply(200, current);

    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, clock: () => NOW });

    expect(unmatched).toEqual([]);
    expect(scope.pendingMocks()).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.series[0]!.outcome).toMatchObject({ action: "exists", number: 300 });
    expect(logs.map((line) => line.msg)).not.toContain("opened meeting issue");
  });
});
