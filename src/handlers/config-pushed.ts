import { pushTouchesConfig, type PushFiles } from "../checks/config-changed.js";

/** The parts of a `push` payload that decide whether the config changed on the default branch. */
export interface PushSummary extends PushFiles {
  repository: { default_branch?: string | undefined; full_name: string };
}

/**
 * True when a push to the default branch added or changed `.github/meetings.yml` (where
 * meetings run from). A removal opens nothing, so it does not count here; the check run still
 * reports it. Payloads that left commits out count, as `pushTouchesConfig` explains.
 */
export function configChangedOnDefaultBranch(push: PushSummary): boolean {
  const defaultBranch = push.repository.default_branch;
  if (!defaultBranch || push.ref !== `refs/heads/${defaultBranch}`) return false;
  return pushTouchesConfig(push, { removals: false });
}
