import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { API, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * Merging the minutes of one meeting closes that meeting's issue, found by the series and the
 * date in the minutes branch's name: never the series' next meeting, which is open and newer
 * (listed first) by the time last week's minutes are merged.
 */
const REPO = "Codertocat/Hello-World";
const BASE = `/repos/${REPO}`;
const WEB = `https://github.com/${REPO}`;
const BOT = "wg-meetings[bot]";
const SHA = "abc123";
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

// Both follow-ups off: the merge only closes the meeting.
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [${REPO}] }
    actionItems: { issues: false }
    itemComments: { enabled: false }
`;
const meetingIssue = (number: number, date: string) => ({
  number,
  html_url: `${WEB}/issues/${number}`,
  title: `Hello team meeting ${date}`,
  body: `Agenda\n\n<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${date}T16:00:00.000Z","date":"${date}","doc":null} -->\n`,
  state: "open",
  user: { login: BOT, type: "Bot" },
  created_at: "2026-11-29T16:00:00Z",
});

describe("merging last week's minutes while next week's meeting is open", () => {
  it("closes the meeting the minutes are of, with its comment, and touches nothing of the other", async () => {
    const unmatched = recordUnmatched();
    const claimRef = `wg-meetings/claims/follow-up/hello/2026-12-02/${SHA}`;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    scope
      .get(`${BASE}/issues`)
      .query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" })
      .reply(200, [meetingIssue(5, "2026-12-09"), meetingIssue(1, "2026-12-02")]);
    scope.get(`${BASE}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
    scope.get(`${BASE}/git/commits/${SHA}`).reply(200, { sha: SHA, tree: { sha: "tree9" } });
    scope.post(`${BASE}/git/commits`).reply(201, { sha: "claim1" });
    scope.post(`${BASE}/git/refs`, { ref: `refs/${claimRef}`, sha: "claim1" }).reply(201, {});
    scope.get(`${BASE}/issues/1/comments`).query(true).reply(200, []);
    let comment: { body: string } | undefined;
    scope.post(`${BASE}/issues/1/comments`, (body) => ((comment = body), true)).reply(201, { id: 70 });
    scope.patch(`${BASE}/issues/1`, { state: "closed", state_reason: "completed" }).reply(200, {});
    scope.delete(`${BASE}/git/refs/${encodeURIComponent(claimRef)}`).reply(204);

    const payload = structuredClone(closedFixture);
    Object.assign(payload.pull_request, { merged: true, number: 9, html_url: `${WEB}/pull/9`, merge_commit_sha: SHA });
    payload.pull_request.head.ref = "wg-meetings/minutes-hello-2026-12-02";
    payload.pull_request.user = { ...payload.pull_request.user, login: BOT, type: "Bot" };
    const { probot } = await createTestProbot();
    await probot.receive({ id: `pr-${Math.random()}`, name: "pull_request", payload });

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(comment!.body).toContain(`[\`meetings/2026-12-02.md\`](${WEB}/blob/${SHA}/meetings/2026-12-02.md) (#9)`);
  });
});
