import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frontMatter, startHackmdStandin, typeIntoNote, noteTextUnder, type HackmdStandin } from "../../e2e/harness/hackmd-standin.js";

/**
 * The HackMD stand-in the demo and the e2e tests give the App (WG_MEETINGS_HACKMD_API_URL):
 * it must answer as HackMD's API v1 does, and refuse what HackMD refuses, or the e2e tests
 * prove nothing about the real service. Each test is an HTTP conversation with it.
 */
let hackmd: HackmdStandin;
const TEAM = "openjs-nodejs";

beforeAll(async () => {
  hackmd = await startHackmdStandin({ teams: [TEAM] });
});
afterAll(async () => {
  await hackmd?.close();
});

async function call(method: string, path: string, body?: unknown, token = hackmd.token): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(`${hackmd.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

const CONTENT = [
  "---",
  "title: Node.js Security team Meeting 2024-10-24",
  "tags: [wg-meetings, security-wg]",
  "---",
  "",
  "# Node.js Security team Meeting 2024-10-24",
  "",
  "## Present",
  "",
  "* (notes)",
  "",
].join("\n");

describe("HackMD stand-in: authentication", () => {
  it("answers 401 without the token, or with another one", async () => {
    expect((await call("GET", "/me", undefined, "not-the-token")).status).toBe(401);
    const response = await fetch(`${hackmd.url}/me`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Unauthorized" });
  });

  it("GET /me: the token's user and its teams, shaped as HackMD's User", async () => {
    const { status, json } = await call("GET", "/me");
    expect(status).toBe(200);
    expect(json).toMatchObject({ id: expect.any(String), name: expect.any(String), email: null, userPath: hackmd.user.userPath, upgraded: false });
    expect(json.teams).toEqual([expect.objectContaining({ path: TEAM, name: TEAM, visibility: "public" })]);
  });
});

describe("HackMD stand-in: team notes", () => {
  it("POST creates a note with the permissions asked; title and tags from the front-matter; 201 with the single note", async () => {
    const { status, json } = await call("POST", `/teams/${TEAM}/notes`, {
      title: "ignored: the front-matter names it",
      content: CONTENT,
      readPermission: "guest",
      writePermission: "signed_in",
      commentPermission: "signed_in_users",
    });
    expect(status).toBe(201);
    expect(json).toMatchObject({
      id: expect.stringMatching(/^[\w-]{22}$/),
      title: "Node.js Security team Meeting 2024-10-24",
      tags: ["wg-meetings", "security-wg"],
      content: CONTENT,
      readPermission: "guest",
      writePermission: "signed_in",
      teamPath: TEAM,
      userPath: null,
      permalink: null,
      publishType: "view",
      createdAt: expect.any(Number),
      lastChangedAt: expect.any(Number),
    });
    expect(json.publishLink).toBe(`https://hackmd.io/@${TEAM}/${json.shortId}`);
    // HackMD never returns commentPermission; the stand-in keeps it for the tests.
    expect(json).not.toHaveProperty("commentPermission");
    expect(hackmd.notes.get(json.id)?.commentPermission).toBe("signed_in_users");
  });

  it("GET lists the team's notes without content; GET one returns it, with an ETag that answers 304", async () => {
    const created = (await call("POST", `/teams/${TEAM}/notes`, { content: "# Listed\n", tags: ["wg-meetings"] })).json;
    const list = await call("GET", `/teams/${TEAM}/notes`);
    expect(list.status).toBe(200);
    const entry = list.json.find((note: any) => note.id === created.id);
    expect(entry).toMatchObject({ title: "Listed", tags: ["wg-meetings"], teamPath: TEAM });
    expect(entry).not.toHaveProperty("content");

    const one = await call("GET", `/teams/${TEAM}/notes/${created.id}`);
    expect(one.json.content).toBe("# Listed\n");
    const etag = one.headers.get("etag")!;
    const again = await fetch(`${hackmd.url}/teams/${TEAM}/notes/${created.id}`, { headers: { authorization: `Bearer ${hackmd.token}`, "if-none-match": etag } });
    expect(again.status).toBe(304);
    // The same note through /notes/:id (readable by the token's user).
    expect((await call("GET", `/notes/${created.id}`)).json.content).toBe("# Listed\n");
  });

  it("PATCH changes content and title, answers 202 with no body; a person's typing shows in the next GET", async () => {
    const created = (await call("POST", `/teams/${TEAM}/notes`, { content: CONTENT })).json;
    const patched = await call("PATCH", `/teams/${TEAM}/notes/${created.id}`, { content: CONTENT.replace(/2024-10-24/g, "2024-10-31") });
    expect(patched.status).toBe(202);
    expect(patched.json).toBeUndefined();
    const note = hackmd.notes.get(created.id)!;
    expect(note.title).toBe("Node.js Security team Meeting 2024-10-31");

    typeIntoNote(note, "Present", ["* Rafael: @RafaelGSS"]);
    expect(noteTextUnder(note, "Present")).toBe("* Rafael: @RafaelGSS");
    expect((await call("GET", `/teams/${TEAM}/notes/${created.id}`)).json.content).toContain("## Present\n\n* Rafael: @RafaelGSS\n");
  });

  it("a team the user is not in: 403; a note of another team through a team path: 404", async () => {
    expect((await call("GET", "/teams/someone-elses-team/notes")).status).toBe(403);
    expect((await call("POST", "/teams/someone-elses-team/notes", { content: "# x" })).status).toBe(403);
    const mine = (await call("POST", "/notes", { content: "# Mine" })).json;
    expect((await call("GET", `/teams/${TEAM}/notes/${mine.id}`)).status).toBe(404);
  });
});

