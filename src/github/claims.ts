import type { GitHub, RepoRef } from "./client.js";
import { describeError, isAlreadyExists, isNotFastForward, isNotFound } from "./errors.js";

/**
 * Claims are how two replicas (or a re-run tick and a redelivered event) agree on who opens
 * a meeting, with GitHub as the only shared state.
 *
 * Creating a git ref is atomic on GitHub: of two `POST /git/refs` for the same name exactly
 * one succeeds, the other gets 422 "Reference already exists". A claim is a ref under
 * `refs/wg-meetings/claims/` (outside heads/ and tags/, so it never shows up as a branch or
 * tag) pointing at a dangling commit whose author date records when it was taken.
 *
 * A worker that crashes after claiming leaves the claim behind. Once the claim is older than
 * the lease, another worker takes it over with a fast-forward-only ref update onto a child
 * commit of the stale claim: if two workers try that at once, only one update is a fast
 * forward, so takeover is atomic too.
 */

/** How long a claim protects an occurrence before another run may take it over. */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

export type ClaimResult =
  /** `tree`: the default branch's tree the claim commit used, for a further claim of the same run. */
  | { acquired: true; ref: string; tookOver: boolean; tree: string }
  | { acquired: false; ref: string; reason: string };

const AUTHOR = { name: "wg-meetings", email: "wg-meetings@users.noreply.github.com" };

/**
 * The ref name (without `refs/`) for one occurrence of one series; `purpose` claims a further
 * step of the same occurrence (`doc`: creating its minutes doc).
 */
export function claimRefName(series: string, start: Date, purpose?: "doc"): string {
  const stamp = start.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  return `wg-meetings/claims/${series}/${stamp}${purpose ? `-${purpose}` : ""}`;
}

/**
 * Tries to claim an occurrence. `acquired: true` means this caller, and nobody else, may
 * create the meeting issue now.
 */
export async function claimOccurrence(
  gh: GitHub,
  repo: RepoRef,
  claim: { series: string; start: Date; defaultBranch: string; now: Date; purpose?: "doc"; tree?: string | undefined },
): Promise<ClaimResult> {
  const ref = claimRefName(claim.series, claim.start, claim.purpose);

  // Any commit of the repository will do as the claim commit's tree; a run that just claimed
  // the occurrence passes the one it fetched, saving the request.
  const tree = claim.tree ?? (await gh.rest.repos.getBranch({ ...repo, branch: claim.defaultBranch })).data.commit.commit.tree.sha;
  const message = `wg-meetings claim ${claim.series} ${claim.start.toISOString()}${claim.purpose ? ` ${claim.purpose}` : ""}`;

  const fresh = await gh.rest.git.createCommit({
    ...repo,
    message,
    tree,
    parents: [],
    author: { ...AUTHOR, date: claim.now.toISOString() },
  });
  try {
    await gh.rest.git.createRef({ ...repo, ref: `refs/${ref}`, sha: fresh.data.sha });
    return { acquired: true, ref, tookOver: false, tree };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }

  // Someone claimed first. Respect the claim while its lease runs.
  const existing = await gh.rest.git.getRef({ ...repo, ref });
  const held = await gh.rest.git.getCommit({ ...repo, commit_sha: existing.data.object.sha });
  const claimedAt = Date.parse(held.data.author.date);
  const age = claim.now.getTime() - claimedAt;
  if (Number.isNaN(claimedAt) || age < CLAIM_LEASE_MS) {
    return {
      acquired: false,
      ref,
      reason: `claimed by another run at ${held.data.author.date}; its lease ends after ${CLAIM_LEASE_MS / 1000} s`
    };
  }

  // The claim is stale: its holder died. Take it over with a fast-forward-only update, which
  // fails for every taker but the first.
  const takeover = await gh.rest.git.createCommit({
    ...repo,
    message: `${message} (takeover)`,
    tree,
    parents: [existing.data.object.sha],
    author: { ...AUTHOR, date: claim.now.toISOString() },
  });
  try {
    await gh.rest.git.updateRef({ ...repo, ref, sha: takeover.data.sha, force: false });
    return { acquired: true, ref, tookOver: true, tree };
  } catch (error) {
    if (isNotFastForward(error) || isNotFound(error)) {
      return { acquired: false, ref, reason: `another run took over the stale claim (${describeError(error)})` };
    }
    throw error;
  }
}
