import webhooks from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseGoogleAllowList } from "../../src/google/allow-list.js";
import { CONFIG_CHECK_PULL_REQUEST_EVENTS, checkConfigOnPullRequest, checkConfigOnPush, type ConfigCheckDeps } from "../../src/checks/config-check-handlers.js";
import { loadGoogleCalendar, loadGoogleDocs } from "../../src/google/google-docs.js";
import { runTick } from "../../src/meetings/tick.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { API, mockToken } from "../helpers/github.js";
import { FAST_RETRY, keyJson } from "../helpers/google.js";
import { createTestProbot, memoryLogger, privateKey } from "../helpers/probot.js";

/**
 * Finding 9 of issue 10: one Google identity serves every installation, so any config could
 * name any folder, template doc or calendar that identity can reach — another group's folder,
 * a private doc "copied as a template" into a doc shared with anyone, another group's calendar.
 * The operator's allow-list (WG_MEETINGS_GOOGLE_ALLOW) now says what each owner may use, and
 * nothing else is asked of Google.
 */
const REPO = "acme/web";
const CONFIG = `meetings:
  - id: web
    name: Web team
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda: { label: web-agenda, orgs: [acme] }
    minutes:
      doc: google
      google:
        folder: OTHER_GROUPS_FOLDER
`;
/** Monday 2026-11-30 17:00 London: Wednesday's 16:00 meeting is due. */
const NOW = new Date("2026-11-30T17:00:00Z");

let world: FakeWorld | undefined;
afterEach(() => world?.close());

async function tick(allow: string, config = CONFIG) {
  world = fakeWorld({ repo: REPO, installationId: 9, config });
  const env = { GOOGLE_CREDENTIALS_JSON: keyJson(), WG_MEETINGS_GOOGLE_ALLOW: allow };
  const { probot } = await createTestProbot();
  return runTick(
    {
      auth: (id) => probot.auth(id),
      log: probot.log,
      google: () => loadGoogleDocs(env, { retry: FAST_RETRY }),
      calendar: () => loadGoogleCalendar(env, { retry: FAST_RETRY }),
    },
    { now: NOW, clock: () => NOW, installationId: 9, repository: REPO },
  );
}

/** Every request the App sent to Google (token exchange, Drive, Docs, Calendar). */
const googleRequests = (w: FakeWorld) => w.log.filter((line) => /(\/token|\/drive\/|\/upload\/|\/calendar\/|\/v1\/documents)/.test(line));

describe("a config naming a Drive folder or template doc the operator does not allow", () => {
  it("the meeting opens, no doc is created, nothing is asked of Google, and the issue says why in public-safe words", async () => {
    const report = await tick("acme=folder:ACME_FOLDER, folder:SHARED_FOLDER");

    expect(report.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "failed" } });
    expect(world!.issues).toHaveLength(1);
    expect(world!.docs).toEqual([]);
    expect(googleRequests(world!)).toEqual([]);
    const body = world!.issues[0]!.body;
    expect(body).toContain(
      "_could not be created yet: Drive folder OTHER\\_GROUPS\\_FOLDER is not on the App's Google allow-list for acme, so the App did not use it: ask the App's operator to add acme=folder:OTHER\\_GROUPS\\_FOLDER to WG\\_MEETINGS\\_GOOGLE\\_ALLOW, or use one they allow — the App tries again on its next run_",
    );
    // What the list does allow is nobody else's business.
    expect(body).not.toContain("ACME_FOLDER");
    expect(body).not.toContain("SHARED_FOLDER");
  });

  it("an allowed folder with a template doc that is not allowed: no copy of the template is made", async () => {
    const config = CONFIG.replace("folder: OTHER_GROUPS_FOLDER", "folder: ACME_FOLDER\n        template: SOMEONES_PRIVATE_DOC");
    const report = await tick("acme=folder:ACME_FOLDER", config);

    expect(report.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "failed" } });
    expect(world!.docs).toEqual([]);
    expect(googleRequests(world!)).toEqual([]);
    expect(world!.issues[0]!.body).toContain("template doc SOMEONES\\_PRIVATE\\_DOC is not on the App's Google allow-list for acme");
  });

  it("another owner's entry does not count; this owner's does (in any case), and so does an entry for every owner", async () => {
    await tick("mallory=folder:OTHER_GROUPS_FOLDER");
    expect(world!.docs).toEqual([]);
    world!.close();

    await tick("ACME=folder:OTHER_GROUPS_FOLDER");
    expect(world!.docs.map((doc) => doc.parents)).toEqual([["OTHER_GROUPS_FOLDER"]]);
    world!.close();

    await tick("folder:OTHER_GROUPS_FOLDER");
    expect(world!.docs).toHaveLength(1);
  });

  it("with no list at all (unset), everything is allowed, as before", async () => {
    await tick("");
    expect(world!.docs).toHaveLength(1);
  });
});

