import { inspect } from "node:util";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createHackmdClient } from "../../../src/hackmd/client.js";
import { HackmdError } from "../../../src/hackmd/errors.js";
import { MinutesDocError } from "../../../src/minutes-doc/backend.js";
import { caught, everyRendering, hackmd, me, NOTE_ID, TEAM, teamNote, teamNotes, testClient, TOKEN } from "./hackmd-kit.js";

const NOTE_BODY = { title: "T", content: "# T\n", readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" } as const;

describe("HackMD client: the conversation", () => {
  it("sends the Bearer token, asks for JSON, and reads a note as HackMD returns it", async () => {
    const scope = hackmd()
      .matchHeader("user-agent", "wg-meetings")
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote());
    const { client } = testClient();

    const note = await client.getNote(NOTE_ID);

    expect(note).toMatchObject({ id: NOTE_ID, teamPath: TEAM, userPath: null, tags: ["wg-meetings"], readPermission: "guest", writePermission: "signed_in" });
    expect(note.content).toBe(teamNote().content);
    expect(scope.isDone()).toBe(true);
  });

  it("lists a team's notes, and the token's own workspace's, without content", async () => {
    const scope = hackmd().get(`/v1/teams/${TEAM}/notes`).reply(200, teamNotes()).get("/v1/notes").reply(200, []);
    const { client } = testClient();

    const listed = await client.listNotes(TEAM);
    expect(listed.map((note) => [note.id, note.title, note.tags])).toEqual([
      ["B1eQ8zGqQe-Y2wXv6QjSyA", "Node.js Security team Meeting 2024-10-10", ["wg-meetings"]],
      [NOTE_ID, "Node.js Security team Meeting 2024-10-24", ["wg-meetings"]],
      ["SyZ0Wq9Gqe-X3vWu5PiRxA", "Threat model: undici", ["threat-model", "undici"]],
    ]);
    expect(await client.listNotes(null)).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("creates a note with the body it is given, in a team or the token's own workspace; a 207 still yields the note", async () => {
    const bodies: unknown[] = [];
    const scope = hackmd()
      .matchHeader("content-type", "application/json")
      .post(`/v1/teams/${TEAM}/notes`, (body) => (bodies.push(body), true))
      .reply(201, teamNote())
      .post("/v1/notes", (body) => (bodies.push(body), true))
      .reply(207, { note: teamNote({ teamPath: null, userPath: "Bk8aWmZ1Sgm2cVb0Hq0Xyz" }), error: "folder not found" });
    const { client } = testClient();

    expect((await client.createNote(TEAM, NOTE_BODY)).id).toBe(NOTE_ID);
    expect((await client.createNote(null, NOTE_BODY)).userPath).toBe("Bk8aWmZ1Sgm2cVb0Hq0Xyz");
    expect(bodies).toEqual([NOTE_BODY, NOTE_BODY]);
    expect(scope.isDone()).toBe(true);
  });

  it("updates a team note under the team's path and a personal note under /notes", async () => {
    const bodies: unknown[] = [];
    const scope = hackmd()
      .patch(`/v1/teams/${TEAM}/notes/${NOTE_ID}`, (body) => (bodies.push(body), true))
      .reply(202)
      .patch(`/v1/notes/${NOTE_ID}`, (body) => (bodies.push(body), true))
      .reply(202);
    const { client } = testClient();

    await client.updateNote(TEAM, NOTE_ID, { content: "# New\n" });
    await client.updateNote(null, NOTE_ID, { readPermission: "signed_in", writePermission: "owner" });
    expect(bodies).toEqual([{ content: "# New\n" }, { readPermission: "signed_in", writePermission: "owner" }]);
    expect(scope.isDone()).toBe(true);
  });

  it("asks GET /me once per client", async () => {
    const scope = hackmd().get("/v1/me").once().reply(200, me());
    const { client } = testClient();

    expect(await client.me()).toEqual({ userPath: "Bk8aWmZ1Sgm2cVb0Hq0Xyz" });
    expect(await client.me()).toEqual({ userPath: "Bk8aWmZ1Sgm2cVb0Hq0Xyz" });
    expect(scope.isDone()).toBe(true);
  });

  it("never puts an id that is not HackMD's into a URL", async () => {
    const { client } = testClient();
    for (const id of ["../teams/other/notes", "a/b", "", "x?y", "%2e%2e"]) {
      const error = await caught(client.getNote(id));
      expect(error).toBeInstanceOf(MinutesDocError);
      expect((error as MinutesDocError).kind).toBe("not-found");
    }
  });

  it("talks to the API URL it is given", async () => {
    const scope = nock("http://127.0.0.1:4010").get("/v1/notes/abc").reply(200, teamNote({ id: "abc" }));
    const client = createHackmdClient({ token: TOKEN, apiUrl: "http://127.0.0.1:4010/v1/" });

    expect(client.apiUrl).toBe("http://127.0.0.1:4010/v1");
    expect((await client.getNote("abc")).id).toBe("abc");
    expect(scope.isDone()).toBe(true);
  });

  it("refuses API URLs that would send the token in the clear or somewhere odd", () => {
    for (const apiUrl of ["http://api.hackmd.io/v1", "ftp://127.0.0.1/v1", "https://user:pw@api.hackmd.io/v1", "https://api.hackmd.io/v1?x=1", "not a url"]) {
      expect(() => createHackmdClient({ token: TOKEN, apiUrl })).toThrow(/WG_MEETINGS_HACKMD_API_URL must be an https URL/);
    }
  });

  it("refuses a token a header cannot carry, without quoting it", () => {
    for (const token of ["", "   ", `${TOKEN} extra`, `${TOKEN}\n`.repeat(2), `tök${TOKEN}`]) {
      const error = (() => {
        try {
          createHackmdClient({ token });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(MinutesDocError);
      expect((error as MinutesDocError).kind).toBe("not-configured");
      expect((error as Error).message).toContain("HACKMD_API_TOKEN is not a usable API token");
      expect(everyRendering(error)).not.toContain(TOKEN);
    }
  });

  it("keeps the token out of the client object itself", () => {
    const { client } = testClient();
    expect(JSON.stringify(client)).not.toContain(TOKEN);
    expect(inspect(client, { depth: 8, showHidden: true })).not.toContain(TOKEN);
  });
});

describe("HackMD client: rate limits and server errors", () => {
  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    const scope = hackmd()
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(429, { error: "Too many requests" }, { "Retry-After": "2", "X-RateLimit-UserLimit": "100", "X-RateLimit-UserRemaining": "0" })
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, teamNote());
    const { client, sleeps } = testClient();

    expect((await client.getNote(NOTE_ID)).id).toBe(NOTE_ID);
    expect(sleeps).toEqual([2000]);
    expect(scope.isDone()).toBe(true);
  });

  it("reads the wait from X-RateLimit-UserReset when there is no Retry-After", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3;
    const scope = hackmd()
      .get("/v1/me")
      .reply(429, {}, { "X-RateLimit-UserReset": String(reset) })
      .get("/v1/me")
      .reply(200, me());
    const { client, sleeps } = testClient();

    await client.me();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(3000);
    expect(scope.isDone()).toBe(true);
  });

  it("retries a 429 on a create too (HackMD made nothing), with backoff when no wait is given", async () => {
    const scope = hackmd().post(`/v1/teams/${TEAM}/notes`).reply(429, {}).post(`/v1/teams/${TEAM}/notes`).reply(201, teamNote());
    const { client, sleeps } = testClient();

    expect((await client.createNote(TEAM, NOTE_BODY)).id).toBe(NOTE_ID);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(sleeps[0]).toBeLessThanOrEqual(1000);
    expect(scope.isDone()).toBe(true);
  });

  it("does not wait out a Retry-After longer than its cap: it says the next run tries again", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(429, {}, { "Retry-After": "300" });
    const { client, sleeps } = testClient();

    const error = await caught(client.getNote(NOTE_ID));
    expect(error).toMatchObject({ name: "MinutesDocError", kind: "unavailable", status: 429 });
    expect((error as Error).message).toBe(`HackMD's rate limit was reached when the App tried to read note ${NOTE_ID} (429); the next run tries again`);
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("does not retry when the month's quota is used up", async () => {
    const scope = hackmd()
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(429, { error: { upgradeUrl: "https://hackmd.io/pricing", helpUrl: "https://hackmd.io/s/api-limits", message: "API quota exceeded", code: "quota_exceeded" } });
    const { client, sleeps } = testClient();

    const error = await caught(client.listNotes(TEAM));
    expect(error).toMatchObject({ kind: "unavailable", status: 429 });
    expect((error as Error).message).toMatch(/^HackMD's monthly API quota for the App's token is used up \(429 quota_exceeded\), so the App could not list the notes of HackMD team nodejs-security/);
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("retries a 5xx on a read with bounded backoff, and says so when every try failed", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).times(4).reply(503, "<html>upstream connect error</html>");
    const { client, sleeps } = testClient();

    const error = await caught(client.getNote(NOTE_ID));
    expect(error).toBeInstanceOf(HackmdError);
    expect(error).toMatchObject({ kind: "unavailable", status: 503, mayHaveHappened: true });
    expect((error as Error).message).toBe(`HackMD could not read note ${NOTE_ID} (503, a server error); the next run tries again`);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(1000 * 2 ** i);
    });
    expect(scope.isDone()).toBe(true);
  });

  it("retries a 408 on a read like a server error", async () => {
    const scope = hackmd().get(`/v1/teams/${TEAM}/notes`).reply(408).get(`/v1/teams/${TEAM}/notes`).reply(200, teamNotes());
    const { client, sleeps } = testClient();

    expect(await client.listNotes(TEAM)).toHaveLength(3);
    expect(sleeps).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("does not replay a create after a 5xx: HackMD may have made the note", async () => {
    const scope = hackmd().post(`/v1/teams/${TEAM}/notes`).once().reply(502);
    const { client, sleeps } = testClient();

    const error = await caught(client.createNote(TEAM, NOTE_BODY));
    expect(error).toMatchObject({ kind: "unavailable", status: 502, mayHaveHappened: true });
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("says what to fix for 401, 403 and 404, without retrying", async () => {
    const scope = hackmd()
      .get("/v1/me")
      .reply(401, { error: "Unauthorized" })
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(403, { error: "Forbidden" })
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(404, { error: "Not found" })
      .patch(`/v1/notes/${NOTE_ID}`)
      .reply(422, { message: "Validation Failed", details: { content: { message: "too long" } } });
    const { client, sleeps } = testClient();

    const errors = [
      await caught(client.me()),
      await caught(client.createNote(TEAM, NOTE_BODY)),
      await caught(client.getNote(NOTE_ID)),
      await caught(client.updateNote(null, NOTE_ID, { content: "x" })),
    ] as MinutesDocError[];
    expect(errors.map((e) => [e.kind, e.status, e.message])).toEqual([
      ["not-configured", 401, "HackMD refused the App's API token (401) when asked to read whose API token it is: the App's operator must set a valid HACKMD_API_TOKEN"],
      ["forbidden", 403, "HackMD refused to create the minutes note in HackMD team nodejs-security (403): the API token's user must be a member of HackMD team nodejs-security who may create and edit its notes"],
      ["not-found", 404, `HackMD could not read note ${NOTE_ID}: it was not found (404); check that the note is in the App's HackMD workspace`],
      ["failed", 422, `HackMD could not update note ${NOTE_ID} (422)`],
    ]);
    expect(sleeps).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});

describe("HackMD client: what it refuses", () => {
  it("gives up on a request that does not answer in time", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).delay(60_000).reply(200, teamNote());
    const { client } = testClient({ timeoutMs: 20, retry: { retries: 0 } });

    const error = await caught(client.getNote(NOTE_ID));
    expect(error).toMatchObject({ name: "MinutesDocError", kind: "unavailable", mayHaveHappened: true });
    expect((error as Error).message).toBe(`HackMD did not answer within 20 ms when asked to read note ${NOTE_ID}; the next run tries again`);
    expect(scope.isDone()).toBe(true);
  });

  it("follows no redirect, neither to another host nor to its own", async () => {
    const elsewhere = nock("https://collector.example").get(/.*/).reply(200, teamNote());
    const scope = hackmd()
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(302, "", { Location: "https://collector.example/steal" })
      .get("/v1/me")
      .reply(301, "", { Location: "https://api.hackmd.io/v2/me" });
    const { client } = testClient();

    const errors = [await caught(client.getNote(NOTE_ID)), await caught(client.me())] as MinutesDocError[];
    expect(errors.map((e) => [e.kind, e.status])).toEqual([
      ["failed", 302],
      ["failed", 301],
    ]);
    expect(errors[0]!.message).toBe(
      `HackMD answered with a redirect (302) when asked to read note ${NOTE_ID}; the App follows no redirects (check WG_MEETINGS_HACKMD_API_URL if it is set)`,
    );
    expect(scope.isDone()).toBe(true);
    expect(elsewhere.isDone()).toBe(false);
  });

  it("refuses an answer larger than a note can be, by its Content-Length or as it streams", async () => {
    const big = teamNote({ content: "x".repeat(1024 * 1024 + 1) });
    const scope = hackmd()
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, JSON.stringify({ ...big, content: "y".repeat(3 * 1024 * 1024) }), { "Content-Type": "application/json", "Content-Length": String(3 * 1024 * 1024 + 2000) })
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, () => JSON.stringify({ ...big, content: "z".repeat(3 * 1024 * 1024) }), { "Content-Type": "application/json" })
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(200, big);
    const { client } = testClient();

    const errors = [await caught(client.getNote(NOTE_ID)), await caught(client.getNote(NOTE_ID)), await caught(client.getNote(NOTE_ID))] as MinutesDocError[];
    expect(errors.map((e) => e.kind)).toEqual(["failed", "failed", "failed"]);
    expect(errors[0]!.message).toBe(`HackMD's answer was larger than the App reads (notes up to 1 MB of Markdown) when asked to read note ${NOTE_ID}`);
    expect(errors[1]!.message).toBe(errors[0]!.message);
    expect(errors[2]!.message).toBe(`note ${NOTE_ID} is larger than the App reads (1 MB of Markdown)`);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses to send a note larger than 1 MB", async () => {
    const { client } = testClient();
    const error = await caught(client.createNote(TEAM, { ...NOTE_BODY, content: "x".repeat(1024 * 1024 + 1) }));
    expect(error).toMatchObject({ kind: "failed" });
    expect((error as Error).message).toBe("the note is larger than the App writes (1 MB of Markdown), so the App did not create the minutes note in HackMD team nodejs-security");
  });

  it("says so when HackMD answers with something that is not a note", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, "<html>maintenance</html>").get(`/v1/notes/${NOTE_ID}`).reply(200, { id: NOTE_ID });
    const { client } = testClient();

    expect(((await caught(client.getNote(NOTE_ID))) as Error).message).toBe(`HackMD answered with something other than JSON when asked to read note ${NOTE_ID}`);
    expect(((await caught(client.getNote(NOTE_ID))) as Error).message).toBe(`HackMD answered with no note id or content when asked to read note ${NOTE_ID}`);
    expect(scope.isDone()).toBe(true);
  });

  it("says it could not reach HackMD when the connection fails, with the system's code only", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).replyWithError({ code: "ECONNRESET", message: `socket hang up; Authorization: Bearer ${TOKEN}` });
    const { client } = testClient({ retry: { retries: 0 } });

    const error = await caught(client.getNote(NOTE_ID));
    expect(error).toMatchObject({ kind: "unavailable", mayHaveHappened: true });
    expect((error as Error).message).toMatch(/^the App could not reach HackMD to read note Hk3v9nGqQe-Z1xYw7RkTzA( \(ECONNRESET\))?; the next run tries again$/);
    expect(scope.isDone()).toBe(true);
  });
});

