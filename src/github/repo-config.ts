import { declaresExtends, parseConfigText, refuseConfigText, validateConfigObject, type ConfigError } from "../config/load-config.js";
import type { MeetingsConfig } from "../config/schema.js";
import type { GitHub, RepoRef } from "./client.js";
import { fetchTextFile } from "./repo-files.js";

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
 * `_extends` another (e.g. `_extends: .github`) to share settings; that merge goes through
 * Probot's config plugin, exactly as `context.config` does.
 *
 * `text` is the file as discovery saw it; without it the file is fetched (one request).
 */
export async function loadRepoConfig(gh: GitHub, repo: RepoRef, text?: string): Promise<RepoConfig> {
  const source = text ?? (await fetchTextFile(gh, repo, CONFIG_PATH));
  if (source === null) return { status: "none" };
  // Refused before any parse or _extends merge: the size limit and binary check hold for text
  // from GitHub as for `validate`.
  const refused = refuseConfigText(source);
  if (refused) return { status: "invalid", errors: refused, omitted: 0 };

  if (!declaresExtends(source)) {
    const parsed = parseConfigText(source, CONFIG_PATH);
    return parsed.ok ? { status: "ok", config: parsed.config } : { status: "invalid", errors: parsed.errors, omitted: parsed.omitted };
  }

  const merged = await gh.config.get({ ...repo, path: CONFIG_PATH });
  const checked = validateConfigObject(merged.config);
  return checked.ok ? { status: "ok", config: checked.config } : { status: "invalid", errors: checked.errors, omitted: checked.omitted };
}
