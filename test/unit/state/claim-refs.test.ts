import { describe, expect, it } from "vitest";
import { claimRefName } from "../../../src/state/claim-refs.js";

describe("claimRefName", () => {
  it("is deterministic per series and instant, and a valid ref outside heads/ and tags/", () => {
    expect(claimRefName("security-wg", new Date("2024-10-24T14:00:00Z"))).toBe(
      "wg-meetings/claims/security-wg/20241024T140000Z",
    );
    const ref = claimRefName("tsc", new Date("2025-08-18T18:30:00.000Z"));
    expect(ref).toMatch(/^wg-meetings\/claims\/[a-z0-9-]+\/\d{8}T\d{6}Z$/);
    // git check-ref-format forbids these; none can appear.
    expect(ref).not.toMatch(/\.\.|[~^:?*[\\\s]|@\{|\/\.|\.lock(\/|$)/);
  });
});
