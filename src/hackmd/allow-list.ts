import { MinutesDocError } from "../minutes-doc/backend.js";
import { HACKMD_ENV } from "./env.js";
import { HACKMD_TEAM_PATH } from "./types.js";
import { parseOwnerAllowList, type AllowListMode } from "../config/owner-allow-list.js";

/**
 * The operator's allow-list: which HackMD workspaces each GitHub owner's series may use. One
 * API token serves every installation, so without it any repository's config could name any
 * team the token's user belongs to (another group's workspace) and have notes created there.
 * Same format and strictness as WG_MEETINGS_GOOGLE_ALLOW (src/google/allow-list.ts).
 */
export const HACKMD_ALLOW_ENV = HACKMD_ENV.allow;

/** One entry: `team:PATH` or `personal` (the token's own workspace), optionally after `OWNER=`. */
export interface HackmdAllowEntry {
  /** The team's path; null: the API token's own workspace (`personal`). */
  team: string | null;
  /** A GitHub account (user or organization), lower-cased; null: any owner. */
  owner: string | null;
}

/** The parsed variable. */
export interface HackmdAllowList {
  mode: AllowListMode;
  entries: readonly HackmdAllowEntry[];
}

/** Everything allowed, as when the variable is unset. */
export const UNRESTRICTED_HACKMD: HackmdAllowList = Object.freeze({ mode: "unset", entries: Object.freeze([]) }) as HackmdAllowList;

/**
 * HackMD team paths: letters, digits, `_`, `-` and `.`, not only dots. Also what a config's
 * `minutes.hackmd.team` must look like: the path goes into request URLs.
 */
export function isTeamPath(value: string): boolean {
  return HACKMD_TEAM_PATH.test(value);
}

/**
 * Parses the variable's value: entries separated by commas or white space, each `team:PATH`
 * or `personal`, optionally after `OWNER=`; or the single entry `*`.
 *
 * @throws Error naming the variable and the entry at fault (operator configuration, not a secret).
 * @example
 * parseHackmdAllowList("nodejs=team:nodejs-security, octo-org=personal")
 */
export function parseHackmdAllowList(value: string | undefined): HackmdAllowList {
  const list = parseOwnerAllowList(value, HACKMD_ALLOW_ENV, (rest, fail) => {
    if (rest === "personal") return { team: null };
    if (!rest.startsWith("team:")) return fail("expected team:PATH or personal, optionally after OWNER=");
    const team = rest.slice("team:".length);
    if (!isTeamPath(team)) return fail(`"${team.slice(0, 80)}" is not a HackMD team path`);
    return { team };
  });
  return list.mode === "unset" ? UNRESTRICTED_HACKMD : list;
}

let cached: { raw: string | undefined; list: HackmdAllowList } | undefined;

/**
 * The allow-list of `env`, parsed once per distinct value.
 *
 * @throws Error naming the variable when its value is malformed.
 */
export function readHackmdAllowList(env: NodeJS.ProcessEnv): HackmdAllowList {
  const raw = env[HACKMD_ALLOW_ENV];
  if (cached === undefined || cached.raw !== raw) cached = { raw, list: parseHackmdAllowList(raw) };
  return cached.list;
}

/**
 * True when `owner`'s repositories may use the workspace (`team` null: the token's own).
 * Team paths compare without case, as HackMD's URLs do; `owner` null (not known): only
 * entries for any owner count.
 */
export function isWorkspaceAllowed(list: HackmdAllowList, team: string | null, owner: string | null): boolean {
  if (list.mode !== "listed") return true;
  const who = owner?.toLowerCase() ?? null;
  const path = team?.toLowerCase() ?? null;
  return list.entries.some((entry) => (entry.team?.toLowerCase() ?? null) === path && (entry.owner === null || entry.owner === who));
}

/**
 * Refuses a workspace the allow-list does not name for `owner`, before any request. The
 * message is fit for a public issue: it names the workspace (the config named it already) and
 * the entry the operator would add, never what the list contains.
 *
 * @throws MinutesDocError with kind `not-allowed`.
 */
export function requireWorkspaceAllowed(list: HackmdAllowList, team: string | null, owner: string | null): void {
  if (isWorkspaceAllowed(list, team, owner)) return;
  throw new MinutesDocError("not-allowed", notAllowedMessage(team, owner));
}

/**
 * What {@link requireWorkspaceAllowed} says, also for reports that check without calling
 * HackMD. It never says whether the workspace is allowed for some other owner.
 */
export function notAllowedMessage(team: string | null, owner: string | null): string {
  const item = team === null ? "the HackMD API token's own workspace" : `HackMD team ${team}`;
  const bare = team === null ? "personal" : `team:${team}`;
  const entry = owner === null ? bare : `${owner}=${bare}`;
  return `${item} is not on the App's HackMD allow-list${owner === null ? "" : ` for ${owner}`}, so the App did not use it: ask the App's operator to add ${entry} to ${HACKMD_ALLOW_ENV}, or use a workspace they allow`;
}

/** The start-up warning for an App that allows every workspace without saying so; null otherwise. */
export function hackmdAllowListWarning(list: HackmdAllowList): string | null {
  if (list.mode !== "unset") return null;
  return `${HACKMD_ALLOW_ENV} is not set: any installation's config may use any HackMD team workspace the App's API token can reach, and the token's own workspace. Set it (or "*" to allow everything on purpose) when the App serves more than one owner.`;
}

let warned = false;

/** Logs {@link hackmdAllowListWarning} the first time it applies in this process; later calls do nothing. */
export function warnOnceIfHackmdUnrestricted(list: HackmdAllowList, log: { warn(msg: string): void }): void {
  const warning = hackmdAllowListWarning(list);
  if (!warning || warned) return;
  warned = true;
  log.warn(warning);
}
