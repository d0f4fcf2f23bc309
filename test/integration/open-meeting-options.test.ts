import nock from "nock";
import { describe, expect, it } from "vitest";
import { runTick } from "../../src/meetings/tick.js";
import { API, installedRepo, issueJson, mockApp, mockToken, operation } from "../helpers/github.js";
import { createTestProbot } from "../helpers/probot.js";

const SERIES = `  - id: wg
    name: Web team
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda:
      label: web-agenda
      orgs: [acme]
`;
/** Monday 2026-11-30 17:00 London: Wednesday's meeting opened an hour ago. */
const NOW = new Date("2026-11-30T17:00:00Z");
const AT = "2026-12-02T16:00:00.000Z";

function content(text: string) {
  return { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") };
}

/** A tick scoped to acme/web, as a push event or `tick --installation 9 --repo acme/web` runs it. */
function scopedStart(scope: nock.Scope) {
  mockApp(scope);
  mockToken(scope, 9);
  scope.get("/repos/acme/web").reply(200, installedRepo("acme/web"));
}

function agendaAndClaim(scope: nock.Scope) {
  scope.post("/graphql", operation("AgendaSearch")).reply(200, {
    data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: { cost: 1, remaining: 1 } },
  });
  scope.get("/repos/acme/web/branches/main").reply(200, { commit: { sha: "h", commit: { tree: { sha: "t" } } } });
  scope.post("/repos/acme/web/git/commits").reply(201, { sha: "c" });
  scope.post("/repos/acme/web/git/refs").reply(201, {});
}

async function tick(probot: Awaited<ReturnType<typeof createTestProbot>>["probot"]) {
  return runTick({ auth: (id) => probot.auth(id), log: probot.log }, { now: NOW, installationId: 9, repository: "acme/web" });
}

describe("meeting issue options", () => {
  it("a repository's own template file overrides the preset", async () => {
    const scope = nock(API);
    scopedStart(scope);
    const config = `meetings:\n${SERIES}    issue:\n      template: .github/meeting.md.hbs\n      labels: [meeting, web]\n`;
    scope.get("/repos/acme/web/contents/.github%2Fmeetings.yml").reply(200, content(config));
    scope.get("/repos/acme/web/issues").query(true).reply(200, []);
    agendaAndClaim(scope);
    scope
      .get("/repos/acme/web/contents/.github%2Fmeeting.md.hbs")
      .reply(200, content("Our {{name}} meets {{utc.text}} UTC.\n\n{{#each agenda.groups}}- {{repository}}\n{{/each}}"));
    let created: { title: string; body: string; labels: string[] } | undefined;
    scope.post("/repos/acme/web/issues", (body) => ((created = body), true)).reply(201, { number: 5, html_url: "https://github.com/acme/web/issues/5" });

    const { probot } = await createTestProbot();
    const report = await tick(probot);

    expect(scope.pendingMocks()).toEqual([]);
    expect(report.series[0]!.outcome.action).toBe("created");
    expect(created!.title).toBe("Acme Web team Meeting 2026-12-02");
    expect(created!.labels).toEqual(["meeting", "web"]);
    expect(created!.body).toMatch(/^Our Web team meets /);
    expect(created!.body).toContain(`"at":"${AT}"`);
  });

  it("a missing template file fails that series with a message naming the file", async () => {
    const scope = nock(API);
    scopedStart(scope);
    const config = `meetings:\n${SERIES}    issue:\n      template: .github/nope.md\n`;
    scope.get("/repos/acme/web/contents/.github%2Fmeetings.yml").reply(200, content(config));
    scope.get("/repos/acme/web/issues").query(true).reply(200, []);
    scope.post("/graphql", operation("AgendaSearch")).reply(200, {
      data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] }, rateLimit: null },
    });
    scope.get("/repos/acme/web/contents/.github%2Fnope.md").reply(404, { message: "Not Found" });

    const { probot } = await createTestProbot();
    const report = await tick(probot);

    expect(scope.pendingMocks()).toEqual([]);
    expect(report.series[0]!.outcome).toEqual({ action: "failed", error: "issue.template: .github/nope.md does not exist in acme/web" });
  });

  it("closePrevious closes the series' earlier open meeting with a comment pointing at the new one", async () => {
    const scope = nock(API);
    scopedStart(scope);
    const config = `meetings:\n${SERIES}    issue:\n      closePrevious: true\n`;
    scope.get("/repos/acme/web/contents/.github%2Fmeetings.yml").reply(200, content(config));
    const marker = (series: string, at: string) =>
      `<!-- wg-meetings:meeting {"v":1,"series":"${series}","at":"${at}","date":"${at.slice(0, 10)}","doc":null} -->`;
    scope.get("/repos/acme/web/issues").query(true).reply(200, [
      issueJson("acme/web", 4, { title: "last week", body: marker("wg", "2026-11-25T16:00:00.000Z") }),
      issueJson("acme/web", 3, { title: "other series", body: marker("other", "2026-11-20T16:00:00.000Z") }),
      issueJson("acme/web", 2, { title: "closed already", body: marker("wg", "2026-11-18T16:00:00.000Z"), state: "closed" }),
    ]);
    agendaAndClaim(scope);
    scope.post("/repos/acme/web/issues").reply(201, { number: 6, html_url: "https://github.com/acme/web/issues/6" });
    let comment: { body: string } | undefined;
    scope.post("/repos/acme/web/issues/4/comments", (body) => ((comment = body), true)).reply(201, { id: 1 });
    let update: unknown;
    scope.patch("/repos/acme/web/issues/4", (body) => ((update = body), true)).reply(200, { number: 4 });

    const { probot } = await createTestProbot();
    const report = await tick(probot);

    expect(scope.pendingMocks()).toEqual([]);
    expect(report.series[0]!.outcome).toMatchObject({ action: "created", number: 6, closedPrevious: [4] });
    expect(comment!.body).toBe("The next meeting of this series is open: #6. Closing this one.");
    expect(update).toEqual({ state: "closed", state_reason: "completed" });
  });

  it("a config that `_extends` the org's .github repository is merged with it (the App reads the org's file, bounded)", async () => {
    const scope = nock(API);
    scopedStart(scope);
    const own = "_extends: .github\n";
    scope.get("/repos/acme/web/contents/.github%2Fmeetings.yml").reply(200, content(own));
    // The file `_extends` names, read once, like the repository's own.
    scope.get("/repos/acme/.github/contents/.github%2Fmeetings.yml").reply(200, content(`meetings:\n${SERIES}`));
    scope.get("/repos/acme/web/issues").query(true).reply(200, []);
    agendaAndClaim(scope);
    let created: { title: string } | undefined;
    scope.post("/repos/acme/web/issues", (body) => ((created = body), true)).reply(201, { number: 7, html_url: "https://github.com/acme/web/issues/7" });

    const { probot } = await createTestProbot();
    const report = await tick(probot);

    expect(scope.pendingMocks()).toEqual([]);
    expect(report.configured).toBe(1);
    expect(created!.title).toBe("Acme Web team Meeting 2026-12-02");
  });

  it("a repository without its own file is skipped quietly, even if the org's .github has one", async () => {
    const scope = nock(API);
    scopedStart(scope);
    scope.get("/repos/acme/web/contents/.github%2Fmeetings.yml").reply(404, { message: "Not Found" });

    const { probot } = await createTestProbot();
    const report = await tick(probot);

    expect(scope.pendingMocks()).toEqual([]);
    expect(report).toMatchObject({ configured: 0, series: [], errors: [], invalidConfigs: [] });
  });
});
