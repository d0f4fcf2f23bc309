import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RefreshQueue } from "../../../src/meetings/refresh-queue.js";

/** A promise the test settles by hand: a run that lasts exactly as long as the test wants. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

/**
 * Issue 9: tests drive the agenda queue's quiet period with fake time and then await
 * `RefreshQueue.idle()` instead of waiting for real time. That only works if idle() waits for
 * every run in flight, including one that started while it was already waiting.
 */
describe("RefreshQueue.idle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("resolves at once when nothing runs", async () => {
    await expect(RefreshQueue.idle()).resolves.toBeUndefined();
  });

  it("waits for a run that starts while it is already waiting, not only for those running when it was called", async () => {
    const first = deferred();
    const second = deferred();
    const queue = new RefreshQueue({ quietMs: 0, maxWaitMs: 0, run: (id) => (id === 1 ? first.promise : second.promise), onError: () => {} });

    queue.push(1, Date.now());
    await vi.advanceTimersByTimeAsync(0);
    let idle = false;
    const waiting = RefreshQueue.idle().then(() => void (idle = true));

    // Another installation's run starts while idle() waits for the first.
    queue.push(2, Date.now());
    await vi.advanceTimersByTimeAsync(0);
    first.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBe(false);

    second.resolve();
    await waiting;
    expect(idle).toBe(true);
  });

  it("waits for a run chained behind another of the same installation", async () => {
    const runs = [deferred(), deferred()];
    let call = 0;
    const queue = new RefreshQueue({ quietMs: 0, maxWaitMs: 0, run: () => runs[call++]!.promise, onError: () => {} });

    queue.push(7, Date.now());
    await vi.advanceTimersByTimeAsync(0);
    let idle = false;
    const waiting = RefreshQueue.idle().then(() => void (idle = true));
    queue.push(7, Date.now());
    await vi.advanceTimersByTimeAsync(0);
    runs[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(call).toBe(2);
    expect(idle).toBe(false);

    runs[1]!.resolve();
    await waiting;
    expect(idle).toBe(true);
  });
});
