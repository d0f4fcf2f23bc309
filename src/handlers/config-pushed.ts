import { CONFIG_PATH } from "../github/repo-config.js";

/** The parts of a `push` payload that decide whether the config changed on the default branch. */
export interface PushSummary {
  ref: string;
  repository: { default_branch?: string | undefined; full_name: string };
  commits?: Array<{ added?: string[]; modified?: string[]; removed?: string[] }> | undefined;
  head_commit?: { added?: string[]; modified?: string[] } | null | undefined;
  size?: number | undefined;
}

/**
 * True when a push to the default branch added or changed `.github/meetings.yml`.
 * GitHub lists at most 20 commits in a push payload: when some were left out we cannot
 * tell, so we answer true and let the (idempotent) tick decide.
 */
export function configChangedOnDefaultBranch(push: PushSummary): boolean {
  const defaultBranch = push.repository.default_branch;
  if (!defaultBranch || push.ref !== `refs/heads/${defaultBranch}`) return false;
  const commits = push.commits ?? [];
  if (push.size !== undefined && push.size > commits.length) return true;
  return commits.some((commit) => [...(commit.added ?? []), ...(commit.modified ?? [])].includes(CONFIG_PATH));
}
