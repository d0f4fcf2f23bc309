import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadGoogleDocs } from "../../src/google/google-docs.js";
import { CLAIM_LEASE_MS } from "../../src/state/claim-refs.js";
import { formatActionItemMarker } from "../../src/state/action-item-marker.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { runTick } from "../../src/meetings/tick.js";
import { readSection } from "../../src/render/sections.js";
import { fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { FAST_RETRY, keyJson } from "../helpers/google.js";
import { serveDocMetadata } from "../helpers/drive-metadata.js";
import { createTestProbot } from "../helpers/probot.js";

/** Every second Thursday, 10:00 New York: 14:00 UTC in summer, 15:00 UTC after the US change on 2024-11-03. */
const REPO = "Codertocat/Hello-World";
const CONFIG = `meetings:
  - id: sec
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2024-10-03T10:00
      zone: America/New_York
    createBefore: P3D
    agenda: { label: sec-agenda, orgs: [Codertocat] }
    timezones: nodejs
    issue: { template: nodejs }
    minutes:
      doc: google
      google: { folder: F1 }
`;
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const savedEnv = process.env.GOOGLE_CREDENTIALS_JSON;
let world: FakeWorld;
/** The App's reads of a doc's appProperties (`GET <id>`). */
let docReads: string[];

/** One tick of the repository at `now`; `clock` stamps and ages its claims (default: the wall clock). */
async function tick(now: string, clock?: () => Date) {
  const { probot } = await createTestProbot();
  return runTick(
    {
      auth: (id) => probot.auth(id),
      log: probot.log,
      google: () => loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }),
    },
    { now: new Date(now), installationId: 1, repository: REPO, ...(clock ? { clock } : {}) },
  );
}

let nextComment = 900;
async function command(body: string, by = "Codertocat") {
  const payload = structuredClone(commentFixture);
  const issue = world.issues.at(-1)!;
  payload.repository.default_branch = "main";
  Object.assign(payload.issue, { number: issue.number, html_url: `https://github.com/${REPO}/issues/${issue.number}`, body: issue.body, state: issue.state });
  payload.issue.user = { ...payload.issue.user, login: "wg-meetings[bot]", type: "Bot" };
  payload.comment.id = ++nextComment;
  payload.comment.body = body;
  payload.comment.user = { ...payload.comment.user, login: by, type: "User" };
  const { probot } = await createTestProbot();
  const before = world.comments.length;
  await probot.receive({ id: `d-${nextComment}`, name: "issue_comment", payload });
  // The reply, without the hidden line that ties it to this comment.
  const reply = world.comments.at(-1)!.body;
  if (world.comments.length > before) expect(reply).toContain(`<!-- wg-meetings:reply {"comment":${nextComment},`);
  return reply.replace(/\n\n<!-- wg-meetings:reply \{[^\n]*\} -->$/, "");
}

beforeEach(async () => {
  world = fakeWorld({ repo: REPO, installationId: 1, config: CONFIG, roles: { Codertocat: "write", visitor: "read" } });
  // Drive's files.get: the App reads a doc's appProperties before exporting or renaming it.
  docReads = serveDocMetadata(() => world.docs);
  process.env.GOOGLE_CREDENTIALS_JSON = keyJson();
  // Monday 2024-10-28: the Thursday 2024-10-31 meeting (14:00 UTC) opens.
  await tick("2024-10-28T15:00:00Z");
  expect(world.issues).toHaveLength(1);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2024-10-29T12:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
  world.close();
  if (savedEnv === undefined) delete process.env.GOOGLE_CREDENTIALS_JSON;
  else process.env.GOOGLE_CREDENTIALS_JSON = savedEnv;
});

