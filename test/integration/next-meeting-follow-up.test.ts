import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import { openMeeting } from "../../src/meetings/open-meeting.js";
import { runTick } from "../../src/meetings/tick.js";
import { readSection } from "../../src/render/sections.js";
import { formatActionItemMarker } from "../../src/state/action-item-marker.js";
import { formatMarker } from "../../src/state/meeting-marker.js";
import { API, installedRepo, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * The next meeting's issue picks up what earlier meetings left (issue 13): the action items
 * still open (a live section), the agenda items carried over, and links to the previous meeting
 * and its minutes file. All of it from the App's issue listing the tick reads anyway.
 */
const REPO = "acme/web";
const BOT = "wg-meetings[bot]";
const CONFIG = `meetings:
  - id: web
    name: Web team
    schedule: { rrule: FREQ=WEEKLY;BYDAY=WE, start: 2026-01-07T16:00, zone: Europe/London }
    createBefore: P2D
    agenda: { label: web-agenda, repos: [${REPO}] }
`;
/** Monday 2026-11-30 17:00 London: Wednesday's meeting (2026-12-02 16:00 UTC) is due. */
const NOW = new Date("2026-11-30T17:00:00Z");
const DUE = "2026-12-02T16:00:00.000Z";
const LISTING = { creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" };

afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
});

const url = (number: number, repo = REPO) => `https://github.com/${repo}/issues/${number}`;

/** A meeting issue as the App wrote it: an agenda section listing `items`, and the marker. */
function meetingBody(date: string, items: Array<[string, number, string]>, extra = "") {
  const agenda = items.map(([repo, number, title]) => `* ${title} [#${number}](${url(number, repo)})`).join("\n");
  const marker = formatMarker({ v: 1, series: "web", at: `${date}T16:00:00.000Z`, date, doc: null, zone: "Europe/London" });
  return `## Agenda\n\nOpen issues labelled **web-agenda**.<!-- wg-meetings:agenda -->\n\n### acme/web\n\n${agenda}<!-- searched ${date}T09:00:00.000Z --><!-- /wg-meetings:agenda -->\n${extra}\n${marker}\n`;
}

/** An action-item issue as the merge step writes it (src/github/action-item-issues.ts). */
function actionBody(date: string, text: string, owners: string, meeting = REPO) {
  const marker = formatActionItemMarker({ v: 1, meeting, series: "web", date, key: `${date.replaceAll("-", "")}00000000`.slice(0, 16) });
  return `An action item from the [Web team ${date}](${url(1)}).\n\n> ${text}\n\n- **Owners:** ${owners}\n- **Minutes:** [\`meetings/${date}.md\`](https://github.com/${REPO}/blob/main/meetings/${date}.md)\n\n${marker}\n`;
}

function listed(number: number, fields: { title: string; body: string; state?: "open" | "closed"; login?: string }) {
  return {
    number,
    html_url: url(number),
    title: fields.title,
    body: fields.body,
    state: fields.state ?? "open",
    state_reason: fields.state === "closed" ? "completed" : null,
    user: { login: fields.login ?? BOT, type: fields.login ? "User" : "Bot" },
  };
}

