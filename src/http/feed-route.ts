import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type FeedIssue, seriesFeed } from "../calendar-feed/series-feed.js";
import { FEED_WINDOW, type FeedWindow, feedOccurrences } from "../calendar-feed/feed-window.js";
import type { FeedLookup, FeedRepo } from "../calendar-feed/lookup-repo.js";
import type { Log } from "../github/client.js";
import { describeError } from "../github/errors.js";
import type { OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { scheduleFromConfig } from "../schedule/occurrences.js";

/** Every feed lives under this prefix: `/meetings/<owner>/<repo>/<series>.ics`. */
export const FEED_PATH_PREFIX = "/meetings/";

export interface FeedRouteOptions {
  /** Finds a repository's visibility and config (production: `createRepoLookup`). */
  lookup: FeedLookup;
  /** How calendar-backed schedules are read (the tick's `fetchText` / `calendar`). */
  io: OccurrenceSourceIo;
  now?: () => Date;
  log: Log;
  /**
   * How long a built feed, and a repository lookup (a "no" included), is reused: every miss
   * costs GitHub requests, and the URL is public. Default 5 minutes; 0 turns caching off.
   */
  cacheMs?: number;
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
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
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
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === "." || repo === ".." || series === undefined) return null;
  return { owner, repo, series };
}

interface BuiltFeed {
  body: string;
  etag: string;
}

/**
 * `GET /meetings/<owner>/<repo>/<series>.ics`: the series' meetings as an iCalendar feed people
 * subscribe to. A Probot HTTP handler: returns false for requests outside `/meetings/`.
 *
 * Public repositories only: a private repository, one the App is not installed on, one without
 * a valid config or without that series, and a malformed path all get the very same 404, so the
 * route never tells whether a private repository exists. GET and HEAD only (405 otherwise);
 * `ETag` over the body with `If-None-Match` → 304.
 */
export function createFeedRoute(options: FeedRouteOptions) {
  const now = options.now ?? (() => new Date());
  const ttl = options.cacheMs ?? 5 * 60_000;
  const feeds = ttlCache<BuiltFeed | null>(ttl, now);
  const repos = ttlCache<FeedRepo | null>(ttl, now);

  async function build(request: FeedRequest): Promise<BuiltFeed | null> {
    const found = await repos.get(`${request.owner}/${request.repo}`.toLowerCase(), () => options.lookup(request.owner, request.repo));
    if (found === null || found.private) return null;
    const series = found.config.meetings.find((candidate) => candidate.id === request.series);
    if (!series) return null;

    const at = now();
    const occurrences = await feedOccurrences(scheduleFromConfig(series.schedule), options.io, at, options.window ?? FEED_WINDOW);
    let issues: FeedIssue[] = [];
    if (found.meetingIssues && occurrences.length > 0) {
      try {
        issues = await found.meetingIssues();
      } catch (error) {
        // The links are a convenience: the feed is still right without them.
        options.log.warn({ repo: found.fullName, err: describeError(error) }, "calendar feed: meeting issues not listed");
      }
    }
    const [owner, repo] = (found.fullName ?? `${request.owner}/${request.repo}`).split("/") as [string, string];
    const body = seriesFeed({ repo: { owner, repo }, repoUrl: found.htmlUrl, series, occurrences, issues, now: at });
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
    return { body, etag };
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
      const key = `${request.owner}/${request.repo}`.toLowerCase() + `/${request.series}`;
      feed = await feeds.get(key, () => build(request));
    } catch (error) {
      options.log.warn({ ...request, err: describeError(error) }, "calendar feed failed");
      res.writeHead(502, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "retry-after": "300" });
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
 * A small map of promises that expire after `ttlMs` (read on the feed's clock), so concurrent
 * requests share one build. Failures are not kept. At most 1,000 entries, oldest dropped first.
 */
function ttlCache<V>(ttlMs: number, clock: () => Date) {
  const MAX_ENTRIES = 1000;
  const entries = new Map<string, { value: Promise<V>; expires: number }>();
  return {
    get(key: string, make: () => Promise<V>): Promise<V> {
      if (ttlMs <= 0) return make();
      const time = clock().getTime();
      const hit = entries.get(key);
      if (hit && hit.expires > time) return hit.value;
      entries.delete(key);
      const value = make();
      entries.set(key, { value, expires: time + ttlMs });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      return value;
    },
  };
}
