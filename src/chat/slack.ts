import type { SlackDestination } from "./destinations.js";
import { fitText } from "./fit-text.js";
import { joinPlain, parseChatMarkdown, render, type ChatWriter } from "./markdown.js";
import { identifier, type ChatSender } from "./sender.js";

/** Slack shows at most 40,000 characters of a message's text and cuts the rest. */
export const SLACK_MAX_CHARS = 40_000;

/** Slack's three control characters, as Slack asks them to be escaped. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A URL inside `<…|…>`: `|` and `>` would end it early. */
function slackUrl(url: string): string {
  return escapeSlack(url).replace(/\|/g, "%7C");
}

/**
 * Slack's mrkdwn: `*bold*`, `<url|text>` links, `•` for list items (mrkdwn has no lists).
 * `&`, `<` and `>` are escaped, so template text cannot write `<!channel>`, `<@U…>` or a link
 * of its own.
 */
const SLACK_WRITER: ChatWriter = {
  text: escapeSlack,
  bold: (inner) => `*${inner}*`,
  link: (text, url) => `<${slackUrl(url)}|${escapeSlack(text)}>`,
  line: (content, item) => (item ? `• ${content}` : content),
  join: joinPlain,
};

/** Converts the small Markdown of a message to Slack's mrkdwn. */
export function toSlackText(markdown: string): string {
  return render(parseChatMarkdown(markdown), SLACK_WRITER);
}

/** Slack incoming webhooks: POST {text} as JSON to the webhook URL; Slack answers `ok`. */
export const slack: ChatSender<SlackDestination> = {
  service: "slack",
  label: "Slack",
  request(destination, message) {
    const source = fitText(message.text, (candidate) => toSlackText(candidate).length <= SLACK_MAX_CHARS);
    return {
      method: "POST",
      url: destination.url,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: toSlackText(source) }),
      idempotent: false,
    };
  },
  accepted: () => true,
  // Slack answers an error as plain text: `no_service`, `invalid_payload`, `channel_is_archived`.
  errorCode: (answer) => identifier(answer.body.trim()),
  retryAfterMs: () => undefined,
  refusalHint(status) {
    if (status === 400) return "Slack did not accept the message";
    return `the webhook was probably revoked, or its channel archived or deleted: ask the App's operator to renew the destination's webhook`;
  },
};