/** The App's issues in acme/web, newest first, before the 2026-12-02 meeting opens. */
function history() {
  return [
    // A person's issue with a pasted action-item marker: never an action item.
    listed(15, { title: "Forged item", body: actionBody("2026-11-25", "Forged", "@mallory"), login: "mallory" }),
    // A person's issue posing as the previous meeting, listing #7 on its "agenda".
    listed(14, { title: "Forged meeting", body: meetingBody("2026-11-25", [["acme/web", 7, "New item"]]), login: "mallory" }),
    listed(12, { title: "Closed item", body: actionBody("2026-11-25", "Closed item", "@dave"), state: "closed" }),
    listed(11, { title: "Draft the announcement", body: actionBody("2026-11-25", "Draft the announcement", "@alice, `@bob` (not assignable in this repository)") }),
    listed(10, {
      title: "Web team 2026-11-25",
      state: "closed",
      // #7 appears only inside an escaped title: no link, so not on that agenda.
      body: meetingBody("2026-11-25", [
        ["acme/web", 3, "Item three"],
        ["acme/web", 9, "Evil \\[#7\\]\\(https://github.com/acme/web/issues/7\\)"],
      ]),
    }),
    listed(8, { title: "Ask the CDN about *purging*", body: actionBody("2026-11-18", "Ask the CDN", "@carol") }),
    listed(5, { title: "Web team 2026-11-18", state: "closed", body: meetingBody("2026-11-18", [["acme/web", 3, "Item three"]]) }),
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

const AGENDA = [
  { number: 7, title: "New item" },
  { number: 3, title: "Item three" },
];

/** Claiming the occurrence and creating the issue: the requests after the agenda search. */
function claimAndCreate(scope: nock.Scope, created: { body?: string }) {
  scope.get(`/repos/${REPO}/branches/main`).reply(200, { name: "main", commit: { sha: "head1", commit: { tree: { sha: "tree1" } } } });
  scope.post(`/repos/${REPO}/git/commits`).reply(201, { sha: "claim1" });
  scope.post(`/repos/${REPO}/git/refs`).reply(201, { ref: "refs/wg-meetings/claims/web/20261202T160000Z", object: { sha: "claim1" } });
  scope
    .post(`/repos/${REPO}/issues`, (body: { body: string }) => ((created.body = body.body), true))
    .reply(201, { number: 20, html_url: url(20) });
}

const OPEN_ITEMS =
  "\n\n## Open action items\n\nAction items from earlier meetings of this series that are still open, oldest first.\n\n" +
  "* Ask the CDN about \\*purging\\* [#8](https://github.com/acme/web/issues/8) — @carol · from the 2026-11-18 meeting, 14 days old\n" +
  "* Draft the announcement [#11](https://github.com/acme/web/issues/11) — @alice, `@bob` · from the 2026-11-25 meeting, 7 days old";

describe("opening the next meeting", () => {
  it("lists the two open action items (not the closed one, not a forged one), marks the carried-over item, and links the previous meeting and its minutes", async () => {
    const parsed = parseConfigText(CONFIG);
    if (!parsed.ok) throw new Error("config");
    const series = parsed.config.meetings[0]!;
    const scope = nock(API);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history());
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));
    const created: { body?: string } = {};
    claimAndCreate(scope, created);

    const { probot } = await createTestProbot();
    const gh = await probot.auth(9);
    const outcome = await openMeeting({
      gh,
      repo: { owner: "acme", repo: "web" },
      defaultBranch: "main",
      series,
      occurrence: { start: new Date(DUE), zone: "Europe/London", date: "2026-12-02" },
      now: NOW,
      clock: () => NOW,
      botLogin: BOT,
      dryRun: false,
      log: probot.log,
    });

    expect(scope.isDone()).toBe(true);
    expect(outcome).toMatchObject({ action: "created", number: 20 });
    const body = created.body!;
    expect(body).toContain(
      "* Previous meeting: [#10](https://github.com/acme/web/issues/10) (2026-11-25), minutes: [`meetings/2026-11-25.md`](https://github.com/acme/web/blob/main/meetings/2026-11-25.md)\n",
    );
    // #3 was on the agendas of 2026-11-18 and 2026-11-25; #7 only on a forged issue's.
    expect(readSection(body, "agenda")).toBe(
      "\n\n### acme/web\n\n* New item [#7](https://github.com/acme/web/issues/7)\n* Item three [#3](https://github.com/acme/web/issues/3) _(carried over from 2026-11-18)_",
    );
    expect(readSection(body, "actions")).toBe(OPEN_ITEMS);
    expect(body).not.toContain("Closed item");
    expect(body).not.toContain("mallory");
  });

  it("given the listing the tick already made (known and appIssues), it lists nothing again", async () => {
    const parsed = parseConfigText(CONFIG);
    if (!parsed.ok) throw new Error("config");
    const { listAppIssues, meetingIssuesFrom } = await import("../../src/github/meeting-issues.js");
    const scope = nock(API);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history().filter((issue) => issue.user.login === BOT));
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));
    const created: { body?: string } = {};
    claimAndCreate(scope, created);

    const { probot } = await createTestProbot();
    const gh = await probot.auth(9);
    // What tick.ts's memoised listing holds: one request, shared.
    const appIssues = await listAppIssues(gh, { owner: "acme", repo: "web" }, BOT);
    await openMeeting({
      gh,
      repo: { owner: "acme", repo: "web" },
      defaultBranch: "main",
      series: parsed.config.meetings[0]!,
      occurrence: { start: new Date(DUE), zone: "Europe/London", date: "2026-12-02" },
      now: NOW,
      clock: () => NOW,
      botLogin: BOT,
      dryRun: false,
      log: probot.log,
      known: meetingIssuesFrom(appIssues),
      appIssues,
    });

    expect(scope.isDone()).toBe(true);
    expect(readSection(created.body!, "actions")).toBe(OPEN_ITEMS);
  });

  it("the tick opens it with the requests it made before: 9 REST calls and one search", async () => {
    const scope = nock(API);
    mockApp(scope);
    scope.get("/app/installations").query({ per_page: "100" }).reply(200, [{ id: 9, account: { login: "acme" }, suspended_at: null }]);
    mockToken(scope, 9);
    scope.get("/installation/repositories").query({ per_page: "100" }).reply(200, { total_count: 1, repositories: [installedRepo(REPO)] });
    scope
      .post("/graphql", operation("DiscoverMeetingConfigs"))
      .reply(200, { data: { nodes: [{ nameWithOwner: REPO, config: { text: CONFIG } }] } });
    // GitHub's creator filter leaves people's issues out of the tick's listing.
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history().filter((issue) => issue.user.login === BOT));
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));
    const created: { body?: string } = {};
    claimAndCreate(scope, created);
    const requests: string[] = [];
    const record = (request: { method: string; path: string }) => requests.push(`${request.method} ${request.path.split("?")[0]}`);
    scope.on("request", record);

    const { probot } = await createTestProbot();
    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, clock: () => NOW });

    expect(report.errors).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(requests.filter((line) => !line.endsWith("/graphql"))).toHaveLength(9);
    expect(requests.filter((line) => line.endsWith("/graphql"))).toHaveLength(2);
    expect(created.body).toContain("* Previous meeting: [#10](https://github.com/acme/web/issues/10) (2026-11-25)");
    expect(readSection(created.body!, "agenda")).toContain("* Item three [#3](https://github.com/acme/web/issues/3) _(carried over from 2026-11-18)_");
  });
});

