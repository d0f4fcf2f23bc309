import { afterEach, describe, expect, it } from "vitest";
import { loadGoogleDocs } from "../../src/google/google-docs.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { runTick } from "../../src/meetings/tick.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";
import { FAST_RETRY, keyJson } from "../helpers/google.js";

const CONFIG = `meetings:
  - id: web
    name: Web team
    host: Acme
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=WE
      start: 2026-01-07T16:00
      zone: Europe/London
    createBefore: P2D
    agenda: { label: web-agenda, orgs: [acme] }
    issue:
      invited: ["Web team: @acme/web"]
    minutes:
      doc: google
      google:
        folder: FOLDER1
        share: { anyone: writer }
`;
/** Monday 2026-11-30 17:00 London: Wednesday's 16:00 meeting opened an hour ago. */
const NOW = new Date("2026-11-30T17:00:00Z");
const LATER = new Date("2026-11-30T17:15:00Z");
const REPO = "acme/web";

let world: FakeWorld | undefined;
afterEach(() => world?.close());

async function tick(now: Date, google: "configured" | "missing" = "configured") {
  const { probot } = await createTestProbot();
  return runTick(
    {
      auth: (id) => probot.auth(id),
      log: probot.log,
      google: async () =>
        google === "configured" ? loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }) : null,
    },
    // The claims' clock follows the test's time, so the re-run finds a stale claim as it would.
    { now, clock: () => now, installationId: 9, repository: REPO },
  );
}

/** Exactly one issue and one doc, each linking to the other, the doc shared as configured. */
function expectLinkedBothWays(w: FakeWorld) {
  expect(w.issues).toHaveLength(1);
  expect(w.docs).toHaveLength(1);
  const [issue] = w.issues;
  const [doc] = w.docs;
  expect(issue!.body).toContain(`* Minutes doc: <!-- wg-meetings:doc --><https://docs.google.com/document/d/${doc!.id}/edit><!-- /wg-meetings:doc -->`);
  expect(parseMarker(issue!.body)?.doc).toBe(doc!.id);
  expect(doc!.content).toContain(`* **GitHub Issue**: https://github.com/${REPO}/issues/${issue!.number}`);
  expect(doc!.name).toBe("Acme Web team Meeting 2026-12-02");
  expect(doc!.parents).toEqual(["FOLDER1"]);
  expect(doc!.permissions).toEqual([expect.objectContaining({ type: "anyone", role: "writer" })]);
}

