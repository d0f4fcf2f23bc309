import nock from "nock";
import { describe, expect, it } from "vitest";
import { parseHackmdAllowList } from "../../../src/hackmd/allow-list.js";
import { createHackmdClient } from "../../../src/hackmd/client.js";
import { hackmdBackend } from "../../../src/hackmd/hackmd-backend.js";
import { NoteMismatchError } from "../../../src/hackmd/meeting-note.js";
import { renderNoteContent } from "../../../src/hackmd/note-content.js";
import type { DocRequest, MinutesDocError } from "../../../src/minutes-doc/backend.js";
import {
  caught,
  everyRendering,
  exportedFixture,
  hackmd,
  IDENTITY,
  me,
  MEETING,
  NOTE_ID,
  SETTINGS,
  TEAM,
  teamNote,
  teamNotes,
  testClient,
  TITLE,
  TOKEN,
} from "./hackmd-kit.js";

const MARKDOWN = "# Node.js Security team Meeting 2024-10-24\n\n## Present\n\n* Name: @handle\n";

const REQUEST: DocRequest = { meeting: MEETING, title: TITLE, markdown: MARKDOWN, replacements: {} };

const MARKER = `<!-- wg-meetings-minutes {"repository":"nodejs/security-wg","series":"security-team","start":"2024-10-24T14:00:00.000Z"} -->`;

/** The content the App creates for REQUEST, spelled out. */
const CREATED_CONTENT = [
  "---",
  `title: "${TITLE}"`,
  "tags: wg-meetings",
  "---",
  "",
  "# Node.js Security team Meeting 2024-10-24",
  "",
  "## Present",
  "",
  "* Name: @handle",
  "",
  MARKER,
  "",
].join("\n");

const ME_PATH = "Bk8aWmZ1Sgm2cVb0Hq0Xyz";

function backend(options: Parameters<typeof testClient>[0] = {}, settings = SETTINGS, owner = "nodejs") {
  const { client, sleeps } = testClient(options);
  return { docs: hackmdBackend(client, settings, owner), sleeps };
}

