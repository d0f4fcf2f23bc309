import { describe, expect, it } from "vitest";
import { requestedWaitMs } from "../../src/hackmd/retry.js";
import { hackmd, NOTE_ID, teamNote, testClient } from "../unit/hackmd/hackmd-kit.js";

/**
 * Who does it: HackMD, or whatever answers at its address, rate-limiting the App with a
 * Retry-After the client misread. Only whole seconds were read as seconds; anything else went
 * to Date.parse, which V8 lets read "1.5" as 5 January 2001 and "3 " as 1 March 2001: a wait in
 * the past, so the App retried at once, three times, spending the token's 100 calls per five
 * minutes on a service that had asked it to wait. Fractions are now seconds (rounded up), and
 * only text with letters is read as an HTTP date (as the chat gateway reads it).
 */
describe("issue 14, adversarial: HackMD's Retry-After, read as asked", () => {
  const now = Date.parse("2026-12-03T07:00:00Z");
  it.each([
    ["1.5", 1500],
    ["0.25", 250],
    ["2.0001", 2001],
    ["7", 7000],
    ["Thu, 03 Dec 2026 07:00:30 GMT", 30_000],
  ])("Retry-After: %s waits %i ms", (value, ms) => {
    expect(requestedWaitMs(new Headers({ "retry-after": value }), now)).toBe(ms);
  });

  it.each(["-1", "1.5.2", "0x10", "soon"])("Retry-After: %s is no wait at all (the client backs off on its own)", (value) => {
    expect(requestedWaitMs(new Headers({ "retry-after": value }), now)).toBeNull();
  });

  it("a 429 asking for 1.5 s is waited out for 1.5 s before the one retry", async () => {
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(429, {}, { "Retry-After": "1.5" }).get(`/v1/notes/${NOTE_ID}`).reply(200, teamNote());
    const { client, sleeps } = testClient();
    await client.getNote(NOTE_ID);
    expect(sleeps).toEqual([1500]);
    expect(scope.isDone()).toBe(true);
  });
});
