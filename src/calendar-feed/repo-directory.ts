import type { Log } from "../github/client.js";
import { describeError } from "../github/errors.js";
import type { KnownRepo } from "./lookup-repo.js";

export interface RepoDirectoryOptions {
  /** Lists every repository of every installation (`FeedLookup.listRepos`). */
  list: () => Promise<KnownRepo[]>;
  /** The route's clock, in milliseconds. */
  now: () => number;
  /** How long one listing answers before a request starts the next one. */
  refreshMs: number;
  /** After a failed listing, how long before another is tried. */
  failureMs: number;
  log: Log;
}

/**
 * An older listing still answers while a new one is under way or has failed, up to this age:
 * past it, a repository made private since then must not go on being served.
 */
export const MAX_STALE_MS = 60 * 60_000;

/**
 * The repositories the App can see, by lowercase `owner/name`: what the feed route answers every
 * path from, so that a path costs no GitHub request of its own, and a private repository, a
 * missing one and a typo are all "not in the public part of the listing".
 *
 * A listing is reused for `refreshMs`; the first request after that starts one new listing
 * (shared by all requests meanwhile) and is answered from the old one, so no request waits for
 * GitHub except the very first. A failed listing is not retried for `failureMs`; without any
 * listing to answer from, `get` rejects with its error meanwhile.
 */
export function repoDirectory(options: RepoDirectoryOptions) {
  let current: { repos: Map<string, KnownRepo>; listedAt: number } | null = null;
  let failure: { error: unknown; at: number } | null = null;
  let listing: Promise<Map<string, KnownRepo>> | null = null;

  function refresh(): Promise<Map<string, KnownRepo>> {
    listing ??= options
      .list()
      .then(
        (list) => {
          const repos = new Map(list.map((repo) => [repo.fullName.toLowerCase(), repo] as const));
          current = { repos, listedAt: options.now() };
          failure = null;
          return repos;
        },
        (error: unknown) => {
          failure = { error, at: options.now() };
          options.log.warn({ err: describeError(error) }, "calendar feed: the App's repositories could not be listed");
          throw error;
        },
      )
      .finally(() => {
        listing = null;
      });
    return listing;
  }

  return {
    /** The listing to answer from now. */
    async get(): Promise<Map<string, KnownRepo>> {
      const now = options.now();
      if (current !== null && now - current.listedAt < options.refreshMs) return current.repos;
      const mayList = failure === null || now - failure.at >= options.failureMs;
      if (current !== null && now - current.listedAt < MAX_STALE_MS) {
        // Failures are logged by refresh; this request is answered either way.
        if (mayList) refresh().catch(() => {});
        return current.repos;
      }
      if (!mayList) throw failure!.error;
      return refresh();
    },
    /** The listing under way, if any (tests wait for it). */
    pending(): Promise<unknown> | null {
      return listing;
    },
  };
}
