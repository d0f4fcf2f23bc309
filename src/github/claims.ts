import { randomUUID } from "node:crypto";
import { CLAIM_AUTHOR, CLAIM_LEASE_MS, claimCommitMessage, claimRefName, leaseHolds } from "../state/claim-refs.js";
import type { GitHub, RepoRef } from "./client.js";
import { describeError, isAlreadyExists, isNotFastForward, isNotFound, outcomeUnknown } from "./errors.js";

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
 * forward, so takeover is atomic too. The ref names, the claim commit's format and the lease
 * rule are src/state/claim-refs.ts; this file does the requests.
 */

export type ClaimResult =
  /** `tree`: the default branch's tree the claim commit used, for a further claim of the same run. */
  | { acquired: true; ref: string; tookOver: boolean; tree: string }
  | { acquired: false; ref: string; reason: string };

/**
 * Tries to claim an occurrence. `acquired: true` means this caller, and nobody else, may
 * create the meeting issue now.
 */
export async function claimOccurrence(
  gh: GitHub,
  repo: RepoRef,
  claim: { series: string; start: Date; defaultBranch: string; now: Date; purpose?: "doc"; tree?: string | undefined },
): Promise<ClaimResult> {
  const label = `${claim.series} ${claim.start.toISOString()}${claim.purpose ? ` ${claim.purpose}` : ""}`;
  return claimRef(gh, repo, { ref: claimRefName(claim.series, claim.start, claim.purpose), label, ...claim });
}

/**
 * Tries to take the claim ref `ref` (without `refs/`); see the top of this file. `label` names
 * what is claimed in the claim commit's message; `leaseMs` is how long a claim protects before
 * another run may take it over (default {@link CLAIM_LEASE_MS}). The claim commit's tree is
 * `tree` when given, else the default branch's (one request).
 *
 * A lost answer does not lose the claim: the ref is created with this run's own commit, so a
 * refusal ("already exists", after Octokit replayed the request) or an answer that never came
 * is settled by reading the ref back: pointing at this run's commit, the claim is this run's.
 */
export async function claimRef(
  gh: GitHub,
  repo: RepoRef,
  claim: { ref: string; label: string; defaultBranch?: string | undefined; now: Date; tree?: string | undefined; leaseMs?: number },
): Promise<ClaimResult> {
  const { ref } = claim;
  const lease = claim.leaseMs ?? CLAIM_LEASE_MS;

  // Any commit of the repository will do as the claim commit's tree; a run that just claimed
  // the occurrence passes the one it fetched, saving the request.
  const tree = claim.tree ?? (await defaultBranchTree(gh, repo, claim.defaultBranch));
  // The nonce makes this run's claim commit its own (see claimCommitMessage).
  const nonce = randomUUID().slice(0, 8);
  const message = claimCommitMessage(claim.label, nonce);

  const fresh = await gh.rest.git.createCommit({
    ...repo,
    message,
    tree,
    parents: [],
    author: { ...CLAIM_AUTHOR, date: claim.now.toISOString() },
  });
  const created = await settle(() => gh.rest.git.createRef({ ...repo, ref: `refs/${ref}`, sha: fresh.data.sha }), isAlreadyExists);
  if (created === "done") return { acquired: true, ref, tookOver: false, tree };

  // Refused, or no answer: whose is the ref?
  const existing = await readRef(gh, repo, ref);
  if (existing === fresh.data.sha) return { acquired: true, ref, tookOver: false, tree };
  if (existing === null) {
    // Nobody holds it: the create did not happen. A second failure is the caller's to report.
    if (created instanceof Error) throw created;
    await gh.rest.git.createRef({ ...repo, ref: `refs/${ref}`, sha: fresh.data.sha });
    return { acquired: true, ref, tookOver: false, tree };
  }

  // Someone claimed first. Respect the claim while its lease runs.
  const held = await gh.rest.git.getCommit({ ...repo, commit_sha: existing });
  if (leaseHolds(held.data.author.date, claim.now, lease)) {
    return {
      acquired: false,
      ref,
      reason: `claimed by another run at ${held.data.author.date}; its lease ends after ${lease / 1000} s`,
    };
  }

  // The claim is stale: its holder died. Take it over with a fast-forward-only update, which
  // fails for every taker but the first.
  const takeover = await gh.rest.git.createCommit({
    ...repo,
    message: claimCommitMessage(claim.label, nonce, true),
    tree,
    parents: [existing],
    author: { ...CLAIM_AUTHOR, date: claim.now.toISOString() },
  });
  const updated = await settle(
    () => gh.rest.git.updateRef({ ...repo, ref, sha: takeover.data.sha, force: false }),
    (error) => isNotFastForward(error) || isNotFound(error),
  );
  if (updated === "done") return { acquired: true, ref, tookOver: true, tree };
  // A replayed update after a lost answer is no fast forward either: the ref is then ours.
  if ((await readRef(gh, repo, ref)) === takeover.data.sha) return { acquired: true, ref, tookOver: true, tree };
  if (updated instanceof Error) throw updated;
  return { acquired: false, ref, reason: `another run took over the stale claim (${describeError(updated.refused)})` };
}

/**
 * Runs a ref write: `done`, `{ refused }` when GitHub said no in the way `refusal` knows, or
 * the error itself when the outcome is unknown (no answer, a 5xx). Anything else throws.
 */
async function settle(write: () => Promise<unknown>, refusal: (error: unknown) => boolean): Promise<"done" | { refused: unknown } | Error> {
  try {
    await write();
    return "done";
  } catch (error) {
    if (refusal(error)) return { refused: error };
    if (outcomeUnknown(error) && error instanceof Error) return error;
    throw error;
  }
}

/** The tree of the default branch's head. */
async function defaultBranchTree(gh: GitHub, repo: RepoRef, branch: string | undefined): Promise<string> {
  if (branch === undefined) throw new Error("a claim needs a tree or the default branch to take one from");
  return (await gh.rest.repos.getBranch({ ...repo, branch })).data.commit.commit.tree.sha;
}

/** The sha a ref points at, or null when it does not exist. */
async function readRef(gh: GitHub, repo: RepoRef, ref: string): Promise<string | null> {
  try {
    return (await gh.rest.git.getRef({ ...repo, ref })).data.object.sha;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