describe("ensureDoc", () => {
  it("creates the note in the team with the rendered Markdown, the tag, the marker and the configured permissions", async () => {
    const created: unknown[] = [];
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, teamNotes().filter((note) => note["id"] !== NOTE_ID))
      .post(`/v1/teams/${TEAM}/notes`, (body) => (created.push(body), true))
      .reply(201, teamNote({ content: CREATED_CONTENT }));
    const { docs } = backend();

    const doc = await docs.ensureDoc(REQUEST);

    expect(doc).toEqual({ id: NOTE_ID, url: `https://hackmd.io/${NOTE_ID}`, created: true });
    expect(created).toEqual([
      { title: TITLE, content: CREATED_CONTENT, readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("creates the note in the token's own workspace when no team is configured", async () => {
    const created: unknown[] = [];
    const scope = hackmd()
      .get("/v1/notes")
      .reply(200, [])
      .post("/v1/notes", (body) => (created.push(body), true))
      .reply(201, teamNote({ teamPath: null, userPath: ME_PATH, content: CREATED_CONTENT, readPermission: "signed_in", writePermission: "owner" }));
    const { docs } = backend({}, { team: null, readPermission: "signed_in", writePermission: "owner", commentPermission: "owners" });

    expect(await docs.ensureDoc(REQUEST)).toEqual({ id: NOTE_ID, url: `https://hackmd.io/${NOTE_ID}`, created: true });
    expect(created).toEqual([{ title: TITLE, content: CREATED_CONTENT, readPermission: "signed_in", writePermission: "owner", commentPermission: "owners" }]);
    expect(scope.isDone()).toBe(true);
  });

  it("finds the note a crashed run created (tag, title, marker) and creates nothing", async () => {
    const scope = hackmd().get(`/v1/teams/${TEAM}/notes`).reply(200, teamNotes()).get(`/v1/notes/${NOTE_ID}`).reply(200, teamNote());
    const { docs } = backend();

    expect(await docs.ensureDoc(REQUEST)).toEqual({ id: NOTE_ID, url: `https://hackmd.io/${NOTE_ID}`, created: false });
    expect(scope.isDone()).toBe(true);
  });

  it("in the token's own workspace, reuses a note found again only when it is the token user's", async () => {
    const personal = (userPath: string) => ({ ...teamNotes()[1], teamPath: null, userPath });
    const created: unknown[] = [];
    const scope = hackmd()
      .get("/v1/notes")
      .reply(200, [personal(ME_PATH)])
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote({ teamPath: null, userPath: ME_PATH }))
      .get("/v1/me")
      .reply(200, me())
      .get("/v1/notes")
      .reply(200, [personal("SomeoneElse123")])
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote({ teamPath: null, userPath: "SomeoneElse123" }))
      .post("/v1/notes", (body) => (created.push(body), true))
      .reply(201, teamNote({ id: "Mine-1", teamPath: null, userPath: ME_PATH, content: CREATED_CONTENT }));
    const { docs } = backend({}, { ...SETTINGS, team: null });

    expect(await docs.ensureDoc(REQUEST)).toEqual({ id: NOTE_ID, url: `https://hackmd.io/${NOTE_ID}`, created: false });
    expect(await docs.ensureDoc(REQUEST)).toEqual({ id: "Mine-1", url: "https://hackmd.io/Mine-1", created: true });
    expect(created).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("reads at most five candidates, oldest first, and only those with the tag and the title", async () => {
    const listed = [
      ...Array.from({ length: 6 }, (_, i) => ({ ...teamNotes()[1], id: `Copy-${i}`, createdAt: 1729778402311 + (6 - i) })),
      { ...teamNotes()[1], id: "Untagged", tags: ["minutes"], createdAt: 1 },
      { ...teamNotes()[1], id: "Retitled", title: "Something else", createdAt: 2 },
    ];
    const read: string[] = [];
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, listed)
      .get(/^\/v1\/notes\/Copy-\d$/)
      .times(5)
      .reply(200, function (uri) {
        read.push(uri.split("/").pop()!);
        return teamNote({ id: uri.split("/").pop(), content: teamNote().content.replace('"security-team"', '"other"') });
      })
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(201, teamNote({ id: "NewNote-3" }));
    const { docs } = backend();

    expect((await docs.ensureDoc(REQUEST)).id).toBe("NewNote-3");
    expect(read).toEqual(["Copy-5", "Copy-4", "Copy-3", "Copy-2", "Copy-1"]);
    expect(scope.isDone()).toBe(true);
  });

  it("sets the read and write permissions of a note found again when they differ from the config", async () => {
    const patched: unknown[] = [];
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, teamNotes())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote({ readPermission: "owner", writePermission: "owner" }))
      .patch(`/v1/teams/${TEAM}/notes/${NOTE_ID}`, (body) => (patched.push(body), true))
      .reply(202);
    const { docs } = backend();

    expect((await docs.ensureDoc(REQUEST)).created).toBe(false);
    expect(patched).toEqual([{ readPermission: "guest", writePermission: "signed_in" }]);
    expect(scope.isDone()).toBe(true);
  });

  it("does not reuse a note with the tag and title but another meeting's marker: it creates the meeting's own", async () => {
    const otherRepo = teamNote({ content: teamNote().content.replace('"nodejs/security-wg"', '"nodejs/node"') });
    const created: unknown[] = [];
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, teamNotes())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, otherRepo)
      .post(`/v1/teams/${TEAM}/notes`, (body) => (created.push(body), true))
      .reply(201, teamNote({ id: "NewNote-1", content: CREATED_CONTENT }));
    const { docs } = backend();

    expect(await docs.ensureDoc(REQUEST)).toEqual({ id: "NewNote-1", url: "https://hackmd.io/NewNote-1", created: true });
    expect(created).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("does not reuse a note whose marker names another start of the same series", async () => {
    const otherWeek = teamNote({ content: teamNote().content.replace("2024-10-24T14:00:00.000Z", "2024-10-10T14:00:00.000Z") });
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, teamNotes())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, otherWeek)
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(201, teamNote({ id: "NewNote-2", content: CREATED_CONTENT }));
    const { docs } = backend();

    expect((await docs.ensureDoc(REQUEST)).id).toBe("NewNote-2");
    expect(scope.isDone()).toBe(true);
  });

  it("after a 5xx on create, looks again before trying again, and takes the note HackMD made after all", async () => {
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, [])
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(504)
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, teamNotes())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote());
    const { docs, sleeps } = backend();

    expect(await docs.ensureDoc(REQUEST)).toEqual({ id: NOTE_ID, url: `https://hackmd.io/${NOTE_ID}`, created: true });
    expect(sleeps).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("gives up after the retries when creating keeps failing, with a public-safe reason", async () => {
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, [])
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(500)
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, [])
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(500);
    const { docs } = backend({ retry: { retries: 1 } });

    const error = await caught(docs.ensureDoc(REQUEST));
    expect(error).toMatchObject({ name: "MinutesDocError", kind: "unavailable", status: 500 });
    expect((error as Error).message).toBe("HackMD could not create the minutes note in HackMD team nodejs-security (500, a server error); the next run tries again");
    expect(scope.isDone()).toBe(true);
  });

  it("refuses permissions HackMD would refuse, before any request", async () => {
    const { docs } = backend({}, { ...SETTINGS, readPermission: "signed_in", writePermission: "guest" });
    const error = await caught(docs.ensureDoc(REQUEST));
    expect(error).toMatchObject({ kind: "failed" });
    expect((error as Error).message).toBe("minutes.hackmd.writePermission guest lets more people write than readPermission signed_in lets read, which HackMD refuses");
  });
});

