import { readFileSync } from "node:fs";
import nock from "nock";
import { beforeEach, describe, expect, it } from "vitest";
import { MERGED_MARKER } from "../../src/state/merged-marker.js";
import { API, mockApp, mockToken } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Issue 10: the merged marker closes the close-on-merge step only in the App's own comment.
 * Anyone could paste `<!-- wg-meetings:minutes-merged -->` into a comment on the meeting issue,
 * and the App then skipped its comment linking the merged minutes.
 */
const closedFixture = JSON.parse(readFileSync(new URL("../fixtures/pull_request.closed.json", import.meta.url), "utf8"));
const REPO = "/repos/Codertocat/Hello-World";
const BOT = "wg-meetings[bot]";
const AT = "2026-12-02T16:00:00.000Z";
const MARKER = `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2026-12-02","doc":null} -->`;
const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
`;
const COMMENTS_QUERY = { per_page: "100" };

/** The real payload, as GitHub sends it when the App's own minutes PR is merged. */
function mergedMinutesPull() {
  const payload = structuredClone(closedFixture);
  payload.pull_request.merged = true;
  payload.pull_request.number = 9;
  payload.pull_request.html_url = "https://github.com/Codertocat/Hello-World/pull/9";
  payload.pull_request.merge_commit_sha = "abc123";
  payload.pull_request.head.ref = "wg-meetings/minutes-hello-2026-12-02";
  payload.pull_request.user = { ...payload.pull_request.user, login: BOT, type: "Bot" };
  payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: "Codertocat/Hello-World" };
  return { id: `pr-${Math.random()}`, name: "pull_request" as const, payload };
}

function upToComments(scope: nock.Scope) {
  mockApp(scope);
  mockToken(scope, closedFixture.installation.id);
  scope
    .get(`${REPO}/issues`)
    .query(true)
    .reply(200, [{ number: 1, html_url: "https://github.com/Codertocat/Hello-World/issues/1", title: "m", body: MARKER, state: "open", user: { login: BOT } }]);
  scope
    .get(`${REPO}/contents/.github%2Fmeetings.yml`)
    .reply(200, { type: "file", encoding: "base64", content: Buffer.from(CONFIG).toString("base64") });
  // After the close, the follow-up reads the minutes as merged (follow-up-on-merge.test.ts): not there in these tests.
  scope.get(`${REPO}/contents/meetings%2F2026-12-02.md`).query({ ref: "abc123" }).reply(404, { message: "Not Found" });
}

let probot: Awaited<ReturnType<typeof createTestProbot>>["probot"];
beforeEach(async () => {
  ({ probot } = await createTestProbot());
});

describe("issue 10: the merged marker is believed only in the App's own comments", () => {
  it("a commenter who pasted the marker does not stop the App's close-on-merge comment", async () => {
    const scope = nock(API);
    upToComments(scope);
    scope
      .get(`${REPO}/issues/1/comments`)
      .query(COMMENTS_QUERY)
      .reply(200, [{ id: 70, body: `Closing this myself.\n\n${MERGED_MARKER}`, user: { login: "mallory", type: "User" } }]);
    let comment: { body: string } | undefined;
    scope.post(`${REPO}/issues/1/comments`, (body) => ((comment = body), true)).reply(201, { id: 71 });
    scope.patch(`${REPO}/issues/1`, { state: "closed", state_reason: "completed" }).reply(200, {});

    await probot.receive(mergedMinutesPull());

    expect(scope.isDone()).toBe(true);
    expect(comment!.body).toBe(
      "The minutes are merged: [`meetings/2026-12-02.md`](https://github.com/Codertocat/Hello-World/blob/abc123/meetings/2026-12-02.md) (#9). Closing this meeting.\n\n" +
        MERGED_MARKER,
    );
  });

  it("the App's own comment with the marker (a redelivered event) is the one that counts: no second comment", async () => {
    const scope = nock(API);
    upToComments(scope);
    scope
      .get(`${REPO}/issues/1/comments`)
      .query(COMMENTS_QUERY)
      .reply(200, [{ id: 72, body: `The minutes are merged: … Closing this meeting.\n\n${MERGED_MARKER}`, user: { login: BOT, type: "Bot" } }]);
    scope.patch(`${REPO}/issues/1`, { state: "closed", state_reason: "completed" }).reply(200, {});

    await probot.receive(mergedMinutesPull());

    expect(scope.isDone()).toBe(true);
  });
});
