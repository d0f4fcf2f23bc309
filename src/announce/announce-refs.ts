import { createHash } from "node:crypto";
import { claimRefName } from "../state/claim-refs.js";

/**
 * The refs behind one announcement (one key of one meeting), without `refs/`: the claim a run
 * takes before it posts (so two runs at once cannot both post), and the `sent` ref it creates
 * right after the post succeeded. The marker's `announced` list is where runs look first (no
 * request); the `sent` ref is the durable record should that list lose the key (a concurrent
 * edit of the issue body written over it), so the key is recorded again instead of posted again.
 *
 * Both sit under the claim prefix, named by the series, the meeting's scheduled start (the one
 * it was first opened for: a move does not rename them) and a short hash of the key, which
 * holds characters (`@`, `:`) a ref name had better not.
 */
export function announceRefs(series: string, scheduledStart: Date, key: string): { claim: string; sent: string } {
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 12);
  const base = `${claimRefName(series, scheduledStart)}-announce-${hash}`;
  return { claim: base, sent: `${base}-sent` };
}

/** How long a run's claim on an announcement protects it: longer than any post takes. */
export const ANNOUNCE_LEASE_MS = 10 * 60 * 1000;