describe("the operator's allow-list", () => {
  const allow = parseHackmdAllowList("nodejs=team:nodejs-security, octo-org=personal, team:shared-notes");

  function allowed(settings = SETTINGS, owner = "nodejs") {
    const client = createHackmdClient({ token: TOKEN, allow });
    return hackmdBackend(client, settings, owner);
  }

  it("refuses a team it does not name for the repository's owner, before any request (nock answers nothing here)", async () => {
    const docs = allowed(SETTINGS, "acme");
    for (const call of [docs.ensureDoc(REQUEST), docs.openDoc(NOTE_ID, IDENTITY)]) {
      const error = await caught(call);
      expect(error).toMatchObject({ name: "MinutesDocError", kind: "not-allowed" });
      expect((error as Error).message).toBe(
        "HackMD team nodejs-security is not on the App's HackMD allow-list for acme, so the App did not use it: ask the App's operator to add acme=team:nodejs-security to WG_MEETINGS_HACKMD_ALLOW, or use a workspace they allow",
      );
    }
  });

  it("refuses the token's own workspace unless it is named for the owner", async () => {
    const error = await caught(allowed({ ...SETTINGS, team: null }, "nodejs").ensureDoc(REQUEST));
    expect(error).toMatchObject({ kind: "not-allowed" });
    expect((error as Error).message).toBe(
      "the HackMD API token's own workspace is not on the App's HackMD allow-list for nodejs, so the App did not use it: ask the App's operator to add nodejs=personal to WG_MEETINGS_HACKMD_ALLOW, or use a workspace they allow",
    );
  });

  it("lets the named owner use its team (case-insensitively), and anyone use an entry without owner", async () => {
    const scope = hackmd().get("/v1/teams/Nodejs-Security/notes").reply(200, []).post("/v1/teams/Nodejs-Security/notes").reply(201, teamNote());
    const shared = hackmd().get("/v1/teams/shared-notes/notes").reply(200, []).post("/v1/teams/shared-notes/notes").reply(201, teamNote({ teamPath: "shared-notes" }));

    expect((await allowed({ ...SETTINGS, team: "Nodejs-Security" }, "NodeJS").ensureDoc(REQUEST)).created).toBe(true);
    expect((await allowed({ ...SETTINGS, team: "shared-notes" }, "anyone").ensureDoc(REQUEST)).created).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(shared.isDone()).toBe(true);
  });

  it("refuses on export and move too, when the handle's workspace is no longer allowed", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, teamNote());
    const open = await allowed().openDoc(NOTE_ID, IDENTITY);
    expect(scope.isDone()).toBe(true);

    const other = allowed(SETTINGS, "acme");
    expect(await caught(other.exportMarkdown(open))).toMatchObject({ kind: "not-allowed" });
    expect(await caught(other.moveDoc(open, { title: "x", start: MEETING.start }))).toMatchObject({ kind: "not-allowed" });
  });
});

