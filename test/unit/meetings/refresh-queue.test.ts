import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mayChangeAgenda, RefreshQueue } from "../../../src/meetings/refresh-queue.js";

describe("RefreshQueue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("turns a burst of ten events into one run per installation", async () => {
    const runs: number[] = [];
    const queue = new RefreshQueue({ quietMs: 30_000, maxWaitMs: 120_000, run: async (id) => void runs.push(id), onError: () => {} });
    for (let i = 0; i < 10; i++) {
      queue.push(1, Date.now());
      queue.push(i % 2 === 0 ? 2 : 1, Date.now());
      await vi.advanceTimersByTimeAsync(5_000);
    }
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(30_000);
    await queue.drain();
    expect(runs.sort()).toEqual([1, 2]);
  });

  it("runs at the latest maxWaitMs after the first event, even if events keep coming", async () => {
    const runs: number[] = [];
    const queue = new RefreshQueue({ quietMs: 30_000, maxWaitMs: 60_000, run: async (id) => void runs.push(id), onError: () => {} });
    for (let i = 0; i < 8; i++) {
      queue.push(7, Date.now());
      await vi.advanceTimersByTimeAsync(10_000);
    }
    await queue.drain();
    expect(runs).toEqual([7]);
  });

  it("reports a failed run and keeps working", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const queue = new RefreshQueue({
      quietMs: 10,
      maxWaitMs: 100,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error("GitHub is down");
      },
      onError: (_id, error) => errors.push(error),
    });
    queue.push(1, Date.now());
    await vi.advanceTimersByTimeAsync(20);
    await queue.drain();
    queue.push(1, Date.now());
    await vi.advanceTimersByTimeAsync(20);
    await queue.drain();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe("mayChangeAgenda", () => {
  it.each([
    [{ action: "labeled", labels: [], titleChanged: false }, true],
    [{ action: "unlabeled", labels: [], titleChanged: false }, true],
    [{ action: "closed", labels: ["security-wg-agenda"], titleChanged: false }, true],
    [{ action: "closed", labels: [], titleChanged: false }, false],
    [{ action: "reopened", labels: ["x"], titleChanged: false }, true],
    [{ action: "edited", labels: ["x"], titleChanged: true }, true],
    [{ action: "edited", labels: ["x"], titleChanged: false }, false],
    [{ action: "assigned", labels: ["x"], titleChanged: false }, false],
  ])("%j → %s", (event, expected) => {
    expect(mayChangeAgenda(event)).toBe(expected);
  });
});
