import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadChat } from "../../../src/chat/load-chat.js";
import { withDeadline } from "../../../src/github/request-deadline.js";
import { chatEnv, chatError, DISCORD_TOKEN, recordedSleeps, SLACK_SECRET } from "./fixtures.js";

const SLACK_PATH = `/services/T0ACME123/B0WGBOT45/${SLACK_SECRET}`;
const DISCORD_PATH = `/api/webhooks/112233445566778899/${DISCORD_TOKEN}`;

describe("loadChat", () => {
  it("is null when WG_MEETINGS_CHAT is unset, empty or {}", () => {
    expect(loadChat({})).toBeNull();
    expect(loadChat({ WG_MEETINGS_CHAT: "  " })).toBeNull();
    expect(loadChat({ WG_MEETINGS_CHAT: "{}" })).toBeNull();
  });

  it("destination(): name and service only, for an owner the entry lists (any case); null for a name nobody configured", () => {
    const chat = loadChat(chatEnv())!;
    expect(chat.destination("acme-slack", "acme")).toEqual({ name: "acme-slack", service: "slack" });
    expect(chat.destination("acme-discord", "acme")).toEqual({ name: "acme-discord", service: "discord" });
    expect(chat.destination("acme-matrix", "OpenJS")).toEqual({ name: "acme-matrix", service: "matrix" });
    expect(chat.destination("acme-zulip", "ACME")).toEqual({ name: "acme-zulip", service: "zulip" });
    expect(chat.destination("everyone-slack", "anybody")).toEqual({ name: "everyone-slack", service: "slack" });
    expect(chat.destination("nobody-has-this", "acme")).toBeNull();
    // The gateway hands out no secret.
    expect(JSON.stringify(chat.destination("acme-slack", "acme"))).not.toContain("hooks.slack.com");
  });

  it("another owner's destination is `not-allowed`, in destination() and in send(), before any request", async () => {
    const chat = loadChat(chatEnv())!;
    let thrown: unknown;
    try {
      chat.destination("acme-slack", "mallory");
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ name: "ChatError", kind: "not-allowed" });
    const error = await chatError(chat.send("acme-slack", "mallory", { text: "spam" }));
    expect(error.kind).toBe("not-allowed");
    expect(error.message).toBe(`chat destination "acme-slack" is not open to mallory: ask the App's operator to add mallory to its owners in WG_MEETINGS_CHAT`);
    // It says nothing of who may use it.
    expect(error.message).not.toMatch(/acme\b(?!-)/);
    // No interceptor was set up: a request would have failed the send with another kind.
  });

  it("sending to a name nobody configured is `not-configured`", async () => {
    const error = await chatError(loadChat(chatEnv())!.send("typo-slack", "acme", { text: "hi" }));
    expect(error.kind).toBe("not-configured");
    expect(error.message).toMatch(/^no chat destination named "typo-slack" is configured: the App's operator sets WG_MEETINGS_CHAT/);
  });

  it("429 again and again: tried maxTries times, then `rate-limited` (nothing was posted)", async () => {
    const scope = nock("https://hooks.slack.com").post(SLACK_PATH).times(3).reply(429, "rate_limited", { "retry-after": "1" });
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat(chatEnv(), { sleep, maxTries: 3 })!.send("acme-slack", "acme", { text: "hi" }));
    expect([error.kind, error.status, error.mayHavePosted]).toEqual(["rate-limited", 429, false]);
    expect(error.message).toBe(`Slack rate-limited chat destination "acme-slack" (429 rate_limited) for 1 s; the next run tries again`);
    expect(waits).toEqual([1000, 1000]);
    expect(scope.isDone()).toBe(true);
  });

  it("a Retry-After longer than the cap is not waited out: the next run tries", async () => {
    const scope = nock("https://hooks.slack.com").post(SLACK_PATH).reply(429, "rate_limited", { "retry-after": "120" });
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat(chatEnv(), { sleep, maxRetryAfterMs: 30_000 })!.send("acme-slack", "acme", { text: "hi" }));
    expect(error.kind).toBe("rate-limited");
    expect(error.message).toContain("for 120 s; the next run tries again");
    expect(waits).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("Retry-After as an HTTP date is read too", async () => {
    const now = Date.parse("2026-12-03T07:00:00Z");
    const scope = nock("https://hooks.slack.com").post(SLACK_PATH).reply(429, "", { "retry-after": "Thu, 03 Dec 2026 07:00:04 GMT" }).post(SLACK_PATH).reply(200, "ok");
    const { sleep, waits } = recordedSleeps();
    await loadChat(chatEnv(), { sleep, now: () => now })!.send("acme-slack", "acme", { text: "hi" });
    expect(waits).toEqual([4000]);
    expect(scope.isDone()).toBe(true);
  });

  it("a service that does not answer in time: `unavailable`, may have posted, not repeated for a webhook", async () => {
    // The reply is held far longer than the timeout; the timeout ends the request.
    const scope = nock("https://discord.com").post(DISCORD_PATH).delay(600_000).reply(204);
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat(chatEnv(), { sleep, timeoutMs: 50 })!.send("acme-discord", "acme", { text: "hi" }));
    expect([error.kind, error.status, error.mayHavePosted]).toEqual(["unavailable", undefined, true]);
    expect(error.message).toBe(`Discord did not answer within 50 ms for chat destination "acme-discord"; the next run tries again`);
    expect(waits).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("the run's deadline ends a post too", async () => {
    const scope = nock("https://discord.com").post(DISCORD_PATH).delay(600_000).reply(204);
    const deadline = new AbortController();
    const chat = loadChat(chatEnv(), recordedSleeps())!;
    const sending = withDeadline(deadline.signal, () => chat.send("acme-discord", "acme", { text: "hi" }));
    setImmediate(() => deadline.abort());
    const error = await chatError(sending);
    expect(error.message).toBe(`the run's time ran out while posting to chat destination "acme-discord" (Discord); the next run tries again`);
    expect(scope.isDone()).toBe(true);
  });

  it("a run already out of time posts nothing", async () => {
    const deadline = new AbortController();
    deadline.abort();
    const chat = loadChat(chatEnv(), recordedSleeps())!;
    const error = await chatError(withDeadline(deadline.signal, () => chat.send("acme-discord", "acme", { text: "hi" })));
    expect([error.kind, error.mayHavePosted]).toEqual(["unavailable", false]);
    expect(error.message).toBe(`the run's time ran out before posting to chat destination "acme-discord" (Discord); the next run tries again`);
  });

  it("a redirect is not followed: `failed`, and the Location is neither requested nor repeated", async () => {
    const scope = nock("https://hooks.slack.com").post(SLACK_PATH).reply(302, "", { location: "https://elsewhere.example/collect?u=x" });
    const error = await chatError(loadChat(chatEnv())!.send("acme-slack", "acme", { text: "hi" }));
    expect([error.kind, error.status]).toEqual(["failed", 302]);
    expect(error.message).toBe(`Slack answered chat destination "acme-slack" with a redirect (302), which the App does not follow: check the destination's settings in WG_MEETINGS_CHAT`);
    expect(error.message).not.toContain("elsewhere");
    expect(scope.isDone()).toBe(true);
  });

  it("a connection that was never made is retried (nothing can have been posted), then `unavailable`", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(`connect ECONNREFUSED https://hooks.slack.com${SLACK_PATH}`), { code: "ECONNREFUSED" }) });
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request): Promise<Response> => {
      urls.push(String(input));
      throw refused;
    };
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat(chatEnv(), { fetch: fetch as typeof globalThis.fetch, sleep })!.send("acme-slack", "acme", { text: "hi" }));
    expect([error.kind, error.mayHavePosted]).toEqual(["unavailable", false]);
    expect(error.message).toBe(`Slack could not be reached for chat destination "acme-slack"; the next run tries again`);
    expect(urls).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it("a huge answer body is not read whole, and none of it reaches the error", async () => {
    const scope = nock("https://hooks.slack.com").post(SLACK_PATH).reply(400, `invalid_payload${"x".repeat(1_000_000)}`);
    const error = await chatError(loadChat(chatEnv())!.send("acme-slack", "acme", { text: "hi" }));
    expect(error.kind).toBe("rejected");
    expect(error.message).toBe(`Slack refused the post to chat destination "acme-slack" (400): Slack did not accept the message`);
    expect(scope.isDone()).toBe(true);
  });
});

