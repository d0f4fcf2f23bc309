import type { ProbotOctokit } from "probot";

/** The authenticated Octokit the App acts with (an installation, or the App itself). */
export type GitHub = ProbotOctokit;

/** `owner/name` split in the shape every Octokit call wants. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Splits `owner/name`. */
export function repoRef(fullName: string): RepoRef {
  const [owner, repo] = fullName.split("/");
  if (!owner || !repo) throw new Error(`wg-meetings: expected owner/name, got "${fullName}"`);
  return { owner, repo };
}

/** The minimal structured logger every use case takes (Probot's pino logger fits). */
export interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
