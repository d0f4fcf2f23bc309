import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { API, mockApp, mockToken, operation } from "../helpers/github.js";
import { drive, keyJson, mockTokenExchange } from "../helpers/google.js";
import { createTestProbot, type LogLine } from "../helpers/probot.js";

/**
 * Finding 6 of issue 10: the doc id in a meeting issue's marker is text that anyone who may
 * edit the issue can change. Pointed at another group's doc, `/minutes` exported that doc into
 * a public pull request and `/move` renamed it. Now the App asks Drive whose doc it is first
 * (its `appProperties`, which only the App's Google project can write) and touches only the
 * meeting's own.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));

const REPO = "/repos/Codertocat/Hello-World";
const COMMENT = 492700400;
const AT = "2026-12-02T16:00:00.000Z";
const enc = (path: string) => path.split("/").map(encodeURIComponent).join("%2F");
const b64 = (text: string) => Buffer.from(text).toString("base64");

const CONFIG = `meetings:
  - id: hello
    name: Hello team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    agenda: { label: hello-agenda, repos: [Codertocat/Hello-World] }
    minutes:
      doc: google
      google: { folder: F1 }
`;

/** The doc of another group's meeting, made by the same App (same Google identity). */
const OTHER_DOC = "1OtherGroupsEmbargoedTriageNotes";
const DOC_QUERY = { supportsAllDrives: "true", fields: "appProperties" };

function marker(doc: string, extra = "") {
  return `<!-- wg-meetings:meeting {"v":1,"series":"hello","at":"${AT}","date":"2026-12-02","doc":"${doc}"${extra}} -->`;
}

function command(body: string, issueBody: string) {
  const payload = structuredClone(commentFixture);
  payload.comment.body = body;
  payload.issue.body = issueBody;
  payload.issue.user.login = "wg-meetings[bot]";
  payload.issue.user.type = "Bot";
  return { id: `c-${Math.random()}`, name: "issue_comment" as const, payload };
}