describe("action items kept in another repository (actionItems.repository)", () => {
  it("cost one listing more, of the App's issues there, and its visibility; are linked with their repository", async () => {
    const parsed = parseConfigText(`${CONFIG}    actionItems: { repository: tasks }\n`);
    if (!parsed.ok) throw new Error(parsed.errors.map((error) => error.message).join("\n"));
    const series = parsed.config.meetings[0]!;
    const scope = nock(API);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history().filter((issue) => issue.user.login === BOT));
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));
    scope
      .get("/repos/acme/tasks/issues")
      .query(LISTING)
      .reply(200, [
        { ...listed(3, { title: "Renew the certificate", body: actionBody("2026-11-25", "Renew", "@erin") }), html_url: "https://github.com/acme/tasks/issues/3" },
        // Another meeting repository's item in the shared repository: not this meeting's.
        { ...listed(2, { title: "Elsewhere", body: actionBody("2026-11-25", "Elsewhere", "@frank", "acme/api") }), html_url: "https://github.com/acme/tasks/issues/2" },
      ]);
    // It lists open issues: whether it is private (a public one: titles and owners may be shown).
    scope.get("/repos/acme/tasks").reply(200, { full_name: "acme/tasks", private: false, archived: false });
    const created: { body?: string } = {};
    claimAndCreate(scope, created);

    const { probot } = await createTestProbot();
    await openMeeting({
      gh: await probot.auth(9),
      repo: { owner: "acme", repo: "web" },
      defaultBranch: "main",
      series,
      occurrence: { start: new Date(DUE), zone: "Europe/London", date: "2026-12-02" },
      now: NOW,
      clock: () => NOW,
      botLogin: BOT,
      dryRun: false,
      log: probot.log,
    });

    expect(scope.isDone()).toBe(true);
    const section = readSection(created.body!, "actions")!;
    expect(section).toContain("* Renew the certificate [acme/tasks#3](https://github.com/acme/tasks/issues/3) — @erin · from the 2026-11-25 meeting, 7 days old");
    // The items still in the meeting's own repository (opened before the setting) are listed too.
    expect(section).toContain("[#11](https://github.com/acme/web/issues/11)");
    expect(section).not.toContain("Elsewhere");
  });

  it("a private one in a public meeting: its open items are linked, their titles and owners withheld", async () => {
    const parsed = parseConfigText(`${CONFIG}    actionItems: { repository: tasks }\n`);
    if (!parsed.ok) throw new Error(parsed.errors.map((error) => error.message).join("\n"));
    const series = parsed.config.meetings[0]!;
    const scope = nock(API);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, history().filter((issue) => issue.user.login === BOT));
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));
    scope
      .get("/repos/acme/tasks/issues")
      .query(LISTING)
      .reply(200, [
        {
          ...listed(3, { title: "Fix CVE-2026-1234: heap overflow", body: actionBody("2026-11-25", "Fix the overflow", "@erin") }),
          assignees: [{ login: "erin" }],
          html_url: "https://github.com/acme/tasks/issues/3",
        },
      ]);
    // The action-item repository is private, so the meeting's visibility is read too: public.
    scope.get("/repos/acme/tasks").reply(200, { full_name: "acme/tasks", private: true, archived: false });
    scope.get(`/repos/${REPO}`).reply(200, { full_name: REPO, private: false, archived: false });
    const created: { body?: string } = {};
    claimAndCreate(scope, created);

    const { probot } = await createTestProbot();
    await openMeeting({
      gh: await probot.auth(9),
      repo: { owner: "acme", repo: "web" },
      defaultBranch: "main",
      series,
      occurrence: { start: new Date(DUE), zone: "Europe/London", date: "2026-12-02" },
      now: NOW,
      clock: () => NOW,
      botLogin: BOT,
      dryRun: false,
      log: probot.log,
    });

    expect(scope.isDone()).toBe(true);
    const section = readSection(created.body!, "actions")!;
    expect(section).toContain("* Action item in a private repository [acme/tasks#3](https://github.com/acme/tasks/issues/3) · from the 2026-11-25 meeting, 7 days old");
    expect(created.body).not.toContain("CVE");
    expect(created.body).not.toContain("overflow");
    expect(created.body).not.toContain("erin");
    // The meeting's own items keep their titles.
    expect(section).toContain("[#11](https://github.com/acme/web/issues/11)");
  });
});

