import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readSection } from "../../src/render/sections.js";
import { formatActionItemMarker } from "../../src/state/action-item-marker.js";
import { formatMarker, parseMarker } from "../../src/state/meeting-marker.js";
import { API, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";
import { recordUnmatched } from "../helpers/unmatched.js";

/**
 * A chair's `/agenda` and `/move` keep what earlier meetings left on the meeting issue (issue
 * 13): the agenda items marked as carried over and the open action items. Both commands render
 * the issue's sections again; without the follow-up they would drop both until the next tick
 * put them back (two edits, and a wrong issue in between). Through the `issue_comment.created`
 * handler, against nock: every request in order, the edit's body asserted.
 */
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const REPO = "Codertocat/Hello-World";
const BOT = "wg-meetings[bot]";
const CONFIG = `meetings:
  - id: web
    name: Web team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    agenda: { label: web-agenda, repos: [${REPO}] }
`;
const CONFIG_FILE = (text: string) => ({ type: "file", encoding: "base64", size: text.length, content: Buffer.from(text).toString("base64") });
/** Monday 2026-11-30 17:00 London; the meeting is on Wednesday 2026-12-02 at 16:00 UTC. */
const NOW = new Date("2026-11-30T17:00:00Z");
const AT = "2026-12-02T16:00:00.000Z";
const LISTING = { creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" };
const MEETING = 20;

afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
});

const url = (number: number, repo = REPO) => `https://github.com/${repo}/issues/${number}`;

/** An earlier meeting issue as the App wrote it: its agenda section lists `items`. */
function earlierMeeting(date: string, items: Array<[number, string]>) {
  const agenda = items.map(([number, title]) => `* ${title} [#${number}](${url(number)})`).join("\n");
  const marker = formatMarker({ v: 1, series: "web", at: `${date}T16:00:00.000Z`, date, doc: null, zone: "Europe/London" });
  return `## Agenda\n\nText.<!-- wg-meetings:agenda -->\n\n### ${REPO}\n\n${agenda}<!-- searched ${date}T09:00:00.000Z --><!-- /wg-meetings:agenda -->\n\n${marker}\n`;
}

/** An action-item issue as the merge step writes it (src/github/action-item-issues.ts). */
function actionBody(date: string, text: string, owners: string) {
  const marker = formatActionItemMarker({ v: 1, meeting: REPO, series: "web", date, key: `${date.replaceAll("-", "")}00000000`.slice(0, 16) });
  return `An action item from the [Web team ${date}](${url(1)}).\n\n> ${text}\n\n- **Owners:** ${owners}\n\n${marker}\n`;
}

function listed(number: number, fields: { title: string; body: string; state?: "open" | "closed" }) {
  return {
    number,
    html_url: url(number),
    title: fields.title,
    body: fields.body,
    state: fields.state ?? "open",
    state_reason: fields.state === "closed" ? "completed" : null,
    user: { login: BOT, type: "Bot" },
  };
}

/** The agenda as the default template renders it for this meeting: #3 was on the two agendas before. */
const AGENDA_ONE = `\n\n### ${REPO}\n\n* Item three [#3](${url(3)}) _(carried over from 2026-11-18)_`;
const AGENDA_TWO = `\n\n### ${REPO}\n\n* New item [#7](${url(7)})\n* Item three [#3](${url(3)}) _(carried over from 2026-11-18)_`;

/** The open action items section, its ages counted to `date`. */
const actions = (date: "2026-12-02" | "2026-12-03") => {
  const [cdn, draft] = date === "2026-12-02" ? ["14 days", "7 days"] : ["15 days", "8 days"];
  return (
    "\n\n## Open action items\n\nAction items from earlier meetings of this series that are still open, oldest first.\n\n" +
    `* Ask the CDN [#8](${url(8)}) — @carol · from the 2026-11-18 meeting, ${cdn} old\n` +
    `* Draft the announcement [#11](${url(11)}) — @alice · from the 2026-11-25 meeting, ${draft} old`
  );
};

/** Meeting #20 as the tick left it: #3 carried over, two open action items, a line a person added. */
function meetingBody(agenda = AGENDA_ONE) {
  const marker = formatMarker({ v: 1, series: "web", at: AT, date: "2026-12-02", doc: null, zone: "Europe/London" });
  return (
    `## Time<!-- wg-meetings:time -->\n\nWednesday 16:00<!-- /wg-meetings:time -->\n\n## Agenda\n\nText.<!-- wg-meetings:agenda -->${agenda}` +
    `<!-- searched 2026-11-30T09:00:00.000Z --><!-- /wg-meetings:agenda --><!-- wg-meetings:actions -->${actions("2026-12-02")}<!-- /wg-meetings:actions -->\n\n` +
    `## Invited\n\n* Added by a person\n\n${marker}\n`
  );
}