describe("the minutes doc of a new meeting", () => {
  it("one tick: issue, then the doc (knowing the issue), shared, then the issue links the doc", async () => {
    world = fakeWorld({ repo: REPO, installationId: 9, config: CONFIG });
    const report = await tick(NOW);

    expect(report.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "linked", created: true } });
    expectLinkedBothWays(world);
    // Issue first, doc second, link last: both links are real from the start.
    const order = world.log.filter((line) => /POST .*\/issues$|POST \/upload|PATCH .*\/issues\/\d+$/.test(line));
    expect(order).toEqual([`POST /repos/${REPO}/issues`, "POST /upload/drive/v3/files", `PATCH /repos/${REPO}/issues/1`]);
    if (process.env.PRINT_REQUESTS) console.log(world.log.join("\n"));
    // The issue's claim and the doc's claim share one read of the default branch.
    expect(world.log.filter((line) => line === `GET /repos/${REPO}/branches/main`)).toHaveLength(1);
    expect(Object.keys(Object.fromEntries(world.refs))).toEqual([
      "refs/wg-meetings/claims/web/20261202T160000Z",
      "refs/wg-meetings/claims/web/20261202T160000Z-doc",
    ]);

    // A second tick changes nothing.
    const before = world.log.length;
    const again = await tick(LATER);
    expect(again.series[0]!.outcome).toMatchObject({ action: "exists", number: 1, agenda: "unchanged" });
    // Reads only: the token, the agenda search (the agenda follows its label until the meeting).
    expect(world.log.slice(before).filter((line) => !line.startsWith("GET"))).toEqual([
      "POST /app/installations/9/access_tokens",
      "POST /graphql",
    ]);
    expectLinkedBothWays(world);
  });

  it.each([
    ["creating the issue", "POST", `/repos/${REPO}/issues`],
    ["looking for the doc", "GET", "/drive/v3/files?"],
    ["creating the doc", "POST", "/upload/drive/v3/files"],
    ["sharing the doc", "POST", "/drive/v3/files/DOC1/permissions"],
    ["linking the doc from the issue", "PATCH", `/repos/${REPO}/issues/1`],
  ])("a crash at %s, then a re-run: exactly one issue and one doc, linked both ways", async (_step, method, path) => {
    world = fakeWorld({ repo: REPO, installationId: 9, config: CONFIG });
    world.failNext(method, path, 500, 10);
    await tick(NOW);
    expect(world.issues.length).toBeLessThanOrEqual(1);
    expect(world.docs.length).toBeLessThanOrEqual(1);

    world.heal();
    const report = await tick(LATER);

    expect(report.errors).toEqual([]);
    expectLinkedBothWays(world);
  });

  it("Google down: the issue opens with a visible notice, and a later tick fills the link in", async () => {
    world = fakeWorld({ repo: REPO, installationId: 9, config: CONFIG });
    world.failNext("GET", "/drive/v3/files?", 503, 20);
    const first = await tick(NOW);

    expect(first.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "failed" } });
    expect(world.issues).toHaveLength(1);
    expect(world.docs).toHaveLength(0);
    expect(world.issues[0]!.body).toMatch(
      /\* Minutes doc: <!-- wg-meetings:doc -->_could not be created yet: .+ — the App tries again on its next run_<!-- \/wg-meetings:doc -->/,
    );

    world.heal();
    const second = await tick(LATER);
    expect(second.series[0]!.outcome).toMatchObject({ action: "exists", doc: { status: "linked" } });
    expectLinkedBothWays(world);
  });

  it("Google not configured: the notice names the variables to set, and never a secret", async () => {
    world = fakeWorld({ repo: REPO, installationId: 9, config: CONFIG });
    await tick(NOW, "missing");
    expect(world.issues[0]!.body).toContain(
      "_could not be created yet: Google is not configured for this App (set GOOGLE\\_APPLICATION\\_CREDENTIALS or GOOGLE\\_CREDENTIALS\\_JSON) — the App tries again on its next run_",
    );
  });
});

describe("a doc that could not be created", () => {
  it("is not retried once the meeting is cancelled", async () => {
    world = fakeWorld({ repo: REPO, installationId: 9, config: CONFIG });
    world.failNext("GET", "/drive/v3/files?", 503, 20);
    await tick(NOW);
    expect(world.docs).toHaveLength(0);

    // The chair cancels the meeting (as /cancel does: marker flag, closed).
    const issue = world.issues[0]!;
    issue.body = issue.body.replace('"doc":null', '"doc":null,"cancelled":true');
    issue.state = "closed";
    world.heal();
    const report = await tick(LATER);

    expect(report.series[0]!.outcome).toEqual({ action: "exists", number: 1, url: `https://github.com/${REPO}/issues/1` });
    expect(world.docs).toHaveLength(0);
  });
});

describe("creating the doc is claimed", () => {
  it("a run that finds the issue while another still holds the doc claim creates nothing; after the lease it takes over", async () => {
    world = fakeWorld({ repo: REPO, installationId: 9, config: CONFIG });
    // The opening run claims the doc, then fails to create it (Google is down).
    world.failNext("GET", "/drive/v3/files?", 503, 20);
    await tick(NOW);
    world.heal();

    // A second run moments later: the claim is fresh, so it must not create a doc of its own.
    const soon = await tick(new Date(NOW.getTime() + 30_000));
    expect(soon.series[0]!.outcome).toMatchObject({ action: "exists", doc: { status: "pending" } });
    expect(world.docs).toHaveLength(0);

    // Once the lease has run out, the next run takes the claim over and creates the one doc.
    const later = await tick(new Date(NOW.getTime() + 3 * 60_000));
    expect(later.series[0]!.outcome).toMatchObject({ action: "exists", doc: { status: "linked" } });
    expectLinkedBothWays(world);
  });
});
