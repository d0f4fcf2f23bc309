import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { loadHackmd } from "../../src/hackmd/load-hackmd.js";
import { runTick } from "../../src/meetings/tick.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { FAKE_HACKMD_TOKEN, fakeWorld, HACKMD_API, type FakeWorld } from "../helpers/fake-world.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * `minutes.doc: hackmd` on a tick: the meeting issue, then the HackMD note (made knowing the
 * issue), then the issue links the note. HackMD is served at its real API host by the stateful
 * fake world, so a run can crash at any request and the next run sees what the first one left.
 */
const REPO = "nodejs/security-wg";
const TEAM = "nodejs-security";
const CONFIG = `meetings:
  - id: security-team
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2026-11-26T14:00
      zone: Europe/London
    createBefore: P3D
    agenda: { label: security-wg-agenda, repos: [nodejs/security-wg] }
    minutes:
      doc: hackmd
      hackmd:
        team: ${TEAM}
        readPermission: guest
        writePermission: signed_in
        commentPermission: signed_in_users
`;
/** Monday 2026-12-07 15:00 UTC: Thursday's 14:00 meeting opened a day ago. */
const NOW = new Date("2026-12-07T15:00:00Z");
/** Past the claims' lease: a re-run takes over what a crashed run claimed. */
const LATER = new Date("2026-12-07T15:15:00Z");
const START = "2026-12-10T14:00:00.000Z";
const TITLE = "Node.js Security team Meeting 2026-12-10";
const NOTES = `/v1/teams/${TEAM}/notes`;
const FAST = { retries: 2, baseDelayMs: 1, maxDelayMs: 2 };
/** How a request fails: a server error, a rate limit, or the connection lost before or after the work was done. */
const KINDS = ["500", "429", "reset-before", "reset-after"] as const;
const NOTE_MARKER = `<!-- wg-meetings-minutes {"repository":"${REPO}","series":"security-team","start":"${START}"} -->`;

let world: FakeWorld | undefined;
afterEach(() => world?.close());

function newWorld(hackmd = true): FakeWorld {
  return fakeWorld({ repo: REPO, installationId: 9, config: CONFIG, ...(hackmd ? { hackmd: { teams: [TEAM] } } : {}) });
}

/** A note as HackMD's API returns it (the fixture's shape: front-matter, tags, team, times), with this meeting's id, title and content. */
function noteJson(id: string, content: string) {
  const fixture = JSON.parse(readFileSync(new URL("../fixtures/hackmd/team-note.json", import.meta.url), "utf8")) as Record<string, unknown>;
  return { ...fixture, id, title: TITLE, content, createdAt: 1_796_655_600_000, lastChangedAt: 1_796_655_600_000 };
}
const summaryOf = (note: ReturnType<typeof noteJson>) => Object.fromEntries(Object.entries(note).filter(([key]) => key !== "content"));

async function tick(now: Date, hackmd: "configured" | "missing" = "configured", retry: Parameters<typeof loadHackmd>[1] = { retry: FAST }) {
  const { probot } = await createTestProbot();
  return runTick(
    {
      auth: (id) => probot.auth(id),
      log: probot.log,
      hackmd: async () => (hackmd === "configured" ? loadHackmd({ HACKMD_API_TOKEN: FAKE_HACKMD_TOKEN }, retry) : null),
    },
    // The claims' clock follows the test's time, so the re-run finds a stale claim as it would.
    { now, clock: () => now, installationId: 9, repository: REPO },
  );
}

