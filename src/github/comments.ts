import type { GitHub, RepoRef } from "./client.js";
import { createOnce } from "./create-once.js";

/** A comment the App wrote on an issue. */
export interface AppComment {
  id: number;
  body: string;
}

/**
 * The App's own comments on an issue, oldest first; with `since` (ISO instant), only those
 * written or edited since then. Comments by anybody else are left out, so nobody can pose as
 * an answer the App gave. The comments list is strongly consistent: a comment the App just
 * wrote is in it.
 */
export async function listAppComments(gh: GitHub, repo: RepoRef, issueNumber: number, botLogin: string, since?: string): Promise<AppComment[]> {
  const comments = await gh.paginate(gh.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
    ...(since ? { since } : {}),
  });
  return comments
    .filter((comment) => comment.user?.login.toLowerCase() === botLogin.toLowerCase())
    .map((comment) => ({ id: comment.id, body: comment.body ?? "" }));
}

/** How to recognise a comment already written: by the App, since when, and which one it is. */
export interface CommentLook {
  botLogin: string;
  /** Only comments since this instant can be it (default: all of the issue's comments). */
  since?: string | undefined;
  /** Whether one of the App's comments is this one (default: the same text). */
  isIt?: (comment: AppComment) => boolean;
}

/**
 * Comments once: after a failure that leaves it open whether the comment was written, the
 * App's comments are read before it is written again (see createOnce). `found` says an
 * earlier attempt had written it.
 */
export async function commentOnce(
  gh: GitHub,
  repo: RepoRef,
  issueNumber: number,
  body: string,
  look: CommentLook,
): Promise<{ id: number; found: boolean }> {
  const isIt = look.isIt ?? ((comment: AppComment) => comment.body.trim() === body.trim());
  const { value, found } = await createOnce(
    async () => (await gh.rest.issues.createComment({ ...repo, issue_number: issueNumber, body })).data.id,
    async () => (await findAppComment(gh, repo, issueNumber, look.botLogin, look.since, isIt))?.id ?? null,
  );
  return { id: value, found };
}

/** The newest of the App's comments that `isIt` recognises, or null. */
export async function findAppComment(
  gh: GitHub,
  repo: RepoRef,
  issueNumber: number,
  botLogin: string,
  since: string | undefined,
  isIt: (comment: AppComment) => boolean,
): Promise<AppComment | null> {
  const comments = await listAppComments(gh, repo, issueNumber, botLogin, since);
  return comments.filter(isIt).at(-1) ?? null;
}
