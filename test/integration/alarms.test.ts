import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlarmOutcome } from "../../src/alarms/sync.js";
import { runTick, type TickReport } from "../../src/meetings/tick.js";
import { API, installedRepo, issueJson, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

const REPO = "acme/tsc";
const BASE = "/repos/acme/tsc";
const BOT = "wg-meetings[bot]";
const CONFIG = `meetings:
  - id: tsc
    name: Technical Steering Committee
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda:
      label: tsc-agenda
      orgs: [acme]
`;
/** Monday 2026-11-30 17:00 London: Wednesday's meeting (16:00 UTC) became due an hour ago. */
const NOW = new Date("2026-11-30T17:00:00Z");
const AT = "2026-12-02T16:00:00.000Z";
const FILE = "https://github.com/acme/tsc/blob/main/.github/meetings.yml";

const FORBIDDEN = {
  message: "Resource not accessible by integration",
  documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference",
  status: "403",
};

/** The body the App writes for the claim's 403 (asserted line by line in the first test). */
const PERMISSION_BODY = `The wg-meetings App could not open the next meeting of **Technical Steering Committee** (\`tsc\`).

### Cause

GitHub refused the App while claiming the meeting (a git ref under \`refs/wg-meetings/claims/\`): \`403: Resource not accessible by integration - https://docs.github.com/rest/git/refs#create-a-reference\`.

### How to fix it

- The App needs the repository permission **Contents: Read and write** on \`acme/tsc\`. An owner of \`acme\` opens **Settings → GitHub Apps → wg-meetings → Configure** (https://github.com/organizations/acme/settings/installations, or https://github.com/settings/installations for a personal account) and accepts the App's requested permissions if GitHub asks there.
- If the App does not request that permission at all, its owner adds it in the App's settings under **Permissions & events** (wg-meetings' \`app.yml\` lists every permission it needs).

<sub>The App checks again on every tick: it updates this issue while the problem lasts, and closes it by itself once the meeting issue is open.</sub>

<!-- wg-meetings:alarm {"v":1,"scope":"series","series":"tsc"} -->
`;
const PERMISSION_TITLE = "wg-meetings cannot open the tsc meeting";

/**
 * The real tick (src/meetings/tick.ts `runTick`) for installation 1, so the alarm wiring in the
 * tick (one shared listing of the App's issues, each series' failure kept with the meeting's
 * start, then the alarms) is what runs. `thorough` is a run for the repository alone (a config
 * push): it reads the config file itself; otherwise the installation's repositories are listed
 * and their configs discovered, as the scheduled tick does. What comes before the repository's
 * own work (identity, token, listing, config) is served here and must all be used; each test
 * serves the rest.
 */
async function tickRepository(config: string = CONFIG, options: { now?: Date; thorough?: boolean } = {}) {
  const before = nock(API);
  mockApp(before);
  mockToken(before, 1);
  if (options.thorough) {
    before.get(BASE).reply(200, installedRepo(REPO));
    before.get(`${BASE}/contents/${encodeURIComponent(".github/meetings.yml")}`).reply(200, { type: "file", encoding: "base64", content: Buffer.from(config).toString("base64") });
  } else {
    before.get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [installedRepo(REPO)] });
    before.post("/graphql", operation("DiscoverMeetingConfigs")).reply(200, { data: { nodes: [{ nameWithOwner: REPO, config: { text: config } }] } });
  }
  const { probot } = await createTestProbot();
  const report: TickReport = await runTick(
    { auth: (id) => probot.auth(id), log: probot.log },
    { now: options.now ?? NOW, installationId: 1, ...(options.thorough ? { repository: REPO } : {}) },
  );
  expect(before.isDone()).toBe(true);
  expect(report.errors).toEqual([]);
  return { outcomes: report.series, alarms: report.alarms, report };
}

function emptySearch(scope: nock.Scope) {
  scope.post("/graphql", operation("AgendaSearch")).reply(200, {
    data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
  });
}

/** The claim up to the ref, which answers `status`. */
function claim(scope: nock.Scope, status: number, reply: object = {}) {
  scope.get(`${BASE}/branches/main`).reply(200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } });
  scope.post(`${BASE}/git/commits`).reply(201, { sha: "c" });
  scope.post(`${BASE}/git/refs`).reply(status, reply);
}

function listing(scope: nock.Scope, issues: object[]) {
  scope
    .get(`${BASE}/issues`)
    .query({ creator: BOT, state: "all", sort: "created", direction: "desc", per_page: "100" })
    .reply(200, issues);
}

const alarmIssue = (number: number, body: string, fields: { state?: string; login?: string; title?: string } = {}) =>
  issueJson(REPO, number, { title: fields.title ?? PERMISSION_TITLE, body, ...fields });

