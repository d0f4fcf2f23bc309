import { createHash } from "node:crypto";
import type { MatrixDestination } from "./destinations.js";
import { fitText, utf8Length } from "./fit-text.js";
import { parseChatMarkdown, render, type ChatWriter } from "./markdown.js";
import { identifier, jsonBody, type ChatSender } from "./sender.js";
import type { ChatMessage } from "./types.js";

/**
 * A Matrix event may be at most 64 KiB, envelope and signatures included; the plain and HTML
 * bodies together stay well inside that.
 */
export const MATRIX_MAX_BYTES = 32_000;

/** HTML's five special characters, for text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The plain `body`: what clients without HTML show and what notifications quote. */
const PLAIN_WRITER: ChatWriter = {
  text: (text) => text,
  bold: (inner) => inner,
  link: (text, url) => (text === url ? url : `${text} (${url})`),
  line: (content, item) => (item ? `• ${content}` : content),
  join: (lines) => lines.map((line) => (line === "blank" ? "" : line.content)).join("\n"),
};

/** The `formatted_body`: paragraphs, line breaks, `<ul>` lists, `<strong>` and links, everything else escaped. */
const HTML_WRITER: ChatWriter = {
  text: escapeHtml,
  bold: (inner) => `<strong>${inner}</strong>`,
  link: (text, url) => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`,
  line: (content) => content,
  join(lines) {
    const blocks: string[] = [];
    let paragraph: string[] = [];
    let items: string[] = [];
    const close = (): void => {
      if (paragraph.length > 0) blocks.push(`<p>${paragraph.join("<br>")}</p>`);
      if (items.length > 0) blocks.push(`<ul>${items.map((item) => `<li>${item}</li>`).join("")}</ul>`);
      paragraph = [];
      items = [];
    };
    for (const line of lines) {
      if (line === "blank") close();
      else if (line.item) {
        if (paragraph.length > 0) close();
        items.push(line.content);
      } else {
        if (items.length > 0) close();
        paragraph.push(line.content);
      }
    }
    close();
    return blocks.join("");
  },
};

/** The plain and HTML bodies of a message. */
export function toMatrixBodies(markdown: string): { body: string; formatted: string } {
  const lines = parseChatMarkdown(markdown);
  return { body: render(lines, PLAIN_WRITER), formatted: render(lines, HTML_WRITER) };
}

/**
 * The transaction id of a message: the same for every try of the same announcement, so the
 * homeserver posts it once. The destination's name keeps two destinations sharing a token
 * apart.
 */
export function matrixTransactionId(destination: MatrixDestination, message: ChatMessage): string {
  const identity = message.key ?? message.text;
  return `wgm-${createHash("sha256").update(`${destination.name}\n${identity}`).digest("hex").slice(0, 40)}`;
}

/**
 * Matrix's client-server API: PUT {homeserver}/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}
 * with the access token as a Bearer token. An `m.notice` (what bots send; clients do not
 * notify for it by default) with an HTML body, and an empty `m.mentions` so the body's words
 * mention nobody (Matrix 1.7's intentional mentions).
 */
export const matrix: ChatSender<MatrixDestination> = {
  service: "matrix",
  label: "Matrix",
  request(destination, message) {
    const size = (candidate: string): number => {
      const { body, formatted } = toMatrixBodies(candidate);
      return utf8Length(body) + utf8Length(formatted);
    };
    const { body, formatted } = toMatrixBodies(fitText(message.text, (candidate) => size(candidate) <= MATRIX_MAX_BYTES));
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(destination.room)}/send/m.room.message/${encodeURIComponent(matrixTransactionId(destination, message))}`;
    return {
      method: "PUT",
      url: `${destination.homeserver}${path}`,
      headers: { authorization: `Bearer ${destination.token}`, "content-type": "application/json" },
      body: JSON.stringify({ msgtype: "m.notice", body, format: "org.matrix.custom.html", formatted_body: formatted, "m.mentions": {} }),
      idempotent: true,
    };
  },
  accepted: () => true,
  // Matrix's errors are {"errcode": "M_FORBIDDEN", "error": …}.
  errorCode: (answer) => identifier((jsonBody(answer) as { errcode?: unknown } | undefined)?.errcode),
  retryAfterMs(answer) {
    const ms = (jsonBody(answer) as { retry_after_ms?: unknown } | undefined)?.retry_after_ms;
    return typeof ms === "number" && ms >= 0 ? ms : undefined;
  },
  refusalHint(status, code) {
    if (status === 401 || code === "M_UNKNOWN_TOKEN") return "Matrix refused the access token: ask the App's operator to renew it";
    if (status === 403) return "the account may not post in the room (has it joined, and may it send messages there?)";
    if (status === 404) return "the homeserver does not know the room, or is not a Matrix client-server API";
    return "ask the App's operator to check the room and the access token";
  },
};
