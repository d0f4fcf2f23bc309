import type { DiscordDestination } from "./destinations.js";
import { fitText } from "./fit-text.js";
import { joinPlain, parseChatMarkdown, render, type ChatWriter } from "./markdown.js";
import { jsonBody, type ChatSender } from "./sender.js";

/** Discord refuses a message whose content is longer than 2000 characters. */
export const DISCORD_MAX_CHARS = 2000;

/** Discord's Markdown is ours: runs are written as they are (mentions defused by `render`). */
const DISCORD_WRITER: ChatWriter = {
  text: (text) => text,
  bold: (inner) => `**${inner}**`,
  link: (text, url) => `[${text.replace(/[[\]]/g, "")}](${url})`,
  line: (content, item) => (item ? `- ${content}` : content),
  join: joinPlain,
};

/** Converts the small Markdown of a message to Discord's. */
export function toDiscordText(markdown: string): string {
  return render(parseChatMarkdown(markdown), DISCORD_WRITER);
}

/**
 * Discord webhooks: POST {content, allowed_mentions} as JSON to the webhook URL; Discord
 * answers 204. `allowed_mentions.parse: []` makes every mention in the text inert
 * (@everyone, @here, users, roles), whatever the template says.
 */
export const discord: ChatSender<DiscordDestination> = {
  service: "discord",
  label: "Discord",
  request(destination, message) {
    const source = fitText(message.text, (candidate) => toDiscordText(candidate).length <= DISCORD_MAX_CHARS);
    return {
      method: "POST",
      url: destination.url,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: toDiscordText(source), allowed_mentions: { parse: [] } }),
      idempotent: false,
    };
  },
  accepted: () => true,
  // Discord's errors are {"message": "Unknown Webhook", "code": 10015}: the number is enough.
  errorCode(answer) {
    const code = (jsonBody(answer) as { code?: unknown } | undefined)?.code;
    return typeof code === "number" && Number.isInteger(code) ? `code ${code}` : undefined;
  },
  retryAfterMs(answer) {
    const seconds = (jsonBody(answer) as { retry_after?: unknown } | undefined)?.retry_after;
    return typeof seconds === "number" && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  },
  refusalHint(status) {
    if (status === 400) return "Discord did not accept the message";
    return "the webhook was probably deleted or its token changed: ask the App's operator to renew the destination's webhook";
  },
};
