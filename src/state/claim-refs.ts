/**
 * The format and rules of claim refs, without the I/O (that is src/github/claims.ts).
 *
 * A claim is a ref under `refs/wg-meetings/claims/` (outside heads/ and tags/, so it never
 * shows up as a branch or tag) pointing at a dangling commit whose author date records when it
 * was taken. Creating a ref is atomic on GitHub, so of two runs exactly one gets it; a claim
 * older than its lease may be taken over by a fast-forward onto a child commit.
 *
 * Trust rule: a claim is this run's only when the ref points at the commit this run made (the
 * message carries a nonce, so no other run makes the same commit). A claim someone else holds
 * is respected while its lease runs; an author date that cannot be read counts as held.
 */

/** How long a claim protects an occurrence before another run may take it over. */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

/** How long a 👀 (or a comment's claim ref) protects a command before another delivery may take it over. */
export const COMMAND_LEASE_MS = 10 * 60 * 1000;

/** The prefix of every claim ref, without `refs/`. */
export const CLAIM_REF_PREFIX = "wg-meetings/claims/";

/** The author of every claim commit; its date is when the claim was taken. */
export const CLAIM_AUTHOR = { name: "wg-meetings", email: "wg-meetings@users.noreply.github.com" } as const;

/**
 * The ref name (without `refs/`) for one occurrence of one series; `purpose` claims a further
 * step of the same occurrence (`doc`: creating its minutes doc).
 */
export function claimRefName(series: string, start: Date, purpose?: "doc"): string {
  const stamp = start.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  return `${CLAIM_REF_PREFIX}${series}/${stamp}${purpose ? `-${purpose}` : ""}`;
}

/**
 * The ref name (without `refs/`) that claims the answer to one comment's command, taken only
 * when a run takes over a command whose first run died (see src/github/command-claims.ts).
 */
export function commentClaimRefName(commentId: number): string {
  return `${CLAIM_REF_PREFIX}comments/${commentId}`;
}

/**
 * The claim commit's message. `nonce` makes this run's commit its own even when another run
 * claims in the same millisecond with the same tree: git would give both the same sha otherwise.
 */
export function claimCommitMessage(label: string, nonce: string, takeover = false): string {
  return `wg-meetings claim ${label} (run ${nonce})${takeover ? " (takeover)" : ""}`;
}

/**
 * Whether a claim taken at `since` (an ISO date: a claim commit's author date, or a 👀's
 * creation) still holds at `now`. A date that cannot be read holds: when in doubt, stand down.
 */
export function leaseHolds(since: string | undefined, now: Date, leaseMs: number): boolean {
  const claimedAt = Date.parse(since ?? "");
  return Number.isNaN(claimedAt) || now.getTime() - claimedAt < leaseMs;
}
