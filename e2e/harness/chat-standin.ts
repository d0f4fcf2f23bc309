import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, listenLoopback, readBody, rejectUnknownKeys, sendJson } from "./http-util.js";

/**
 * A loopback receiver for the four chat services the App announces meetings to, recording
 * what each receives, answering as the real service does.
 *
 * The destinations it makes are shaped as in production (`https://hooks.slack.com/services/…`,
 * `https://discord.com/api/webhooks/…`, a Zulip site and a Matrix homeserver on https), since
 * WG_MEETINGS_CHAT accepts nothing else; the stand-in answers by path and credentials whatever
 * the host, so the App reaches it when a loopback origin override sends every chat request to
 * {@link ChatStandin.url} (see `CHAT_ROOT_URL_ENV`). {@link ChatStandin.local} does the same
 * rewrite for tests that post themselves.
 *
 * - Slack incoming webhook: `POST /services/T…/B…/secret`, JSON `{ text, … }` → 200 `ok`
 *   (text/plain); a payload without `text` or `blocks` → 400 `invalid_payload`; an unknown
 *   hook → 404 `no_service`.
 * - Discord webhook: `POST /api/webhooks/:id/:token[?wait=true]`, JSON `{ content, … }` →
 *   204 (200 with the message when `wait=true`); empty content → 400 with Discord's code 50006.
 * - Zulip: `POST /api/v1/messages`, HTTP Basic `email:api-key`, form-encoded `type=stream`
 *   (or `channel`), `to`, `topic`, `content` → `{ result: "success", msg: "", id }`.
 * - Matrix: `PUT /_matrix/client/v3/rooms/:room/send/m.room.message/:txnId`, `Authorization:
 *   Bearer`, JSON `{ msgtype, body, format?, formatted_body? }` → `{ event_id }`; the same
 *   transaction id again returns the same event and posts nothing more (Matrix's idempotency).
 *
 * Only the hooks, bots and tokens created through {@link ChatStandin.slackHook} and its
 * siblings are accepted. Every accepted post lands in `messages` with the destination's name,
 * in order. `failNext` makes a destination fail (e.g. 500, or 429 with the service's
 * rate-limit answer) for the alarm and retry paths.
 */
export type ChatServiceName = "slack" | "discord" | "zulip" | "matrix";

export interface ReceivedMessage {
  /** The destination's name as the test gave it when making the hook (e.g. `nodejs-slack`). */
  destination: string;
  service: ChatServiceName;
  /** The text people see: Slack `text`, Discord `content`, Zulip `content`, Matrix `body`. */
  text: string;
  /** The whole body as received (JSON, or the form fields for Zulip). */
  body: Record<string, unknown>;
  /** Zulip's stream and topic, Matrix's room; absent for webhooks. */
  where?: string;
}

/** A destination's entry, as WG_MEETINGS_CHAT wants it (without `owners`, which the test adds). */
export type ChatEntry =
  | { service: "slack" | "discord"; url: string }
  | { service: "zulip"; site: string; email: string; key: string; stream: string; topic: string }
  | { service: "matrix"; homeserver: string; room: string; token: string };

export interface ChatStandin {
  /** http://127.0.0.1:PORT: the origin every chat request must be sent to instead of the service's. */
  url: string;
  /** `url` (a destination's production-shaped address) with its origin replaced by this stand-in's. */
  local(url: string): string;
  /** Every accepted message, in order. */
  messages: ReceivedMessage[];
  /** Every request: destination (or "?" when unknown), method, path without secrets, status. */
  requests: Array<{ destination: string; method: string; path: string; status: number }>;
  /** Requests refused for their shape or credentials (should stay empty). */
  rejected: string[];
  /** A new Slack incoming webhook named `destination`; returns its entry, shaped as in production. */
  slackHook(destination: string): ChatEntry;
  /** A new Discord webhook named `destination`. */
  discordHook(destination: string): ChatEntry;
  /** A Zulip bot posting to `stream` / `topic`, named `destination`. */
  zulipBot(destination: string, stream: string, topic: string): ChatEntry;
  /** A Matrix room and access token, named `destination`. */
  matrixRoom(destination: string): ChatEntry;
  /** The messages `destination` received, in order. */
  to(destination: string): ReceivedMessage[];
  /** The next `times` posts to `destination` are answered `status` (429 the service's way). */
  failNext(destination: string, status: number, times?: number): void;
  close(): Promise<void>;
}

/** The Zulip organization and Matrix homeserver the stand-in's destinations name. */
export const ZULIP_SITE = "https://acme.zulipchat.com";
export const MATRIX_HOMESERVER = "https://matrix.acme.example";