/** The App's issues, newest first: the meeting itself, action items, and the two meetings before. */
function history(body = meetingBody()) {
  return [
    listed(MEETING, { title: "Web team 2026-12-02", body }),
    listed(12, { title: "Closed item", body: actionBody("2026-11-25", "Closed item", "@dave"), state: "closed" }),
    listed(11, { title: "Draft the announcement", body: actionBody("2026-11-25", "Draft the announcement", "@alice") }),
    listed(10, { title: "Web team 2026-11-25", state: "closed", body: earlierMeeting("2026-11-25", [[3, "Item three"]]) }),
    listed(8, { title: "Ask the CDN", body: actionBody("2026-11-18", "Ask the CDN", "@carol") }),
    listed(5, { title: "Web team 2026-11-18", state: "closed", body: earlierMeeting("2026-11-18", [[3, "Item three"]]) }),
  ];
}

function searchReply(items: Array<{ number: number; title: string }>) {
  return {
    data: {
      search: {
        issueCount: items.length,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: items.map((item) => ({
          __typename: "Issue",
          number: item.number,
          title: item.title,
          url: url(item.number),
          repository: { nameWithOwner: REPO, isPrivate: false },
        })),
      },
      rateLimit: { cost: 1, remaining: 4999 },
    },
  };
}

let nextComment = 7000;

/**
 * The requests every chair command starts with (the App's login, a token, the claim 👀, the
 * commenter's role, the config) and ends with (the reply, 🚀). Returns the reply's body as sent.
 */
function commandChain(scope: nock.Scope, id: number, config = CONFIG) {
  mockApp(scope);
  mockToken(scope, 1);
  scope.post(`/repos/${REPO}/issues/comments/${id}/reactions`, { content: "eyes" }).reply(201, { id: 1, content: "eyes", created_at: NOW.toISOString() });
  scope.get(`/repos/${REPO}/collaborators/chair/permission`).reply(200, { permission: "write", role_name: "write" });
  scope.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, CONFIG_FILE(config));
  const reply: { body?: string } = {};
  scope.post(`/repos/${REPO}/issues/${MEETING}/comments`, (body: { body: string }) => ((reply.body = body.body), true)).reply(201, { id: 1 });
  scope.post(`/repos/${REPO}/issues/comments/${id}/reactions`, { content: "rocket" }).reply(201, { id: 2, content: "rocket" });
  return reply;
}

/** Delivers the chair's comment `text` on meeting #20 showing `body`; returns the requests made, in order. */
async function command(scope: nock.Scope, id: number, text: string, body = meetingBody()) {
  const requests: string[] = [];
  scope.on("request", (request: { method: string; path: string }) => requests.push(`${request.method} ${request.path.split("?")[0]}`));
  const payload = structuredClone(commentFixture);
  payload.repository.default_branch = "main";
  Object.assign(payload.issue, { number: MEETING, html_url: url(MEETING), body, state: "open" });
  payload.issue.user = { ...payload.issue.user, login: BOT, type: "Bot" };
  payload.comment = { ...payload.comment, id, body: text, user: { ...payload.comment.user, login: "chair", type: "User" } };
  const { probot } = await createTestProbot();
  await probot.receive({ id: `d-${id}`, name: "issue_comment" as const, payload });
  return requests;
}

const withoutReplyMarker = (text: string | undefined) => text?.replace(/\n\n<!-- wg-meetings:reply \{[^\n]*\} -->$/, "");

/** What every chair command costs before its own work: App login, token, 👀, role, config. */
const PREFIX = [
  "GET /app",
  "POST /app/installations/1/access_tokens",
  `POST /repos/${REPO}/issues/comments/{id}/reactions`,
  `GET /repos/${REPO}/collaborators/chair/permission`,
  `GET /repos/${REPO}/contents/.github%2Fmeetings.yml`,
];
const SUFFIX = [`POST /repos/${REPO}/issues/${MEETING}/comments`, `POST /repos/${REPO}/issues/comments/{id}/reactions`];
const expected = (id: number, work: string[]) => [...PREFIX, ...work, ...SUFFIX].map((line) => line.replace("{id}", String(id)));

