import { expect } from "vitest";
import { ChatError } from "../../../src/chat/types.js";

/** Secrets as distinctive as a real one, so a test can look for them in every error. */
export const SLACK_SECRET = "SlackHookSecret0123456789";
export const SLACK_URL = `https://hooks.slack.com/services/T0ACME123/B0WGBOT45/${SLACK_SECRET}`;
export const DISCORD_TOKEN = "DiscordSecretToken_0123456789-abcdefghijklmnopqrstuvwxyz";
export const DISCORD_URL = `https://discord.com/api/webhooks/112233445566778899/${DISCORD_TOKEN}`;
export const ZULIP_KEY = "ZulipSecretKey0123456789abcdefgh";
export const MATRIX_TOKEN = "syt_d2ctYm90_MatrixSecretToken_0aBcDe";

export const SECRETS = [SLACK_SECRET, DISCORD_TOKEN, ZULIP_KEY, MATRIX_TOKEN, "OpenHookSecret987654"];
/** Nor does a failed post name where it went or how it authenticated (the configuration errors may show a URL's expected shape). */
const REQUEST_PARTS = ["hooks.slack.com", "/api/webhooks/", "zulipchat.com", "/_matrix/", "Basic ", "Bearer ", "https://"];

/** The four destinations of the tests, for the `acme` owner (Matrix also for `openjs`). */
export const DESTINATIONS = {
  "acme-slack": { service: "slack", url: SLACK_URL, owners: ["acme"] },
  "acme-discord": { service: "discord", url: DISCORD_URL, owners: ["Acme"] },
  "acme-zulip": { service: "zulip", site: "https://acme.zulipchat.com", email: "wg-bot@acme.zulipchat.com", key: ZULIP_KEY, stream: "wg meetings", topic: "announcements", owners: ["acme"] },
  "acme-matrix": { service: "matrix", homeserver: "https://matrix.org", room: "!wgRoom123:matrix.org", token: MATRIX_TOKEN, owners: ["acme", "openjs"] },
  "everyone-slack": { service: "slack", url: "https://hooks.slack.com/services/T0OPEN123/B0OPEN456/OpenHookSecret987654", owners: ["*"] },
};

/** An environment holding `destinations` (default: the four above). */
export function chatEnv(destinations: object = DESTINATIONS): NodeJS.ProcessEnv {
  return { WG_MEETINGS_CHAT: JSON.stringify(destinations) };
}

/** No waiting in tests: sleeps are recorded and return at once. */
export function recordedSleeps(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** Awaits `promise`, expecting a ChatError, and checks it carries no secret anywhere. */
export async function chatError(promise: Promise<unknown>): Promise<ChatError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the post to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatError);
  expectNoSecret(error as ChatError, REQUEST_PARTS);
  return error as ChatError;
}

/** Neither the message, the stack, String() nor JSON.stringify of `error` holds a secret; it has no cause. */
export function expectNoSecret(error: Error, alsoAbsent: readonly string[] = []): void {
  expect(error.cause).toBeUndefined();
  const views = [error.message, String(error), JSON.stringify(error), error.stack ?? "", JSON.stringify(Object.entries(error))];
  for (const view of views) {
    for (const secret of [...SECRETS, ...alsoAbsent]) expect(view).not.toContain(secret);
  }
}