/** Exactly one issue and one note, each linking the other, the note made as configured. */
function expectLinkedBothWays(w: FakeWorld) {
  expect(w.issues).toHaveLength(1);
  expect(w.notes).toHaveLength(1);
  const [issue] = w.issues;
  const [note] = w.notes;
  expect(issue!.body).toContain(`* Minutes doc: <!-- wg-meetings:doc --><https://hackmd.io/${note!.id}><!-- /wg-meetings:doc -->`);
  expect(parseMarker(issue!.body)?.doc).toBe(`hackmd:${TEAM}/${note!.id}`);
  expect(note!.content).toContain(`* **GitHub Issue**: https://github.com/${REPO}/issues/${issue!.number}\n`);
  expect(note!.content.trimEnd().endsWith(NOTE_MARKER)).toBe(true);
  expect(note).toMatchObject({ title: TITLE, tags: ["wg-meetings"], teamPath: TEAM, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" });
}

describe("a tick with minutes.doc: hackmd", () => {
  it("opens the issue, then the note (knowing the issue), then links the note from the issue; a second tick changes nothing", async () => {
    world = newWorld();
    const report = await tick(NOW);

    expect(report.errors).toEqual([]);
    expect(report.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "linked", created: true } });
    expectLinkedBothWays(world);
    const note = world.notes[0]!;
    // The note is looked for first (the workspace's list, by tag and title), then created once.
    expect(world.hackmdRequests).toEqual([
      { method: "GET", path: NOTES },
      {
        method: "POST",
        path: NOTES,
        body: {
          title: TITLE,
          content: [
            "---",
            `title: "${TITLE}"`,
            "tags: wg-meetings",
            "---",
            "",
            `# ${TITLE}`,
            "",
            "* **When**: Thu 10-Dec-2026 14:00 (02:00 PM) UTC (2026-12-10, Europe/London)",
            `* **GitHub Issue**: https://github.com/${REPO}/issues/1`,
            "* **Recording**: not published yet (paste the link here, or give it to `/minutes <url>`)",
            "",
            "## Present",
            "",
            "* Name: @handle",
            "",
            "## Agenda",
            "",
            "Nothing was labelled **security-wg-agenda** when this doc was created.",
            "",
            "## Other business",
            "",
            "## Action items",
            "",
            NOTE_MARKER,
            "",
          ].join("\n"),
          readPermission: "guest",
          writePermission: "signed_in",
          commentPermission: "signed_in_users",
        },
      },
    ]);
    expect(note.content).toBe((world.hackmdRequests[1]!.body as { content: string }).content);
    // Issue first, note second, link last: both links are real from the start.
    const order = world.log.filter((line) => /POST .*\/issues$|POST \/v1\/|PATCH .*\/issues\/\d+$/.test(line));
    expect(order).toEqual([`POST /repos/${REPO}/issues`, `POST ${NOTES}`, `PATCH /repos/${REPO}/issues/1`]);
    // The note's creation is claimed like a Google Doc's.
    expect([...world.refs.keys()]).toEqual([
      "refs/wg-meetings/claims/security-team/20261210T140000Z",
      "refs/wg-meetings/claims/security-team/20261210T140000Z-doc",
    ]);

    const before = world.log.length;
    const again = await tick(LATER);
    expect(again.series[0]!.outcome).toMatchObject({ action: "exists", number: 1, agenda: "unchanged" });
    expect(world.log.slice(before).filter((line) => !line.startsWith("GET"))).toEqual(["POST /app/installations/9/access_tokens", "POST /graphql"]);
    expect(world.hackmdRequests).toHaveLength(2);
    expectLinkedBothWays(world);
  });

  it.each([
    ["creating the issue", "POST", `/repos/${REPO}/issues`],
    ["looking for the note", "GET", NOTES],
    ["creating the note", "POST", NOTES],
    ["linking the note from the issue", "PATCH", `/repos/${REPO}/issues/1`],
  ])("%s keeps failing, then a re-run: exactly one issue and one note, linked both ways", async (_step, method, path) => {
    world = newWorld();
    world.failNext(method, path, 500, 10);
    await tick(NOW);
    // The failure took effect: the first run did not end linked.
    expect(() => expectLinkedBothWays(world!)).toThrow();
    expect(world.issues.length).toBeLessThanOrEqual(1);
    expect(world.notes.length).toBeLessThanOrEqual(1);

    world.heal();
    const report = await tick(LATER);

    expect(report.errors).toEqual([]);
    expectLinkedBothWays(world);
  });

  it.each(KINDS)(
    "every request of the tick fails once (%s) — a crash between any two steps — then the next tick: exactly one issue and one note, linked",
    { timeout: 300_000 },
    async (kind) => {
      const clean = newWorld();
      await tick(NOW);
      const calls = [...clean.log];
      clean.close();
      // The steps the issue names are all in there: issue created, claim taken, note created, issue updated.
      expect(calls).toEqual(expect.arrayContaining([`POST /repos/${REPO}/issues`, `POST /repos/${REPO}/git/refs`, `POST ${NOTES}`, `PATCH /repos/${REPO}/issues/1`]));
      for (const [index, request] of calls.entries()) {
        world = newWorld();
        world.faultAt(index, kind);
        // A run whose first requests fail (the App's login, the token) fails as a whole.
        await tick(NOW).catch(() => undefined);
        world.heal();
        const report = await tick(LATER);
        expect(world.faults, `${kind} at ${index} ${request}`).toEqual([{ index, kind, request }]);
        expect(report.errors, `${kind} at ${index} ${request}`).toEqual([]);
        expectLinkedBothWays(world);
        world.close();
        world = undefined;
      }
    },
  );

  it("the run dies right after any request (its work done, its answer and everything after lost), then the next tick: exactly one issue and one note, linked", { timeout: 300_000 }, async () => {
    const clean = newWorld();
    await tick(NOW);
    const calls = [...clean.log];
    clean.close();
    for (const [index, request] of calls.entries()) {
      world = newWorld();
      world.faultAt(index, "reset-after");
      // The process is gone: nothing after that request reaches anyone.
      for (let after = index + 1; after < index + 100; after++) world.faultAt(after, "reset-before");
      await tick(NOW).catch(() => undefined);
      expect(world.faults[0], `crash after ${index} ${request}`).toEqual({ index, kind: "reset-after", request });
      world.heal();
      const report = await tick(LATER);
      expect(report.errors, `crash after ${index} ${request}`).toEqual([]);
      expectLinkedBothWays(world);
      world.close();
      world = undefined;
    }
  });

  it("the note was made but the issue never linked it: the next tick finds the note (tag, title, marker) and links it, creating nothing", async () => {
    world = newWorld(false);
    const id = "Hk3v9nGqQe-Z1xYw7RkTzA";
    let created: { title: string; content: string } | undefined;
    const first = nock(HACKMD_API, { reqheaders: { authorization: `Bearer ${FAKE_HACKMD_TOKEN}` } })
      .get(NOTES)
      .reply(200, [])
      .post(NOTES, (body) => {
        created = body;
        return body.title === TITLE && body.readPermission === "guest" && body.writePermission === "signed_in" && body.commentPermission === "signed_in_users";
      })
      .reply(201, () => noteJson(id, created!.content));
    // GitHub fails every edit of the issue: the run ends with the note made and not linked.
    world.failNext("PATCH", `/repos/${REPO}/issues/1`, 500, 10);
    await tick(NOW);
    expect(first.isDone()).toBe(true);
    expect(created!.content).toContain(`* **GitHub Issue**: https://github.com/${REPO}/issues/1\n`);
    expect(created!.content.trimEnd().endsWith(NOTE_MARKER)).toBe(true);
    expect(parseMarker(world.issues[0]!.body)?.doc).toBeNull();

    world.heal();
    const made = noteJson(id, created!.content);
    const other = { ...made, id: "B1eQ8zGqQe-Y2wXv6QjSyA", title: "Node.js Security team Meeting 2026-11-26" };
    const second = nock(HACKMD_API, { reqheaders: { authorization: `Bearer ${FAKE_HACKMD_TOKEN}` } })
      .get(NOTES)
      .reply(200, [summaryOf(other), summaryOf(made)])
      // Only the note with the meeting's tag and title is read, and its marker checked.
      .get(`/v1/notes/${id}`)
      .reply(200, made);
    const report = await tick(LATER);
    expect(second.isDone()).toBe(true);
    expect(report.series[0]!.outcome).toMatchObject({ action: "exists", doc: { status: "linked", docId: id, created: false } });
    expect(parseMarker(world.issues[0]!.body)?.doc).toBe(`hackmd:${TEAM}/${id}`);
    expect(world.issues[0]!.body).toContain(`* Minutes doc: <!-- wg-meetings:doc --><https://hackmd.io/${id}><!-- /wg-meetings:doc -->`);
  });

  it("HackMD's rate limit: the App waits as HackMD asks (Retry-After) and tries again in the same run; one note", async () => {
    const clean = newWorld();
    await tick(NOW);
    const lookup = clean.log.indexOf(`GET ${NOTES}`);
    const create = clean.log.indexOf(`POST ${NOTES}`);
    clean.close();
    world = newWorld();
    // The list and then the create are each refused once for load (429, Retry-After: 1).
    world.faultAt(lookup, "429");
    world.faultAt(create + 1, "429");
    const waits: number[] = [];
    const report = await tick(NOW, "configured", { retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 10_000, sleep: async (ms) => void waits.push(ms) } });

    expect(report.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "linked", created: true } });
    expect(world.faults.map((fault) => fault.request)).toEqual([`GET ${NOTES}`, `POST ${NOTES}`]);
    expect(waits).toEqual([1000, 1000]);
    expect(world.hackmdRequests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET ${NOTES}`, `GET ${NOTES}`, `POST ${NOTES}`, `POST ${NOTES}`]);
    expectLinkedBothWays(world);
  });

  it("HackMD down: the issue opens with a visible notice, and a later tick fills the link in", async () => {
    world = newWorld();
    world.failNext("GET", NOTES, 503, 20);
    const first = await tick(NOW);

    expect(first.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "failed" } });
    expect(world.issues).toHaveLength(1);
    expect(world.notes).toHaveLength(0);
    expect(world.issues[0]!.body).toContain(
      `* Minutes doc: <!-- wg-meetings:doc -->_could not be created yet: HackMD could not list the notes of HackMD team ${TEAM} (503, a server error); the next run tries again — the App tries again on its next run_<!-- /wg-meetings:doc -->`,
    );
    expect(parseMarker(world.issues[0]!.body)?.doc).toBeNull();

    world.heal();
    const second = await tick(LATER);
    expect(second.series[0]!.outcome).toMatchObject({ action: "exists", doc: { status: "linked", created: true } });
    expectLinkedBothWays(world);
  });

  it("HackMD not configured: the notice names the variable to set, and HackMD is never asked", async () => {
    world = newWorld();
    await tick(NOW, "missing");
    expect(world.issues[0]!.body).toContain("_could not be created yet: HackMD is not configured for this App (set HACKMD\\_API\\_TOKEN");
    expect(world.hackmdRequests).toEqual([]);
  });

  it("a team the operator's allow-list does not name for this owner: a notice saying what to ask for, and HackMD is never asked", async () => {
    world = newWorld();
    const { probot } = await createTestProbot();
    const hackmd = () => loadHackmd({ HACKMD_API_TOKEN: FAKE_HACKMD_TOKEN, WG_MEETINGS_HACKMD_ALLOW: "nodejs=personal, other=team:nodejs-security" }, { retry: FAST });
    const report = await runTick({ auth: (id) => probot.auth(id), log: probot.log, hackmd }, { now: NOW, clock: () => NOW, installationId: 9, repository: REPO });
    expect(report.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "failed" } });
    expect(world.issues[0]!.body).toContain(
      "_could not be created yet: HackMD team nodejs-security is not on the App's HackMD allow-list for nodejs, so the App did not use it: ask the App's operator to add nodejs=team:nodejs-security to WG\\_MEETINGS\\_HACKMD\\_ALLOW, or use a workspace they allow — the App tries again on its next run_",
    );
    expect(world.hackmdRequests).toEqual([]);
  });

  it("the note of another meeting with the same title (a copy, another repository's) is not reused", async () => {
    world = newWorld();
    const copied = NOTE_MARKER.replace(REPO, "someone/else");
    world.notes.push({
      id: "Hk3v9nGqQe-Z1xYw7RkTzA",
      shortId: "S1x3v9nGqe",
      title: TITLE,
      tags: ["wg-meetings"],
      content: `---\ntitle: "${TITLE}"\ntags: wg-meetings\n---\n\n# ${TITLE}\n\n${copied}\n`,
      readPermission: "guest",
      writePermission: "signed_in",
      commentPermission: "signed_in_users",
      teamPath: TEAM,
      userPath: null,
      createdAt: 1_700_000_000_000,
      lastChangedAt: 1_700_000_000_000,
    });
    await tick(NOW);
    expect(world.notes).toHaveLength(2);
    expect(parseMarker(world.issues[0]!.body)?.doc).toBe(`hackmd:${TEAM}/${world.notes[1]!.id}`);
    expect(world.hackmdRequests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${NOTES}`, "GET /v1/notes/Hk3v9nGqQe-Z1xYw7RkTzA", `POST ${NOTES}`]);
  });
});