/**
 * The loopback origin override that sends the App's chat requests to the stand-in (a test and
 * demo hook, like WG_MEETINGS_GOOGLE_ROOT_URL): every chat request's origin replaced, path and
 * query kept (src/chat/root-url.ts).
 */
export const CHAT_ROOT_URL_ENV = "WG_MEETINGS_CHAT_ROOT_URL";

export async function startChatStandin(): Promise<ChatStandin> {
  const messages: ReceivedMessage[] = [];
  const requests: ChatStandin["requests"] = [];
  const rejected: string[] = [];
  // Secret part of the path or credential → destination name.
  const slack = new Map<string, string>();
  const discord = new Map<string, string>();
  const zulip = new Map<string, { destination: string; email: string; key: string }>();
  const matrix = new Map<string, { destination: string; room: string }>();
  const matrixEvents = new Map<string, string>();
  const failures = new Map<string, { status: number; left: number }>();
  let nextId = 1;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://standin");
    const method = req.method ?? "GET";
    const raw = (await readBody(req)).toString("utf8");
    const record = { destination: "?", method, path: url.pathname.replace(/[^/]{12,}/g, "…"), status: 0 };
    requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (typeof body === "string") {
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
        res.end(body);
      } else if (body === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else sendJson(res, status, body, headers);
    };
    let service: ChatServiceName | "?" = "?";
    try {
      let m: RegExpExecArray | null;
      if (method === "POST" && (m = /^\/services\/(T[^/]+\/B[^/]+\/[^/]+)$/.exec(url.pathname))) {
        service = "slack";
        const destination = slack.get(m[1]!);
        if (!destination) return reply(404, "no_service");
        record.destination = destination;
        if (failed(destination, reply, service)) return;
        const body = json(req, raw);
        if (typeof body.text !== "string" && !Array.isArray(body.blocks)) throw new HttpError(400, "invalid_payload");
        rejectUnknownKeys("Slack payload", body, ["text", "blocks", "attachments", "mrkdwn", "unfurl_links", "unfurl_media", "thread_ts"]);
        messages.push({ destination, service, text: String(body.text ?? ""), body });
        return reply(200, "ok");
      }
      if (method === "POST" && (m = /^\/api\/webhooks\/(\d+\/[^/]+)$/.exec(url.pathname))) {
        service = "discord";
        const destination = discord.get(m[1]!);
        if (!destination) return reply(404, { message: "Unknown Webhook", code: 10015 });
        record.destination = destination;
        if (failed(destination, reply, service)) return;
        const body = json(req, raw);
        rejectUnknownKeys("Discord payload", body, ["content", "username", "avatar_url", "embeds", "allowed_mentions", "flags", "tts"]);
        if (typeof body.content !== "string" || !body.content) throw new HttpError(400, "Cannot send an empty message (50006)");
        if (body.content.length > 2000) throw new HttpError(400, "content: Must be 2000 or fewer in length.");
        const message = { destination, service, text: body.content, body } satisfies ReceivedMessage;
        messages.push(message);
        return url.searchParams.get("wait") === "true" ? reply(200, { id: String(nextId++), content: body.content }) : reply(204, undefined);
      }
      if (method === "POST" && url.pathname === "/api/v1/messages") {
        service = "zulip";
        const [email, key] = Buffer.from(/^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "", "base64").toString("utf8").split(":");
        const bot = zulip.get(`${email}:${key}`);
        if (!bot) return reply(401, { result: "error", msg: "Invalid API key", code: "INVALID_API_KEY" });
        record.destination = bot.destination;
        if (failed(bot.destination, reply, service)) return;
        if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) throw new HttpError(400, "Zulip takes form-encoded parameters");
        const form = Object.fromEntries(new URLSearchParams(raw));
        rejectUnknownKeys("Zulip message", form, ["type", "to", "topic", "content", "queue_id", "local_id", "read_by_sender"]);
        if (form.type !== "stream" && form.type !== "channel") throw new HttpError(400, `type: ${form.type} (expected stream or channel)`);
        if (!form.to || !form.topic || !form.content) throw new HttpError(400, "to, topic and content are required");
        messages.push({ destination: bot.destination, service, text: form.content, body: form, where: `${form.to} > ${form.topic}` });
        return reply(200, { result: "success", msg: "", id: nextId++ });
      }
      if (method === "PUT" && (m = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(url.pathname))) {
        service = "matrix";
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
        const room = matrix.get(token);
        if (!room) return reply(401, { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed." });
        record.destination = room.destination;
        if (decodeURIComponent(m[1]!) !== room.room) return reply(403, { errcode: "M_FORBIDDEN", error: "User not in room" });
        const txn = `${token}/${decodeURIComponent(m[2]!)}`;
        const known = matrixEvents.get(txn);
        if (known) return reply(200, { event_id: known });
        if (failed(room.destination, reply, service)) return;
        const body = json(req, raw);
        rejectUnknownKeys("m.room.message content", body, ["msgtype", "body", "format", "formatted_body", "m.mentions"]);
        if (body.msgtype !== "m.text" && body.msgtype !== "m.notice") throw new HttpError(400, `msgtype ${String(body.msgtype)}`);
        if (typeof body.body !== "string") throw new HttpError(400, "body is required");
        if (body.formatted_body !== undefined && body.format !== "org.matrix.custom.html") throw new HttpError(400, "formatted_body needs format org.matrix.custom.html");
        const eventId = `$${randomBytes(12).toString("base64url")}`;
        matrixEvents.set(txn, eventId);
        messages.push({ destination: room.destination, service, text: body.body, body, where: room.room });
        return reply(200, { event_id: eventId });
      }
      throw new HttpError(404, `the chat stand-in does not serve ${method} ${url.pathname}`);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      rejected.push(`${record.destination} ${method} ${record.path}: ${error.message}`);
      if (service === "slack") return reply(error.status, error.message);
      if (service === "zulip") return reply(error.status, { result: "error", msg: error.message, code: "BAD_REQUEST" });
      if (service === "matrix") return reply(error.status, { errcode: "M_BAD_JSON", error: error.message });
      reply(error.status, { message: error.message, code: 50035 });
    }
  };

  /** Answers an injected failure for `destination`, the service's way; true when it did. */
  function failed(destination: string, reply: (status: number, body: unknown, headers?: Record<string, string>) => void, service: ChatServiceName): boolean {
    const failure = failures.get(destination);
    if (!failure || failure.left <= 0) return false;
    failure.left--;
    if (failure.status === 429) {
      if (service === "slack") reply(429, "rate_limited", { "retry-after": "1" });
      else if (service === "discord") reply(429, { message: "You are being rate limited.", retry_after: 1, global: false }, { "retry-after": "1" });
      else if (service === "zulip") reply(429, { result: "error", msg: "API usage exceeded rate limit", code: "RATE_LIMIT_HIT", "retry-after": 1 }, { "retry-after": "1" });
      else reply(429, { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 1000 });
    } else {
      reply(failure.status, service === "slack" ? "internal_error" : { message: "stand-in failure" });
    }
    return true;
  }

  function json(req: IncomingMessage, raw: string): Record<string, any> {
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) throw new HttpError(400, "expected application/json");
    try {
      const value = JSON.parse(raw) as unknown;
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
      return value as Record<string, any>;
    } catch {
      throw new HttpError(400, "body is not a JSON object");
    }
  }

  const secret = () => randomBytes(12).toString("hex");
  // Only the App posts here (tests read `messages`).
  const server = await listenLoopback(handle, () => true);
  return {
    url: server.url,
    local: (url) => {
      const parsed = new URL(url);
      return `${server.url}${parsed.pathname}${parsed.search}`;
    },
    messages,
    requests,
    rejected,
    slackHook(destination) {
      const path = `T${secret().slice(0, 8).toUpperCase()}/B${secret().slice(0, 8).toUpperCase()}/${secret()}`;
      slack.set(path, destination);
      return { service: "slack", url: `https://hooks.slack.com/services/${path}` };
    },
    discordHook(destination) {
      const path = `${1_000_000_000 + nextId++}/${secret()}`;
      discord.set(path, destination);
      return { service: "discord", url: `https://discord.com/api/webhooks/${path}` };
    },
    zulipBot(destination, stream, topic) {
      const email = `${destination}-bot@acme.zulipchat.com`;
      const key = secret();
      zulip.set(`${email}:${key}`, { destination, email, key });
      return { service: "zulip", site: ZULIP_SITE, email, key, stream, topic };
    },
    matrixRoom(destination) {
      const token = `syt_${secret()}`;
      const room = `!${secret().slice(0, 18)}:matrix.acme.example`;
      matrix.set(token, { destination, room });
      return { service: "matrix", homeserver: MATRIX_HOMESERVER, room, token };
    },
    to: (destination) => messages.filter((message) => message.destination === destination),
    failNext(destination, status, times = 1) {
      failures.set(destination, { status, left: times });
    },
    close: server.close,
  };
}