describe("/agenda keeps what earlier meetings left", () => {
  it("a newly labelled item: one edit adds it, #3 stays carried over and the open action items stay; one listing more than before", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const id = ++nextComment;
    const scope = nock(API);
    const reply = commandChain(scope, id);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history());
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([{ number: 7, title: "New item" }, { number: 3, title: "Item three" }]));
    scope.get(`/repos/${REPO}/issues/${MEETING}`).reply(200, listed(MEETING, { title: "Web team 2026-12-02", body: meetingBody() }));
    const edits: Array<Record<string, string>> = [];
    scope.patch(`/repos/${REPO}/issues/${MEETING}`, (body: Record<string, string>) => (edits.push(body), true)).reply(200, {});

    const requests = await command(scope, id, "/agenda");

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(withoutReplyMarker(reply.body)).toBe("The agenda is refreshed: 2 items.");
    expect(edits).toHaveLength(1);
    expect(Object.keys(edits[0]!)).toEqual(["body"]);
    const section = readSection(edits[0]!.body!, "agenda")!;
    expect(section.replace(/<!-- searched [^>]+ -->$/, "")).toBe(AGENDA_TWO);
    expect(readSection(edits[0]!.body!, "actions")).toBe(actions("2026-12-02"));
    expect(edits[0]!.body).toContain("* Added by a person");
    // 12 requests; before issue 13's follow-up reached /agenda it was 11 (no listing).
    expect(requests).toEqual(
      expected(id, [`GET /repos/${REPO}/issues`, "POST /graphql", `GET /repos/${REPO}/issues/${MEETING}`, `PATCH /repos/${REPO}/issues/${MEETING}`]),
    );
  });

  it("nothing new on the agenda: no edit at all (it used to write the agenda without its carried-over mark)", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const id = ++nextComment;
    const scope = nock(API);
    const reply = commandChain(scope, id);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history());
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([{ number: 3, title: "Item three" }]));
    scope.get(`/repos/${REPO}/issues/${MEETING}`).reply(200, listed(MEETING, { title: "Web team 2026-12-02", body: meetingBody() }));

    const requests = await command(scope, id, "/agenda");

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(withoutReplyMarker(reply.body)).toBe("The agenda was already up to date: 1 item.");
    expect(requests).not.toContain(`PATCH /repos/${REPO}/issues/${MEETING}`);
  });

  it("an action item closed since the last tick leaves the section in the same single edit", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const id = ++nextComment;
    const scope = nock(API);
    commandChain(scope, id);
    const closed = history().map((issue) => (issue.number === 11 ? { ...issue, state: "closed", state_reason: "completed" } : issue));
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, closed);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([{ number: 3, title: "Item three" }]));
    scope.get(`/repos/${REPO}/issues/${MEETING}`).reply(200, listed(MEETING, { title: "Web team 2026-12-02", body: meetingBody() }));
    const edits: Array<{ body: string }> = [];
    scope.patch(`/repos/${REPO}/issues/${MEETING}`, (body: { body: string }) => (edits.push(body), true)).reply(200, {});

    await command(scope, id, "/agenda");

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(edits).toHaveLength(1);
    expect(readSection(edits[0]!.body, "actions")).toBe(actions("2026-12-02").replace(/\n\* Draft the announcement .*$/, ""));
    // The agenda itself did not change: its section, stamp and all, is as it was.
    expect(readSection(edits[0]!.body, "agenda")).toBe(readSection(meetingBody(), "agenda"));
  });

  it("at the meeting's start, /agenda is refused without listing anything", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(AT) });
    const unmatched = recordUnmatched();
    const id = ++nextComment;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 1);
    scope.post(`/repos/${REPO}/issues/comments/${id}/reactions`, { content: "eyes" }).reply(201, { id: 1, content: "eyes", created_at: NOW.toISOString() });
    scope.get(`/repos/${REPO}/collaborators/chair/permission`).reply(200, { permission: "write", role_name: "write" });
    scope.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, CONFIG_FILE(CONFIG));
    const reply: { body?: string } = {};
    scope.post(`/repos/${REPO}/issues/${MEETING}/comments`, (body: { body: string }) => ((reply.body = body.body), true)).reply(201, { id: 1 });
    scope.post(`/repos/${REPO}/issues/comments/${id}/reactions`, { content: "confused" }).reply(201, { id: 2, content: "confused" });

    await command(scope, id, "/agenda");

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(withoutReplyMarker(reply.body)).toBe("I did not refresh the agenda: the meeting has started.");
  });
});

