import nock from "nock";
import { describe, expect, it } from "vitest";
import { DISCORD_MAX_CHARS } from "../../../src/chat/discord.js";
import { loadChat } from "../../../src/chat/load-chat.js";
import { chatEnv, DISCORD_TOKEN } from "./fixtures.js";

/** Issue 14: a message cut to a service's limit keeps every character whole, whatever the limit's parity. */
describe("a long message cut for the service", () => {
  it("never ends a Discord post with half of an emoji, when the limit falls inside one", async () => {
    let content = "";
    const scope = nock("https://discord.com")
      .post(`/api/webhooks/112233445566778899/${DISCORD_TOKEN}`, (body: { content: string }) => ((content = body.content), true))
      .reply(204);

    // 1,500 emoji are 3,000 UTF-16 units: 1,999 of them and "…" would be exactly Discord's 2,000.
    await loadChat(chatEnv())!.send("acme-discord", "acme", { text: "🎉".repeat(1500) });

    expect(content).toBe(`${"🎉".repeat(999)}…`);
    expect(content.length).toBeLessThanOrEqual(DISCORD_MAX_CHARS);
    expect(scope.isDone()).toBe(true);
  });
});
