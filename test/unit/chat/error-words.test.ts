import nock from "nock";
import { describe, expect, it } from "vitest";
import { loadChat } from "../../../src/chat/load-chat.js";
import { chatEnv, chatError, recordedSleeps, SLACK_SECRET } from "./fixtures.js";

/**
 * Issue 14: what a service answered reaches a ChatError (and so the alarm issue) only as a
 * short error code; an answer that is not one, such as a proxy echoing the request, is left out.
 */
describe("a refused post's error", () => {
  it("repeats none of an answer that only looks like a code: a body quoting the webhook's secret stays out", async () => {
    const echoed = `invalid_token:${SLACK_SECRET}`;
    const scope = nock("https://hooks.slack.com").post(`/services/T0ACME123/B0WGBOT45/${SLACK_SECRET}`).reply(403, echoed);

    const error = await chatError(loadChat(chatEnv(), recordedSleeps())!.send("acme-slack", "acme", { text: "hi" }));

    expect(error.message).toBe(
      `Slack refused the post to chat destination "acme-slack" (403): the webhook was probably revoked, or its channel archived or deleted: ask the App's operator to renew the destination's webhook`,
    );
    expect(scope.isDone()).toBe(true);
  });

  it("keeps a service's own code: Slack's action_prohibited is named", async () => {
    const scope = nock("https://hooks.slack.com").post(`/services/T0ACME123/B0WGBOT45/${SLACK_SECRET}`).reply(403, "action_prohibited");
    const error = await chatError(loadChat(chatEnv(), recordedSleeps())!.send("acme-slack", "acme", { text: "hi" }));
    expect(error.message).toMatch(/^Slack refused the post to chat destination "acme-slack" \(403 action_prohibited\): /);
    expect(scope.isDone()).toBe(true);
  });
});
