import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChatStandin, type ChatStandin } from "../../e2e/harness/chat-standin.js";

/**
 * The chat receiver the demo and e2e tests point the App's destinations at: it must take what
 * each service takes, answer as it answers, and record who received what.
 */
let chat: ChatStandin;
beforeAll(async () => {
  chat = await startChatStandin();
});
afterAll(async () => {
  await chat?.close();
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("chat stand-in: Slack incoming webhook", () => {
  it("records the text and answers 200 ok; an unknown hook is 404 no_service; no text is 400 invalid_payload", async () => {
    const hook = chat.slackHook("nodejs-slack");
    if (hook.service !== "slack") throw new Error("not a Slack entry");
    // Shaped as WG_MEETINGS_CHAT requires in production; the stand-in answers at its own origin.
    expect(hook.url).toMatch(/^https:\/\/hooks\.slack\.com\/services\/T[A-F0-9]+\/B[A-F0-9]+\/[a-f0-9]+$/);
    const ok = await post(chat.local(hook.url), { text: "*Node.js Security team Meeting 2024-10-24* opened: <https://github.com/nodejs/security-wg/issues/1|#1>" });
    expect([ok.status, await ok.text()]).toEqual([200, "ok"]);
    expect(chat.to("nodejs-slack")).toEqual([expect.objectContaining({ service: "slack", text: expect.stringContaining("opened") })]);

    const unknown = await post(`${chat.url}/services/TXXXX/BXXXX/nope`, { text: "x" });
    expect([unknown.status, await unknown.text()]).toEqual([404, "no_service"]);
    const bad = await post(chat.local(hook.url), { content: "discord-shaped" });
    expect([bad.status, await bad.text()]).toEqual([400, "invalid_payload"]);
    chat.rejected.length = 0;
  });

  it("failNext(429) answers rate_limited with Retry-After once, then accepts", async () => {
    const hook = chat.slackHook("flaky-slack");
    if (hook.service !== "slack") throw new Error("not a Slack entry");
    chat.failNext("flaky-slack", 429);
    const limited = await post(chat.local(hook.url), { text: "first" });
    expect([limited.status, limited.headers.get("retry-after"), await limited.text()]).toEqual([429, "1", "rate_limited"]);
    expect((await post(chat.local(hook.url), { text: "second" })).status).toBe(200);
    expect(chat.to("flaky-slack").map((m) => m.text)).toEqual(["second"]);
  });
});

describe("chat stand-in: Discord, Zulip, Matrix", () => {
  it("Discord: 204, or 200 with the message when wait=true", async () => {
    const hook = chat.discordHook("nodejs-discord");
    if (hook.service !== "discord") throw new Error("not a Discord entry");
    expect(hook.url).toMatch(/^https:\/\/discord\.com\/api\/webhooks\/\d+\/[a-f0-9]+$/);
    expect((await post(chat.local(hook.url), { content: "Meeting opened" })).status).toBe(204);
    const waited = await post(chat.local(`${hook.url}?wait=true`), { content: "Reminder" });
    expect(waited.status).toBe(200);
    expect(await waited.json()).toMatchObject({ content: "Reminder" });
    expect(chat.to("nodejs-discord").map((m) => m.text)).toEqual(["Meeting opened", "Reminder"]);
  });

  it("Zulip: Basic auth, form-encoded stream message; a wrong key is 401", async () => {
    const bot = chat.zulipBot("nodejs-zulip", "security-wg", "meetings");
    if (bot.service !== "zulip") throw new Error("not a Zulip entry");
    const form = new URLSearchParams({ type: "stream", to: bot.stream, topic: bot.topic, content: "Meeting moved" });
    const auth = (key: string) => `Basic ${Buffer.from(`${bot.email}:${key}`).toString("base64")}`;
    const sent = await fetch(chat.local(`${bot.site}/api/v1/messages`), { method: "POST", headers: { authorization: auth(bot.key), "content-type": "application/x-www-form-urlencoded" }, body: form });
    expect(await sent.json()).toMatchObject({ result: "success", msg: "" });
    expect(chat.to("nodejs-zulip")).toEqual([expect.objectContaining({ text: "Meeting moved", where: "security-wg > meetings" })]);
    const wrong = await fetch(chat.local(`${bot.site}/api/v1/messages`), { method: "POST", headers: { authorization: auth("wrong"), "content-type": "application/x-www-form-urlencoded" }, body: form });
    expect(wrong.status).toBe(401);
  });

  it("Matrix: PUT with a transaction id; the same id again posts nothing more", async () => {
    const room = chat.matrixRoom("nodejs-matrix");
    if (room.service !== "matrix") throw new Error("not a Matrix entry");
    const put = (txn: string) =>
      fetch(chat.local(`${room.homeserver}/_matrix/client/v3/rooms/${encodeURIComponent(room.room)}/send/m.room.message/${txn}`), {
        method: "PUT",
        headers: { authorization: `Bearer ${room.token}`, "content-type": "application/json" },
        body: JSON.stringify({ msgtype: "m.text", body: "Minutes merged", format: "org.matrix.custom.html", formatted_body: "<p>Minutes merged</p>" }),
      });
    const first = (await (await put("merged-1")).json()) as { event_id: string };
    const again = (await (await put("merged-1")).json()) as { event_id: string };
    expect(again.event_id).toBe(first.event_id);
    expect(chat.to("nodejs-matrix")).toHaveLength(1);
  });

  it("nothing was refused for its shape", () => {
    expect(chat.rejected).toEqual([]);
  });
});
