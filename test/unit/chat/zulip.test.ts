import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadChat } from "../../../src/chat/load-chat.js";
import { toZulipText, ZULIP_MAX_BYTES } from "../../../src/chat/zulip.js";
import { chatEnv, chatError, recordedSleeps, ZULIP_KEY } from "./fixtures.js";

const AUTH = `Basic ${Buffer.from(`wg-bot@acme.zulipchat.com:${ZULIP_KEY}`).toString("base64")}`;

function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

describe("Zulip bot API", () => {
  it("POSTs type=stream, to, topic and content, form-encoded, with the bot's Basic credentials", async () => {
    const bodies: string[] = [];
    const scope = nock("https://acme.zulipchat.com", { reqheaders: { authorization: AUTH, "content-type": "application/x-www-form-urlencoded" } })
      .post("/api/v1/messages", (body: unknown) => {
        bodies.push(typeof body === "string" ? body : new URLSearchParams(body as Record<string, string>).toString());
        return true;
      })
      .reply(200, { result: "success", msg: "", id: 42 });
    await loadChat(chatEnv())!.send("acme-zulip", "acme", { text: "**Security WG** meets [Thursday](https://github.com/acme/wg/issues/12) & @**all** / @_**Jane Doe** / @*chairs*" });
    expect(bodies.map(form)).toEqual([
      {
        type: "stream",
        to: "wg meetings",
        topic: "announcements",
        content: "**Security WG** meets [Thursday](https://github.com/acme/wg/issues/12) & @\u200B**all** / @\u200B_**Jane Doe** / @\u200B*chairs*",
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("an @ just before bold text does not become Zulip's mention syntax", () => {
    expect(toZulipText("ping @**everyone**")).toBe("ping @\u200B**everyone**");
    expect(toZulipText("write to wg@here.example or @topic")).toBe("write to wg@here.example or @\u200Btopic");
  });

  it("a message cannot start a Zulip command (/poll, /todo, /me)", () => {
    expect(toZulipText("/poll Which day?\nMonday")).toBe("\u200B/poll Which day?\nMonday");
    expect(toZulipText("a /me b")).toBe("a /me b");
  });

  it("a stream that does not exist (400 STREAM_DOES_NOT_EXIST) is `rejected`; Zulip's msg is not repeated", async () => {
    const scope = nock("https://acme.zulipchat.com")
      .post("/api/v1/messages")
      .reply(400, { result: "error", msg: "Channel 'wg meetings' does not exist", code: "STREAM_DOES_NOT_EXIST", stream: "wg meetings" });
    const error = await chatError(loadChat(chatEnv())!.send("acme-zulip", "acme", { text: "hi" }));
    expect(error.kind).toBe("rejected");
    expect(error.message).toBe(
      `Zulip refused the post to chat destination "acme-zulip" (400 STREAM_DOES_NOT_EXIST): Zulip refused the stream or topic (does the stream exist, and may the bot post there?)`,
    );
    expect(scope.isDone()).toBe(true);
  });

  it("a wrong API key (401) is `rejected`", async () => {
    const scope = nock("https://acme.zulipchat.com").post("/api/v1/messages").reply(401, { result: "error", msg: "Invalid API key", code: "UNAUTHORIZED" });
    const error = await chatError(loadChat(chatEnv())!.send("acme-zulip", "acme", { text: "hi" }));
    expect([error.kind, error.status]).toEqual(["rejected", 401]);
    expect(error.message).toContain("Zulip refused the bot's email and API key");
    expect(scope.isDone()).toBe(true);
  });

  it("429 with Retry-After is waited out and tried again", async () => {
    const scope = nock("https://acme.zulipchat.com")
      .post("/api/v1/messages")
      .reply(429, { result: "error", msg: "API usage exceeded rate limit", code: "RATE_LIMIT_HIT", "retry-after": 0.5 }, { "retry-after": "1" })
      .post("/api/v1/messages")
      .reply(200, { result: "success", msg: "", id: 43 });
    const { sleep, waits } = recordedSleeps();
    await loadChat(chatEnv(), { sleep })!.send("acme-zulip", "acme", { text: "hi" });
    expect(waits).toEqual([1000]);
    expect(scope.isDone()).toBe(true);
  });

  it("a 200 that is not {result: success} is no success", async () => {
    const scope = nock("https://acme.zulipchat.com").post("/api/v1/messages").reply(200, "<html>login</html>");
    const error = await chatError(loadChat(chatEnv())!.send("acme-zulip", "acme", { text: "hi" }));
    expect(error.kind).toBe("failed");
    expect(scope.isDone()).toBe(true);
  });

  it(`content is cut to ${ZULIP_MAX_BYTES} bytes (multi-byte characters counted as bytes)`, async () => {
    let content = "";
    const scope = nock("https://acme.zulipchat.com")
      .post("/api/v1/messages", (body: unknown) => {
        content = form(typeof body === "string" ? body : new URLSearchParams(body as Record<string, string>).toString()).content ?? "";
        return true;
      })
      .reply(200, { result: "success", msg: "", id: 44 });
    await loadChat(chatEnv())!.send("acme-zulip", "acme", { text: "é".repeat(8000) });
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(ZULIP_MAX_BYTES);
    expect(content).toBe(`${"é".repeat(4998)}…`);
    expect(scope.isDone()).toBe(true);
  });
});