describe("a googleCalendar schedule naming a calendar the operator does not allow", () => {
  const config = CONFIG.replace(
    "      rrule: FREQ=WEEKLY;BYDAY=WE\n      start: 2026-01-07T16:00\n      zone: Europe/London\n",
    "      googleCalendar: { id: c_other@group.calendar.google.com, summary: Web team }\n",
  ).replace("      doc: google\n      google:\n        folder: OTHER_GROUPS_FOLDER\n", "      doc: none\n");

  it("the calendar is not read, and the series' alarm says what the operator must allow", async () => {
    const report = await tick("calendar:c_acme@group.calendar.google.com", config);

    expect(report.series[0]!.outcome).toMatchObject({ action: "failed" });
    expect(googleRequests(world!)).toEqual([]);
    expect(report.alarms).toEqual([expect.objectContaining({ scope: "series", series: "web", action: "opened" })]);
    const alarm = world!.issues[0]!;
    expect(alarm.title).toBe("wg-meetings cannot open the web meeting");
    expect(alarm.body).toContain(
      // The tick reads calendars as the repository's owner, so the advice names an entry scoped to it.
      "The App's operator does not allow this repository to use what its config names in Google: `Google Calendar c_other@group.calendar.google.com is not on the App's Google allow-list for acme, so the App did not use it: ask the App's operator to add acme=calendar:c_other@group.calendar.google.com to WG_MEETINGS_GOOGLE_ALLOW, or use one they allow`.",
    );
    expect(alarm.body).toContain("read the meetings from an `ical` feed or a rule instead");
    expect(alarm.body).not.toContain("c_acme");
  });
});

// ---------------------------------------------------------------------------------------------
// The config check run says so, before reading any calendar.

type Example = { name: string; examples: Array<Record<string, any>> };
const examples = (name: string) => (webhooks as unknown as Example[]).find((w) => w.name === name)!.examples;
const pushExample = examples("push").find((e) => e.installation && e.ref.startsWith("refs/heads/") && !e.deleted)!;
const pullExample = examples("pull_request").find((e) => e.action === "opened" && e.installation)!;
const HELLO = "/repos/Codertocat/Hello-World";
const CONFIG_URL = `${HELLO}/contents/${encodeURIComponent(".github/meetings.yml")}`;

const CHECKED = `meetings:
  - id: web
    name: Web team
    schedule:
      googleCalendar: { id: c_other@group.calendar.google.com, summary: Web team }
    agenda: { label: web-agenda, orgs: [acme] }
    minutes:
      doc: google
      google:
        folder: CODERTOCAT_FOLDER
        template: SOMEONES_PRIVATE_DOC
`;

async function probotWithConfigCheck(deps: ConfigCheckDeps) {
  const logger = memoryLogger();
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: logger.log,
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load((app: Probot) => {
    app.on("push", checkConfigOnPush(deps));
    app.on([...CONFIG_CHECK_PULL_REQUEST_EVENTS], checkConfigOnPullRequest(deps));
  });
  return probot;
}