describe("keeping the open meeting up to date", () => {
  it("the agenda refresh also rewrites the open action items, in the same single edit", async () => {
    const parsed = parseConfigText(CONFIG);
    if (!parsed.ok) throw new Error("config");
    const series = parsed.config.meetings[0]!;
    // #11 was closed since the issue opened: the tick's refresh drops it with the agenda's change.
    const scope = nock(API);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, historyAfterClose(openedMeeting()).filter((issue) => issue.user.login === BOT));
    scope.post("/graphql", operation("AgendaSearch")).reply(200, searchReply(AGENDA));
    scope.get(`/repos/${REPO}/issues/20`).reply(200, listed(20, { title: "Web team 2026-12-02", body: openedMeeting() }));
    const edits: Array<{ body: string }> = [];
    scope.patch(`/repos/${REPO}/issues/20`, (body: { body: string }) => (edits.push(body), true)).reply(200, {});

    const { probot } = await createTestProbot();
    const outcome = await openMeeting({
      gh: await probot.auth(9),
      repo: { owner: "acme", repo: "web" },
      defaultBranch: "main",
      series,
      occurrence: { start: new Date(DUE), zone: "Europe/London", date: "2026-12-02" },
      now: NOW,
      botLogin: BOT,
      dryRun: false,
      log: probot.log,
    });

    expect(scope.isDone()).toBe(true);
    expect(outcome).toMatchObject({ action: "exists", number: 20, agenda: "updated" });
    expect(edits).toHaveLength(1);
    expect(readSection(edits[0]!.body, "actions")).not.toContain("#11");
    expect(readSection(edits[0]!.body, "actions")).toContain("[#8]");
    expect(readSection(edits[0]!.body, "agenda")).toContain("* Item three [#3](https://github.com/acme/web/issues/3) _(carried over from 2026-11-18)_");
    expect(edits[0]!.body).toContain("* Added by a person");
  });
});

