import { COMMAND_LEASE_MS, commentClaimRefName, leaseHolds } from "../state/claim-refs.js";
import { parseReplyMarker, replyMarker, type ReplyResult } from "../state/reply-marker.js";
import { claimRef } from "./claims.js";
import type { GitHub, RepoRef } from "./client.js";
import { commentOnce, findAppComment } from "./comments.js";
import { isRateLimited, isTimeout, outcomeUnknown } from "./errors.js";
import type { Acknowledgement } from "./reactions.js";

/**
 * A command comment is answered once, however often its event is delivered and however many
 * deliveries run at once. The App's 👀 on the comment is the claim: GitHub creates a reaction
 * once and answers 201, and 200 to every later request for the same reaction. So exactly one
 * run gets the 201 and answers; a run that gets 200 finds the answer (🚀/😕, or the reply) or
 * stands down. The 👀 is sent once (`retries: 0`): a replay would turn the run's own 201 into a
 * 200, and the run would stand down from its own claim.
 *
 * A run can die between 👀 and its answer. Once the 👀 is older than {@link COMMAND_LEASE_MS},
 * a later delivery takes the command over, atomically through a claim ref (claims.ts), and
 * looks for a reply the dead run may have written before it writes its own.
 *
 * Every reply carries a hidden marker naming the comment it answers and its result, so the
 * reply is found again (by the App's own comments only) after a lost answer, and a reply whose
 * run died before its 🚀/😕 still counts as the answer. The marker's format is
 * src/state/reply-marker.ts, the lease src/state/claim-refs.ts.
 */

/** The acknowledgement a result ends with: 🚀 when it worked (or helped), 😕 otherwise. */
export function finalReaction(result: ReplyResult): Acknowledgement {
  return result === "done" || result === "help" ? "rocket" : "confused";
}

/** A command comment: its id, and the issue it is on. */
export interface CommandComment {
  id: number;
  issueNumber: number;
}

export type CommandClaim =
  /** This run answers. `since`: when the 👀 was made (replies can only be newer). */
  | { status: "ours"; since: string | undefined; tookOver: boolean }
  /** Answered already (by an earlier delivery); nothing to do. */
  | { status: "answered"; result: ReplyResult | "unknown" }
  /** Another delivery is answering right now. */
  | { status: "busy"; reason: string };

/**
 * Claims the answer to a command comment (see the top of this file). Requests: one 👀 for the
 * first delivery; a redelivery adds the reaction listing, and the comment listing when no
 * 🚀/😕 is there yet.
 */
export async function claimCommand(
  gh: GitHub,
  repo: RepoRef,
  comment: CommandComment,
  ctx: { botLogin: string; defaultBranch: string; now: Date },
): Promise<CommandClaim> {
  const eyes = await addEyes(gh, repo, comment.id, ctx.botLogin);
  if (eyes.created) return { status: "ours", since: eyes.at, tookOver: false };

  // Another delivery of this comment got here first: has it answered?
  const reactions = await listReactions(gh, repo, comment.id, ctx.botLogin);
  const done = reactions.find((reaction) => reaction.content === "rocket" || reaction.content === "confused");
  if (done) return { status: "answered", result: "unknown" };
  const reply = await findReply(gh, repo, comment, ctx.botLogin, eyes.at);
  if (reply) {
    // Its run died between the reply and the 🚀/😕: finish that.
    await reactToCommandComment(gh, repo, comment.id, finalReaction(reply.result));
    return { status: "answered", result: reply.result };
  }

  if (leaseHolds(eyes.at, ctx.now, COMMAND_LEASE_MS)) {
    return { status: "busy", reason: `another delivery is answering it (👀 since ${eyes.at ?? "an unknown time"})` };
  }
  const takeover = await claimRef(gh, repo, {
    ref: commentClaimRefName(comment.id),
    label: `comment ${comment.id}`,
    defaultBranch: ctx.defaultBranch,
    now: ctx.now,
    leaseMs: COMMAND_LEASE_MS,
  });
  if (!takeover.acquired) return { status: "busy", reason: takeover.reason };
  return { status: "ours", since: eyes.at, tookOver: true };
}

/**
 * Replies to a command once: the text ends with the reply marker, and after a lost answer (or,
 * with `lookFirst`, before writing at all) the App's comments since `since` are searched for it.
 */
export async function replyOnce(
  gh: GitHub,
  repo: RepoRef,
  comment: CommandComment,
  reply: { text: string; result: ReplyResult },
  look: { botLogin: string; since: string | undefined; lookFirst: boolean },
): Promise<{ found: boolean }> {
  if (look.lookFirst && (await findReply(gh, repo, comment, look.botLogin, look.since))) return { found: true };
  const body = `${reply.text}\n\n${replyMarker(comment.id, reply.result)}`;
  const { found } = await commentOnce(gh, repo, comment.issueNumber, body, {
    botLogin: look.botLogin,
    since: look.since,
    isIt: (candidate) => parseReplyMarker(candidate.body)?.comment === comment.id,
  });
  return { found };
}

/** Reacts to a command comment (idempotent: GitHub keeps one reaction of each kind per user). */
export async function reactToCommandComment(gh: GitHub, repo: RepoRef, commentId: number, content: Acknowledgement): Promise<void> {
  await gh.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
}

/** The App's reply to the comment, by its marker, among the App's comments since `since`. */
async function findReply(gh: GitHub, repo: RepoRef, comment: CommandComment, botLogin: string, since: string | undefined) {
  const found = await findAppComment(gh, repo, comment.issueNumber, botLogin, since, (candidate) => parseReplyMarker(candidate.body)?.comment === comment.id);
  return found ? parseReplyMarker(found.body) : null;
}

/**
 * Sends 👀 once. `created`: this request made it (201). After a failure that leaves that open
 * the reactions are read: a 👀 of the App's there now is this run's (its answer was lost);
 * none means nothing happened, and it is sent once more.
 */
async function addEyes(gh: GitHub, repo: RepoRef, commentId: number, botLogin: string): Promise<{ created: boolean; at: string | undefined }> {
  const send = async () => {
    const { status, data } = await gh.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content: "eyes", request: { retries: 0 } });
    return { created: status === 201, at: data?.created_at };
  };
  try {
    return await send();
  } catch (error) {
    if (!outcomeUnknown(error) && !isRateLimited(error)) throw error;
    const mine = (await listReactions(gh, repo, commentId, botLogin)).find((reaction) => reaction.content === "eyes");
    if (mine) return { created: true, at: mine.createdAt };
    if (isTimeout(error)) throw error;
    return send();
  }
}

/** The App's own reactions on a comment. */
async function listReactions(gh: GitHub, repo: RepoRef, commentId: number, botLogin: string): Promise<Array<{ content: string; createdAt: string | undefined }>> {
  const { data } = await gh.rest.reactions.listForIssueComment({ ...repo, comment_id: commentId, per_page: 100 });
  return data
    .filter((reaction) => reaction.user?.login.toLowerCase() === botLogin.toLowerCase())
    .map((reaction) => ({ content: reaction.content, createdAt: reaction.created_at }));
}