describe("the missing-meeting alarm", () => {
  let unmatched: string[];
  const onNoMatch = (req: { method?: string; path?: string }) => unmatched.push(`${req.method} ${req.path}`);

  beforeEach(async () => {
    unmatched = [];
    nock.emitter.on("no match", onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", onNoMatch);
  });

  function expectAllDone(scope: nock.Scope) {
    expect(unmatched).toEqual([]);
    expect(scope.pendingMocks()).toEqual([]);
  }

  it("the first failure opens one alarm naming the series, the cause and the fix (one listing for both)", async () => {
    const scope = nock(API);
    listing(scope, []);
    emptySearch(scope);
    claim(scope, 403, FORBIDDEN);
    let created: Record<string, unknown> | undefined;
    scope.post(`${BASE}/issues`, (body) => ((created = body), true)).reply(201, { number: 41, html_url: `https://github.com/${REPO}/issues/41` });

    const { outcomes, alarms } = await tickRepository();

    expectAllDone(scope);
    expect(outcomes[0]!.outcome).toEqual({ action: "failed", error: expect.stringContaining("403: Resource not accessible by integration") });
    expect(created).toEqual({ title: PERMISSION_TITLE, body: PERMISSION_BODY });
    expect(alarms).toEqual<AlarmOutcome[]>([{ repository: REPO, scope: "series", series: "tsc", action: "opened", number: 41 }]);
  });

  it("a second failing tick with the same cause writes nothing", async () => {
    const scope = nock(API);
    listing(scope, [alarmIssue(41, PERMISSION_BODY)]);
    emptySearch(scope);
    claim(scope, 403, FORBIDDEN);

    const { alarms } = await tickRepository(CONFIG, { now: new Date("2026-12-01T09:00:00Z") });

    expectAllDone(scope);
    expect(alarms).toEqual([{ repository: REPO, scope: "series", series: "tsc", action: "unchanged", number: 41 }]);
  });

  it("a different cause updates the body and says so once in a comment", async () => {
    const scope = nock(API);
    listing(scope, [alarmIssue(41, PERMISSION_BODY.replace(/\n/g, "\r\n"))]); // as GitHub returns an edited body
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: null,
      errors: [{ type: "INVALID", path: ["search"], message: "The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them." }],
    });
    let edit: Record<string, unknown> | undefined;
    scope.patch(`${BASE}/issues/41`, (body) => ((edit = body), true)).reply(200, {});
    let comment: { body: string } | undefined;
    scope.post(`${BASE}/issues/41/comments`, (body) => ((comment = body), true)).reply(201, { id: 1 });

    const { alarms } = await tickRepository();

    expectAllDone(scope);
    expect(Object.keys(edit!).sort()).toEqual(["body", "title"]);
    expect(edit!.title).toBe(PERMISSION_TITLE);
    const body = edit!.body as string;
    expect(body).toContain("### Cause\n\nThe agenda search for the label `tsc-agenda` failed: `Request failed due to following response errors: - The listed users and repositories cannot be searched");
    expect(body).toContain(`- Check \`agenda\` in [\`.github/meetings.yml\`](${FILE}): every organization and repository searched must exist and be visible to the App (searched: org \`acme\`).`);
    expect(body).toContain('The App searched GitHub for `label:"tsc-agenda" is:open org:acme is:public`');
    expect(body).toMatch(/<!-- wg-meetings:alarm \{"v":1,"scope":"series","series":"tsc"\} -->\n$/);
    expect(comment!.body).toMatch(/^The cause has changed \(checked 2026-11-30 17:00 UTC\):\n\nThe agenda search for the label `tsc-agenda` failed/);
    expect(alarms).toEqual([{ repository: REPO, scope: "series", series: "tsc", action: "updated", number: 41 }]);
  });

  it("once the meeting opens, the alarm is closed with a comment linking the meeting issue", async () => {
    const scope = nock(API);
    listing(scope, [alarmIssue(41, PERMISSION_BODY)]);
    emptySearch(scope);
    claim(scope, 201, { ref: "refs/wg-meetings/claims/tsc/20261202T160000Z", object: { sha: "c" } });
    let meeting: { title: string; body: string } | undefined;
    scope.post(`${BASE}/issues`, (body) => ((meeting = body), true)).reply(201, { number: 42, html_url: `https://github.com/${REPO}/issues/42` });
    let comment: { body: string } | undefined;
    scope.post(`${BASE}/issues/41/comments`, (body) => ((comment = body), true)).reply(201, { id: 2 });
    let close: Record<string, unknown> | undefined;
    scope.patch(`${BASE}/issues/41`, (body) => ((close = body), true)).reply(200, {});

    const { outcomes, alarms } = await tickRepository();

    expectAllDone(scope);
    expect(meeting!.body).toContain(`"at":"${AT}"`);
    expect(outcomes[0]!.outcome.action).toBe("created");
    expect(comment).toEqual({ body: "The meeting issue is open: https://github.com/acme/tsc/issues/42. Closing this alarm." });
    expect(close).toEqual({
      state: "closed",
      state_reason: "completed",
      body: PERMISSION_BODY.replace('"series":"tsc"}', '"series":"tsc","resolved":true}'),
    });
    expect(alarms).toEqual([{ repository: REPO, scope: "series", series: "tsc", action: "closed", number: 41 }]);
  });

  it("an invalid config opens a config alarm listing every error with its line; a valid config closes it", async () => {
    const broken = CONFIG.replace("Europe/London", "Europe/Londn").replace("    createBefore: P2D\n", "    createBefore: P2D\n    agendaa: {}\n");
    const scope = nock(API);
    listing(scope, []);
    let created: { title: string; body: string } | undefined;
    scope.post(`${BASE}/issues`, (body) => ((created = body), true)).reply(201, { number: 50, html_url: `https://github.com/${REPO}/issues/50` });

    const first = await tickRepository(broken);

    expectAllDone(scope);
    expect(first.alarms).toEqual([{ repository: REPO, scope: "config", action: "opened", number: 50 }]);
    expect(created!.title).toBe("wg-meetings cannot read .github/meetings.yml: no meeting opens");
    expect(created!.body).toContain(`### Cause\n\n[\`.github/meetings.yml\`](${FILE}) on \`main\` is not valid, so the App cannot tell which meetings to open.`);
    expect(created!.body).toContain(
      `- The file has 2 errors:\n` +
        `  - [Line 8](${FILE}#L8), \`meetings[0].schedule.zone\`: unknown time zone "Europe/Londn"`,
    );
    expect(created!.body).toContain(`  - [Line 10](${FILE}#L10), \`meetings[0].agendaa\`: unknown key "agendaa" (did you mean "agenda"?)`);
    expect(created!.body).toMatch(/<!-- wg-meetings:alarm \{"v":1,"scope":"config"\} -->\n$/);

    // Fixed and pushed: a run for this repository alone (thorough), with no meeting due yet.
    const later = nock(API);
    listing(later, [issueJson(REPO, 50, { title: created!.title, body: created!.body })]);
    let comment: { body: string } | undefined;
    later.post(`${BASE}/issues/50/comments`, (body) => ((comment = body), true)).reply(201, { id: 3 });
    let close: Record<string, unknown> | undefined;
    later.patch(`${BASE}/issues/50`, (body) => ((close = body), true)).reply(200, {});

    const fixed = await tickRepository(CONFIG, { now: new Date("2026-11-29T12:00:00Z"), thorough: true });

    expectAllDone(later);
    expect(fixed.outcomes[0]!.outcome.action).toBe("not-due");
    expect(comment!.body).toBe("`.github/meetings.yml` is valid again and meetings open as scheduled. Closing this alarm.");
    expect(close).toMatchObject({ state: "closed", body: expect.stringContaining('{"v":1,"scope":"config","resolved":true}') });
    expect(fixed.alarms).toEqual([{ repository: REPO, scope: "config", action: "closed", number: 50 }]);
  });

  it("a person's issue with a pasted alarm marker is never trusted: not edited, not closed", async () => {
    const pasted = issueJson(REPO, 7, { title: "copy of the alarm", body: PERMISSION_BODY.replace("Contents", "Nothing"), login: "mallory" });
    const scope = nock(API);
    listing(scope, [pasted]); // as if GitHub had ignored `creator`: the author is checked again
    emptySearch(scope);
    claim(scope, 403, FORBIDDEN);
    let created: { title: string; body: string } | undefined;
    scope.post(`${BASE}/issues`, (body) => ((created = body), true)).reply(201, { number: 43, html_url: `https://github.com/${REPO}/issues/43` });

    const failing = await tickRepository();
    expectAllDone(scope);
    expect(created).toEqual({ title: PERMISSION_TITLE, body: PERMISSION_BODY });
    expect(failing.alarms).toEqual([{ repository: REPO, scope: "series", series: "tsc", action: "opened", number: 43 }]);

    // The meeting opens: the App closes nothing of mallory's.
    const next = nock(API);
    listing(next, [pasted]);
    emptySearch(next);
    claim(next, 201);
    next.post(`${BASE}/issues`).reply(201, { number: 44, html_url: `https://github.com/${REPO}/issues/44` });

    const opened = await tickRepository();
    expectAllDone(next);
    expect(opened.alarms).toEqual([]);
  });

  it("an alarm a person closed stays closed while the problem is the same", async () => {
    const scope = nock(API);
    listing(scope, [alarmIssue(41, PERMISSION_BODY, { state: "closed" })]);
    emptySearch(scope);
    claim(scope, 403, FORBIDDEN);

    const { alarms } = await tickRepository();

    expectAllDone(scope);
    expect(alarms).toEqual([{ repository: REPO, scope: "series", series: "tsc", action: "unchanged", number: 41 }]);
  });

  it("a temporary GitHub failure days before the meeting raises nothing; nothing due and nothing failed costs no request", async () => {
    const scope = nock(API);
    listing(scope, []);
    scope.post("/graphql", operation("AgendaSearch")).reply(502, { message: "Bad Gateway" });

    const flaky = await tickRepository();
    expectAllDone(scope);
    expect(flaky.outcomes[0]!.outcome.action).toBe("failed");
    expect(flaky.alarms).toEqual([]);

    const quiet = await tickRepository(CONFIG, { now: new Date("2026-11-29T12:00:00Z") });
    expect(unmatched).toEqual([]);
    expect(quiet.alarms).toEqual([]);
  });
});