/** The meeting issue #20 as opened above, with both action items listed. */
function openedMeeting() {
  const marker = formatMarker({ v: 1, series: "web", at: DUE, date: "2026-12-02", doc: null, zone: "Europe/London" });
  return `## Agenda\n\nText.<!-- wg-meetings:agenda -->\n\n* New item [#7](${url(7)})<!-- /wg-meetings:agenda --><!-- wg-meetings:actions -->${OPEN_ITEMS}<!-- /wg-meetings:actions -->\n\n## Invited\n\n* Added by a person\n\n${marker}\n`;
}

function closedEvent(issue: { number: number; body: string; login?: string }, action: "closed" | "reopened" = "closed") {
  return {
    id: `closed-${issue.number}-${Math.random()}`,
    name: "issues" as const,
    payload: {
      action,
      installation: { id: 9 },
      repository: { name: "web", full_name: REPO, owner: { login: "acme" }, private: false, default_branch: "main" },
      issue: {
        number: issue.number,
        html_url: url(issue.number),
        title: "Draft the announcement",
        body: issue.body,
        state: action === "closed" ? "closed" : "open",
        labels: [],
        user: { login: issue.login ?? BOT, type: issue.login ? "User" : "Bot" },
      },
      sender: { login: "alice", type: "User" },
    },
  } as never;
}

/** The App's issues once #11 is closed: the meeting issue #20 is the newest. */
function historyAfterClose(meetingBodyNow: string) {
  const after = history().map((issue) => (issue.number === 11 ? { ...issue, state: "closed", state_reason: "completed" } : issue));
  return [listed(20, { title: "Web team 2026-12-02", body: meetingBodyNow }), ...after];
}

const CONFIG_FILE = { type: "file", encoding: "base64", size: CONFIG.length, content: Buffer.from(CONFIG).toString("base64") };

