import nock from "nock";
import { describe, expect, it } from "vitest";
import { DISCORD_MAX_CHARS } from "../../../src/chat/discord.js";
import { loadChat } from "../../../src/chat/load-chat.js";
import { chatEnv, chatError, DISCORD_TOKEN, DISCORD_URL, recordedSleeps } from "./fixtures.js";

const HOOK_PATH = `/api/webhooks/112233445566778899/${DISCORD_TOKEN}`;

describe("Discord webhook", () => {
  it("posts {content, allowed_mentions: {parse: []}} as JSON to the webhook; Discord answers 204", async () => {
    const bodies: unknown[] = [];
    const scope = nock("https://discord.com")
      .post(HOOK_PATH, (body) => {
        bodies.push(body);
        return true;
      })
      .matchHeader("content-type", "application/json")
      .reply(204);
    await loadChat(chatEnv())!.send("acme-discord", "ACME", {
      text: "**Security WG** meets [Thursday](https://github.com/acme/wg/issues/12)\n- @everyone and @here are not pinged\n- <@&123456> neither",
    });
    expect(bodies).toEqual([
      {
        content: "**Security WG** meets [Thursday](https://github.com/acme/wg/issues/12)\n- @\u200Beveryone and @\u200Bhere are not pinged\n- <@&123456> neither",
        allowed_mentions: { parse: [] },
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("the older discordapp.com host works the same", async () => {
    const scope = nock("https://discordapp.com").post(HOOK_PATH, { content: "hi", allowed_mentions: { parse: [] } }).reply(204);
    const env = chatEnv({ old: { service: "discord", url: DISCORD_URL.replace("discord.com", "discordapp.com"), owners: ["acme"] } });
    await loadChat(env)!.send("old", "acme", { text: "hi" });
    expect(scope.isDone()).toBe(true);
  });

  it(`a long message is cut to ${DISCORD_MAX_CHARS} characters, ending with a visible "…"`, async () => {
    let content = "";
    const scope = nock("https://discord.com")
      .post(HOOK_PATH, (body: { content: string }) => {
        content = body.content;
        return true;
      })
      .reply(204);
    const text = `**Agenda**\n${Array.from({ length: 200 }, (_, i) => `- item ${i}: [issue ${i}](https://github.com/acme/wg/issues/${i})`).join("\n")}`;
    await loadChat(chatEnv())!.send("acme-discord", "acme", { text });
    expect(content.length).toBeLessThanOrEqual(DISCORD_MAX_CHARS);
    expect(content.length).toBeGreaterThan(DISCORD_MAX_CHARS - 80);
    expect(content.startsWith("**Agenda**\n- item 0: [issue 0](https://github.com/acme/wg/issues/0)\n")).toBe(true);
    expect(content.endsWith("…")).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it("429 with Retry-After is waited out, then the post goes through", async () => {
    const scope = nock("https://discord.com")
      .post(HOOK_PATH)
      .reply(429, { message: "You are being rate limited.", retry_after: 1.2, global: false }, { "retry-after": "2" })
      .post(HOOK_PATH)
      .reply(204);
    const { sleep, waits } = recordedSleeps();
    await loadChat(chatEnv(), { sleep })!.send("acme-discord", "acme", { text: "hi" });
    expect(waits).toEqual([2000]);
    expect(scope.isDone()).toBe(true);
  });

  it("429 without the header: Discord's body says how long (retry_after, seconds)", async () => {
    const scope = nock("https://discord.com").post(HOOK_PATH).reply(429, { message: "You are being rate limited.", retry_after: 0.35, global: false }).post(HOOK_PATH).reply(204);
    const { sleep, waits } = recordedSleeps();
    await loadChat(chatEnv(), { sleep })!.send("acme-discord", "acme", { text: "hi" });
    expect(waits).toEqual([350]);
    expect(scope.isDone()).toBe(true);
  });

  it("503 says nothing was done: retried even for a webhook until the tries run out, then `unavailable`, nothing posted", async () => {
    const scope = nock("https://discord.com")
      .post(HOOK_PATH)
      .reply(503, "upstream connect error")
      .post(HOOK_PATH)
      .reply(503, "upstream connect error", { "retry-after": "3" })
      .post(HOOK_PATH)
      .reply(503, "upstream connect error");
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat(chatEnv(), { sleep })!.send("acme-discord", "acme", { text: "hi" }));
    expect([error.kind, error.status, error.mayHavePosted]).toEqual(["unavailable", 503, false]);
    expect(error.message).toBe(`Discord is unavailable (503) for chat destination "acme-discord"; the next run tries again`);
    expect(waits).toEqual([1000, 3000]);
    expect(scope.isDone()).toBe(true);
  });

  it("502 and 504 may come after the post went out: tried once", async () => {
    for (const status of [502, 504]) {
      const scope = nock("https://discord.com").post(HOOK_PATH).reply(status);
      const error = await chatError(loadChat(chatEnv(), recordedSleeps())!.send("acme-discord", "acme", { text: "hi" }));
      expect([error.kind, error.status, error.mayHavePosted]).toEqual(["unavailable", status, true]);
      expect(scope.isDone()).toBe(true);
    }
  });

  it("a deleted webhook (404 Unknown Webhook) is `rejected`; the error has neither the token nor Discord's words", async () => {
    const scope = nock("https://discord.com").post(HOOK_PATH).reply(404, { message: "Unknown Webhook", code: 10015 });
    const error = await chatError(loadChat(chatEnv())!.send("acme-discord", "acme", { text: "hi" }));
    expect(error.kind).toBe("rejected");
    expect(error.message).toBe(
      `Discord refused the post to chat destination "acme-discord" (404 code 10015): the webhook was probably deleted or its token changed: ask the App's operator to renew the destination's webhook`,
    );
    expect(scope.isDone()).toBe(true);
  });

  it("a wrong token (401 Invalid Webhook Token) is `rejected`", async () => {
    const scope = nock("https://discord.com").post(HOOK_PATH).reply(401, { message: "Invalid Webhook Token", code: 50027 });
    const error = await chatError(loadChat(chatEnv())!.send("acme-discord", "acme", { text: "hi" }));
    expect([error.kind, error.status]).toEqual(["rejected", 401]);
    expect(scope.isDone()).toBe(true);
  });
});
