import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadGoogleDocs } from "../../src/google/google-docs.js";
import { loadHackmd } from "../../src/hackmd/load-hackmd.js";
import { runTick } from "../../src/meetings/tick.js";
import { parseMarker } from "../../src/state/meeting-marker.js";
import { serveDocMetadata } from "../helpers/drive-metadata.js";
import { FAKE_HACKMD_TOKEN, fakeWorld, type FakeWorld } from "../helpers/fake-world.js";
import { FAST_RETRY, keyJson } from "../helpers/google.js";
import { createTestProbot } from "../helpers/probot.js";

/**
 * Chair commands on a meeting whose minutes are drafted in HackMD: `/minutes` reads the note's
 * Markdown into the same pull request a Google Doc with the same notes gives, and `/move`
 * renames the note. HackMD is served at its real API host by the stateful fake world.
 */
const REPO = "nodejs/security-wg";
const TEAM = "nodejs-security";
const config = (doc: "google" | "hackmd") => `meetings:
  - id: security-team
    name: Security team
    host: Node.js
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH
      start: 2024-10-10T14:00
      zone: UTC
    createBefore: P3D
    agenda: { label: security-wg-agenda, repos: [nodejs/security-wg] }
    minutes:
      doc: ${doc}
${doc === "google" ? "      google: { folder: FOLDER1 }" : `      hackmd: { team: ${TEAM} }`}
      labels: [meeting-notes]
`;
/** The note as HackMD returns it once the group took its notes (front-matter, tags, the App's marker). */
const NOTE = JSON.parse(readFileSync(new URL("../fixtures/hackmd/team-note.json", import.meta.url), "utf8")) as { content: string; title: string };
/** The same notes as Markdown, as a Google Doc holding them exports (and as the note reads without its front-matter and marker). */
const NOTES_MARKDOWN = readFileSync(new URL("../fixtures/hackmd/team-note.exported.md", import.meta.url), "utf8");
const commentFixture = JSON.parse(readFileSync(new URL("../fixtures/issue_comment.created.json", import.meta.url), "utf8"));
const TITLE = "Node.js Security team Meeting 2024-10-24";
const BRANCH = "wg-meetings/minutes-security-team-2024-10-24";
const PATH = "meetings/2024-10-24.md";
const saved = { HACKMD_API_TOKEN: process.env.HACKMD_API_TOKEN, GOOGLE_CREDENTIALS_JSON: process.env.GOOGLE_CREDENTIALS_JSON };

