import nock from "nock";
import { describe, expect, it } from "vitest";
import { withDeadline } from "../../src/github/request-deadline.js";
import { HackmdError } from "../../src/hackmd/errors.js";
import { caught, everyRendering, hackmd, NOTE_ID, testClient, TOKEN } from "../unit/hackmd/hackmd-kit.js";

/**
 * Who does it: HackMD answering slowly (or not at all) during a tick. Each installation's part
 * of a tick has a deadline (5 minutes) that ends its GitHub requests and chat posts at once, so
 * the tick moves on and says so. The HackMD client ignored it: a GET that does not answer was
 * retried up to three times at 30 s each, and a look-up reads the list and up to five notes, so
 * one meeting's note could keep HackMD calls running for many minutes after the tick had given
 * the installation up, spending the token's 100 calls per five minutes in the background and
 * piling up with the next tick's. The client now ends its request, and tries no more, when the
 * run's deadline passes, with a public-safe error.
 */
describe("issue 14, adversarial: the HackMD client keeps to the run's deadline", () => {
  it("a request in flight when the deadline passes ends, and is not retried", async () => {
    const deadline = new AbortController();
    let asked = 0;
    const scope = hackmd()
      .persist()
      .get(`/v1/notes/${NOTE_ID}`)
      .reply(() => {
        asked++;
        deadline.abort(new DOMException("the installation's deadline passed", "AbortError"));
        // HackMD takes longer than the client waits: only the client's timeout would end it.
        return new Promise(() => undefined) as never;
      });
    const { client, sleeps } = testClient({ timeoutMs: 200 });

    const error = await caught(withDeadline(deadline.signal, () => client.getNote(NOTE_ID)));

    expect(asked).toBe(1);
    expect(sleeps).toEqual([]);
    expect(error).toBeInstanceOf(HackmdError);
    expect((error as HackmdError).kind).toBe("unavailable");
    expect((error as HackmdError).message).toBe(`the run's time ran out while the App asked HackMD to read note ${NOTE_ID}; the next run tries again`);
    expect(everyRendering(error)).not.toContain(TOKEN);
    scope.persist(false);
    nock.abortPendingRequests();
  });

  it("after the deadline nothing more is asked", async () => {
    const deadline = new AbortController();
    deadline.abort(new DOMException("the installation's deadline passed", "AbortError"));
    const scope = hackmd().get(`/v1/notes/${NOTE_ID}`).reply(200, {});
    const { client } = testClient();

    const error = await caught(withDeadline(deadline.signal, () => client.createNote("nodejs-security", { title: "T", content: "# T\n", readPermission: "guest", writePermission: "signed_in", commentPermission: "signed_in_users" })));

    expect((error as HackmdError).kind).toBe("unavailable");
    expect((error as HackmdError).mayHaveHappened).toBe(false);
    expect((error as HackmdError).message).toMatch(/^the run's time ran out before the App asked HackMD to create the minutes note in HackMD team nodejs-security; the next run tries again$/);
    expect(scope.isDone()).toBe(false);
  });
});
