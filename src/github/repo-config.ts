import { truncate } from "../config/safe-text.js";
import { MAX_LISTED_ERRORS } from "../config/error-cap.js";
import { MAX_CONFIG_BYTES, oversizeMessage } from "../config/limits.js";
import {
  MAX_EXTENDS_FILES,
  makeError,
  readConfigValue,
  validateConfigObject,
  type ConfigError,
  type ConfigPlacer,
  type ConfigResult,
} from "../config/load-config.js";
import type { MeetingsConfig } from "../config/schema.js";
import type { GitHub, RepoRef } from "./client.js";
import { isNotFound } from "./errors.js";

/** Where a repository keeps its meetings config. */
export const CONFIG_PATH = ".github/meetings.yml";

export type RepoConfig =
  | { status: "none" }
  | { status: "ok"; config: MeetingsConfig }
  /** The first errors (at most 50, in file order) and how many more there were. */
  | { status: "invalid"; errors: ConfigError[]; omitted: number };

/** A repository the App can see, as the installation listing returns it. */
export interface InstalledRepo {
  fullName: string;
  nodeId: string;
  defaultBranch: string;
  archived: boolean;
}

const DISCOVER_CONFIGS = /* GraphQL */ `
  query DiscoverMeetingConfigs($ids: [ID!]!, $expression: String!) {
    nodes(ids: $ids) {
      ... on Repository {
        nameWithOwner
        config: object(expression: $expression) {
          ... on Blob {
            text
          }
        }
      }
    }
  }
`;

/** Every GraphQL document this module sends (validated against GitHub's schema in tests). */
export const REPO_CONFIG_DOCUMENTS = { DISCOVER_CONFIGS };

/**
 * Finds which of many repositories hold `.github/meetings.yml`, 100 repositories per GraphQL
 * request, instead of one contents request per repository: an org of 500 repos costs 5
 * requests per tick. Returns the file text by `owner/name`.
 */
export async function discoverConfigs(gh: GitHub, repos: InstalledRepo[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < repos.length; i += 100) {
    const ids = repos.slice(i, i + 100).map((repo) => repo.nodeId);
    const result = await gh.graphql<{
      nodes: Array<{ nameWithOwner?: string; config?: { text?: string | null } | null } | null>;
    }>(DISCOVER_CONFIGS, { ids, expression: `HEAD:${CONFIG_PATH}` });
    for (const node of result.nodes) {
      if (node?.nameWithOwner && typeof node.config?.text === "string") found.set(node.nameWithOwner, node.config.text);
    }
  }
  return found;
}

/**
 * Loads and validates one repository's config.
 *
 * Only a repository's own file runs meetings there: Probot's org `.github` fallback would
 * otherwise make every repository of the org open the org's meetings. A file may still
 * `_extends` another (e.g. `_extends: .github`) to share settings, in the forms Probot's config
 * plugin takes (`repo`, `owner/repo`, `owner/repo:path.yml`; the owner and path default to this
 * repository's owner and `.github/meetings.yml`). The App resolves it itself rather than through
 * Probot, so every file of the chain is held to the limits of limits.ts: over 64 KB it is refused
 * unread, and it is read with the bounded reader. Merged like Probot merges: the top-level keys of
 * the nearer file win, a chain is followed (at most `MAX_EXTENDS_FILES` files), a file that names
 * one already read is an error, and a file that does not exist adds nothing.
 *
 * `text` is the file as discovery saw it; without it the file is fetched (one request), and one
 * more for each file of its `_extends` chain.
 */
export async function loadRepoConfig(gh: GitHub, repo: RepoRef, text?: string): Promise<RepoConfig> {
  const source = text ?? (await fetchConfigText(gh, { ...repo, path: CONFIG_PATH }));
  if (source === null) return { status: "none" };
  if (typeof source !== "string") return { status: "invalid", errors: [makeError("", null, null, oversizeMessage(source.size))], omitted: 0 };
  // The size limit and binary check are the reader's first step, before any parse or _extends.
  const own = readConfigValue(source);
  if (!own.ok) return invalid(own.result);
  if (own.extends === null) return result(validateConfigObject(own.value, own.place));
  return result(await mergeExtends(gh, repo, own));
}

export { MAX_EXTENDS_FILES };

/** A file an `_extends` names: where it is, and how messages name it (`owner/repo:path`). */
interface ExtendsTarget extends RepoRef {
  path: string;
  name: string;
}

/**
 * `repo`, `owner/repo` or `owner/repo:path.yml`, the forms Probot's config plugin reads. A name of
 * dots only is none: GitHub allows none, and in a URL `.`/`..` would climb out of /repos/{owner}/{repo}.
 */
const EXTENDS_FORM = /^(?:([A-Za-z\d](?:-?[A-Za-z\d]){0,38})\/)?((?!\.+(?::|$))[\w.-]+)(?::([\w./-]+\.ya?ml))?$/;

/**
 * Where an `_extends` value points, or null when it is not one of the forms. The owner and path
 * default to the repository whose config is read (not the file that says it), as Probot's do.
 */
export function extendsTarget(value: unknown, repo: RepoRef): ExtendsTarget | null {
  if (typeof value !== "string") return null;
  const match = EXTENDS_FORM.exec(value);
  if (!match) return null;
  const owner = match[1] ?? repo.owner;
  const name = match[2]!;
  const path = match[3] ?? CONFIG_PATH;
  return { owner, repo: name, path, name: `${owner}/${name}:${path}` };
}

