/**
 * The hidden line ending the App's comment on a meeting issue whose minutes pull request was
 * merged: `<!-- wg-meetings:minutes-merged -->`. It marks the close-on-merge step as done, so a
 * redelivered `pull_request.closed` event comments once.
 *
 * Trust rule: the marker counts only in the App's own comments (the caller lists them by the
 * App's login). Anyone who can comment can paste this line; believed in their comment, it would
 * make the App skip its comment on the merged minutes.
 */

/** The marker as the App writes it, on a line of its own at the end of the comment. */
export const MERGED_MARKER = "<!-- wg-meetings:minutes-merged -->";

/** Whether a comment body carries the merged marker. Only trusted on the App's own comments. */
export function hasMergedMarker(body: string): boolean {
  // Only as the comment's last line, where the App writes it: an App reply that quotes a chair's
  // text (a `/move` usage error) may hold the marker's text in its middle, never at its end.
  return MERGED_LAST_LINE.test(body);
}

const MERGED_LAST_LINE = /(?:^|\n)<!-- wg-meetings:minutes-merged -->\s*$/;