/** Identity, token, the claim (👀), config, permission (a chair). */
function upToTheWork(scope: nock.Scope) {
  mockApp(scope);
  mockToken(scope, 1);
  scope.get(`${REPO}/contents/${enc(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: b64(CONFIG) });
  scope.get(`${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" });
  scope.post(`${REPO}/issues/comments/${COMMENT}/reactions`, { content: "eyes" }).reply(201, {});
}

function answer(scope: nock.Scope, reaction: "rocket" | "confused") {
  const seen: { reply?: string } = {};
  // The reply, without the hidden line that ties it to the command comment.
  scope
    .post(`${REPO}/issues/1/comments`, (body) => ((seen.reply = body.body.replace(/\n\n<!-- wg-meetings:reply \{[^\n]*\} -->$/, "")), true))
    .reply(201, { id: 2 });
  scope.post(`${REPO}/issues/comments/${COMMENT}/reactions`, { content: reaction }).reply(201, {});
  return seen;
}

const savedEnv = process.env.GOOGLE_CREDENTIALS_JSON;
let probot: Awaited<ReturnType<typeof createTestProbot>>["probot"];
let logs: LogLine[];
beforeEach(async () => {
  // The App reads its Google credentials from the environment, as in production.
  process.env.GOOGLE_CREDENTIALS_JSON = keyJson();
  ({ probot, logs } = await createTestProbot());
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.GOOGLE_CREDENTIALS_JSON;
  else process.env.GOOGLE_CREDENTIALS_JSON = savedEnv;
});

describe("/minutes with a marker edited to name a doc that is not this meeting's", () => {
  it.each([
    ["another group's doc (another repository)", { wgMeetingsKey: `acme/secret-wg#cve-triage@${AT}` }, "repository"],
    ["a doc of another series of this repository", { wgMeetingsKey: `Codertocat/Hello-World#board@${AT}` }, "series"],
    ["the doc of another meeting of this series", { wgMeetingsKey: "Codertocat/Hello-World#hello@2026-11-25T16:00:00.000Z" }, "occurrence"],
    ["a doc the App did not make (someone's private doc it can read)", undefined, "no-key"],
  ])("%s: nothing is exported or written; the reply says the doc does not belong to the meeting", async (_name, appProperties, part) => {
    const github = nock(API);
    upToTheWork(github);
    const seen = answer(github, "confused");
    const token = mockTokenExchange();
    const google = drive()
      .get(`/drive/v3/files/${OTHER_DOC}`)
      .query(DOC_QUERY)
      .reply(200, appProperties ? { appProperties } : {});
    const exported = drive().get(`/drive/v3/files/${OTHER_DOC}/export`).query(true).reply(200, "# Embargoed: CVE-2026-0001 in libfoo");

    await probot.receive(command("/minutes", `## Time\n\n…\n\n${marker(OTHER_DOC)}\n`));

    expect(github.pendingMocks()).toEqual([]);
    expect(token.isDone()).toBe(true);
    expect(google.isDone()).toBe(true);
    // The export was never asked for, and no branch, file or pull request was written.
    expect(exported.isDone()).toBe(false);
    expect(seen.reply).toBe(
      "I did not publish the minutes: the minutes doc could not be exported: the doc linked from this issue does not belong to this meeting. Nothing was written.",
    );
    // The public reply names nobody else's repository; the App's log says what the doc is instead.
    expect(seen.reply).not.toContain("acme");
    const refused = logs.find((line) => line.msg.startsWith("minutes doc refused"));
    expect(refused).toMatchObject({ doc: OTHER_DOC, mismatch: { part } });
  });
});

describe("/move with a marker edited to name another group's doc", () => {
  it("moves the meeting but renames nothing: the other doc is read (its properties) and never written", async () => {
    const github = nock(API);
    upToTheWork(github);
    const body = `## Time\n\n…\n\n${marker(OTHER_DOC)}\n`;
    github.get(`${REPO}/issues/1`).reply(200, { number: 1, title: "Hello team Meeting 2026-12-02", body, state: "open", user: { login: "wg-meetings[bot]" } });
    github.get(`${REPO}/issues`).query(true).reply(200, []);
    github.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
    });
    let update: { title: string; body: string } | undefined;
    github.patch(`${REPO}/issues/1`, (sent) => ((update = sent), true)).reply(200, {});
    const seen = answer(github, "rocket");
    const token = mockTokenExchange();
    const google = drive()
      .get(`/drive/v3/files/${OTHER_DOC}`)
      .query(DOC_QUERY)
      .reply(200, { appProperties: { wgMeetingsKey: `acme/secret-wg#cve-triage@${AT}` } });
    const renamed = drive().patch(`/drive/v3/files/${OTHER_DOC}`).query(true).reply(200, { id: OTHER_DOC });

    await probot.receive(command("/move 2099-01-07 17:00", body));

    expect(github.pendingMocks()).toEqual([]);
    expect(token.isDone()).toBe(true);
    expect(google.isDone()).toBe(true);
    expect(renamed.isDone()).toBe(false);
    expect(update!.title).toBe("Hello team Meeting 2099-01-07");
    expect(parseMarker(update!.body)).toMatchObject({ at: "2099-01-07T17:00:00.000Z", movedFrom: AT, doc: OTHER_DOC });
    expect(seen.reply).toBe(
      "Moved: this is now **Hello team Meeting 2099-01-07** (2099-01-07T17:00:00Z); the time table is updated. The minutes doc could not be renamed: the doc linked from this issue does not belong to this meeting",
    );
    expect(logs.find((line) => line.msg.startsWith("minutes doc not renamed"))).toMatchObject({ mismatch: { part: "repository" } });
  });

  it("renames the meeting's own doc, after earlier moves too, and records the new start in it", async () => {
    const github = nock(API);
    upToTheWork(github);
    // Moved once already: the marker remembers the scheduled start, the doc was made for it.
    const body = `## Time\n\n…\n\n${marker("OWN", ',"movedFrom":"2026-11-25T16:00:00.000Z"')}\n`;
    github.get(`${REPO}/issues/1`).reply(200, { number: 1, title: "Hello team Meeting 2026-12-02", body, state: "open", user: { login: "wg-meetings[bot]" } });
    github.get(`${REPO}/issues`).query(true).reply(200, []);
    github.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
    });
    let update: { body: string } | undefined;
    github.patch(`${REPO}/issues/1`, (sent) => ((update = sent), true)).reply(200, {});
    const seen = answer(github, "rocket");
    const token = mockTokenExchange();
    let renamed: unknown;
    const google = drive()
      .get("/drive/v3/files/OWN")
      .query(DOC_QUERY)
      .reply(200, { appProperties: { wgMeetingsKey: "Codertocat/Hello-World#hello@2026-11-25T16:00:00.000Z" } })
      .patch("/drive/v3/files/OWN", (sent) => ((renamed = sent), true))
      .query({ supportsAllDrives: "true", fields: "id" })
      .reply(200, { id: "OWN" });

    await probot.receive(command("/move 2099-01-07 17:00", body));

    expect(github.pendingMocks()).toEqual([]);
    expect(token.isDone()).toBe(true);
    expect(google.isDone()).toBe(true);
    expect(renamed).toEqual({
      name: "Hello team Meeting 2099-01-07",
      appProperties: { wgMeetingsMovedTo: "Codertocat/Hello-World#hello@2099-01-07T17:00:00.000Z" },
    });
    expect(parseMarker(update!.body)).toMatchObject({ at: "2099-01-07T17:00:00.000Z", movedFrom: "2026-11-25T16:00:00.000Z", doc: "OWN" });
    expect(seen.reply).toContain("The minutes doc has the new title.");
  });
});