describe("openDoc", () => {
  it("opens a note in the team whose marker names the meeting", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, teamNote());
    const { docs } = backend();

    const doc = await docs.openDoc(NOTE_ID, IDENTITY);
    expect(doc.id).toBe(NOTE_ID);
    expect(doc.meeting).toEqual(IDENTITY);
    expect(scope.isDone()).toBe(true);
  });

  it("takes the repository in any case, and a start the meeting was moved to", async () => {
    const moved = teamNote({ content: teamNote().content.replace(MARKER, MARKER.replace('.000Z"}', '.000Z","movedTo":"2024-10-25T15:00:00.000Z"}')) });
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, moved);
    const { docs } = backend();

    const doc = await docs.openDoc(NOTE_ID, { repository: "NodeJS/Security-WG", series: "security-team", starts: ["2024-10-25T15:00:00Z"] });
    expect(doc.id).toBe(NOTE_ID);
    expect(scope.isDone()).toBe(true);
  });

  it("opens a note in the token's own workspace when it is the token user's", async () => {
    const personal = teamNote({ teamPath: null, userPath: ME_PATH });
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, personal).get("/v1/me").reply(200, me());
    const { docs } = backend({}, { ...SETTINGS, team: null });

    expect((await docs.openDoc(NOTE_ID, IDENTITY)).id).toBe(NOTE_ID);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a note outside the App's workspace even though it carries a copied marker", async () => {
    const elsewhere = [
      teamNote({ teamPath: "someone-elses-team" }),
      teamNote({ teamPath: null, userPath: "SomeoneElse123" }),
    ];
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, elsewhere[0]).get(`/v1/notes/${NOTE_ID}`).reply(200, elsewhere[1]).get("/v1/me").reply(200, me());
    const inTeam = backend().docs;
    const personal = backend({}, { ...SETTINGS, team: null }).docs;

    const errors = [await caught(inTeam.openDoc(NOTE_ID, IDENTITY)), await caught(personal.openDoc(NOTE_ID, IDENTITY))];
    for (const error of errors) {
      expect(error).toBeInstanceOf(NoteMismatchError);
      expect(error).toMatchObject({ name: "MinutesDocError", kind: "not-this-meeting" });
      expect((error as Error).message).toBe("the HackMD note linked from this issue does not belong to this meeting");
    }
    expect((errors[0] as NoteMismatchError).mismatch).toEqual({ part: "workspace", found: "someone-elses-team" });
    expect((errors[1] as NoteMismatchError).mismatch).toEqual({ part: "workspace", found: "SomeoneElse123" });
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a note in the workspace whose marker names another meeting, or that has none", async () => {
    const notes = [
      teamNote({ content: teamNote().content.replace('"security-team"', '"build-wg"') }),
      teamNote({ content: teamNote().content.replace(MARKER, "") }),
      teamNote({ content: teamNote().content.replace('"nodejs/security-wg"', '"evil/security-wg"') }),
    ];
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, notes[0]).get(`/v1/notes/${NOTE_ID}`).reply(200, notes[1]).get(`/v1/notes/${NOTE_ID}`).reply(200, notes[2]);
    const { docs } = backend();

    const mismatches = [];
    for (let i = 0; i < notes.length; i++) mismatches.push(((await caught(docs.openDoc(NOTE_ID, IDENTITY))) as NoteMismatchError).mismatch);
    expect(mismatches).toEqual([
      { part: "series", found: "nodejs/security-wg#build-wg@2024-10-24T14:00:00.000Z" },
      { part: "no-marker" },
      { part: "repository", found: "evil/security-wg#security-team@2024-10-24T14:00:00.000Z" },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses an id that is not a HackMD note id without asking HackMD", async () => {
    const { docs } = backend();
    const error = await caught(docs.openDoc("../teams/other/notes/x", IDENTITY));
    expect(error).toMatchObject({ kind: "not-this-meeting", mismatch: { part: "id" } });
  });

  it("passes HackMD's refusal on as it is (a 404 is not-found, not a mismatch)", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(404, { error: "Not found" });
    const { docs } = backend();
    expect(await caught(docs.openDoc(NOTE_ID, IDENTITY))).toMatchObject({ kind: "not-found", status: 404 });
    expect(scope.isDone()).toBe(true);
  });
});

describe("handles openDoc did not make", () => {
  it("are refused by exportMarkdown and moveDoc", async () => {
    const { docs } = backend();
    const forged = { id: NOTE_ID, meeting: IDENTITY };
    await expect(docs.exportMarkdown(forged)).rejects.toThrow("refusing a doc that the HackMD backend's openDoc did not check");
    await expect(docs.moveDoc(forged, { title: "x", start: MEETING.start })).rejects.toThrow("refusing a doc that the HackMD backend's openDoc did not check");
  });

  it("includes a handle opened for another workspace", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, teamNote({ teamPath: "other-team" }));
    const doc = await backend({}, { ...SETTINGS, team: "other-team" }).docs.openDoc(NOTE_ID, IDENTITY);
    expect(scope.isDone()).toBe(true);
    expect(await caught(backend().docs.exportMarkdown(doc))).toMatchObject({ kind: "not-this-meeting" });
  });
});

describe("exportMarkdown", () => {
  it("gives the note's Markdown without the App's front-matter and marker, from the note openDoc read", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).once().reply(200, teamNote());
    const { docs } = backend();

    const doc = await docs.openDoc(NOTE_ID, IDENTITY);
    expect(await docs.exportMarkdown(doc)).toBe(exportedFixture());
    expect(scope.isDone()).toBe(true);
  });

  it("gives back exactly the Markdown the note was created with, when nobody edited it", async () => {
    const content = renderNoteContent(TITLE, MARKDOWN, MEETING);
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, teamNote({ content: content.replace(/\n/g, "\r\n") }));
    const { docs } = backend();

    expect(await docs.exportMarkdown(await docs.openDoc(NOTE_ID, IDENTITY))).toBe(MARKDOWN);
    expect(scope.isDone()).toBe(true);
  });
});