type OwnReading = Extract<ReturnType<typeof readConfigValue>, { ok: true }>;

/**
 * Reads the files of `own`'s `_extends` chain, merges their top-level keys (nearer files win)
 * and validates the merge. Each key's errors point into the file it came from: its line in the
 * repository's own file, or the other file's name and line in the message. A file that cannot
 * be used is reported at the `_extends` line of the repository's file, naming it.
 */
async function mergeExtends(gh: GitHub, repo: RepoRef, own: OwnReading): Promise<ConfigResult> {
  const at = own.locate([EXTENDS_KEY], "value").position;
  const refuse = (detail: string): ConfigResult => ({ ok: false, errors: [makeError(EXTENDS_KEY, at?.line ?? null, at?.column ?? null, detail)], omitted: 0 });

  // Nearest first: the repository's own file, then each file the previous one names.
  const chain: Array<{ name: string | null; value: Record<string, unknown>; place: ConfigPlacer }> = [
    { name: null, value: own.value as Record<string, unknown>, place: own.place },
  ];
  // Owner and repository names are case-insensitive on GitHub; paths are not.
  const fileKey = (ref: RepoRef, path: string) => `${ref.owner.toLowerCase()}/${ref.repo.toLowerCase()}:${path}`;
  const seen = new Set([fileKey(repo, CONFIG_PATH)]);
  let value = own.extends?.value;
  let from = `${CONFIG_PATH}`;
  let missing: string | null = null;
  while (value !== undefined) {
    const target = extendsTarget(value, repo);
    if (!target) {
      return refuse(`${from} names ${quote(value)}: \`_extends\` takes \`repo\`, \`owner/repo\` or \`owner/repo:path.yml\``);
    }
    if (seen.has(fileKey(target, target.path))) return refuse(`${from} names ${target.name}, which is already part of this config (a loop)`);
    if (chain.length > MAX_EXTENDS_FILES) {
      return refuse(`${from} names ${target.name}: a config may take settings from at most ${MAX_EXTENDS_FILES} files through \`_extends\``);
    }
    seen.add(fileKey(target, target.path));
    const text = await fetchConfigText(gh, target);
    if (text === null) {
      // As Probot: a file that is not there adds nothing (said below if the config is then invalid).
      missing = target.name;
      break;
    }
    if (typeof text !== "string") return refuse(`${target.name}: ${oversizeMessage(text.size)}`);
    const read = readConfigValue(text);
    if (!read.ok) {
      return { ok: false, errors: read.result.errors.map((error) => makeError(EXTENDS_KEY, at?.line ?? null, at?.column ?? null, `${target.name}: ${error.message}`)), omitted: read.result.omitted };
    }
    if (read.value === null || read.value === undefined) break; // an empty file adds nothing
    if (typeof read.value !== "object" || Array.isArray(read.value)) {
      return refuse(`${target.name}: the top level must be a mapping, got ${Array.isArray(read.value) ? "a list" : typeof read.value}`);
    }
    chain.push({ name: target.name, value: read.value as Record<string, unknown>, place: read.place });
    value = read.extends?.value;
    from = target.name;
  }

  // Farthest first, so nearer files' keys win; `_extends` itself is not a setting.
  const origin = new Map<string, (typeof chain)[number]>();
  // No prototype: a `__proto__` key is a key like any other (and reported as unknown).
  const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const file of [...chain].reverse()) {
    for (const [key, keyValue] of Object.entries(file.value)) {
      if (key === EXTENDS_KEY) continue;
      Object.defineProperty(merged, key, { value: keyValue, enumerable: true, writable: true, configurable: true });
      origin.set(key, file);
    }
  }
  const place: ConfigPlacer = (path, anchor) => {
    const file = path.length > 0 ? (origin.get(String(path[0])) ?? chain[0]!) : chain[0]!;
    const position = file.place(path, anchor);
    return position && file.name !== null ? { ...position, file: file.name } : position;
  };
  const checked = validateConfigObject(merged, place);
  if (checked.ok || missing === null) return checked;
  const note = makeError(EXTENDS_KEY, at?.line ?? null, at?.column ?? null, `${missing} does not exist, or the App cannot read it, so it added nothing`);
  // The note goes first and the list stays within MAX_LISTED_ERRORS: what it pushes out is counted.
  const errors = [note, ...checked.errors];
  return { ...checked, errors: errors.slice(0, MAX_LISTED_ERRORS), omitted: checked.omitted + Math.max(0, errors.length - MAX_LISTED_ERRORS) };
}

const EXTENDS_KEY = "_extends";

/**
 * A config file's text at the default branch, null when there is none (or it is not a file),
 * or only its size when that is over the limit: such a file is refused unread (GitHub sends no
 * content at all for a file over 1 MB, which would otherwise read as an empty file).
 */
async function fetchConfigText(gh: GitHub, file: RepoRef & { path: string }): Promise<string | { size: number } | null> {
  try {
    const { data } = await gh.rest.repos.getContent({ owner: file.owner, repo: file.repo, path: file.path });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    if (data.size > MAX_CONFIG_BYTES) return { size: data.size };
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function quote(value: unknown): string {
  return JSON.stringify(truncate(typeof value === "string" ? value : JSON.stringify(value) ?? String(value), 100));
}

function result(checked: ConfigResult): RepoConfig {
  return checked.ok ? { status: "ok", config: checked.config } : invalid(checked);
}

function invalid(checked: ConfigResult & { ok: false }): RepoConfig {
  return { status: "invalid", errors: checked.errors, omitted: checked.omitted };
}
