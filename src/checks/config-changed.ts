import { CONFIG_PATH } from "../github/repo-config.js";
import type { PullRequestFile } from "../github/pull-request-files.js";

/** The parts of a `push` payload that say whether it touched the config. */
export interface PushFiles {
  ref: string;
  /** True when the push deleted the branch: there is no commit to check. */
  deleted?: boolean | undefined;
  commits?: Array<{ added?: string[]; modified?: string[]; removed?: string[] }> | undefined;
  /** Number of commits pushed, when the payload says so (it may list fewer). */
  size?: number | undefined;
}

/**
 * GitHub lists at most this many commits in a `push` payload; a push that lists exactly this
 * many may have had more.
 */
export const PUSH_PAYLOAD_COMMIT_LIMIT = 2048;

/**
 * True when a push to a branch (any branch: people edit the config on branches before opening
 * a pull request) added, changed or removed `.github/meetings.yml`. Tags and branch deletions
 * are never checked. When the payload left commits out we cannot tell, so we answer true: a
 * check run on an unchanged config is harmless, a missed one is not.
 */
export function pushTouchesConfig(push: PushFiles, options: { removals?: boolean } = {}): boolean {
  if (!push.ref.startsWith("refs/heads/") || push.deleted) return false;
  const commits = push.commits ?? [];
  if ((push.size !== undefined && push.size > commits.length) || commits.length >= PUSH_PAYLOAD_COMMIT_LIMIT) return true;
  const removals = options.removals ?? true;
  return commits.some((commit) =>
    [...(commit.added ?? []), ...(commit.modified ?? []), ...(removals ? (commit.removed ?? []) : [])].includes(CONFIG_PATH),
  );
}

/**
 * True when a page of a pull request's files adds, changes, removes or renames
 * `.github/meetings.yml` (renamed away counts: the config is gone).
 */
export function pullFilesTouchConfig(files: readonly PullRequestFile[]): boolean {
  return files.some((file) => file.filename === CONFIG_PATH || file.previous_filename === CONFIG_PATH);
}