describe("chair commands", () => {
  it("/agenda refreshes the agenda now", async () => {
    world.agenda = [{ repo: REPO, number: 77, title: "Labelled a minute ago" }];
    expect(await command("/agenda")).toBe("The agenda is refreshed: 1 item.");
    expect(readSection(world.issues[0]!.body, "agenda")).toContain("Labelled a minute ago [#77]");
    expect(await command("/agenda")).toBe("The agenda was already up to date: 1 item.");
  });

  it("/cancel closes this occurrence, keeps the doc, and the tick does not reopen it; the next one opens", async () => {
    expect(await command("/cancel Thanksgiving week")).toBe(
      "This meeting is cancelled and closed; its doc is kept. The next meeting of the series opens as usual.",
    );
    const cancelled = world.issues[0]!;
    expect(cancelled).toMatchObject({ state: "closed", title: "[Cancelled] Node.js Security team Meeting 2024-10-31" });
    expect(cancelled.body).toMatch(/^> \[!CAUTION\]\n> \*\*This meeting is cancelled\*\* \(by @Codertocat\): Thanksgiving week\n/);
    expect(parseMarker(cancelled.body)).toMatchObject({ cancelled: true, at: "2024-10-31T14:00:00.000Z" });
    expect(world.docs).toHaveLength(1);

    vi.useRealTimers();
    await tick("2024-10-29T15:00:00Z");
    expect(world.issues).toHaveLength(1);
    // Two weeks later: the next occurrence (2024-11-14, after the US change: 15:00 UTC) opens.
    await tick("2024-11-11T16:00:00Z");
    expect(world.issues.map((issue) => issue.title)).toEqual([
      "[Cancelled] Node.js Security team Meeting 2024-10-31",
      "Node.js Security team Meeting 2024-11-14",
    ]);
  });

  it("/move across the US daylight-saving change: title, time table, marker and doc follow; no second issue", async () => {
    const reply = await command("/move 2024-11-07 10:00");
    expect(reply).toBe(
      "Moved: this is now **Node.js Security team Meeting 2024-11-07** (2024-11-07T15:00:00Z); the time table is updated. The minutes doc has the new title.",
    );
    const moved = world.issues[0]!;
    expect(moved.title).toBe("Node.js Security team Meeting 2024-11-07");
    // 10:00 New York is 15:00 UTC after 2024-11-03 (it was 14:00 on 2024-10-31).
    expect(readSection(moved.body, "time")).toContain("**UTC Thu 07-Nov-2024 15:00 (03:00 PM)**:");
    expect(readSection(moved.body, "time")).toContain("| US / Eastern  | Thu 07-Nov-2024 10:00 (10:00 AM) |");
    expect(readSection(moved.body, "time")).toContain("&iso=20241107T1500");
    expect(parseMarker(moved.body)).toMatchObject({
      at: "2024-11-07T15:00:00.000Z",
      date: "2024-11-07",
      movedFrom: "2024-10-31T14:00:00.000Z",
    });
    expect(world.docs[0]!.name).toBe("Node.js Security team Meeting 2024-11-07");

    // The scheduled slot it left is recognised: the tick finds the moved meeting as that slot's
    // issue and opens nothing for 2024-10-31. Its claims are aged past the lease of the first
    // tick's claim, so only finding the meeting (not a claim still held) can keep a second open.
    vi.useRealTimers();
    const report = await tick("2024-10-29T16:00:00Z", () => new Date(Date.now() + CLAIM_LEASE_MS + 60_000));
    expect(report.errors).toEqual([]);
    expect(report.series).toEqual([
      { repository: REPO, series: "sec", outcome: expect.objectContaining({ action: "exists", number: moved.number }) },
    ]);
    expect(world.issues).toHaveLength(1);
  });

  it("/move twice, then /minutes: the meeting's own doc is checked each time, renamed, and exported", async () => {
    expect(await command("/move 2024-11-07 10:00")).toContain("The minutes doc has the new title.");
    expect(await command("/move 2024-11-08 11:00")).toContain("The minutes doc has the new title.");
    expect(world.docs[0]!.name).toBe("Node.js Security team Meeting 2024-11-08");
    expect(parseMarker(world.issues[0]!.body)).toMatchObject({ at: "2024-11-08T16:00:00.000Z", movedFrom: "2024-10-31T14:00:00.000Z" });

    expect(await command("/minutes")).toMatch(/^I opened #\d+ with `meetings\/2024-11-08\.md`/);
    expect(world.log.filter((line) => /\/export$/.test(line))).toHaveLength(1);
    // Each step read whose doc it is first: two moves and one export.
    expect(docReads).toEqual([`GET ${world.docs[0]!.id}`, `GET ${world.docs[0]!.id}`, `GET ${world.docs[0]!.id}`]);
  });

  it.each([
    ["/move next week", "I did not run `/move`: \"next week\" is not a date and time: expected /move YYYY-MM-DD HH:mm [time zone]"],
    ["/move 2024-10-01 10:00", "I did not move the meeting: that time has already passed; nothing was changed"],
    ["/minutes ftp://example.org/x", "/minutes [recording URL]"],
  ])("malformed %j answers with the expected form and changes nothing", async (text, reply) => {
    const before = { ...world.issues[0]! };
    expect(await command(text)).toContain(reply);
    expect(world.issues[0]).toEqual(before);
  });

  it("on the next meeting, /agenda and /move keep the item carried over and list the open action item (issue 13)", async () => {
    // The 2024-10-31 meeting had #77 on its agenda, and its merged minutes opened an action item.
    world.agenda = [{ repo: REPO, number: 77, title: "Carried item" }];
    expect(await command("/agenda")).toBe("The agenda is refreshed: 1 item.");
    const marker = formatActionItemMarker({ v: 1, meeting: REPO, series: "sec", date: "2024-10-31", key: "2024103100000000" });
    world.issues.push({
      number: world.issues.length + 1,
      title: "Draft the advisory",
      body: `An action item from the meeting.\n\n- **Owners:** @alice\n\n${marker}\n`,
      state: "open",
      labels: [],
      user: "wg-meetings[bot]",
    });
    // Two weeks later the tick opens 2024-11-14 (15:00 UTC), #77 carried over.
    vi.useRealTimers();
    await tick("2024-11-11T16:00:00Z");
    const next = () => world.issues.at(-1)!;
    expect(next().title).toBe("Node.js Security team Meeting 2024-11-14");
    const carried = `* Carried item [#77](https://github.com/${REPO}/issues/77) (carried over from 2024-10-31)`;
    const item = (age: string) => `* Draft the advisory [#2](https://github.com/${REPO}/issues/2) — @alice · from the 2024-10-31 meeting, ${age} old`;
    expect(readSection(next().body, "agenda")).toContain(carried);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-11-12T12:00:00Z"));
    world.agenda = [{ repo: REPO, number: 78, title: "New item" }, ...world.agenda];
    expect(await command("/agenda")).toBe("The agenda is refreshed: 2 items.");
    expect(readSection(next().body, "agenda")).toContain(`* New item [#78](https://github.com/${REPO}/issues/78)\n${carried}`);
    expect(readSection(next().body, "actions")).toContain(item("14 days"));

    expect(await command("/move 2024-11-15 10:00")).toMatch(/^Moved: this is now \*\*Node\.js Security team Meeting 2024-11-15\*\*/);
    expect(readSection(next().body, "agenda")).toContain(`* New item [#78](https://github.com/${REPO}/issues/78)\n${carried}`);
    expect(readSection(next().body, "actions")).toContain(item("15 days"));
  });

  it("/help answers anyone; an unknown command gets the list from a chair, and is plain text from anyone else", async () => {
    const help = await command("/help", "visitor");
    expect(help).toContain("* `/cancel [reason]`: cancel this meeting");
    expect(await command("/frobnicate now")).toMatch(/^I don't know `\/frobnicate`\. Commands for the chairs/);
    const answers = world.comments.length;
    await command("/shrug", "visitor");
    expect(world.comments).toHaveLength(answers);
  });

  it("a non-chair's /cancel is refused politely and changes nothing", async () => {
    const before = { ...world.issues[0]! };
    expect(await command("/cancel", "visitor")).toContain("Only people with write access to this repository can run `/cancel` here");
    expect(world.issues[0]).toEqual(before);
  });
});
