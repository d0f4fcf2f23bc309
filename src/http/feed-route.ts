import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type FeedIssue, seriesFeed } from "../calendar-feed/series-feed.js";
import { FEED_WINDOW, type FeedWindow, feedOccurrences } from "../calendar-feed/feed-window.js";
import type { FeedLookup, FeedRepo } from "../calendar-feed/lookup-repo.js";
import { repoDirectory } from "../calendar-feed/repo-directory.js";
import type { SeriesConfig } from "../config/schema.js";
import type { Log } from "../github/client.js";
import { describeError } from "../github/errors.js";
import type { OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { scheduleFromConfig } from "../schedule/occurrences.js";
import { concurrencyLimit } from "./concurrency-limit.js";
import { ExpiringLru } from "./expiring-lru.js";
import { FEED_PATH_PREFIX } from "./feed-path.js";
import { withCalendarOwner } from "../google/calendar.js";

export { FEED_PATH_PREFIX };

export interface FeedRouteOptions {
  /** Lists the App's repositories and reads a public one's config (production: `createRepoLookup`). */
  lookup: FeedLookup;
  /** How calendar-backed schedules are read (the tick's `fetchText` / `calendar`). */
  io: OccurrenceSourceIo;
  now?: () => Date;
  log: Log;
  /** How long a built feed, and a repository's config or its absence, is reused. Default 5 minutes; 0 turns it off. */
  cacheMs?: number;
  /** How long one listing of the App's repositories answers every path. Default 5 minutes. */
  directoryMs?: number;
  /**
   * How long a failure (GitHub, the calendar, a feed over its budget) is answered from memory
   * instead of being tried again. Default 60 s.
   */
  failureMs?: number;
  /** Config reads and feed builds running at once, whoever asked. Default 4. */
  maxConcurrent?: number;
  /** Which meetings a feed lists (default `FEED_WINDOW`). */
  window?: FeedWindow;
}

/** A request for one series' feed. */
export interface FeedRequest {
  owner: string;
  repo: string;
  series: string;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
// A name of dots only (`.`, `..`, `...`) is no repository: GitHub refuses it, and `.`/`..` are dot segments in a URL.
const REPO = /^(?!\.+$)[A-Za-z0-9._-]{1,100}$/;
const SERIES_FILE = /^([a-z0-9][a-z0-9-]{0,62})\.ics$/;

/**
 * Reads `/meetings/<owner>/<repo>/<series>.ics` from the raw request target, before any URL
 * normalisation could resolve `..` or decode `%2F`: `"other"` for a path outside the prefix,
 * `null` for a malformed one under it (traversal, encoded characters, extra segments, bad names).
 */
export function parseFeedPath(target: string | undefined): FeedRequest | null | "other" {
  const path = (target ?? "").split("?", 1)[0] ?? "";
  if (!path.startsWith(FEED_PATH_PREFIX)) return "other";
  const segments = path.slice(FEED_PATH_PREFIX.length).split("/");
  if (segments.length !== 3) return null;
  const [owner, repo, file] = segments as [string, string, string];
  const series = SERIES_FILE.exec(file)?.[1];
  if (!OWNER.test(owner) || !REPO.test(repo) || series === undefined) return null;
  return { owner, repo, series };
}

interface BuiltFeed {
  body: string;
  etag: string;
}

/** Entries of each cache: repositories and series that exist, so never filled by made-up paths. */
const MAX_ENTRIES = 1000;
/** Public repositories without a config: many more of them than of the others. */
const MAX_ABSENT = 10_000;

/**
 * `GET /meetings/<owner>/<repo>/<series>.ics`: the series' meetings as an iCalendar feed people
 * subscribe to. A Probot HTTP handler: returns false for requests outside `/meetings/`.
 *
 * Public repositories only: a private repository, one the App is not installed on, one without
 * a valid config or without that series, and a malformed path all get the very same 404, so the
 * route never tells whether a private repository exists. GET and HEAD only (405 otherwise);
 * `ETag` over the body with `If-None-Match` → 304.
 *
 * What an anonymous client can make it do upstream is bounded by the installations, not by the
 * requests: a path is looked up in the listing of the App's repositories (`repoDirectory`,
 * refreshed at most every `directoryMs`), so a private, missing or made-up repository costs no
 * request and no time of its own. Only a public repository of the listing has its config read
 * (once per `cacheMs`, present or absent), and only a series its config has is built. Failures
 * are kept for `failureMs`: a feed that cannot be fetched, or is over its budget, is not fetched
 * and expanded again for every request. At most `maxConcurrent` reads and builds run at once.
 */
export function createFeedRoute(options: FeedRouteOptions) {
  const now = options.now ?? (() => new Date());
  const clock = () => now().getTime();
  const ttl = options.cacheMs ?? 5 * 60_000;
  const failureMs = options.failureMs ?? 60_000;
  const limit = concurrencyLimit(options.maxConcurrent ?? 4);
  const directory = repoDirectory({
    list: () => options.lookup.listRepos(),
    now: clock,
    refreshMs: options.directoryMs ?? 5 * 60_000,
    failureMs,
    log: options.log,
  });
  const configs = memo<FeedRepo | null>({ clock, ttl, failureMs, maxEntries: MAX_ENTRIES, maxAbsent: MAX_ABSENT });
  const feeds = memo<BuiltFeed>({ clock, ttl, failureMs, maxEntries: MAX_ENTRIES, maxAbsent: 0 });

  async function build(found: FeedRepo, series: SeriesConfig): Promise<BuiltFeed> {
    const at = now();
    const io = withCalendarOwner(options.io, found.fullName.split("/")[0]!);
    const occurrences = await feedOccurrences(scheduleFromConfig(series.schedule), io, at, options.window ?? FEED_WINDOW);
    let issues: FeedIssue[] = [];
    if (found.meetingIssues && occurrences.length > 0) {
      try {
        issues = await found.meetingIssues();
      } catch (error) {
        // The links are a convenience: the feed is still right without them.
        options.log.warn({ repo: found.fullName, err: describeError(error) }, "calendar feed: meeting issues not listed");
      }
    }
    const [owner, repo] = found.fullName.split("/") as [string, string];
    const body = seriesFeed({ repo: { owner, repo }, repoUrl: found.htmlUrl, series, occurrences, issues, now: at });
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
    return { body, etag };
  }

  /** The feed for a request, or null for the one 404. Rejects when something upstream failed. */
  async function answer(request: FeedRequest): Promise<BuiltFeed | null> {
    const known = (await directory.get()).get(`${request.owner}/${request.repo}`.toLowerCase());
    if (known === undefined || known.private) return null;
    const repoKey = known.fullName.toLowerCase();
    const found = await configs(repoKey, () => limit(() => options.lookup.loadRepo(known)));
    const series = found?.config.meetings.find((candidate) => candidate.id === request.series);
    if (!found || !series) return null;
    return feeds(`${repoKey}/${series.id}`, () => limit(() => build(found, series)));
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const request = parseFeedPath(req.url);
    if (request === "other") return false;

    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      res.end("Method Not Allowed: use GET\n");
      return true;
    }
    if (request === null) {
      notFound(res);
      return true;
    }

    let feed: BuiltFeed | null;
    try {
      feed = await answer(request);
    } catch (error) {
      options.log.warn({ ...request, err: describeError(error) }, "calendar feed failed");
      res.writeHead(502, {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": String(Math.max(60, Math.ceil(failureMs / 1000))),
      });
      res.end("The calendar feed could not be built just now; try again later.\n");
      return true;
    }
    if (feed === null) {
      notFound(res);
      return true;
    }

    const headers = {
      etag: feed.etag,
      "cache-control": "public, max-age=900",
      "access-control-allow-origin": "*",
      "x-content-type-options": "nosniff",
    };
    if (etagMatches(req.headers["if-none-match"], feed.etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, {
      ...headers,
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `inline; filename="${request.series}.ics"`,
      "content-length": String(Buffer.byteLength(feed.body)),
    });
    res.end(req.method === "HEAD" ? undefined : feed.body);
    return true;
  };
}

/** The one answer for everything that is not a public series' feed. */
function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=300" });
  res.end("Not Found\n");
}

/** `If-None-Match` with the weak comparison RFC 9110 asks for: `*`, or any listed tag with or without `W/`. */
function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!value) return false;
  if (value.trim() === "*") return true;
  return value.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * Remembers what `make` gave for a key, in three places that cannot crowd each other out: values
 * (for `ttl`), `null` answers ("no config here", for `ttl`, at most `maxAbsent`) and failures (for
 * `failureMs`). Concurrent requests for a key share one `make`.
 */
