import { CLAIM_REF_PREFIX } from "../state/claim-refs.js";
import { claimRef } from "./claims.js";
import type { GitHub, Log, RepoRef } from "./client.js";
import { describeError, isNotFound, statusOf } from "./errors.js";

/**
 * A merged minutes PR is closed and followed up (src/meetings/close-meeting.ts, then
 * follow-up-on-merge.ts) by one delivery at a time. The markers make a later delivery find what
 * an earlier one wrote; they cannot stop two deliveries running at once (a redelivery while the
 * first still runs, two replicas) from both finding nothing and both posting the closing comment
 * or opening the same action item. So the first step that has something to write (the close,
 * else the follow-up) takes a claim ref, as the tick does for an occurrence (claims.ts: creating
 * a ref is atomic on GitHub, a claim older than its lease is taken over by a fast-forward), and
 * the rest of the merge step runs under it: one per meeting and merge commit,
 * `refs/wg-meetings/claims/follow-up/<series>/<date>/<merge sha>`, in the meeting's repository.
 *
 * A run that ends, however it ends, deletes its claim, so a later redelivery (to retry what
 * failed) claims afresh and finds everything already done by its markers. A run that dies
 * leaves it: another delivery may take it over once {@link FOLLOW_UP_LEASE_MS} has passed.
 */

/**
 * How long a follow-up's claim keeps other deliveries of the same merge out. A follow-up at its
 * bounds (50 issues, 50 comments, sent one every 3 seconds by the throttling) takes about 5
 * minutes: well inside half of this, so it still deletes its claim when it ends.
 */
export const FOLLOW_UP_LEASE_MS = 20 * 60 * 1000;

/** The claim ref (without `refs/`) of one merge's follow-up: the meeting's series and date, and the merge commit. */
export function followUpClaimRefName(series: string, date: string, mergeSha: string): string {
  // Series ids are lowercase letters, digits and dashes (config schema), dates YYYY-MM-DD; a sha
  // is hex. Anything else would make a ref name that means something else, or none.
  if (!/^[0-9a-f]{4,64}$/i.test(mergeSha) || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^[a-z0-9][a-z0-9-]*$/.test(series)) {
    throw new Error(`no follow-up claim for series ${JSON.stringify(series)}, date ${JSON.stringify(date)}, merge ${JSON.stringify(mergeSha)}`);
  }
  return `${CLAIM_REF_PREFIX}follow-up/${series}/${date}/${mergeSha.toLowerCase()}`;
}

export type FollowUpClaim =
  /** This run follows the merge up; `release` when it is done. `tookOver`: an earlier run died holding it. */
  | { status: "ours"; ref: string; tookOver: boolean; release: () => Promise<"released" | "left"> }
  /** Another delivery of the same merge is following it up now. */
  | { status: "busy"; ref: string; reason: string };

/** A claim this run holds: whoever ends the merge step releases it ({@link endFollowUpClaim}). */
export type HeldFollowUpClaim = Extract<FollowUpClaim, { status: "ours" }>;

/**
 * Claims the follow-up of one merge (see the top of this file). Requests: the merge commit (its
 * tree is the claim commit's), the claim commit, the ref; a held or stale claim adds the reads
 * and the takeover of claims.ts. `now` is read when the claim is taken and when it is released.
 */
export async function claimFollowUp(
  gh: GitHub,
  repo: RepoRef,
  merge: { series: string; date: string; sha: string },
  now: () => Date,
): Promise<FollowUpClaim> {
  const ref = followUpClaimRefName(merge.series, merge.date, merge.sha);
  const { data } = await gh.rest.git.getCommit({ ...repo, commit_sha: merge.sha });
  const takenAt = now();
  const result = await claimRef(gh, repo, {
    ref,
    label: `follow-up ${merge.series} ${merge.date} ${merge.sha}`,
    now: takenAt,
    tree: data.tree.sha,
    leaseMs: FOLLOW_UP_LEASE_MS,
  });
  if (!result.acquired) return { status: "busy", ref, reason: result.reason };
  return { status: "ours", ref, tookOver: result.tookOver, release: () => releaseFollowUp(gh, repo, ref, takenAt, now()) };
}

/**
 * Deletes this run's claim, so the next delivery of the merge need not wait out the lease. Only
 * while the lease has at least half of it left: after that, another run may have taken the
 * claim over (its clock against this run's claim date), and deleting the ref would delete that
 * run's claim. Such a claim is `left` to expire. A ref already gone is released.
 */
async function releaseFollowUp(gh: GitHub, repo: RepoRef, ref: string, takenAt: Date, now: Date): Promise<"released" | "left"> {
  if (now.getTime() - takenAt.getTime() >= FOLLOW_UP_LEASE_MS / 2) return "left";
  try {
    await gh.rest.git.deleteRef({ ...repo, ref });
  } catch (error) {
    // 422 "Reference does not exist" is how GitHub says a ref is gone, as well as a 404.
    if (!isNotFound(error) && !(statusOf(error) === 422 && /does not exist/i.test(error instanceof Error ? error.message : ""))) throw error;
  }
  return "released";
}

/**
 * Releases a claim this run holds, at the end of the merge step, however it ended. Never throws:
 * a claim that could not be deleted, or was left because the run outlasted half its lease,
 * expires with its lease, and the log says so.
 */
export async function endFollowUpClaim(claim: HeldFollowUpClaim, log: Log, ctx: Record<string, unknown>): Promise<void> {
  try {
    const released = await claim.release();
    if (released === "left") log.warn({ ...ctx, ref: claim.ref }, "follow-up claim left to expire: the run outlasted half its lease");
  } catch (error) {
    log.warn({ ...ctx, ref: claim.ref, err: describeError(error) }, "follow-up claim not released: it expires with its lease");
  }
}