describe("HackMD client: the token stays secret", () => {
  it("appears in no error message nor any rendering of any error", async () => {
    const scope = hackmd()
      .get("/v1/me")
      .reply(401, { error: `invalid token ${TOKEN}` })
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(500, { error: `Internal error while handling Bearer ${TOKEN}` })
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(302, "", { Location: `https://api.hackmd.io/v1/login?token=${TOKEN}` })
      .get(`/v1/notes/${NOTE_ID}`)
      .replyWithError({ code: "ECONNRESET", message: `socket hang up; Authorization: Bearer ${TOKEN}` })
      .get(`/v1/notes/${NOTE_ID}`)
      .delay(60_000)
      .reply(200, teamNote())
      .post(`/v1/teams/${TEAM}/notes`)
      .reply(429, { error: { code: "quota_exceeded", message: `quota for ${TOKEN}` } })
      .get(`/v1/teams/${TEAM}/notes`)
      .reply(200, `not json ${TOKEN}`);
    const { client } = testClient({ timeoutMs: 20, retry: { retries: 0 } });

    const errors = [
      await caught(client.me()),
      await caught(client.getNote(NOTE_ID)),
      await caught(client.getNote(NOTE_ID)),
      await caught(client.getNote(NOTE_ID)),
      await caught(client.getNote(NOTE_ID)),
      await caught(client.createNote(TEAM, NOTE_BODY)),
      await caught(client.listNotes(TEAM)),
    ];
    expect(scope.isDone()).toBe(true);
    for (const error of errors) {
      expect(error).toBeInstanceOf(MinutesDocError);
      expect((error as Error).cause).toBeUndefined();
      expect(everyRendering(error)).not.toContain(TOKEN);
      expect(everyRendering(error)).not.toContain(TOKEN.slice(4, 20));
    }
  });
});


