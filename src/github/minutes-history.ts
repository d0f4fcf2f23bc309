import { MINUTES_WALK_LIMITS, walkMinutesFiles, type FolderEntry, type MinutesFolderIo, type MinutesWalk, type MinutesWalkLimits } from "../minutes/minutes-files.js";
import type { GitHub, RepoRef } from "./client.js";
import { isNotFound } from "./errors.js";

/**
 * A series' merged minutes, read from its repository at a ref through the contents API: one
 * listing of the folder `minutes.path` names (more only for `{{year}}/` folders), then one read
 * per file, newest first, until enough are read. Files written by hand before the App count
 * like the App's, as long as their path is what the template renders for their date.
 *
 * Cost: 1 + N requests for N files with `meetings/{{date}}.md`. The contents API lists at most
 * 1,000 entries of a folder; a folder holding more is read only as far as GitHub lists it.
 */

/** Who asks: the repository, the ref (branch, tag or sha) the merged minutes are on. */
export interface MinutesHistoryQuery {
  /** `minutes.path`, e.g. `meetings/{{date}}.md`. */
  template: string;
  /** The branch, tag or commit; the default branch when not given. */
  ref?: string;
  /** Only meetings dated before this `YYYY-MM-DD`; null: any. */
  before: string | null;
  /** How many of the newest to read. */
  count: number;
  limits?: MinutesWalkLimits;
}

/**
 * The `count` newest minutes files of a series dated before `before`, newest first (see the
 * module comment). A missing folder is an empty history.
 *
 * @throws MinutesPathError when the template cannot name a minutes file; Octokit errors other
 *   than 404.
 */
export async function readMinutesHistory(gh: GitHub, repo: RepoRef, query: MinutesHistoryQuery): Promise<MinutesWalk> {
  if (query.count <= 0) return { files: [], skipped: [], truncated: false };
  return walkMinutesFiles(gitHubFolderIo(gh, repo, query.ref), query.template, {
    before: query.before,
    count: query.count,
    limits: query.limits ?? MINUTES_WALK_LIMITS,
  });
}

/** Folders and files of a repository at `ref` (or its default branch), through `GET /repos/{owner}/{repo}/contents/{path}`. */
function gitHubFolderIo(gh: GitHub, repo: RepoRef, ref: string | undefined): MinutesFolderIo {
  const at = ref !== undefined ? { ref } : {};
  return {
    async list(path) {
      try {
        const { data } = await gh.rest.repos.getContent({ ...repo, path, ...at });
        if (!Array.isArray(data)) return null;
        return data.map(
          (entry): FolderEntry => ({
            name: entry.name,
            type: entry.type === "file" ? "file" : entry.type === "dir" ? "dir" : "other",
            size: typeof entry.size === "number" ? entry.size : 0,
          }),
        );
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async read(path) {
      try {
        const { data } = await gh.rest.repos.getContent({ ...repo, path, ...at });
        if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
        // Files over 1 MB come without content; the walk's size bound skips them before this.
        if (data.encoding !== "base64") return null;
        return Buffer.from(data.content, "base64").toString("utf8");
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
  };
}
