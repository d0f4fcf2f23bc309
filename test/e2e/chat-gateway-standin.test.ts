import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChat } from "../../src/chat/load-chat.js";
import type { ChatGateway } from "../../src/chat/types.js";
import { startChatStandin, type ChatStandin } from "../../e2e/harness/chat-standin.js";

/**
 * The App's chat gateway (src/chat/) against the chat receiver the demo and the e2e lifecycle
 * use, one destination per service: WG_MEETINGS_CHAT as the stand-in makes it (production
 * shapes, which the gateway validates as it would in production), and the gateway's own
 * `fetch` option (its test hook) sending each request to the stand-in's origin with its path,
 * headers and body unchanged. A contract test in both directions: what the gateway sends, the
 * stand-in (checking each service's shape) accepts; what the stand-in answers, the gateway
 * reads as a success, or as the failure it is.
 */
let chat: ChatStandin;
let gateway: ChatGateway;
const slept: number[] = [];

beforeAll(async () => {
  chat = await startChatStandin();
  const entries = {
    "acme-slack": { ...chat.slackHook("acme-slack"), owners: ["acme"] },
    "acme-discord": { ...chat.discordHook("acme-discord"), owners: ["acme"] },
    "acme-zulip": { ...chat.zulipBot("acme-zulip", "meetings", "acme-wg"), owners: ["acme"] },
    "acme-matrix": { ...chat.matrixRoom("acme-matrix"), owners: ["acme"] },
  };
  const toStandin: typeof fetch = (input, init) => fetch(chat.local(String(input)), init);
  gateway = loadChat({ WG_MEETINGS_CHAT: JSON.stringify(entries) }, { fetch: toStandin, sleep: async (ms) => void slept.push(ms) })!;
});
afterAll(async () => {
  await chat?.close();
});

const MESSAGE = {
  text: "**Acme Working Group Meeting 2026-12-10** is on Thu 10 Dec 2026 12:00 UTC.\n\n- Agenda: [meeting issue](https://github.com/acme/meetings/issues/1)\n- Notes: [minutes doc](https://hackmd.io/abc)",
  key: "acme/meetings#1 opened",
};

describe("the App's chat gateway against the chat receiver", () => {
  it.each(["acme-slack", "acme-discord", "acme-zulip", "acme-matrix"])("%s: one post, accepted, with the issue's link in the text", async (name) => {
    await gateway.send(name, "acme", { ...MESSAGE, key: `${MESSAGE.key}:${name}` });
    const received = chat.to(name);
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toContain("https://github.com/acme/meetings/issues/1");
    expect(received[0]!.text).toContain("Acme Working Group Meeting 2026-12-10");
    expect(chat.rejected).toEqual([]);
  });

  it("Matrix: the same announcement sent again is the same transaction, and the room gets nothing more", async () => {
    await gateway.send("acme-matrix", "acme", { ...MESSAGE, key: `${MESSAGE.key}:acme-matrix` });
    expect(chat.to("acme-matrix")).toHaveLength(1);
  });

  it("a 429 with Retry-After is waited out and the post then goes through", async () => {
    chat.failNext("acme-slack", 429);
    slept.length = 0;
    await gateway.send("acme-slack", "acme", { text: "after the limit" });
    expect(slept).toEqual([1_000]);
    expect(chat.to("acme-slack").at(-1)!.text).toBe("after the limit");
  });

  it("a webhook's server error is not retried (it may have posted) and fails `unavailable` without the URL", async () => {
    chat.failNext("acme-discord", 500);
    const before = chat.requests.length;
    const error = await gateway.send("acme-discord", "acme", { text: "lost?" }).then(
      () => null,
      (e: unknown) => e as { kind: string; message: string },
    );
    expect(error).toMatchObject({ kind: "unavailable" });
    expect(error!.message).not.toContain("/api/webhooks/");
    expect(chat.requests.length - before).toBe(1);
  });

  it("another owner's repository cannot post to acme's destinations: nothing reaches the receiver", async () => {
    const before = chat.requests.length;
    await expect(gateway.send("acme-slack", "mallory", { text: "spam" })).rejects.toMatchObject({ kind: "not-allowed" });
    expect(chat.requests.length).toBe(before);
  });
});
