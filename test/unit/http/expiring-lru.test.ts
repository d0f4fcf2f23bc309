import { describe, expect, it } from "vitest";
import { concurrencyLimit } from "../../../src/http/concurrency-limit.js";
import { ExpiringLru } from "../../../src/http/expiring-lru.js";

describe("ExpiringLru", () => {
  it("keeps each value until its own expiry", () => {
    const lru = new ExpiringLru<string>(10);
    lru.set("a", "A", 100, 0);
    lru.set("b", "B", 50, 0);
    expect(lru.get("a", 49)).toBe("A");
    expect(lru.get("b", 49)).toBe("B");
    expect(lru.get("b", 50)).toBeUndefined();
    expect(lru.get("a", 99)).toBe("A");
    expect(lru.get("a", 100)).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it("drops the least recently used entry past its bound; reading an entry renews it", () => {
    const lru = new ExpiringLru<number>(2);
    lru.set("a", 1, 1000, 0);
    lru.set("b", 2, 1000, 0);
    expect(lru.get("a", 1)).toBe(1);
    lru.set("c", 3, 1000, 1);
    expect(lru.get("b", 2)).toBeUndefined();
    expect(lru.get("a", 2)).toBe(1);
    expect(lru.get("c", 2)).toBe(3);
  });

  it("keeps nothing with a lifetime of zero (caching turned off)", () => {
    const lru = new ExpiringLru<number>(2);
    lru.set("a", 1, 5, 5);
    expect(lru.size).toBe(0);
  });
});

describe("concurrencyLimit", () => {
  it("runs at most `limit` tasks at once, in order, handing a slot on as a task ends (or fails)", async () => {
    const limit = concurrencyLimit(2);
    const started: string[] = [];
    const finish = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
    const task = (name: string) => () =>
      new Promise<string>((resolve, reject) => {
        started.push(name);
        finish.set(name, { resolve: () => resolve(name), reject });
      });
    const runs = ["a", "b", "c", "d"].map((name) => limit(task(name)));
    await Promise.resolve();
    expect(started).toEqual(["a", "b"]);
    finish.get("a")!.reject(new Error("a failed"));
    await expect(runs[0]).rejects.toThrow("a failed");
    expect(started).toEqual(["a", "b", "c"]);
    // A newcomer does not jump the queue when a slot frees up.
    const late = limit(task("e"));
    finish.get("b")!.resolve();
    await runs[1];
    expect(started).toEqual(["a", "b", "c", "d"]);
    finish.get("c")!.resolve();
    finish.get("d")!.resolve();
    await Promise.all([runs[2], runs[3]]);
    expect(started).toEqual(["a", "b", "c", "d", "e"]);
    finish.get("e")!.resolve();
    expect(await late).toBe("e");
  });
});
