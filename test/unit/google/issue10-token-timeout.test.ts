import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { once } from "node:events";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { failureKind } from "../../../src/alarms/causes.js";
import { createGoogleClients } from "../../../src/google/clients.js";
import { translateGoogleError } from "../../../src/google/errors.js";
import { FAST_RETRY, TOKEN_HOST, fakeCredentials } from "../../helpers/google.js";

/**
 * Issue 10 (every outside request has a timeout): the service account's token exchange with
 * oauth2.googleapis.com is a request of its own, made by the auth client before any Drive, Docs
 * or Calendar call. The API calls' timeout never reached it, so a token endpoint that accepts
 * the connection and never answers held the run for ever.
 */
let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A loopback token endpoint that reads each request and never answers it. */
async function silentTokenEndpoint(requests: IncomingMessage[]): Promise<string> {
  server = createServer((request) => {
    requests.push(request);
    request.resume();
  });
  server.on("connection", (socket) => sockets.add(socket));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("issue 10: the Google token exchange times out", () => {
  it("a token endpoint that never answers ends the Drive call in a clear error that says so, not a stall", async () => {
    const requests: IncomingMessage[] = [];
    const origin = await silentTokenEndpoint(requests);
    const credentials = await fakeCredentials();
    // Only the token exchange goes to the silent server; Drive is never reached without a token.
    const clients = await createGoogleClients(credentials, { rootUrls: { token: origin, drive: origin }, timeoutMs: 50, retry: FAST_RETRY });

    const error = await clients.drive.files.get({ fileId: "DOC1", fields: "id" }).then(
      () => null,
      (failure: unknown) => failure,
    );

    expect(error).not.toBeNull();
    // Whatever reached the server before the timeout was the token exchange (on a busy machine
    // the 50 ms may end before the request is even read: the count is not asserted).
    expect(requests.every((request) => request.method === "POST" && request.url === "/token")).toBe(true);
    const translated = translateGoogleError(error, { actor: credentials.clientEmail, action: "read the minutes doc" });
    expect(translated.message).toBe("Google's token service (oauth2.googleapis.com) did not answer within 50 ms; the next run tries again");
    expect(translated.kind).toBe("unavailable");
    // The alarms count it as temporary, like an unreachable GitHub.
    expect(failureKind(translated, { meetingStart: new Date() })).toBe("temporary");
  }, 20_000);

  it("at Google's own token URL too: a token exchange that never answers is not taken for a refused key", async () => {
    let asked = 0;
    // Answered never: the callback is not called.
    const scope = nock(TOKEN_HOST)
      .post("/token")
      .reply(() => {
        asked++;
        return new Promise<never>(() => undefined);
      });
    const credentials = await fakeCredentials();
    const clients = await createGoogleClients(credentials, { timeoutMs: 50, retry: FAST_RETRY });

    const error = await clients.drive.files.get({ fileId: "DOC1", fields: "id" }).then(
      () => null,
      (failure: unknown) => failure,
    );

    expect(asked).toBe(1);
    expect(scope.isDone()).toBe(true);
    const translated = translateGoogleError(error, { actor: credentials.clientEmail, action: "read the minutes doc" });
    expect(translated.message).toBe("Google's token service (oauth2.googleapis.com) did not answer within 50 ms; the next run tries again");
  }, 20_000);
});