describe("/move keeps what earlier meetings left", () => {
  it("to the next day: one edit, #3 still carried over, the action items aged to the new date, and no request more than before", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const id = ++nextComment;
    const scope = nock(API);
    const reply = commandChain(scope, id);
    scope.get(`/repos/${REPO}/issues/${MEETING}`).reply(200, listed(MEETING, { title: "Web team 2026-12-02", body: meetingBody(AGENDA_TWO) }));
    // The meeting's own issue is in the listing, at its old time (before the new one): it must
    // not pass for its own predecessor, or #7 would be "carried over from 2026-12-02".
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history(meetingBody(AGENDA_TWO)));
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([{ number: 7, title: "New item" }, { number: 3, title: "Item three" }]));
    const edits: Array<{ title: string; body: string }> = [];
    scope.patch(`/repos/${REPO}/issues/${MEETING}`, (body: { title: string; body: string }) => (edits.push(body), true)).reply(200, {});

    const requests = await command(scope, id, "/move 2026-12-03 16:00", meetingBody(AGENDA_TWO));

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(withoutReplyMarker(reply.body)).toBe(
      "Moved: this is now **Web team Meeting 2026-12-03** (2026-12-03T16:00:00Z); the time table is updated.",
    );
    expect(edits).toHaveLength(1);
    const body = edits[0]!.body;
    expect(edits[0]!.title).toBe("Web team Meeting 2026-12-03");
    expect(readSection(body, "agenda")).toBe(AGENDA_TWO);
    expect(readSection(body, "actions")).toBe(actions("2026-12-03"));
    expect(readSection(body, "time")).toContain("**Thu 03-Dec-2026 16:00 (04:00 PM) UTC**");
    expect(body).toContain("* Added by a person");
    expect(parseMarker(body)).toMatchObject({ at: "2026-12-03T16:00:00.000Z", date: "2026-12-03", movedFrom: AT });
    // 12 requests, as before: the listing the clash check made already serves the follow-up.
    expect(requests).toEqual(
      expected(id, [`GET /repos/${REPO}/issues/${MEETING}`, `GET /repos/${REPO}/issues`, "POST /graphql", `PATCH /repos/${REPO}/issues/${MEETING}`]),
    );
  });

  it("action items kept in a repository the App cannot list: one listing more (403), the section is left as it was, the move goes through", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const id = ++nextComment;
    const config = `${CONFIG}    actionItems: { repository: tasks }\n`;
    const scope = nock(API);
    const reply = commandChain(scope, id, config);
    scope.get(`/repos/${REPO}/issues/${MEETING}`).reply(200, listed(MEETING, { title: "Web team 2026-12-02", body: meetingBody() }));
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history());
    scope.get("/repos/Codertocat/tasks/issues").query(LISTING).reply(403, { message: "Resource not accessible by integration" });
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([{ number: 3, title: "Item three" }]));
    const edits: Array<{ title: string; body: string }> = [];
    scope.patch(`/repos/${REPO}/issues/${MEETING}`, (body: { title: string; body: string }) => (edits.push(body), true)).reply(200, {});

    await command(scope, id, "/move 2026-12-03 16:00");

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(withoutReplyMarker(reply.body)).toMatch(/^Moved: this is now \*\*Web team Meeting 2026-12-03\*\*/);
    expect(edits).toHaveLength(1);
    expect(readSection(edits[0]!.body, "agenda")).toBe(AGENDA_ONE);
    // Not read, so not rewritten: the ages still count to the old date until a listing succeeds.
    expect(readSection(edits[0]!.body, "actions")).toBe(actions("2026-12-02"));
  });

  it("action items kept in a private repository: the meeting's visibility comes from the event (public), not another request, and their titles are withheld", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const unmatched = recordUnmatched();
    const id = ++nextComment;
    const config = `${CONFIG}    actionItems: { repository: tasks }\n`;
    const scope = nock(API);
    const reply = commandChain(scope, id, config);
    scope.get(`/repos/${REPO}/issues/${MEETING}`).reply(200, listed(MEETING, { title: "Web team 2026-12-02", body: meetingBody() }));
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history());
    scope.get("/repos/Codertocat/tasks/issues").query(LISTING).reply(200, [listed(4, { title: "Rotate the signing key", body: actionBody("2026-11-25", "Rotate the signing key", "@alice") })]);
    scope.get("/repos/Codertocat/tasks").reply(200, { full_name: "Codertocat/tasks", private: true, visibility: "private" });
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply([{ number: 3, title: "Item three" }]));
    const edits: Array<{ title: string; body: string }> = [];
    scope.patch(`/repos/${REPO}/issues/${MEETING}`, (body: { title: string; body: string }) => (edits.push(body), true)).reply(200, {});

    const requests = await command(scope, id, "/move 2026-12-03 16:00");

    expect(unmatched).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(requests).not.toContain(`GET /repos/${REPO}`);
    expect(withoutReplyMarker(reply.body)).toMatch(/^Moved: this is now \*\*Web team Meeting 2026-12-03\*\*/);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).not.toContain("Rotate the signing key");
  });
});
