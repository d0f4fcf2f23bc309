import { describe, expect, it } from "vitest";
import { caught, hackmd, me, NOTE_ID, TEAM, testClient } from "./hackmd-kit.js";

/**
 * Issue 14: behaviours of the HackMD client that a planted regression showed untested. Each is
 * an HTTP conversation with api.hackmd.io (nock), with the requests it must not make left out.
 */
describe("HackMD client: limits and what it remembers", () => {
  it("refuses to write a note larger than 1 MB back (a /move of a huge note), asking HackMD nothing", async () => {
    const { client, sleeps } = testClient();

    const error = await caught(client.updateNote(TEAM, NOTE_ID, { content: "x".repeat(1024 * 1024 + 1) }));

    expect(error).toMatchObject({ kind: "failed" });
    expect((error as Error).message).toBe(`the note is larger than the App writes (1 MB of Markdown), so the App did not update note ${NOTE_ID}`);
    expect(sleeps).toEqual([]);
  });

  it("asks GET /me again after it failed, instead of remembering the failure for the client's life", async () => {
    const scope = hackmd().get("/v1/me").reply(401, { error: "Unauthorized" }).get("/v1/me").reply(200, me());
    const { client } = testClient();

    expect(await caught(client.me())).toMatchObject({ kind: "not-configured", status: 401 });
    expect(await client.me()).toEqual({ userPath: "Bk8aWmZ1Sgm2cVb0Hq0Xyz" });
    expect(scope.isDone()).toBe(true);
  });
});
