import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadChat } from "../../src/chat/load-chat.js";
import { chatEnv, chatError, recordedSleeps, DISCORD_URL, SLACK_URL } from "../unit/chat/fixtures.js";

/**
 * Who does it: a chat service that rate-limits the App for a long time (429 with
 * `Retry-After: 999999`), fails (5xx), or does not answer. A run posts one message per due key,
 * and a key is one meeting's moment for one destination: a tick with several open meetings,
 * series or reminders sending to one destination asked the service again for every key, each
 * time waiting out its timeout (10 s, three tries and their waits on Matrix) or being refused
 * again, ignoring the wait the service had just asked for. A slow destination so spent the
 * installation's deadline (5 minutes) that later repositories' meetings were not opened in
 * that tick, and a hanging webhook marked every message as posted although none was. The
 * gateway now rests a destination after such a failure (for the service's Retry-After when
 * it gave one, else a few minutes): the next posts to it fail at once, as temporary failures
 * that later runs retry, while the other destinations go on.
 */

const SLACK = new URL(SLACK_URL);
const DISCORD = new URL(DISCORD_URL);
const text = (n: number) => ({ text: `**Meeting ${n}** is on Thu 31 Oct 2024`, key: `acme/wg#${n} opened:acme-slack` });

describe("issue 14, adversarial: a destination that just failed is not asked again at once", () => {
  it("429 with Retry-After: 999999: one request, then every post to it fails at once for the wait (at most six hours); other destinations post", async () => {
    let clock = Date.parse("2026-12-03T07:00:00Z");
    const { sleep } = recordedSleeps();
    const chat = loadChat(chatEnv(), { sleep, maxTries: 3, now: () => clock })!;
    const slack = nock(SLACK.origin)
      .post(SLACK.pathname, { text: "*Meeting 1* is on Thu 31 Oct 2024" })
      .reply(429, "rate_limited", { "retry-after": "999999" });
    const discord = nock(DISCORD.origin)
      .post(DISCORD.pathname, (body: { content: string }) => /^\*\*Meeting \d\*\*/.test(body.content))
      .times(2)
      .reply(204);

    const first = await chatError(chat.send("acme-slack", "acme", text(1)));
    expect([first.kind, first.status, first.mayHavePosted]).toEqual(["rate-limited", 429, false]);
    // The next key for Slack: no request (nock would refuse one), the same kind, nothing posted.
    const second = await chatError(chat.send("acme-slack", "acme", text(2)));
    expect([second.kind, second.mayHavePosted]).toEqual(["rate-limited", false]);
    // The service's wait, capped at six hours (later runs back off on their own).
    expect(second.message).toBe(`Slack rate-limited chat destination "acme-slack" (429 rate_limited) for 999999 s; the App does not try chat destination "acme-slack" again before 2026-12-03T13:00:00Z`);
    await chat.send("acme-discord", "acme", { text: "**Meeting 1** is on Thu 31 Oct 2024" });
    await chat.send("acme-discord", "acme", { text: "**Meeting 2** is on Thu 31 Oct 2024" });
    expect(slack.isDone()).toBe(true);
    expect(discord.isDone()).toBe(true);

    // Once the rest is over, Slack is asked again.
    clock += 6 * 60 * 60_000;
    const again = nock(SLACK.origin).post(SLACK.pathname, { text: "*Meeting 3* is on Thu 31 Oct 2024" }).reply(200, "ok");
    await chat.send("acme-slack", "acme", text(3));
    expect(again.isDone()).toBe(true);
  });

  it("a webhook's 5xx: the next post to it within a few minutes fails at once (nothing posted, so a later run retries it); after the rest it is asked again", async () => {
    let clock = Date.parse("2026-12-03T07:00:00Z");
    const chat = loadChat(chatEnv(), { maxTries: 1, now: () => clock })!;
    const down = nock(DISCORD.origin).post(DISCORD.pathname).reply(502, { message: "Bad Gateway" });
    const first = await chatError(chat.send("acme-discord", "acme", { text: "one" }));
    expect([first.kind, first.status]).toEqual(["unavailable", 502]);
    const second = await chatError(chat.send("acme-discord", "acme", { text: "two" }));
    expect([second.kind, second.status, second.mayHavePosted]).toEqual(["unavailable", undefined, false]);
    expect(second.message).toBe(`Discord is unavailable (502) for chat destination "acme-discord"; the App does not try chat destination "acme-discord" again before 2026-12-03T07:05:00Z`);
    expect(down.isDone()).toBe(true);

    clock += 5 * 60_000;
    const up = nock(DISCORD.origin).post(DISCORD.pathname, (body: { content: string }) => body.content === "three").reply(204);
    await chat.send("acme-discord", "acme", { text: "three" });
    expect(up.isDone()).toBe(true);
  });

  it("a refusal (a revoked webhook) is not a reason to rest: the next post asks again", async () => {
    const chat = loadChat(chatEnv(), { maxTries: 1 })!;
    const scope = nock(SLACK.origin).post(SLACK.pathname).times(2).reply(404, "no_service");
    expect((await chatError(chat.send("acme-slack", "acme", { text: "one" }))).kind).toBe("rejected");
    expect((await chatError(chat.send("acme-slack", "acme", { text: "two" }))).kind).toBe("rejected");
    expect(scope.isDone()).toBe(true);
  });
});
