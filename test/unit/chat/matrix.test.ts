import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadChat } from "../../../src/chat/load-chat.js";
import { matrixTransactionId, toMatrixBodies } from "../../../src/chat/matrix.js";
import type { MatrixDestination } from "../../../src/chat/destinations.js";
import { chatEnv, chatError, DESTINATIONS, MATRIX_TOKEN, recordedSleeps } from "./fixtures.js";

// encodeURIComponent leaves `!` as it is; the homeserver reads both spellings.
const ROOM_PATH = "/_matrix/client/v3/rooms/!wgRoom123%3Amatrix.org/send/m.room.message/";
const DESTINATION: MatrixDestination = { name: "acme-matrix", ...(DESTINATIONS["acme-matrix"] as Omit<MatrixDestination, "name">), owners: ["acme"] };

describe("Matrix client-server API", () => {
  const message = { text: "**Security WG** meets [Thursday <14:00>](https://github.com/acme/wg/issues/12?a=1&b=2)\n\n- fix <script>alert(1)</script>\n- @room is not pinged", key: "acme/wg#12 opened:acme-matrix" };
  const txnId = matrixTransactionId(DESTINATION, message);

  it("PUTs an m.notice with an escaped HTML body to /rooms/{roomId}/send/m.room.message/{txnId}, Bearer token", async () => {
    const bodies: unknown[] = [];
    const scope = nock("https://matrix.org", { reqheaders: { authorization: `Bearer ${MATRIX_TOKEN}`, "content-type": "application/json" } })
      .put(`${ROOM_PATH}${txnId}`, (body) => {
        bodies.push(body);
        return true;
      })
      .reply(200, { event_id: "$YUwRidLecu:matrix.org" });
    await loadChat(chatEnv())!.send("acme-matrix", "acme", message);
    expect(bodies).toEqual([
      {
        msgtype: "m.notice",
        body: "Security WG meets Thursday <14:00> (https://github.com/acme/wg/issues/12?a=1&b=2)\n\n• fix <script>alert(1)</script>\n• @\u200Broom is not pinged",
        format: "org.matrix.custom.html",
        formatted_body:
          '<p><strong>Security WG</strong> meets <a href="https://github.com/acme/wg/issues/12?a=1&amp;b=2">Thursday &lt;14:00&gt;</a></p><ul><li>fix &lt;script&gt;alert(1)&lt;/script&gt;</li><li>@\u200Broom is not pinged</li></ul>',
        "m.mentions": {},
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("the transaction id is the same for the same key (a repeat is the same event), different per key and destination", () => {
    expect(txnId).toMatch(/^wgm-[0-9a-f]{40}$/);
    expect(matrixTransactionId(DESTINATION, { ...message, text: "re-rendered" })).toBe(txnId);
    expect(matrixTransactionId(DESTINATION, { ...message, key: "acme/wg#12 cancelled:acme-matrix" })).not.toBe(txnId);
    expect(matrixTransactionId({ ...DESTINATION, name: "other" }, message)).not.toBe(txnId);
    // Without a key the text stands in.
    expect(matrixTransactionId(DESTINATION, { text: "a" })).toBe(matrixTransactionId(DESTINATION, { text: "a" }));
    expect(matrixTransactionId(DESTINATION, { text: "a" })).not.toBe(matrixTransactionId(DESTINATION, { text: "b" }));
  });

  it("server errors are retried with the same transaction id until the tries run out, then `unavailable`", async () => {
    const path = `${ROOM_PATH}${txnId}`;
    const scope = nock("https://matrix.org")
      .put(path)
      .reply(502, "<html>bad gateway</html>")
      .put(path)
      .reply(500, { errcode: "M_UNKNOWN", error: "Internal server error" })
      .put(path)
      .reply(503, { errcode: "M_UNKNOWN", error: "Service unavailable" });
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat(chatEnv(), { sleep, maxTries: 3 })!.send("acme-matrix", "acme", message));
    // The last answer (503) says nothing was done, but the 502 and 500 before it may have posted.
    expect([error.kind, error.status, error.mayHavePosted]).toEqual(["unavailable", 503, true]);
    expect(error.message).toBe(`Matrix is unavailable (503 M_UNKNOWN) for chat destination "acme-matrix"; the next run tries again`);
    expect(waits).toEqual([1000, 2000]);
    expect(scope.isDone()).toBe(true);
  });

  it("a refusal after a server error still says the first try may have posted", async () => {
    const path = `${ROOM_PATH}${txnId}`;
    const scope = nock("https://matrix.org").put(path).reply(500).put(path).reply(401, { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed." });
    const error = await chatError(loadChat(chatEnv(), recordedSleeps())!.send("acme-matrix", "acme", message));
    expect([error.kind, error.status, error.mayHavePosted]).toEqual(["rejected", 401, true]);
    expect(scope.isDone()).toBe(true);
  });

  it("a server error then success: posted once (the homeserver deduplicates by transaction id)", async () => {
    const path = `${ROOM_PATH}${txnId}`;
    const scope = nock("https://matrix.org").put(path).reply(504).put(path).reply(200, { event_id: "$abc:matrix.org" });
    const { sleep } = recordedSleeps();
    await loadChat(chatEnv(), { sleep })!.send("acme-matrix", "acme", message);
    expect(scope.isDone()).toBe(true);
  });

  it("429 M_LIMIT_EXCEEDED: retry_after_ms is waited out", async () => {
    const path = `${ROOM_PATH}${txnId}`;
    const scope = nock("https://matrix.org")
      .put(path)
      .reply(429, { errcode: "M_LIMIT_EXCEEDED", error: "Too Many Requests", retry_after_ms: 2500 })
      .put(path)
      .reply(200, { event_id: "$abc:matrix.org" });
    const { sleep, waits } = recordedSleeps();
    await loadChat(chatEnv(), { sleep })!.send("acme-matrix", "acme", message);
    expect(waits).toEqual([2500]);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [401, { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed.", soft_logout: false }, "Matrix refused the access token: ask the App's operator to renew it"],
    [403, { errcode: "M_FORBIDDEN", error: "User @wg-bot:matrix.org not in room !wgRoom123:matrix.org" }, "the account may not post in the room (has it joined, and may it send messages there?)"],
  ])("%i is `rejected`, with Matrix's errcode but not its words", async (status, body, hint) => {
    const scope = nock("https://matrix.org").put(`${ROOM_PATH}${txnId}`).reply(status, body);
    const error = await chatError(loadChat(chatEnv())!.send("acme-matrix", "acme", message));
    expect(error.kind).toBe("rejected");
    expect(error.message).toBe(`Matrix refused the post to chat destination "acme-matrix" (${status} ${body.errcode}): ${hint}`);
    expect(error.message).not.toContain("wg-bot");
    expect(scope.isDone()).toBe(true);
  });

  it("plain and HTML bodies: paragraphs, lists, bold and links; a link whose text is its URL is written once", () => {
    expect(toMatrixBodies("a\nb\n\n**c** [https://x.org](https://x.org)\n- d\n- e\nf")).toEqual({
      body: "a\nb\n\nc https://x.org\n• d\n• e\nf",
      formatted: '<p>a<br>b</p><p><strong>c</strong> <a href="https://x.org">https://x.org</a></p><ul><li>d</li><li>e</li></ul><p>f</p>',
    });
  });
});
