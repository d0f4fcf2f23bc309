/**
 * The operator's chat destinations, from the environment variable `WG_MEETINGS_CHAT`.
 *
 * The value is a JSON object mapping a destination name (what `.github/meetings.yml` names:
 * lower-case letters, digits and hyphens, at most 64) to that destination's service, its
 * secret settings and the GitHub owners allowed to use it:
 *
 * ```json
 * {
 *   "nodejs-slack":   { "service": "slack",   "url": "https://hooks.slack.com/services/T000/B000/XXXX", "owners": ["nodejs"] },
 *   "nodejs-discord": { "service": "discord", "url": "https://discord.com/api/webhooks/123456/abcDEF", "owners": ["nodejs"] },
 *   "nodejs-zulip":   { "service": "zulip",   "site": "https://nodejs.zulipchat.com", "email": "wg-bot@nodejs.zulipchat.com",
 *                       "key": "ZULIP_API_KEY", "stream": "security-wg", "topic": "meetings", "owners": ["nodejs"] },
 *   "nodejs-matrix":  { "service": "matrix",  "homeserver": "https://matrix.org", "room": "!abcdef:matrix.org",
 *                       "token": "MATRIX_ACCESS_TOKEN", "owners": ["nodejs", "openjs-foundation"] }
 * }
 * ```
 *
 * - `slack`: `url`, a Slack incoming webhook (`https://hooks.slack.com/services/…`).
 * - `discord`: `url`, a Discord webhook (`https://discord.com/api/webhooks/<id>/<token>`, or
 *   discordapp.com).
 * - `zulip`: `site` (the organization's https origin), `email` and `key` (the bot's email and
 *   API key), `stream` and `topic` (where to post; each at most 60 characters; Zulip reads a
 *   stream written as a number as the stream's id).
 * - `matrix`: `homeserver` (the client-server API's https origin), `room` (a room id,
 *   `!…:server`, not an alias) and `token` (the posting account's access token; the account
 *   must have joined the room).
 * - `owners` (every service): the GitHub users or organizations whose installations may post
 *   there (case does not matter), or `["*"]` for any installation, which suits Actions mode
 *   where one workflow is the only user. One App serves many owners: without this list any
 *   installation's config could name another's destination and post to its channel.
 *
 * Nothing else is accepted: a misspelt key is an error, not a silently ignored setting. Errors
 * name the variable, the destination and the key at fault, never a value (they are secrets).
 */
import type { ChatService } from "./types.js";

/** The environment variable holding the destinations. */
export const CHAT_ENV = "WG_MEETINGS_CHAT";

/** Who may use a destination: every owner (`"*"`, written explicitly) or those listed, lower-cased. */
export type ChatOwners = "*" | readonly string[];

interface DestinationBase {
  name: string;
  owners: ChatOwners;
}

/** A Slack incoming webhook. */
export interface SlackDestination extends DestinationBase {
  service: "slack";
  url: string;
}

/** A Discord channel webhook. */
export interface DiscordDestination extends DestinationBase {
  service: "discord";
  url: string;
}

/** A Zulip stream and topic, posted to by a bot. */
export interface ZulipDestination extends DestinationBase {
  service: "zulip";
  site: string;
  email: string;
  key: string;
  stream: string;
  topic: string;
}

/** A Matrix room, posted to by an account's access token. */
export interface MatrixDestination extends DestinationBase {
  service: "matrix";
  homeserver: string;
  room: string;
  token: string;
}

/** One configured destination, secrets included: it stays inside src/chat/. */
export type DestinationSettings = SlackDestination | DiscordDestination | ZulipDestination | MatrixDestination;

/** Destination names: what a public config may spell. */
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** GitHub logins: letters, digits and inner hyphens, at most 39. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
/** Slack incoming webhooks: /services/<team>/<bot>/<secret>. */
const SLACK_PATH = /^\/services\/[A-Z0-9]{2,32}\/[A-Z0-9]{2,32}\/[A-Za-z0-9]{8,64}$/;
const SLACK_HOST = "hooks.slack.com";
/** Discord webhooks: /api[/vN]/webhooks/<snowflake id>/<token>. */
const DISCORD_PATH = /^\/api(?:\/v\d{1,2})?\/webhooks\/\d{5,25}\/[A-Za-z0-9_-]{20,128}$/;
const DISCORD_HOSTS = new Set(["discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"]);
/** Zulip API keys are 32 letters and digits; a little slack for other servers. */
const ZULIP_KEY = /^[A-Za-z0-9]{16,128}$/;
const EMAIL = /^[^\s@]{1,128}@[^\s@]{1,253}$/;
/** Matrix room ids: `!opaque:server`, or `!opaque` alone (room version 12 drops the server). */
const MATRIX_ROOM = /^![!-~]{1,255}$/;
/** Access tokens travel in a header: visible ASCII without spaces. */
const MATRIX_TOKEN = /^[!-~]{8,1024}$/;
/** Zulip's own limits for stream names and topics. */
const ZULIP_NAME_MAX = 60;

