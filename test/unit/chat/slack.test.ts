import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadChat } from "../../../src/chat/load-chat.js";
import { toSlackText } from "../../../src/chat/slack.js";
import { chatEnv, chatError, recordedSleeps, SLACK_SECRET } from "./fixtures.js";

const HOOK_PATH = `/services/T0ACME123/B0WGBOT45/${SLACK_SECRET}`;

describe("Slack incoming webhook", () => {
  it("posts the message as mrkdwn JSON {text} to the webhook; Slack answers ok", async () => {
    const bodies: unknown[] = [];
    const scope = nock("https://hooks.slack.com")
      .post(HOOK_PATH, (body) => {
        bodies.push(body);
        return true;
      })
      .matchHeader("content-type", "application/json")
      .reply(200, "ok", { "content-type": "text/html" });
    const chat = loadChat(chatEnv())!;
    await chat.send("acme-slack", "acme", {
      text: "**Security WG** meets [Thursday 14:00 UTC](https://github.com/acme/wg/issues/12?a=1&b=2)\n\n- agenda: fix <script> & co\n- **@here** nothing",
    });
    expect(bodies).toEqual([
      {
        text: "*Security WG* meets <https://github.com/acme/wg/issues/12?a=1&amp;b=2|Thursday 14:00 UTC>\n\n• agenda: fix &lt;script&gt; &amp; co\n• *@\u200Bhere* nothing",
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("cannot be made to write Slack's own mention and link syntax", () => {
    expect(toSlackText("<!channel> <!here|here> <@U123> @channel @everyone")).toBe("&lt;!channel&gt; &lt;!here|here&gt; &lt;@U123&gt; @\u200Bchannel @\u200Beveryone");
    expect(toSlackText("[x|y>z](https://example.org/a|b)")).toBe("<https://example.org/a%7Cb|x|y&gt;z>");
    // A target with < or > is no link at all: it stays text, escaped.
    expect(toSlackText("[x](https://example.org/a>b)")).toBe("[x](https://example.org/a&gt;b)");
  });

  it("a revoked webhook (404 no_service) is `rejected`, named by destination, no URL in the error", async () => {
    const scope = nock("https://hooks.slack.com").post(HOOK_PATH).reply(404, "no_service");
    const error = await chatError(loadChat(chatEnv(), recordedSleeps())!.send("acme-slack", "acme", { text: "hi" }));
    expect(error.kind).toBe("rejected");
    expect(error.status).toBe(404);
    expect(error.mayHavePosted).toBe(false);
    expect(error.message).toBe(
      `Slack refused the post to chat destination "acme-slack" (404 no_service): the webhook was probably revoked, or its channel archived or deleted: ask the App's operator to renew the destination's webhook`,
    );
    expect(scope.isDone()).toBe(true);
  });

  it("a server error is tried once (a webhook POST repeated could post twice) and may have posted", async () => {
    const scope = nock("https://hooks.slack.com").post(HOOK_PATH).reply(500, "<html>upstream secret page</html>");
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat(chatEnv(), { sleep })!.send("acme-slack", "acme", { text: "hi" }));
    expect(error.kind).toBe("unavailable");
    expect(error.mayHavePosted).toBe(true);
    expect(error.message).toBe(`Slack is unavailable (500) for chat destination "acme-slack"; the next run tries again`);
    expect(error.message).not.toContain("upstream");
    expect(waits).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});
