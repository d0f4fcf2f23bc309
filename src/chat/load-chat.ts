import { currentDeadline } from "../github/request-deadline.js";
import { CHAT_ENV, isOpenTo, readChatDestinations, type DestinationSettings } from "./destinations.js";
import { discord } from "./discord.js";
import { matrix } from "./matrix.js";
import { postChat, type PostPolicy } from "./post.js";
import { chatRootFromEnv, withRoot } from "./root-url.js";
import type { ChatSender } from "./sender.js";
import { slack } from "./slack.js";
import { ChatError, type ChatDestination, type ChatFailureKind, type ChatGateway, type ChatMessage, type ChatService } from "./types.js";
import { zulip } from "./zulip.js";

/** Options of {@link loadChat}: how posts are made (timeouts, retries; injectable for tests). */
export type LoadChatOptions = PostPolicy;

/**
 * How long a destination that just failed for the service's reasons (no answer, a server error,
 * a rate limit without a wait) is not asked again by the same gateway: a run has one post per
 * meeting, moment and destination, and a slow or failing service would otherwise be waited on
 * for each of them.
 */
export const REST_AFTER_FAILURE_MS = 5 * 60_000;

/** The longest rest a service's Retry-After gets (the announcements' own back-off caps there too). */
export const MAX_REST_MS = 6 * 60 * 60_000;

/** What to tell a config that names a destination when the App has none. */
export const CHAT_NOT_CONFIGURED_HINT = `the App's operator sets ${CHAT_ENV} (server mode: the environment; Actions mode: a workflow secret) to map destination names to their services; see docs/chat.md`;

const SENDERS: { [S in ChatService]: ChatSender<Extract<DestinationSettings, { service: S }>> } = { slack, discord, zulip, matrix };

/**
 * The chat gateway over the destinations in `env`'s WG_MEETINGS_CHAT; null when the variable
 * is unset, empty or `{}`.
 *
 * A destination is used only by the owners its entry lists (checked before any request), so
 * one installation of a hosted App cannot post to another's channels by naming them.
 *
 * @throws Error naming the variable and the entry at fault when the variable is malformed
 *   (never echoing a value), or when the WG_MEETINGS_CHAT_ROOT_URL test hook is not loopback.
 * @example
 * const chat = loadChat(process.env);
 * await chat?.send("nodejs-slack", "nodejs", { text: "**Security WG** meets [today](https://github.com/nodejs/security-wg/issues/1)", key: "nodejs/security-wg#1 opened:nodejs-slack" });
 */
export function loadChat(env: NodeJS.ProcessEnv, options: LoadChatOptions = {}): ChatGateway | null {
  const destinations = readChatDestinations(env);
  if (destinations.size === 0) return null;
  const root = chatRootFromEnv(env);
  const now = options.now ?? Date.now;
  // Destinations resting after a failure: until when, and the kind of that failure.
  const resting = new Map<string, { until: number; kind: ChatFailureKind; reason: string }>();

  const lookup = (name: string, owner: string): DestinationSettings | null => {
    const settings = destinations.get(name);
    if (settings === undefined) return null;
    if (!isOpenTo(settings, owner)) {
      // Says nothing about who may use it: that would tell one tenant about another.
      throw new ChatError("not-allowed", `chat destination "${name}" is not open to ${owner}: ask the App's operator to add ${owner} to its owners in ${CHAT_ENV}`);
    }
    return settings;
  };

  return {
    destination(name, owner): ChatDestination | null {
      const settings = lookup(name, owner);
      return settings === null ? null : { name: settings.name, service: settings.service };
    },
    async send(name: string, owner: string, message: ChatMessage): Promise<void> {
      const settings = lookup(name, owner);
      if (settings === null) throw new ChatError("not-configured", `no chat destination named "${name}" is configured: ${CHAT_NOT_CONFIGURED_HINT}`);
      if (message.text.trim() === "") throw new ChatError("failed", `the message for chat destination "${name}" is empty, so the App posted nothing`);
      const sender = SENDERS[settings.service] as ChatSender;
      const rest = resting.get(settings.name);
      if (rest && now() < rest.until) {
        // Nothing is sent: a temporary failure that later runs retry (never one that "may have posted").
        const until = new Date(rest.until).toISOString().replace(/\.\d{3}Z$/, "Z");
        throw new ChatError(rest.kind, `${rest.reason}; the App does not try chat destination "${name}" again before ${until}`);
      }
      const prepared = sender.request(settings, message);
      const request = { ...prepared, url: withRoot(prepared.url, root) };
      try {
        await postChat({ name: settings.name, label: sender.label }, sender, request, options);
        resting.delete(settings.name);
      } catch (error) {
        // The run's deadline is not the service's fault; a refusal (a revoked webhook) answers at once anyway.
        if (error instanceof ChatError && (error.kind === "unavailable" || error.kind === "rate-limited") && !currentDeadline()?.aborted) {
          const reason = error.message.replace(/; the next run tries again$/, "");
          resting.set(settings.name, { until: now() + Math.min(MAX_REST_MS, error.retryAfterMs ?? REST_AFTER_FAILURE_MS), kind: error.kind, reason });
        }
        throw error;
      }
    },
  };
}
