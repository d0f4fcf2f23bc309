import { readFileSync } from "node:fs";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { API, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * A merge whose minutes have notes on agenda items but no action item still writes (one comment
 * per item), so its follow-up takes the merge's claim before it writes, exactly as one that
 * opens issues: two deliveries of the merge at once cannot both comment.
 */
const REPO = "Codertocat/Hello-World";
const BASE = `/repos/${REPO}`;
const WEB = `https://github.com/${REPO}`;
const BOT = "wg-meetings[bot]";
const SHA = "abc123";
const PATH = "meetings/2026-12-02.md";
const OPENED_AT = "2026-11-29T16:00:00Z";
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: hello-agenda, repos: [${REPO}] }
    actionItems: { issues: false }
`;
const MINUTES = `# Hello team meeting 2026-12-02

## Agenda

### Rotate the signing keys ([Codertocat/Hello-World#31](https://github.com/Codertocat/Hello-World/issues/31))

* We talked about how often to rotate.
`;
const meetingIssue = {
  number: 1,
  html_url: `${WEB}/issues/1`,
  title: "Hello team meeting 2026-12-02",
  body: `Agenda\n\n<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"2026-12-02T16:00:00.000Z","date":"2026-12-02","doc":null} -->\n`,
  state: "closed",
  user: { login: BOT, type: "Bot" },
  created_at: OPENED_AT,
};

describe("a redelivered merge whose minutes only have notes on agenda items", () => {
  it("takes the merge's claim before it comments on the item, and deletes it after", async () => {
    const unmatched = recordUnmatched();
    const claimRef = `wg-meetings/claims/follow-up/hello/2026-12-02/${SHA}`;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, closedFixture.installation.id);
    // The close: the meeting is closed and says so already.
    scope.get(`${BASE}/issues`).query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" }).reply(200, [meetingIssue]);
    scope.get(`${BASE}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
    scope.get(`${BASE}/issues/1/comments`).query(true).reply(200, [{ id: 70, body: "The minutes are merged.\n\n<!-- wg-meetings:minutes-merged -->", user: { login: BOT } }]);
    // The follow-up: the file as merged, then the claim, then the item's comment.
    scope.get(`${BASE}/contents/${enc(PATH)}`).query({ ref: SHA }).reply(200, { type: "file", encoding: "base64", content: b64(MINUTES) });
    scope.get(`${BASE}/git/commits/${SHA}`).reply(200, { sha: SHA, tree: { sha: "tree9" } });
    scope.post(`${BASE}/git/commits`).reply(201, { sha: "claim1" });
    scope.post(`${BASE}/git/refs`, { ref: `refs/${claimRef}`, sha: "claim1" }).reply(201, {});
    scope.get(`${BASE}/issues/1`).reply(200, meetingIssue);
    scope.get(`${BASE}/issues/31/comments`).query({ per_page: "100", page: "1", since: OPENED_AT }).reply(200, []);
    let comment: { body: string } | undefined;
    scope.post(`${BASE}/issues/31/comments`, (body) => ((comment = body), true)).reply(201, { id: 80 });
    scope.delete(`${BASE}/git/refs/${encodeURIComponent(claimRef)}`).reply(204);

    const sent: string[] = [];
    scope.on("request", (request: { method: string; path: string }) => sent.push(`${request.method} ${request.path.split("?")[0]}`));

    const payload = structuredClone(closedFixture);
    Object.assign(payload.pull_request, { merged: true, number: 9, html_url: `${WEB}/pull/9`, merge_commit_sha: SHA });
    payload.pull_request.head.ref = "wg-meetings/minutes-hello-2026-12-02";
    payload.pull_request.user = { ...payload.pull_request.user, login: BOT, type: "Bot" };
    const { probot } = await createTestProbot();
    await probot.receive({ id: `pr-${Math.random()}`, name: "pull_request", payload });

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(comment!.body).toMatch(/^Discussed at the \[Hello team meeting 2026-12-02\]/);
    // In this order: the claim, the item's comment, the claim's release.
    const claimed = sent.indexOf(`POST ${BASE}/git/refs`);
    const commented = sent.indexOf(`POST ${BASE}/issues/31/comments`);
    const released = sent.indexOf(`DELETE ${BASE}/git/refs/${encodeURIComponent(claimRef)}`);
    expect([claimed, commented, released].every((index) => index >= 0)).toBe(true);
    expect(claimed).toBeLessThan(commented);
    expect(commented).toBeLessThan(released);
  });
});
