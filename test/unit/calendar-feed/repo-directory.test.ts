import { describe, expect, it, vi } from "vitest";
import type { KnownRepo } from "../../../src/calendar-feed/lookup-repo.js";
import { MAX_STALE_MS, repoDirectory } from "../../../src/calendar-feed/repo-directory.js";
import { memoryLogger } from "../../helpers/probot.js";

const repo = (fullName: string, extra: Partial<KnownRepo> = {}): KnownRepo => ({ fullName, installationId: 1, private: false, ...extra });

function directory(list: () => Promise<KnownRepo[]>) {
  let now = 0;
  const { log, lines } = memoryLogger();
  const dir = repoDirectory({ list, now: () => now, refreshMs: 300_000, failureMs: 60_000, log });
  return { dir, lines, at: (ms: number) => (now = ms) };
}

describe("repoDirectory", () => {
  it("lists once and answers every question from that listing, by lowercase owner/name, until refreshMs", async () => {
    const list = vi.fn(async () => [repo("NodeJS/Security-WG")]);
    const { dir, at } = directory(list);
    const [first, second] = await Promise.all([dir.get(), dir.get()]);
    expect(first).toBe(second);
    expect([...first.keys()]).toEqual(["nodejs/security-wg"]);
    at(299_999);
    await dir.get();
    expect(list).toHaveBeenCalledTimes(1);
  });

  it("after refreshMs answers from the old listing while one new listing runs", async () => {
    let release: (repos: KnownRepo[]) => void = () => {};
    const list = vi.fn(async () => [repo("a/b")]);
    const { dir, at } = directory(list);
    const old = await dir.get();
    list.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    at(300_000);
    expect(await dir.get()).toBe(old);
    expect(await dir.get()).toBe(old);
    expect(list).toHaveBeenCalledTimes(2);
    release([repo("a/c")]);
    await dir.pending();
    expect([...(await dir.get()).keys()]).toEqual(["a/c"]);
  });

  it("without a listing, rejects with the failure and does not ask again within failureMs", async () => {
    const list = vi.fn(async (): Promise<KnownRepo[]> => {
      throw Object.assign(new Error("GitHub is down"), { status: 503 });
    });
    const { dir, at, lines } = directory(list);
    await expect(dir.get()).rejects.toThrow("GitHub is down");
    at(59_999);
    await expect(dir.get()).rejects.toThrow("GitHub is down");
    expect(list).toHaveBeenCalledTimes(1);
    expect(lines.filter((line) => line.msg === "calendar feed: the App's repositories could not be listed")).toHaveLength(1);
    list.mockResolvedValueOnce([repo("a/b")]);
    at(60_000);
    expect((await dir.get()).has("a/b")).toBe(true);
  });

  it("keeps answering from a listing when the next one fails, but not past MAX_STALE_MS", async () => {
    const list = vi.fn(async () => [repo("a/b")]);
    const { dir, at } = directory(list);
    await dir.get();
    list.mockRejectedValue(new Error("down"));
    at(300_000);
    expect((await dir.get()).has("a/b")).toBe(true);
    await dir.pending()?.catch(() => {});
    at(300_000 + 30_000);
    expect((await dir.get()).has("a/b")).toBe(true); // within failureMs: not asked again
    expect(list).toHaveBeenCalledTimes(2);
    at(MAX_STALE_MS);
    await expect(dir.get()).rejects.toThrow("down");
  });
});
