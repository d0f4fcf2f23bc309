import { describe, expect, it } from "vitest";
import {
  CLAIM_LEASE_MS,
  COMMAND_LEASE_MS,
  claimCommitMessage,
  claimRefName,
  commentClaimRefName,
  leaseHolds,
} from "../../../src/state/claim-refs.js";

const TAKEN = "2024-10-24T14:00:00.000Z";
const at = (ms: number) => new Date(Date.parse(TAKEN) + ms);

describe("a claim's lease", () => {
  it("is two minutes for an occurrence and ten for a command", () => {
    expect(CLAIM_LEASE_MS).toBe(120_000);
    expect(COMMAND_LEASE_MS).toBe(600_000);
  });

  it("holds until the lease has run, to the millisecond, and not after", () => {
    expect(leaseHolds(TAKEN, at(0), CLAIM_LEASE_MS)).toBe(true);
    expect(leaseHolds(TAKEN, at(CLAIM_LEASE_MS - 1), CLAIM_LEASE_MS)).toBe(true);
    expect(leaseHolds(TAKEN, at(CLAIM_LEASE_MS), CLAIM_LEASE_MS)).toBe(false);
    expect(leaseHolds(TAKEN, at(COMMAND_LEASE_MS + 1), COMMAND_LEASE_MS)).toBe(false);
  });

  it("holds for a claim dated in the future (another machine's clock)", () => {
    expect(leaseHolds(TAKEN, at(-60_000), CLAIM_LEASE_MS)).toBe(true);
  });

  it.each([
    ["no date", undefined],
    ["an empty date", ""],
    ["a date that is not one", "yesterday"],
  ])("holds when the claim has %s: when in doubt, stand down", (_, since) => {
    expect(leaseHolds(since, at(365 * 24 * 3600 * 1000), CLAIM_LEASE_MS)).toBe(true);
  });
});

describe("claim ref names", () => {
  it("name the series and the start to the second, in UTC, outside heads/ and tags/", () => {
    expect(claimRefName("security-wg", new Date("2024-10-24T14:00:00.000Z"))).toBe("wg-meetings/claims/security-wg/20241024T140000Z");
    // Milliseconds are dropped: the start of a meeting is a whole minute.
    expect(claimRefName("tsc", new Date("2025-08-18T18:30:59.999Z"))).toBe("wg-meetings/claims/tsc/20250818T183059Z");
  });

  it("give the minutes doc step a claim of its own", () => {
    expect(claimRefName("security-wg", new Date("2024-10-24T14:00:00Z"), "doc")).toBe("wg-meetings/claims/security-wg/20241024T140000Z-doc");
  });

  it("give a command's takeover claim the comment id", () => {
    expect(commentClaimRefName(1234567890)).toBe("wg-meetings/claims/comments/1234567890");
  });
});

describe("claim commit messages", () => {
  it("carry the run's nonce, and say when the claim was taken over", () => {
    expect(claimCommitMessage("security-wg 2024-10-24", "n0nce")).toBe("wg-meetings claim security-wg 2024-10-24 (run n0nce)");
    expect(claimCommitMessage("security-wg 2024-10-24", "n0nce", true)).toBe("wg-meetings claim security-wg 2024-10-24 (run n0nce) (takeover)");
    expect(claimCommitMessage("x", "a")).not.toBe(claimCommitMessage("x", "b"));
  });
});