describe("moveDoc", () => {
  it("reads the note again and writes the new title and the moved-to start in one PATCH of the content", async () => {
    const patched: Array<{ content?: string }> = [];
    const scope = hackmd()
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote({ content: teamNote().content.replace("* Score is 8.1", "* Score is 8.2") }))
      .patch(`/v1/teams/${TEAM}/notes/${NOTE_ID}`, (body) => (patched.push(body), true))
      .reply(202);
    const { docs } = backend();

    const doc = await docs.openDoc(NOTE_ID, IDENTITY);
    await docs.moveDoc(doc, { title: "Node.js Security team Meeting 2024-10-25", start: "2024-10-25T15:00:00Z" });

    expect(patched).toHaveLength(1);
    expect(Object.keys(patched[0]!)).toEqual(["content"]);
    const before = teamNote().content.split("\n");
    const after = patched[0]!.content!.split("\n");
    const changed = after.map((line, i) => [before[i], line]).filter(([was, now]) => was !== now);
    expect(changed).toEqual([
      ['title: "Node.js Security team Meeting 2024-10-24"', 'title: "Node.js Security team Meeting 2024-10-25"'],
      ["# Node.js Security team Meeting 2024-10-24", "# Node.js Security team Meeting 2024-10-25"],
      ["* Score is 8.1; pinned dependencies still open.", "* Score is 8.2; pinned dependencies still open."],
      [MARKER, MARKER.replace('.000Z"}', '.000Z","movedTo":"2024-10-25T15:00:00.000Z"}')],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("patches a personal note under /notes", async () => {
    const personal = teamNote({ teamPath: null, userPath: ME_PATH });
    const scope = hackmd()
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, personal)
      .get("/v1/me")
      .reply(200, me())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, personal)
      .patch(`/v1/notes/${NOTE_ID}`, (body: { content?: string }) => Boolean(body.content?.includes('"movedTo":"2024-10-25T15:00:00.000Z"')))
      .reply(202);
    const { docs } = backend({}, { ...SETTINGS, team: null });

    await docs.moveDoc(await docs.openDoc(NOTE_ID, IDENTITY), { title: "T2", start: "2024-10-25T15:00:00Z" });
    expect(scope.isDone()).toBe(true);
  });

  it("writes nothing when the note no longer carries the meeting's marker", async () => {
    const scope = hackmd()
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote({ content: teamNote().content.replace(MARKER, "") }));
    const { docs } = backend();

    const doc = await docs.openDoc(NOTE_ID, IDENTITY);
    expect(await caught(docs.moveDoc(doc, { title: "x", start: "2024-10-25T15:00:00Z" }))).toMatchObject({ kind: "not-this-meeting" });
    expect(scope.isDone()).toBe(true);
  });
});

describe("the note's link", () => {
  it("is hackmd.io/<id> also when the API URL is a stand-in's: every link to a note is made alike (the marker records no host)", async () => {
    const scope = nock("http://127.0.0.1:4010", { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, [])
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(201, teamNote({ id: "Stand-1", content: CREATED_CONTENT }));
    const standIn = hackmdBackend(createHackmdClient({ token: TOKEN, apiUrl: "http://127.0.0.1:4010/v1" }), SETTINGS, "nodejs");
    expect(standIn.kind).toBe("hackmd");
    expect((await standIn.ensureDoc(REQUEST)).url).toBe("https://hackmd.io/Stand-1");
    expect(scope.isDone()).toBe(true);
  });
});

describe("no token in what the backend throws", () => {
  it("holds for refusals, mismatches and HackMD's failures", async () => {
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(500, { error: `boom ${TOKEN}` })
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote({ teamPath: "other" }));
    const { docs } = backend({ retry: { retries: 0 } });
    const refused = hackmdBackend(createHackmdClient({ token: TOKEN, allow: parseHackmdAllowList("x=personal") }), SETTINGS, "nodejs");

    const errors = [await caught(docs.ensureDoc(REQUEST)), await caught(docs.openDoc(NOTE_ID, IDENTITY)), await caught(refused.ensureDoc(REQUEST))] as MinutesDocError[];
    expect(errors.map((e) => e.kind)).toEqual(["unavailable", "not-this-meeting", "not-allowed"]);
    for (const error of errors) expect(everyRendering(error)).not.toContain(TOKEN);
    expect(scope.isDone()).toBe(true);
  });
});
