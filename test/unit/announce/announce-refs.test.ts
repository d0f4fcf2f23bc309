import { describe, expect, it } from "vitest";
import { announceRefs } from "../../../src/announce/announce-refs.js";

/** Issue 14: the claim and sent refs behind one announcement are its own, never another's. */
describe("an announcement's claim and sent refs", () => {
  it("differ for two meetings of a series on the same day, so the second one's post is not taken as already sent", () => {
    const morning = announceRefs("wg", new Date("2024-10-31T09:00:00Z"), "opened:acme-slack");
    const afternoon = announceRefs("wg", new Date("2024-10-31T15:00:00Z"), "opened:acme-slack");
    expect(morning.claim).not.toBe(afternoon.claim);
    expect(morning.sent).not.toBe(afternoon.sent);
  });

  it("differ per destination and per moment, and stay the same for the same key", () => {
    const start = new Date("2024-10-31T14:00:00Z");
    const refs = ["opened:acme-slack", "opened:acme-matrix", "reminder-PT1H:acme-slack"].map((key) => announceRefs("wg", start, key).sent);
    expect(new Set(refs).size).toBe(3);
    expect(announceRefs("wg", start, "opened:acme-slack")).toEqual(announceRefs("wg", new Date(start), "opened:acme-slack"));
  });
});