const KEYS: Record<ChatService, readonly string[]> = {
  slack: ["url"],
  discord: ["url"],
  zulip: ["site", "email", "key", "stream", "topic"],
  matrix: ["homeserver", "room", "token"],
};

const SERVICES = Object.keys(KEYS) as ChatService[];

/**
 * Parses the variable's value. Unset, empty or `{}`: no destinations.
 *
 * @throws Error naming the variable, the destination and the key at fault, never a value.
 * @example
 * parseChatDestinations('{"wg-slack":{"service":"slack","url":"https://hooks.slack.com/services/T1/B1/abcdefgh","owners":["acme"]}}')
 */
export function parseChatDestinations(value: string | undefined): ReadonlyMap<string, DestinationSettings> {
  const text = value?.trim() ?? "";
  const destinations = new Map<string, DestinationSettings>();
  if (text === "") return destinations;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error: it could be a secret.
    throw chatEnvError("is not valid JSON (expected an object mapping destination names to settings)");
  }
  if (!isPlainObject(parsed)) throw chatEnvError("must be a JSON object mapping destination names to settings");
  for (const [name, entry] of Object.entries(parsed)) {
    destinations.set(name, parseEntry(name, entry));
  }
  return destinations;
}

function parseEntry(name: string, entry: unknown): DestinationSettings {
  if (!NAME.test(name)) {
    throw chatEnvError(`destination name ${quoteName(name)} must be lower-case letters, digits and inner hyphens (at most 64)`);
  }
  const where = `destination "${name}"`;
  if (!isPlainObject(entry)) throw chatEnvError(`${where} must be an object with "service", its settings and "owners"`);
  const service = entry["service"];
  if (typeof service !== "string" || !(SERVICES as string[]).includes(service)) {
    throw chatEnvError(`${where}: "service" must be one of ${SERVICES.map((s) => `"${s}"`).join(", ")}`);
  }
  const known = new Set(["service", "owners", ...KEYS[service as ChatService]]);
  for (const key of Object.keys(entry)) {
    if (!known.has(key)) throw chatEnvError(`${where}: unknown key ${quoteName(key)} for ${service} (expected ${[...known].map((k) => `"${k}"`).join(", ")})`);
  }
  const owners = parseOwners(where, entry["owners"]);
  const read = (key: string): string => {
    const v = entry[key];
    if (typeof v !== "string" || v.trim() === "") throw chatEnvError(`${where}: "${key}" is required (a non-empty string)`);
    return v.trim();
  };
  switch (service as ChatService) {
    case "slack": {
      const url = read("url");
      if (!hasShape(url, (u) => u.hostname === SLACK_HOST && SLACK_PATH.test(u.pathname))) {
        throw chatEnvError(`${where}: "url" is not a Slack incoming-webhook URL (https://hooks.slack.com/services/…)`);
      }
      return { name, service: "slack", url, owners };
    }
    case "discord": {
      const url = read("url");
      if (!hasShape(url, (u) => DISCORD_HOSTS.has(u.hostname) && DISCORD_PATH.test(u.pathname))) {
        throw chatEnvError(`${where}: "url" is not a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>)`);
      }
      return { name, service: "discord", url, owners };
    }
    case "zulip": {
      const site = readOrigin(where, "site", read("site"));
      const email = read("email");
      if (!EMAIL.test(email)) throw chatEnvError(`${where}: "email" is not an email address (the bot's, from its settings)`);
      const key = read("key");
      if (!ZULIP_KEY.test(key)) throw chatEnvError(`${where}: "key" is not a Zulip API key (letters and digits)`);
      const stream = read("stream");
      const topic = read("topic");
      for (const [k, v] of [["stream", stream], ["topic", topic]] as const) {
        if ([...v].length > ZULIP_NAME_MAX || /[\n\r]/.test(v)) throw chatEnvError(`${where}: "${k}" must be one line of at most ${ZULIP_NAME_MAX} characters`);
      }
      return { name, service: "zulip", site, email, key, stream, topic, owners };
    }
    case "matrix": {
      const homeserver = readOrigin(where, "homeserver", read("homeserver"));
      const room = read("room");
      if (!MATRIX_ROOM.test(room)) throw chatEnvError(`${where}: "room" is not a Matrix room id (!…:server; an alias such as #room:server is not accepted)`);
      const token = read("token");
      if (!MATRIX_TOKEN.test(token)) throw chatEnvError(`${where}: "token" is not a Matrix access token (visible ASCII, no spaces)`);
      return { name, service: "matrix", homeserver, room, token, owners };
    }
  }
}