describe("closing an action-item issue", () => {
  it("drops it from the open meeting's section with one edit; a redelivery reads and writes nothing", async () => {
    // The handler reads the clock: the meeting has not started yet.
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const item = history().find((issue) => issue.number === 11)!;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, CONFIG_FILE);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, historyAfterClose(openedMeeting()));
    scope.get(`/repos/${REPO}/issues/20`).reply(200, listed(20, { title: "Web team 2026-12-02", body: openedMeeting() }));
    let edited: { body: string } | undefined;
    scope.patch(`/repos/${REPO}/issues/20`, (body: { body: string }) => ((edited = body), true)).reply(200, {});

    await (await createTestProbot()).probot.receive(closedEvent({ number: 11, body: item.body }));

    expect(scope.isDone()).toBe(true);
    expect(Object.keys(edited!)).toEqual(["body"]);
    expect(readSection(edited!.body, "actions")).toBe(
      "\n\n## Open action items\n\nAction items from earlier meetings of this series that are still open, oldest first.\n\n" +
        "* Ask the CDN about \\*purging\\* [#8](https://github.com/acme/web/issues/8) — @carol · from the 2026-11-18 meeting, 14 days old",
    );
    // Only the section changed: the agenda and a person's line are as they were.
    expect(edited!.body.replace(/<!-- wg-meetings:actions -->[\s\S]*<!-- \/wg-meetings:actions -->/, "")).toBe(
      openedMeeting().replace(/<!-- wg-meetings:actions -->[\s\S]*<!-- \/wg-meetings:actions -->/, ""),
    );

    // The same event again (GitHub redelivers): the listing shows the section as it should be.
    const again = nock(API);
    mockApp(again);
    mockToken(again, 9);
    again.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, CONFIG_FILE);
    again.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, historyAfterClose(edited!.body));
    await (await createTestProbot()).probot.receive(closedEvent({ number: 11, body: item.body }));
    expect(again.isDone()).toBe(true);
  });

  it("reopening one lists it again", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const item = history().find((issue) => issue.number === 12)!;
    const reopened = history().map((issue) => (issue.number === 12 ? { ...issue, state: "open", state_reason: "reopened" } : issue));
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, CONFIG_FILE);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, [listed(20, { title: "Web team 2026-12-02", body: openedMeeting() }), ...reopened]);
    scope.get(`/repos/${REPO}/issues/20`).reply(200, listed(20, { title: "Web team 2026-12-02", body: openedMeeting() }));
    let edited: { body: string } | undefined;
    scope.patch(`/repos/${REPO}/issues/20`, (body: { body: string }) => ((edited = body), true)).reply(200, {});

    await (await createTestProbot()).probot.receive(closedEvent({ number: 12, body: item.body }, "reopened"));

    expect(scope.isDone()).toBe(true);
    expect(readSection(edited!.body, "actions")).toBe(
      `${OPEN_ITEMS}\n* Closed item [#12](https://github.com/acme/web/issues/12) — @dave · from the 2026-11-25 meeting, 7 days old`,
    );
  });

  it("closed in a private actionItems.repository: the event tells that one's visibility, the meeting's is read; the rest withheld", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const config = `${CONFIG}    actionItems: { repository: tasks }\n`;
    const closing = { ...listed(3, { title: "Done now", body: actionBody("2026-11-25", "Done now", "@erin") }), html_url: "https://github.com/acme/tasks/issues/3" };
    const secret = {
      ...listed(4, { title: "Fix CVE-2026-1234: heap overflow", body: actionBody("2026-11-25", "Fix the overflow", "@erin") }),
      assignees: [{ login: "erin" }],
      html_url: "https://github.com/acme/tasks/issues/4",
    };
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, { type: "file", encoding: "base64", content: Buffer.from(config).toString("base64") });
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, historyAfterClose(openedMeeting()));
    scope.get("/repos/acme/tasks/issues").query(LISTING).reply(200, [secret, { ...closing, state: "closed" }]);
    // Not GET /repos/acme/tasks: the event says it is private. The meeting's repository: public.
    scope.get(`/repos/${REPO}`).reply(200, { full_name: REPO, private: false, archived: false });
    scope.get(`/repos/${REPO}/issues/20`).reply(200, listed(20, { title: "Web team 2026-12-02", body: openedMeeting() }));
    let edited: { body: string } | undefined;
    scope.patch(`/repos/${REPO}/issues/20`, (body: { body: string }) => ((edited = body), true)).reply(200, {});

    await (await createTestProbot()).probot.receive({
      id: `closed-tasks-${Math.random()}`,
      name: "issues",
      payload: {
        action: "closed",
        installation: { id: 9 },
        repository: { name: "tasks", full_name: "acme/tasks", owner: { login: "acme" }, private: true, default_branch: "main" },
        issue: { number: 3, html_url: closing.html_url, title: "Done now", body: closing.body, state: "closed", labels: [], user: { login: BOT, type: "Bot" } },
        sender: { login: "erin", type: "User" },
      },
    } as never);

    expect(scope.isDone()).toBe(true);
    const section = readSection(edited!.body, "actions")!;
    expect(section).toContain("* Action item in a private repository [acme/tasks#4](https://github.com/acme/tasks/issues/4) · from the 2026-11-25 meeting, 7 days old");
    expect(section).not.toContain("CVE");
    expect(section).not.toContain("erin");
  });

  it("once the meeting has started, its issue is left as it is", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-02T16:05:00Z") });
    const item = history().find((issue) => issue.number === 11)!;
    const scope = nock(API);
    mockApp(scope);
    mockToken(scope, 9);
    scope.get(`/repos/${REPO}/contents/.github%2Fmeetings.yml`).reply(200, CONFIG_FILE);
    scope.get(`/repos/${REPO}/issues`).query(LISTING).reply(200, historyAfterClose(openedMeeting()));
    await (await createTestProbot()).probot.receive(closedEvent({ number: 11, body: item.body }));
    expect(scope.isDone()).toBe(true);
  });

  it("an issue a person opened with a pasted action-item marker is ignored: not one request", async () => {
    const scope = nock(API);
    mockApp(scope);
    const { probot } = await createTestProbot();
    const forged = history().find((issue) => issue.number === 15)!;
    await probot.receive(closedEvent({ number: 15, body: forged.body, login: "mallory" }));
    // Only the App's own login was asked (once per process); nothing about the repository.
    expect(scope.isDone()).toBe(true);
  });

  it("an issue without the marker loads nothing and asks nothing", async () => {
    const { probot } = await createTestProbot();
    await probot.receive(closedEvent({ number: 30, body: "Just an issue", login: "alice" }));
  });
});