describe("HackMD stand-in: the user's own workspace", () => {
  it("POST /notes creates in the user's workspace (userPath set, teamPath null); GET /notes lists only those", async () => {
    const created = await call("POST", "/notes", { content: "# Personal", readPermission: "owner", writePermission: "owner", commentPermission: "disabled" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ userPath: hackmd.user.userPath, teamPath: null, readPermission: "owner" });
    const list = (await call("GET", "/notes")).json as any[];
    expect(list.map((note) => note.id)).toContain(created.json.id);
    expect(list.every((note) => note.teamPath === null)).toBe(true);
  });

  it("a note someone else owns: readable when its read permission allows, never listed, not writable when owner-only", async () => {
    const foreign = hackmd.seedNote({ content: "# Not the App's\n", userPath: "mallory", readPermission: "guest", writePermission: "owner" });
    expect((await call("GET", `/notes/${foreign.id}`)).json).toMatchObject({ userPath: "mallory", teamPath: null, title: "Not the App's" });
    expect(((await call("GET", "/notes")).json as any[]).map((note) => note.id)).not.toContain(foreign.id);
    expect((await call("PATCH", `/notes/${foreign.id}`, { content: "# Overwritten" })).status).toBe(403);
    const hidden = hackmd.seedNote({ content: "# Private\n", userPath: "mallory", readPermission: "owner", writePermission: "owner" });
    expect((await call("GET", `/notes/${hidden.id}`)).status).toBe(404);
  });
});