let world: FakeWorld;
/** The world's options: a test changes `config` to change the repository's `.github/meetings.yml`. */
let options: Parameters<typeof fakeWorld>[0];
afterEach(() => {
  vi.useRealTimers();
  world?.close();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The meeting of Thursday 2024-10-24 14:00 UTC, opened by a tick on the Monday, with its doc. */
async function openMeeting(doc: "google" | "hackmd"): Promise<FakeWorld> {
  options = { repo: REPO, installationId: 1, config: config(doc), roles: { RafaelGSS: "write" }, hackmd: { teams: [TEAM] } };
  world = fakeWorld(options);
  if (doc === "google") serveDocMetadata(() => world.docs);
  process.env.HACKMD_API_TOKEN = FAKE_HACKMD_TOKEN;
  process.env.GOOGLE_CREDENTIALS_JSON = keyJson();
  const { probot } = await createTestProbot();
  const report = await runTick(
    {
      auth: (id) => probot.auth(id),
      log: probot.log,
      google: () => loadGoogleDocs({ GOOGLE_CREDENTIALS_JSON: keyJson() }, { retry: FAST_RETRY }),
      hackmd: () => loadHackmd({ HACKMD_API_TOKEN: FAKE_HACKMD_TOKEN }),
    },
    { now: new Date("2024-10-21T15:00:00Z"), installationId: 1, repository: REPO },
  );
  expect(report.series[0]!.outcome).toMatchObject({ action: "created", doc: { status: "linked", created: true } });
  expect(doc === "google" ? world.docs : world.notes).toHaveLength(1);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2024-10-24T15:30:00Z"));
  return world;
}

let nextComment = 700;
/** A chair's comment on the meeting issue, delivered to the App; the App's reply, without its hidden line. */
async function command(body: string, by = "RafaelGSS"): Promise<string> {
  const payload = structuredClone(commentFixture);
  const issue = world.issues.at(-1)!;
  payload.repository = { ...payload.repository, name: "security-wg", full_name: REPO, owner: { ...payload.repository.owner, login: "nodejs" }, default_branch: "main", private: false };
  Object.assign(payload.issue, { number: issue.number, html_url: `https://github.com/${REPO}/issues/${issue.number}`, body: issue.body, state: issue.state });
  payload.issue.user = { ...payload.issue.user, login: "wg-meetings[bot]", type: "Bot" };
  payload.comment.id = ++nextComment;
  payload.comment.body = body;
  payload.comment.user = { ...payload.comment.user, login: by, type: "User" };
  const { probot } = await createTestProbot();
  await probot.receive({ id: `d-${nextComment}`, name: "issue_comment", payload });
  return world.comments.at(-1)!.body.replace(/\n\n<!-- wg-meetings:reply \{[^\n]*\} -->$/, "");
}

describe("/minutes on a HackMD meeting", () => {
  it("reads the note's Markdown and opens the same pull request a Google Doc with the same notes gives", async () => {
    // Google: the doc's export holds the notes.
    await openMeeting("google");
    world.exportedDoc = NOTES_MARKDOWN;
    const googleReply = await command("/minutes https://www.youtube.com/watch?v=3xKq9mZ7aLw");
    const google = { reply: googleReply, pull: world.pulls[0]!, file: world.files.get(BRANCH)?.get(PATH), docUrl: `https://docs.google.com/document/d/${world.docs[0]!.id}/edit` };
    world.close();
    vi.useRealTimers();

    // HackMD: the group typed the same notes into the note.
    await openMeeting("hackmd");
    const note = world.notes[0]!;
    expect(note.content).toContain('<!-- wg-meetings-minutes {"repository":"nodejs/security-wg","series":"security-team","start":"2024-10-24T14:00:00.000Z"} -->');
    note.content = NOTE.content;
    const before = world.hackmdRequests.length;
    const hackmdReply = await command("/minutes https://www.youtube.com/watch?v=3xKq9mZ7aLw");
    const hackmd = { reply: hackmdReply, pull: world.pulls[0]!, file: world.files.get(BRANCH)?.get(PATH), docUrl: `https://hackmd.io/${note.id}` };

    // The App read the note once (whose it is, and its content in the same answer) and wrote nothing to HackMD.
    expect(world.hackmdRequests.slice(before)).toEqual([{ method: "GET", path: `/v1/notes/${note.id}` }]);
    expect(hackmd.reply).toBe(`I opened #${hackmd.pull.number} with \`${PATH}\` for review: https://github.com/${REPO}/pull/${hackmd.pull.number}\n\nMerging it closes this meeting.`);
    expect(hackmd.reply).toBe(google.reply);
    expect(hackmd.file).toBeDefined();
    // The notes are in the file as they are in the note: no front-matter, no marker.
    expect(hackmd.file).toContain("### Security release process: October 2024 ([nodejs/security-wg#1421](https://github.com/nodejs/security-wg/issues/1421))\n\n* Releases for 18.x, 20.x and 22.x went out on the 22nd.");
    expect(hackmd.file).toContain("* [ ] @UlisesGascon: open an issue in nodejs/build about the CI times");
    expect(hackmd.file).not.toContain("wg-meetings-minutes");
    expect(hackmd.file).not.toMatch(/^---$/m);
    expect(hackmd.file).toContain(hackmd.docUrl);
    expect(hackmd.pull.body).toContain(hackmd.docUrl);
    // The links line names the doc for what it is.
    expect(hackmd.file).toContain(`* **Minutes HackMD note**: ${hackmd.docUrl}`);
    expect(google.file).toContain(`* **Minutes Google Doc**: ${google.docUrl}`);
    expect(hackmd.pull.body).toContain(`* **Minutes HackMD note**: ${hackmd.docUrl}`);
    expect(google.pull.body).toContain(`* **Minutes Google Doc**: ${google.docUrl}`);
    // Same file, same PR: only the doc's address and name differ.
    const same = (text: string | undefined, docUrl: string) =>
      text?.replaceAll(docUrl, "<the minutes doc>").replaceAll(/Minutes (HackMD note|Google Doc)/g, "Minutes <doc>");
    expect(same(hackmd.file, hackmd.docUrl)).toBe(same(google.file, google.docUrl));
    expect(same(hackmd.pull.body, hackmd.docUrl)).toBe(same(google.pull.body, google.docUrl));
    expect({ ...hackmd.pull, body: "" }).toEqual({ ...google.pull, body: "" });
  });

  it("refuses a note the issue's marker was edited to name: another workspace's, or one without this meeting's marker; nothing is written", async () => {
    await openMeeting("hackmd");
    const foreign = { ...world.notes[0]!, id: "ForeignNote0000000000A", teamPath: "other-team", content: NOTE.content };
    const unmarked = { ...world.notes[0]!, id: "UnmarkedNote000000000A", content: NOTE.content.replace(/<!-- wg-meetings-minutes .* -->\n/, "") };
    world.notes.push(foreign, unmarked);
    for (const id of [foreign.id, unmarked.id]) {
      const issue = world.issues[0]!;
      issue.body = issue.body.replace(/"doc":"hackmd:[^"]+"/, `"doc":"hackmd:${TEAM}/${id}"`);
      expect(await command("/minutes")).toBe(
        "I did not publish the minutes: the minutes doc could not be exported: the HackMD note linked from this issue does not belong to this meeting. Nothing was written.",
      );
    }
    expect(world.pulls).toEqual([]);
    expect(world.hackmdRequests.filter((request) => request.method !== "GET")).toHaveLength(1);
  });

  it("HackMD not configured for the App: says what to set, writes nothing", async () => {
    await openMeeting("hackmd");
    delete process.env.HACKMD_API_TOKEN;
    expect(await command("/minutes")).toBe("I did not publish the minutes: HackMD is not configured for this App, so the doc cannot be exported");
    expect(world.pulls).toEqual([]);
  });
});

describe("/minutes when HackMD fails", () => {
  it("HackMD refuses (the token lost access to the team): refuses in public-safe words, writes nothing; the chair runs it again once fixed", async () => {
    await openMeeting("hackmd");
    const note = world.notes[0]!;
    note.content = NOTE.content;
    world.failNext("GET", "/v1/notes/", 403, 1);
    const reply = await command("/minutes");
    expect(reply).toBe(
      `I did not publish the minutes: the minutes doc could not be exported: HackMD refused to read note ${note.id} (403): check that the note is in the App's HackMD workspace. Nothing was written.`,
    );
    expect(reply).not.toContain(FAKE_HACKMD_TOKEN);
    expect(world.pulls).toEqual([]);

    expect(await command("/minutes")).toMatch(/^I opened #\d+ with `meetings\/2024-10-24\.md`/);
  });
});

describe("/cancel on a HackMD meeting", () => {
  it("closes the meeting and keeps the note, asking HackMD nothing", async () => {
    await openMeeting("hackmd");
    vi.setSystemTime(new Date("2024-10-22T12:00:00Z"));
    const before = world.hackmdRequests.length;
    expect(await command("/cancel no quorum this week")).toBe(
      "This meeting is cancelled and closed; its doc is kept. The next meeting of the series opens as usual.",
    );
    expect(world.issues[0]).toMatchObject({ state: "closed" });
    expect(world.notes).toHaveLength(1);
    expect(world.hackmdRequests.slice(before)).toEqual([]);
  });
});

describe("/move on a HackMD meeting", () => {
  it("renames the note (front-matter title, first heading) and records the new start in its marker; /minutes still finds it", async () => {
    await openMeeting("hackmd");
    vi.setSystemTime(new Date("2024-10-22T12:00:00Z"));
    const note = world.notes[0]!;
    const created = note.content;
    const before = world.hackmdRequests.length;

    const reply = await command("/move 2024-10-25 15:00");

    expect(reply).toBe(
      "Moved: this is now **Node.js Security team Meeting 2024-10-25** (2024-10-25T15:00:00Z); the time table is updated. The minutes doc has the new title.",
    );
    const moved = created
      .replace(`title: "${TITLE}"`, 'title: "Node.js Security team Meeting 2024-10-25"')
      .replace(`# ${TITLE}\n`, "# Node.js Security team Meeting 2024-10-25\n")
      .replace('"start":"2024-10-24T14:00:00.000Z"}', '"start":"2024-10-24T14:00:00.000Z","movedTo":"2024-10-25T15:00:00.000Z"}');
    // Checked (read), read again right before writing, then one PATCH with the new content.
    expect(world.hackmdRequests.slice(before)).toEqual([
      { method: "GET", path: `/v1/notes/${note.id}` },
      { method: "GET", path: `/v1/notes/${note.id}` },
      { method: "PATCH", path: `/v1/teams/${TEAM}/notes/${note.id}`, body: { content: moved } },
    ]);
    expect(note).toMatchObject({ title: "Node.js Security team Meeting 2024-10-25", content: moved });
    expect(world.notes).toHaveLength(1);
    expect(parseMarker(world.issues[0]!.body)).toMatchObject({ at: "2024-10-25T15:00:00.000Z", movedFrom: "2024-10-24T14:00:00.000Z", doc: `hackmd:${TEAM}/${note.id}` });
    expect(world.issues[0]!.body).toContain(`* Minutes doc: <!-- wg-meetings:doc --><https://hackmd.io/${note.id}><!-- /wg-meetings:doc -->`);

    vi.setSystemTime(new Date("2024-10-25T17:00:00Z"));
    expect(await command("/minutes")).toMatch(/^I opened #\d+ with `meetings\/2024-10-25\.md`/);
  });
});

describe("a series that switches backend while a meeting is open", () => {
  it("the meeting keeps the Google Doc it was opened with: no note is made for it, /minutes exports the doc and links it", async () => {
    await openMeeting("google");
    const doc = world.docs[0]!;
    world.exportedDoc = NOTES_MARKDOWN;
    options.config = config("hackmd");

    vi.useRealTimers();
    const { probot } = await createTestProbot();
    const report = await runTick(
      { auth: (id) => probot.auth(id), log: probot.log, hackmd: () => loadHackmd({ HACKMD_API_TOKEN: FAKE_HACKMD_TOKEN }) },
      { now: new Date("2024-10-22T15:00:00Z"), installationId: 1, repository: REPO },
    );
    expect(report.errors).toEqual([]);
    expect(world.notes).toEqual([]);
    expect(world.hackmdRequests).toEqual([]);
    expect(parseMarker(world.issues[0]!.body)?.doc).toBe(doc.id);
    expect(world.issues[0]!.body).toContain(`<https://docs.google.com/document/d/${doc.id}/edit>`);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2024-10-24T15:30:00Z"));
    expect(await command("/minutes")).toMatch(/^I opened #\d+ with `meetings\/2024-10-24\.md`/);
    expect(world.files.get(BRANCH)?.get(PATH)).toContain(`https://docs.google.com/document/d/${doc.id}/edit`);
    expect(world.files.get(BRANCH)?.get(PATH)).toContain("* Score is 8.1; pinned dependencies still open.");
    expect(world.hackmdRequests).toEqual([]);
  });

  it("a meeting opened with a HackMD note keeps it after the series moves to Google Docs: /move renames the note, no doc is made", async () => {
    await openMeeting("hackmd");
    const note = world.notes[0]!;
    options.config = config("google");
    vi.setSystemTime(new Date("2024-10-22T12:00:00Z"));
    expect(await command("/move 2024-10-25 15:00")).toContain("The minutes doc has the new title.");
    expect(note.title).toBe("Node.js Security team Meeting 2024-10-25");
    expect(world.docs).toEqual([]);
  });
});
