/**
 * The hidden line ending every reply to a chair command, e.g.
 * `<!-- wg-meetings:reply {"comment":123,"result":"done"} -->`. It names the comment answered
 * and the result, so the reply is found again after a lost answer, and a reply whose run died
 * before its 🚀/😕 still counts as the answer.
 *
 * Trust rule: a reply marker counts only in the App's own comments (the caller filters by the
 * App's login); anyone can paste this line into a comment of their own.
 */

/** What the reply says happened: the 🚀/😕 follows from it. */
export type ReplyResult = "done" | "refused" | "unauthorized" | "failed" | "help";

const REPLY_MARKER = /<!-- wg-meetings:reply (\{[^\n]*?\}) -->/g;
const RESULTS: readonly string[] = ["done", "refused", "unauthorized", "failed", "help"];

/** The hidden line ending a reply to comment `commentId`. */
export function replyMarker(commentId: number, result: ReplyResult): string {
  return `<!-- wg-meetings:reply ${JSON.stringify({ comment: commentId, result })} -->`;
}

/**
 * The comment and result a reply's marker names, or null. Only trusted on the App's own comments.
 * The App writes its marker last, so the last one counts: a reply's text can quote a config
 * value (an error naming `minutes.path`) that holds a marker of its own.
 */
export function parseReplyMarker(body: string): { comment: number; result: ReplyResult } | null {
  const match = Array.from(body.matchAll(REPLY_MARKER)).at(-1);
  if (!match) return null;
  try {
    const data = JSON.parse(match[1]!) as { comment?: unknown; result?: unknown };
    if (typeof data.comment !== "number" || typeof data.result !== "string" || !RESULTS.includes(data.result)) return null;
    return { comment: data.comment, result: data.result as ReplyResult };
  } catch {
    return null;
  }
}
