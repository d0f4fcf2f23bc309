import { describe, expect, it } from "vitest";
import { hackmdBackend } from "../../../src/hackmd/hackmd-backend.js";
import type { DocRequest } from "../../../src/minutes-doc/backend.js";
import { hackmd, MEETING, NOTE_ID, SETTINGS, TEAM, teamNote, teamNotes, testClient, TITLE } from "./hackmd-kit.js";

/**
 * Issue 14: behaviours of the HackMD backend that a planted regression showed untested, each
 * as the HTTP conversation with api.hackmd.io (nock), request bodies asserted.
 */
const REQUEST: DocRequest = { meeting: MEETING, title: TITLE, markdown: "# Node.js Security team Meeting 2024-10-24\n", replacements: {} };

function backend(settings = SETTINGS, owner = "nodejs") {
  const { client } = testClient();
  return hackmdBackend(client, settings, owner);
}

describe("ensureDoc on a note found again", () => {
  it("sets the permissions back when only who may write was changed on HackMD", async () => {
    const patched: unknown[] = [];
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, teamNotes())
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote({ readPermission: "guest", writePermission: "guest" }))
      .patch(`/v1/teams/${TEAM}/notes/${NOTE_ID}`, (body) => (patched.push(body), true))
      .reply(202);

    expect((await backend().ensureDoc(REQUEST)).created).toBe(false);
    expect(patched).toEqual([{ readPermission: "guest", writePermission: "signed_in" }]);
    expect(scope.isDone()).toBe(true);
  });
});

describe("a team written in another case than HackMD's", () => {
  const settings = { ...SETTINGS, team: "NodeJS-Security" };

  it("finds the note again and opens it: team paths compare without case, as HackMD's URLs do", async () => {
    const scope = hackmd()
      .get("/v1/teams/NodeJS-Security/notes")
      .reply(200, teamNotes())
      .get(`/v1/notes/${NOTE_ID}`)
      .twice()
      .reply(200, teamNote());
    const docs = backend(settings);

    expect(await docs.ensureDoc(REQUEST)).toEqual({ id: NOTE_ID, url: `https://hackmd.io/${NOTE_ID}`, created: false });
    const opened = await docs.openDoc(NOTE_ID, { repository: MEETING.repository, series: MEETING.series, starts: [MEETING.start] });
    expect(opened.id).toBe(NOTE_ID);
    expect(scope.isDone()).toBe(true);
  });
});
