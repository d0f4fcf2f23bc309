import type { ZulipDestination } from "./destinations.js";
import { fitText, utf8Length } from "./fit-text.js";
import { joinPlain, parseChatMarkdown, render, type ChatWriter } from "./markdown.js";
import { identifier, jsonBody, type ChatSender } from "./sender.js";

/** Zulip refuses messages longer than its `max_message_length`, 10,000 by default; counted in bytes here to be safe. */
export const ZULIP_MAX_BYTES = 10_000;

/** Zulip's Markdown is ours: runs are written as they are (mentions defused by `render`). */
const ZULIP_WRITER: ChatWriter = {
  text: (text) => text,
  bold: (inner) => `**${inner}**`,
  link: (text, url) => `[${text.replace(/[[\]]/g, "")}](${url})`,
  line: (content, item) => (item ? `- ${content}` : content),
  // A message starting with `/` can be a command to Zulip (`/poll`, `/todo`, `/me`): a
  // zero-width space in front makes it text.
  join: (lines) => joinPlain(lines).replace(/^\//, "\u200B/"),
};

/** Converts the small Markdown of a message to Zulip's. */
export function toZulipText(markdown: string): string {
  return render(parseChatMarkdown(markdown), ZULIP_WRITER);
}

/**
 * Zulip's send-message API: POST {site}/api/v1/messages, form-encoded type=stream, to, topic
 * and content, with the bot's email and API key as HTTP Basic credentials. Zulip answers
 * {"result": "success", "id": …}.
 */
export const zulip: ChatSender<ZulipDestination> = {
  service: "zulip",
  label: "Zulip",
  request(destination, message) {
    const source = fitText(message.text, (candidate) => utf8Length(toZulipText(candidate)) <= ZULIP_MAX_BYTES);
    const form = new URLSearchParams({ type: "stream", to: destination.stream, topic: destination.topic, content: toZulipText(source) });
    return {
      method: "POST",
      url: `${destination.site}/api/v1/messages`,
      headers: {
        authorization: `Basic ${Buffer.from(`${destination.email}:${destination.key}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: form.toString(),
      idempotent: false,
    };
  },
  accepted: (answer) => (jsonBody(answer) as { result?: unknown } | undefined)?.result === "success",
  // Zulip's errors are {"result": "error", "code": "STREAM_DOES_NOT_EXIST", "msg": …}.
  errorCode: (answer) => identifier((jsonBody(answer) as { code?: unknown } | undefined)?.code),
  retryAfterMs(answer) {
    const seconds = (jsonBody(answer) as { "retry-after"?: unknown } | undefined)?.["retry-after"];
    return typeof seconds === "number" && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  },
  refusalHint(status, code) {
    if (status === 401) return "Zulip refused the bot's email and API key: ask the App's operator to check them";
    if (code === "STREAM_DOES_NOT_EXIST" || code === "BAD_REQUEST") return "Zulip refused the stream or topic (does the stream exist, and may the bot post there?)";
    return "ask the App's operator to check the bot, its stream and its topic";
  },
};