function memo<V>(options: { clock: () => number; ttl: number; failureMs: number; maxEntries: number; maxAbsent: number }) {
  const values = new ExpiringLru<V>(options.maxEntries);
  const absent = new ExpiringLru<true>(Math.max(1, options.maxAbsent));
  const failures = new ExpiringLru<{ error: unknown }>(options.maxEntries);
  const inFlight = new Map<string, Promise<V>>();
  return (key: string, make: () => Promise<V>): Promise<V> => {
    const time = options.clock();
    const value = values.get(key, time);
    if (value !== undefined) return Promise.resolve(value);
    if (absent.get(key, time)) return Promise.resolve(null as V);
    const failed = failures.get(key, time);
    if (failed) return Promise.reject(failed.error);
    let flight = inFlight.get(key);
    if (flight === undefined) {
      flight = make()
        .then(
          (made) => {
            const at = options.clock();
            if (made === null) absent.set(key, true, at + options.ttl, at);
            else values.set(key, made, at + options.ttl, at);
            return made;
          },
          (error: unknown) => {
            const at = options.clock();
            failures.set(key, { error }, at + options.failureMs, at);
            throw error;
          },
        )
        .finally(() => inFlight.delete(key));
      inFlight.set(key, flight);
    }
    return flight;
  };
}
