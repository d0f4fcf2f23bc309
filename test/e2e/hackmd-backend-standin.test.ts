import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHackmd } from "../../src/hackmd/load-hackmd.js";
import { hackmdBackend } from "../../src/hackmd/hackmd-backend.js";
import type { MinutesBackend } from "../../src/minutes-doc/backend.js";
import { startHackmdStandin, typeIntoNote, type HackmdStandin } from "../../e2e/harness/hackmd-standin.js";

/**
 * The App's HackMD backend (src/hackmd/, over real HTTP) against the stand-in the demo and the
 * e2e lifecycle use: everything the backend sends must be something the stand-in (and so,
 * as far as its checks go, HackMD) accepts, and the stand-in's answers must be readable by
 * the backend. A contract test in both directions: `rejected` stays empty.
 */
const TEAM = "acme-wg";
const MEETING = { repository: "acme/meetings", series: "acme-wg", start: "2026-12-10T12:00:00.000Z" };
let hackmd: HackmdStandin;
let backend: MinutesBackend;
/** The waits the client asked for (its sleep is instant here: no test waits on a clock). */
const slept: number[] = [];

beforeAll(async () => {
  hackmd = await startHackmdStandin({ teams: [TEAM] });
  const env = { HACKMD_API_TOKEN: hackmd.token, WG_MEETINGS_HACKMD_API_URL: hackmd.url, WG_MEETINGS_HACKMD_ALLOW: `acme=team:${TEAM}` };
  const client = await loadHackmd(env, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5_000, sleep: async (ms) => void slept.push(ms) } });
  if (!client) throw new Error("loadHackmd gave no client");
  backend = hackmdBackend(client, { team: TEAM, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" }, "acme");
});
afterAll(async () => {
  await hackmd?.close();
});

const request = (markdown = "# Working Group Meeting 2026-12-10\n\n## Notes\n\n* (notes)\n") => ({
  meeting: MEETING,
  title: "Acme Working Group Meeting 2026-12-10",
  markdown,
  replacements: {},
});

describe("the App's HackMD backend against the stand-in", () => {
  it("ensureDoc creates one note in the team, tagged, with the permissions; again finds the same note", async () => {
    const first = await backend.ensureDoc(request());
    expect(first.created).toBe(true);
    const note = hackmd.notes.get(first.id)!;
    expect(note).toMatchObject({ teamPath: TEAM, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users", title: "Acme Working Group Meeting 2026-12-10" });
    expect(note.tags).toContain("wg-meetings");
    // Linked at HackMD's own host, as every link to a note is (the marker records no host).
    expect(first.url).toBe(`https://hackmd.io/${first.id}`);

    const again = await backend.ensureDoc(request());
    expect(again).toEqual({ ...first, created: false });
    expect(hackmd.notes.size).toBe(1);
    expect(hackmd.rejected).toEqual([]);
  });

  it("openDoc checks the note is this meeting's; exportMarkdown returns what people typed, without front-matter or marker", async () => {
    const { id } = await backend.ensureDoc(request());
    typeIntoNote(hackmd.notes.get(id)!, "Notes", ["* We agreed."]);
    const doc = await backend.openDoc(id, { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] });
    const markdown = await backend.exportMarkdown(doc);
    expect(markdown).toContain("## Notes\n\n* We agreed.");
    expect(markdown).not.toContain("wg-meetings-minutes");
    expect(markdown.startsWith("---")).toBe(false);
  });

  it("openDoc refuses a note of another meeting, and one outside the workspace that carries the marker", async () => {
    const { id } = await backend.ensureDoc(request());
    await expect(backend.openDoc(id, { repository: "acme/other", series: MEETING.series, starts: [MEETING.start] })).rejects.toMatchObject({ kind: "not-this-meeting" });
    // Someone copies the note's whole content, marker included, into their own workspace.
    const copy = hackmd.seedNote({ content: hackmd.notes.get(id)!.content, userPath: "mallory" });
    await expect(backend.openDoc(copy.id, { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] })).rejects.toMatchObject({ kind: "not-this-meeting" });
  });

  it("moveDoc retitles the note and records the new start; the moved note is still found for both starts", async () => {
    const { id } = await backend.ensureDoc(request());
    const doc = await backend.openDoc(id, { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] });
    await backend.moveDoc(doc, { title: "Acme Working Group Meeting 2026-12-11", start: "2026-12-11T12:00:00.000Z" });
    const note = hackmd.notes.get(id)!;
    expect(note.title).toBe("Acme Working Group Meeting 2026-12-11");
    expect(note.content).toContain("2026-12-11T12:00:00.000Z");
    await expect(backend.openDoc(id, { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] })).resolves.toBeDefined();
    expect(hackmd.rejected).toEqual([]);
  });

  it("a rate limit is waited out as HackMD's Retry-After asks, and the call succeeds", async () => {
    const other = { ...request(), meeting: { ...MEETING, series: "acme-rate" } };
    const made = await backend.ensureDoc(other);
    hackmd.failNext("GET", /^\/teams\/acme-wg\/notes$/, 429);
    slept.length = 0;
    const found = await backend.ensureDoc(other);
    expect(found).toEqual({ ...made, created: false });
    expect(hackmd.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(slept).toEqual([1_000]);
  });

  it("a team the allow-list does not name for the owner is refused before any request", async () => {
    const client = (await loadHackmd({ HACKMD_API_TOKEN: hackmd.token, WG_MEETINGS_HACKMD_API_URL: hackmd.url, WG_MEETINGS_HACKMD_ALLOW: `acme=team:${TEAM}` }))!;
    const other = hackmdBackend(client, { team: TEAM, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" }, "someone-else");
    const mark = hackmd.requests.length;
    await expect(other.ensureDoc(request())).rejects.toMatchObject({ kind: "not-allowed" });
    expect(hackmd.requests.length).toBe(mark);
  });
});