function parseOwners(where: string, value: unknown): ChatOwners {
  const hint = `list the GitHub owners whose installations may post there, or ["*"] for any (Actions mode)`;
  if (!Array.isArray(value) || value.length === 0) throw chatEnvError(`${where}: "owners" is required: ${hint}`);
  if (value.includes("*")) {
    if (value.length > 1) throw chatEnvError(`${where}: "owners": "*" allows every owner and cannot be combined with names`);
    return "*";
  }
  return value.map((owner, index) => {
    if (typeof owner !== "string" || !OWNER.test(owner)) throw chatEnvError(`${where}: "owners" entry ${index + 1} is not a GitHub user or organization name`);
    return owner.toLowerCase();
  });
}

/** An https origin (no credentials, path, query or fragment), returned without a trailing slash. */
function readOrigin(where: string, key: string, value: string): string {
  const url = safeUrl(value);
  const ok = url !== null && url.protocol === "https:" && url.username === "" && url.password === "" && (url.pathname === "/" || url.pathname === "") && url.search === "" && url.hash === "";
  if (!ok) throw chatEnvError(`${where}: "${key}" must be an https origin such as https://example.org (no path)`);
  return url.origin;
}

function hasShape(value: string, test: (url: URL) => boolean): boolean {
  const url = safeUrl(value);
  return url !== null && url.protocol === "https:" && url.port === "" && url.username === "" && url.password === "" && url.search === "" && url.hash === "" && test(url);
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A name or key, quoted, shortened, and only when it looks like one (an operator may paste a secret in the wrong place). */
function quoteName(value: string): string {
  if (!/^[\w.-]{1,40}$/.test(value)) return "(not shown)";
  return `"${value}"`;
}

function chatEnvError(detail: string): Error {
  return new Error(`${CHAT_ENV}: ${detail}`);
}

let cached: { raw: string | undefined; destinations: ReadonlyMap<string, DestinationSettings> } | undefined;

/**
 * The destinations of `env`, parsed once per distinct value (the gateway may be loaded per
 * use; the variable is not re-parsed every time).
 *
 * @throws Error naming the variable when its value is malformed (never echoing a value).
 */
export function readChatDestinations(env: NodeJS.ProcessEnv): ReadonlyMap<string, DestinationSettings> {
  const raw = env[CHAT_ENV];
  if (cached === undefined || cached.raw !== raw) cached = { raw, destinations: parseChatDestinations(raw) };
  return cached.destinations;
}

/** True when `owner`'s installation may use the destination (GitHub names ignore case). */
export function isOpenTo(destination: DestinationSettings, owner: string): boolean {
  if (destination.owners === "*") return true;
  const who = owner.toLowerCase();
  return destination.owners.includes(who);
}

/**
 * Start-up check: parses the variable (throwing a message that names it and the entry at
 * fault) and warns about each destination open to every owner (`["*"]`), which suits Actions
 * mode but lets any installation of a hosted App post there.
 *
 * @returns the number of destinations configured.
 */
export function checkChatDestinations(env: NodeJS.ProcessEnv, log: { warn(msg: string): void }): number {
  const destinations = readChatDestinations(env);
  for (const destination of destinations.values()) {
    if (destination.owners === "*") {
      log.warn(`${CHAT_ENV}: chat destination "${destination.name}" is open to every owner ("owners": ["*"]); in an App installed by more than one owner, list the owners allowed to post there`);
    }
  }
  return destinations.size;
}