function checkConversation(sha: string, text: string) {
  const scope = nock(API);
  mockToken(scope, 1);
  scope.get(`${HELLO}/commits/${sha}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
  scope.get(CONFIG_URL).query({ ref: sha }).reply(200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") });
  const bodies: Array<Record<string, any>> = [];
  scope.post(`${HELLO}/check-runs`, (body) => (bodies.push(body), true)).reply(201, { id: 4242 });
  return { scope, bodies };
}

describe("the config check run", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-10-28T12:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  const allow = parseGoogleAllowList("codertocat=folder:CODERTOCAT_FOLDER, acme=calendar:c_other@group.calendar.google.com");

  it("fails a push whose config names what the list does not allow for the owner, on those lines, and reads no calendar", async () => {
    const { scope, bodies } = checkConversation(pushExample.after, CHECKED);
    const calendarAsked: string[] = [];
    const probot = await probotWithConfigCheck({ googleAllow: allow, calendar: async () => (calendarAsked.push("calendar"), null) });
    const payload = structuredClone(pushExample);
    payload.ref = "refs/heads/edit-meetings";
    payload.commits = [{ ...payload.commits[0], added: [], removed: [], modified: [".github/meetings.yml"] }];

    await probot.receive({ id: "push-allow", name: "push", payload: payload as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(calendarAsked).toEqual([]);
    expect(bodies[0]).toMatchObject({ conclusion: "failure", output: { title: "2 errors in .github/meetings.yml" } });
    expect(bodies[0]!.output.annotations).toEqual([
      {
        path: ".github/meetings.yml",
        start_line: 5,
        end_line: 5,
        annotation_level: "failure",
        title: "meetings[0].schedule.googleCalendar.id",
        message:
          "Google Calendar c_other@group.calendar.google.com is not on the App's Google allow-list for Codertocat, so the App did not use it: ask the App's operator to add Codertocat=calendar:c_other@group.calendar.google.com to WG_MEETINGS_GOOGLE_ALLOW, or use one they allow",
      },
      {
        path: ".github/meetings.yml",
        start_line: 11,
        end_line: 11,
        annotation_level: "failure",
        title: "meetings[0].minutes.google.template",
        message:
          "template doc SOMEONES_PRIVATE_DOC is not on the App's Google allow-list for Codertocat, so the App did not use it: ask the App's operator to add Codertocat=template:SOMEONES_PRIVATE_DOC to WG_MEETINGS_GOOGLE_ALLOW, or use one they allow",
      },
    ]);
    // The folder is allowed for this owner; another owner's calendar entry is not told.
    expect(JSON.stringify(bodies[0])).not.toContain("acme");
  });

  it("says the same for a fork's pull request, still reading nothing", async () => {
    const { scope, bodies } = checkConversation(pullExample.pull_request.head.sha, CHECKED);
    scope.get(`${HELLO}/pulls/2/files`).query({ per_page: "100" }).reply(200, [{ filename: ".github/meetings.yml", status: "modified" }]);
    const calendarAsked: string[] = [];
    const probot = await probotWithConfigCheck({ googleAllow: allow, calendar: async () => (calendarAsked.push("calendar"), null) });
    const payload = structuredClone(pullExample);
    payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: "mallory/Hello-World" };

    await probot.receive({ id: "pr-allow", name: "pull_request", payload: payload as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(calendarAsked).toEqual([]);
    expect(bodies[0]).toMatchObject({ conclusion: "failure", output: { title: "2 errors in .github/meetings.yml" } });
  });

  it("a config that names only what is allowed gets its meetings listed as before", async () => {
    const text = CHECKED.replace("        template: SOMEONES_PRIVATE_DOC\n", "").replace(
      "      googleCalendar: { id: c_other@group.calendar.google.com, summary: Web team }\n",
      "      rrule: FREQ=WEEKLY;BYDAY=WE\n      start: 2026-01-07T16:00\n      zone: Europe/London\n",
    );
    const { scope, bodies } = checkConversation(pushExample.after, text);
    const probot = await probotWithConfigCheck({ googleAllow: allow });
    const payload = structuredClone(pushExample);
    payload.ref = "refs/heads/edit-meetings";
    payload.commits = [{ ...payload.commits[0], added: [], removed: [], modified: [".github/meetings.yml"] }];

    await probot.receive({ id: "push-ok", name: "push", payload: payload as any });

    expect(scope.pendingMocks()).toEqual([]);
    expect(bodies[0]).toMatchObject({ conclusion: "success", output: { title: ".github/meetings.yml is valid: 1 series" } });
  });
});
