import type { GitHub, RepoRef } from "./client.js";

/** A file of a pull request's diff, as `pulls.listFiles` lists it. */
export interface PullRequestFile {
  filename: string;
  /** The old name of a renamed file. */
  previous_filename?: string | undefined;
  status?: string;
}

/**
 * Whether any file of the pull request's diff satisfies `matches`. Pages through
 * `pulls.listFiles` 100 files at a time and stops at the first page with a match: most pull
 * requests cost one request.
 */
export async function pullRequestHasFile(
  gh: GitHub,
  repo: RepoRef,
  pullNumber: number,
  matches: (files: readonly PullRequestFile[]) => boolean,
): Promise<boolean> {
  const pages = gh.paginate.iterator(gh.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  for await (const { data } of pages) {
    if (matches(data)) return true;
  }
  return false;
}
