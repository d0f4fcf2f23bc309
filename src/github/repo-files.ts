import type { GitHub, RepoRef } from "./client.js";
import { isNotFound } from "./errors.js";

/**
 * The text of a file on the default branch (or at `ref`: a branch, tag or commit sha), or null
 * when there is no such file.
 */
export async function fetchTextFile(gh: GitHub, repo: RepoRef, path: string, ref?: string): Promise<string | null> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...repo, path, ...(ref !== undefined ? { ref } : {}) });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
