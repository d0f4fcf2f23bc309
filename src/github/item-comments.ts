import { formatItemNotesMarker, type ItemNotesMarker } from "../state/item-notes-marker.js";
import { actionItemTitle, inertMarkdown, quoteBlock } from "./action-item-issues.js";
import type { GitHub, RepoRef } from "./client.js";
import type { AppComment } from "./comments.js";
import { createOnce } from "./create-once.js";
import { isNotFound } from "./errors.js";

/**
 * The comment an agenda item gets when the minutes of a meeting that discussed it are merged
 * (src/meetings/follow-up-on-merge.ts): one per item per meeting, found again by its marker
 * (src/state/item-notes-marker.ts) and edited, never written twice. Also what the App may know
 * of the item's repository before it writes there.
 */

/** What decides whether the App may write in a repository. */
export interface RepositoryFacts {
  private: boolean;
  archived: boolean;
}

/** A repository's visibility and whether it is archived; null when the App cannot see it (404). */
export async function repositoryFacts(gh: GitHub, repo: RepoRef): Promise<RepositoryFacts | null> {
  try {
    const { data } = await gh.rest.repos.get({ ...repo });
    return { private: data.private, archived: data.archived };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The most pages of 100 comments read on one item when looking for the App's comment. */
export const MAX_COMMENT_PAGES = 10;

/**
 * The App's comment on an item that `isIt` recognises (the newest), among the comments written
 * or edited since `since`; `complete` is false when the page bound stopped the reading first,
 * and the comment may then exist unseen. Only the App's own comments count.
 */
export async function findItemComment(
  gh: GitHub,
  repo: RepoRef,
  issueNumber: number,
  botLogin: string,
  since: string | undefined,
  isIt: (comment: AppComment) => boolean,
): Promise<{ comment: AppComment | null; complete: boolean; pages: number }> {
  let found: AppComment | null = null;
  for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
    const { data } = await gh.rest.issues.listComments({ ...repo, issue_number: issueNumber, per_page: 100, page, ...(since ? { since } : {}) });
    for (const comment of data) {
      if (comment.user?.login.toLowerCase() !== botLogin.toLowerCase()) continue;
      const candidate = { id: comment.id, body: comment.body ?? "" };
      if (isIt(candidate)) found = candidate;
    }
    if (data.length < 100) return { comment: found, complete: true, pages: page };
  }
  return { comment: found, complete: false, pages: MAX_COMMENT_PAGES };
}

/** What {@link writeItemComment} did. */
export type ItemCommentWrite = "created" | "found" | "edited" | "unchanged";

/**
 * Writes the item's comment: edits `existing` when its text differs (unchanged when it is the
 * same), else comments once: after a lost answer the App's comments are read again before the
 * comment is sent again (create-once.ts), so a lost answer never makes a second one.
 */
export async function writeItemComment(
  gh: GitHub,
  repo: RepoRef,
  issueNumber: number,
  body: string,
  look: { botLogin: string; since: string | undefined; existing: AppComment | null; isIt: (comment: AppComment) => boolean },
): Promise<ItemCommentWrite> {
  if (look.existing) {
    if (look.existing.body.trim() === body.trim()) return "unchanged";
    await gh.rest.issues.updateComment({ ...repo, comment_id: look.existing.id, body });
    return "edited";
  }
  const { found } = await createOnce(
    async () => (await gh.rest.issues.createComment({ ...repo, issue_number: issueNumber, body })).data.id,
    async () => (await findItemComment(gh, repo, issueNumber, look.botLogin, look.since, look.isIt)).comment?.id ?? null,
  );
  return found ? "found" : "created";
}

// ---------------------------------------------------------------------------------------------
// The comment's text

/** The most decisions quoted in one item's comment; the minutes file has the rest. */
export const MAX_QUOTED_DECISIONS = 20;
/** The longest decision quoted, in characters. */
export const MAX_QUOTED_DECISION_CHARS = 1_000;

/** What an item's comment says. */
export interface ItemCommentText {
  meeting: { title: string; url: string };
  /** The item's section of the merged minutes file, and the file's path. */
  minutes: { path: string; url: string };
  /** What was decided about the item (inline Markdown, as parsed). */
  decisions: string[];
  /** Its action items: the issue opened for each, when there is one. */
  actionItems: Array<{ text: string; owners: string[]; done: boolean; issue: { url: string } | null }>;
  marker: ItemNotesMarker;
}

/**
 * The comment on an agenda item discussed at a meeting: a link to its part of the merged
 * minutes, its decisions quoted, its action items with the issues opened for them, and the
 * marker as the last line. Minutes text is quoted inert (no HTML comment, no mention: see
 * action-item-issues.ts's `inertMarkdown`), and owners are named without notifying them again.
 */
export function itemCommentBody(text: ItemCommentText): string {
  const title = inertMarkdown(text.meeting.title, 200).replace(/[[\]]/g, "\\$&");
  const lines = [`Discussed at the [${title}](${text.meeting.url}): see [its notes in \`${text.minutes.path}\`](${text.minutes.url}).`];
  if (text.decisions.length > 0) {
    lines.push("", "**Decisions**", "");
    const quoted = text.decisions.slice(0, MAX_QUOTED_DECISIONS).map((decision) => `- ${inertMarkdown(decision, MAX_QUOTED_DECISION_CHARS).replace(/\n/g, " ")}`);
    if (text.decisions.length > MAX_QUOTED_DECISIONS) quoted.push(`- … and ${text.decisions.length - MAX_QUOTED_DECISIONS} more in the minutes`);
    lines.push(quoteBlock(quoted.join("\n")));
  }
  if (text.actionItems.length > 0) {
    lines.push("", "**Action items**", "");
    for (const item of text.actionItems) {
      const title = inertMarkdown(actionItemTitle(item.text), 200).replace(/[[\]<>`*_~|\\]/g, "\\$&");
      const what = item.issue ? `${item.issue.url}: ${title}` : title;
      const who = item.owners.length > 0 ? ` (${item.owners.map((owner) => `@\u200B${owner}`).join(", ")})` : "";
      lines.push(`- ${what}${who}${item.done ? " (done at the meeting)" : ""}`);
    }
  }
  lines.push("", formatItemNotesMarker(text.marker), "");
  return lines.join("\n");
}
