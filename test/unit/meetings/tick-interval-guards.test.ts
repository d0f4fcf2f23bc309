import { describe, expect, it } from "vitest";
import { startSelfTick, tickIntervalFromEnv } from "../../../src/meetings/tick-scheduler.js";

/**
 * Issue 9, WG_MEETINGS_TICK_INTERVAL: a duration with a calendar part must stop start-up, even
 * when it also has hours or minutes. Taking only its time part would tick far more often than
 * the operator wrote (P1DT1H every hour, not every 25 hours).
 */
describe("WG_MEETINGS_TICK_INTERVAL with days, weeks, months or years", () => {
  it.each(["P1DT1H", "P1WT10M", "P1MT30S", "P1YT1H", "p1dt1h"])("%j is refused, saying to write hours, not read as its time part", (value) => {
    expect(() => tickIntervalFromEnv({ WG_MEETINGS_TICK_INTERVAL: value })).toThrow(
      /^WG_MEETINGS_TICK_INTERVAL="[^"]+" is not valid: days, weeks, months and years are calendar lengths; write hours \(PT24H\)/,
    );
  });

  it("fails the server's start before any timer exists", () => {
    const noTimer = () => {
      throw new Error("no timer may be armed");
    };
    const timers = { setTimeout: noTimer, clearTimeout: noTimer } as unknown as { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    expect(() => startSelfTick({ WG_MEETINGS_TICK_INTERVAL: "P1DT1H" }, async () => undefined, log, { timers })).toThrow(/calendar lengths/);
  });
});
