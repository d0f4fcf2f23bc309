import { GOOGLE_ENV } from "./credentials.js";
import { GoogleDocsError } from "./errors.js";
import { parseOwnerAllowList, type AllowListMode } from "../config/owner-allow-list.js";

/**
 * The operator's allow-list: the Google folders, template docs and calendars the App may use.
 * One Google identity serves every installation, so without it any repository's config could
 * name anything that identity can reach (another group's folder, a private doc to copy as a
 * "template", a calendar). Set once in the environment; see docs/google.md.
 */
export const GOOGLE_ALLOW_ENV = "WG_MEETINGS_GOOGLE_ALLOW";

/** What a config may name, as the variable spells it. */
export type AllowKind = "folder" | "template" | "calendar";

const KINDS: readonly AllowKind[] = ["folder", "template", "calendar"];

/** One entry: `kind:ID`, or `owner=kind:ID` for that owner's repositories only. */
export interface AllowEntry {
  kind: AllowKind;
  id: string;
  /** A GitHub account (user or organization), lower-cased; null: any owner. */
  owner: string | null;
}

/** The parsed variable. */
export interface GoogleAllowList {
  mode: AllowListMode;
  entries: readonly AllowEntry[];
}

/** Everything allowed, as when the variable is unset. */
export const UNRESTRICTED: GoogleAllowList = Object.freeze({ mode: "unset", entries: Object.freeze([]) }) as GoogleAllowList;

/** Drive ids are URL-safe base64; calendar ids are addresses (`c_…@group.calendar.google.com`, `en.usa#holiday@…`). Matched exactly. */
const ID = /^[^\s,]{1,256}$/;

/**
 * Parses the variable's value: entries separated by commas or white space, each `kind:ID` or
 * `owner=kind:ID` (kind: folder, template or calendar), or the single entry `*`.
 *
 * @throws Error naming the variable and the entry at fault (operator configuration, not a secret).
 * @example
 * parseGoogleAllowList("folder:1AbC, acme=template:1XyZ, calendar:c_1@group.calendar.google.com")
 */
export function parseGoogleAllowList(value: string | undefined): GoogleAllowList {
  const list = parseOwnerAllowList(value, GOOGLE_ALLOW_ENV, (rest, fail) => {
    const colon = rest.indexOf(":");
    const kind = colon >= 0 ? rest.slice(0, colon) : "";
    const id = colon >= 0 ? rest.slice(colon + 1) : "";
    if (!(KINDS as readonly string[]).includes(kind)) return fail("expected folder:ID, template:ID or calendar:ID, optionally after OWNER=");
    if (!ID.test(id)) return fail(`"${id.slice(0, 80)}" is not a ${kind} id`);
    return { kind: kind as AllowKind, id };
  });
  return list.mode === "unset" ? UNRESTRICTED : list;
}

let cached: { raw: string | undefined; list: GoogleAllowList } | undefined;

/**
 * The allow-list of `env`, parsed once per distinct value (the gateway is loaded per use, the
 * variable is not re-read every time).
 *
 * @throws Error naming the variable when its value is malformed.
 */
export function readGoogleAllowList(env: NodeJS.ProcessEnv): GoogleAllowList {
  const raw = env[GOOGLE_ALLOW_ENV];
  if (cached === undefined || cached.raw !== raw) cached = { raw, list: parseGoogleAllowList(raw) };
  return cached.list;
}

/** True when `owner`'s repositories may use the item. `owner` null (not known): only entries for any owner count. */
export function isAllowed(list: GoogleAllowList, kind: AllowKind, id: string, owner: string | null): boolean {
  if (list.mode !== "listed") return true;
  const who = owner?.toLowerCase() ?? null;
  return list.entries.some((entry) => entry.kind === kind && entry.id === id && (entry.owner === null || entry.owner === who));
}

const NAMES: Record<AllowKind, string> = { folder: "Drive folder", template: "template doc", calendar: "Google Calendar" };

/**
 * Refuses an item the allow-list does not name for `owner`. The message is fit for a public
 * issue or check run: it names the item (the config named it already) and what the operator
 * would add, never what the list contains.
 *
 * @throws GoogleDocsError with kind `not-allowed`.
 */
export function requireAllowed(list: GoogleAllowList, kind: AllowKind, id: string, owner: string | null): void {
  if (isAllowed(list, kind, id, owner)) return;
  throw new GoogleDocsError("not-allowed", notAllowedMessage(kind, id, owner));
}

/**
 * What {@link requireAllowed} says, also for reports that check without calling Google. It
 * never says whether the item is allowed for some other owner: that would tell one tenant
 * which ids another may use.
 */
export function notAllowedMessage(kind: AllowKind, id: string, owner: string | null): string {
  const item = `${NAMES[kind]} ${id}`;
  const entry = owner === null ? `${kind}:${id}` : `${owner}=${kind}:${id}`;
  return `${item} is not on the App's Google allow-list${owner === null ? "" : ` for ${owner}`}, so the App did not use it: ask the App's operator to add ${entry} to ${GOOGLE_ALLOW_ENV}, or use one they allow`;
}

/** The start-up warning for an App that allows everything without saying so; null otherwise. */
export function allowListWarning(list: GoogleAllowList): string | null {
  if (list.mode !== "unset") return null;
  return `${GOOGLE_ALLOW_ENV} is not set: any installation's config may use any Drive folder, template doc and Google Calendar the App's Google account can reach. Set it (or "*" to allow everything on purpose) when the App serves more than one owner.`;
}

let warned = false;

/** Logs {@link allowListWarning} the first time it applies in this process; later calls do nothing. */
export function warnOnceIfUnrestricted(list: GoogleAllowList, log: { warn(msg: string): void }): void {
  const warning = allowListWarning(list);
  if (!warning || warned) return;
  warned = true;
  log.warn(warning);
}

/**
 * Start-up check: parses the variable (throwing a message that names it and the entry at
 * fault) and, when Google credentials are set but the variable is not, logs the warning (once
 * per process, shared with {@link warnOnceIfUnrestricted}).
 */
export function checkGoogleAllowList(env: NodeJS.ProcessEnv, log: { warn(msg: string): void }): GoogleAllowList {
  const list = readGoogleAllowList(env);
  if (env[GOOGLE_ENV.json]?.trim() || env[GOOGLE_ENV.keyFile]?.trim()) warnOnceIfUnrestricted(list, log);
  return list;
}