describe("what the gateway refuses before any request", () => {
  it("an empty message is `failed` and posts nothing", async () => {
    const error = await chatError(loadChat(chatEnv())!.send("acme-slack", "acme", { text: " \n " }));
    expect(error.kind).toBe("failed");
    expect(error.message).toBe(`the message for chat destination "acme-slack" is empty, so the App posted nothing`);
  });
});

describe("WG_MEETINGS_CHAT_ROOT_URL (test and demo hook)", () => {
  it("sends every request to the loopback origin, path and query kept, credentials as for the service", async () => {
    const scope = nock("http://127.0.0.1:4020")
      .post(SLACK_PATH, { text: "hi" })
      .reply(200, "ok")
      .put(/^\/_matrix\/client\/v3\/rooms\/!wgRoom123%3Amatrix\.org\/send\/m\.room\.message\/wgm-[0-9a-f]{40}$/)
      .matchHeader("authorization", /^Bearer syt_/)
      .reply(200, { event_id: "$e:matrix.org" });
    const chat = loadChat({ ...chatEnv(), WG_MEETINGS_CHAT_ROOT_URL: "http://127.0.0.1:4020/" })!;
    await chat.send("acme-slack", "acme", { text: "hi" });
    await chat.send("acme-matrix", "acme", { text: "hi" });
    expect(scope.isDone()).toBe(true);
  });

  it.each(["https://hooks.example.org", "http://10.0.0.5:4020", "http://127.0.0.1:4020/prefix", "ftp://127.0.0.1"])("%s is refused: secrets go to this machine or to the service only", (value) => {
    expect(() => loadChat({ ...chatEnv(), WG_MEETINGS_CHAT_ROOT_URL: value })).toThrow(
      "WG_MEETINGS_CHAT_ROOT_URL: expected a loopback origin such as http://127.0.0.1:4020 (a test and demo hook)",
    );
  });
});