describe("HackMD stand-in: what HackMD refuses", () => {
  it("unknown fields and values (400) and write wider than read (422) are refused and recorded", async () => {
    const before = hackmd.rejected.length;
    expect((await call("POST", "/notes", { content: "# x", folder: "nope" })).status).toBe(400);
    expect((await call("POST", "/notes", { content: "# x", readPermission: "everyone" })).status).toBe(400);
    expect((await call("POST", "/notes", { content: "# x", readPermission: "owner", writePermission: "guest" })).status).toBe(422);
    const note = (await call("POST", "/notes", { content: "# y" })).json;
    // commentPermission is a create-time field only.
    expect((await call("PATCH", `/notes/${note.id}`, { commentPermission: "everyone" })).status).toBe(400);
    expect(hackmd.rejected.slice(before)).toEqual([
      expect.stringContaining("unknown field(s) folder"),
      expect.stringContaining("readPermission"),
      expect.stringContaining("wider than readPermission"),
      expect.stringContaining("unknown field(s) commentPermission"),
    ]);
    hackmd.rejected.splice(before);
  });

  it("failNext answers 429 with HackMD's rate-limit headers, then serves normally", async () => {
    hackmd.failNext("GET", /^\/me$/, 429);
    const limited = await call("GET", "/me");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-userremaining")).toBe("0");
    expect(Number(limited.headers.get("x-ratelimit-userreset"))).toBeGreaterThan(0);
    expect((await call("GET", "/me")).status).toBe(200);
  });

  it("serves a guest-readable note's page and Markdown at <origin>/<id>, as HackMD's web UI does; others are 404", async () => {
    const open = (await call("POST", `/teams/${TEAM}/notes`, { content: "# Open <b>\n" })).json;
    expect(hackmd.noteUrl(open.id)).toBe(`${new URL(hackmd.url).origin}/${open.id}`);
    const page = await fetch(hackmd.noteUrl(open.id));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<pre># Open &lt;b&gt;\n</pre>");
    expect(await (await fetch(`${hackmd.noteUrl(open.id)}/download`)).text()).toBe("# Open <b>\n");
    const closed = (await call("POST", `/teams/${TEAM}/notes`, { content: "# Closed", readPermission: "owner", writePermission: "owner" })).json;
    expect((await fetch(hackmd.noteUrl(closed.id))).status).toBe(404);
  });

  it("failNext with afterDoing carries the request out and loses its answer", async () => {
    const before = hackmd.notes.size;
    hackmd.failNext("POST", /^\/notes$/, 502, 1, { afterDoing: true });
    const lost = await call("POST", "/notes", { content: "# Made anyway" });
    expect([lost.status, lost.json]).toEqual([502, { error: "Bad Gateway" }]);
    expect(hackmd.notes.size).toBe(before + 1);
    expect([...hackmd.notes.values()].some((note) => note.title === "Made anyway")).toBe(true);
  });

  it("records every request with its body", async () => {
    const mark = hackmd.requests.length;
    await call("POST", `/teams/${TEAM}/notes`, { content: "# Recorded", tags: ["wg-meetings"] });
    expect(hackmd.requests.slice(mark)).toEqual([{ method: "POST", path: `/v1/teams/${TEAM}/notes`, status: 201, body: { content: "# Recorded", tags: ["wg-meetings"] } }]);
  });
});

describe("HackMD stand-in: a person typing", () => {
  it("types under the heading, above the hidden comments that end the note", () => {
    const note = hackmd.seedNote({ content: "# T\n\n## Action items\n\n<!-- wg-meetings-minutes {} -->\n", teamPath: TEAM });
    typeIntoNote(note, "Action items", ["* @a: do it"]);
    expect(note.content).toBe("# T\n\n## Action items\n\n* @a: do it\n\n<!-- wg-meetings-minutes {} -->\n");
    typeIntoNote(note, "Action items", ["* @b: and this"]);
    expect(note.content).toBe("# T\n\n## Action items\n\n* @a: do it\n* @b: and this\n\n<!-- wg-meetings-minutes {} -->\n");
  });
});

describe("HackMD stand-in: front-matter", () => {
  it("reads title and tags in the forms HackMD accepts", () => {
    expect(frontMatter("---\ntitle: 'Quoted'\ntags: a, b\n---\n# H")).toEqual({ title: "Quoted", tags: ["a", "b"] });
    expect(frontMatter("---\ntags:\n  - one\n  - two\n---\n")).toEqual({ tags: ["one", "two"] });
    expect(frontMatter("# No front-matter\n---\n")).toEqual({});
  });
});
