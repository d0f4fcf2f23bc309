import type { SeriesConfig } from "../config/schema.js";
import type { RepoRef } from "../github/client.js";
import { GITHUB_COM_WEB_URL, repoWebUrl } from "../github/web-host.js";
import { parseDuration } from "../schedule/duration.js";
import { addDuration } from "../schedule/zoned-duration.js";
import type { Occurrence } from "../schedule/types.js";
import { isValidZone } from "../schedule/zones.js";
import { utcDateTime } from "./ics.js";

/** When a meeting ends: its start plus the series' `duration` (calendar parts on the wall clock of its zone). */
export function meetingEnd(series: Pick<SeriesConfig, "duration">, occurrence: Occurrence): Date {
  return addDuration(occurrence.start, parseDuration(series.duration), occurrence.zone);
}

/** What an "add to calendar" link carries. */
export interface CalendarEventText {
  title: string;
  start: Date;
  end: Date;
  /** Plain text shown in the event (Google turns URLs in it into links). */
  details?: string;
  /** IANA zone the event is shown in by default (Google's `ctz`); ignored unless valid. */
  zone?: string;
}

/**
 * A Google Calendar "create event" link, pre-filled: `…/render?action=TEMPLATE&text=…&dates=
 * 20220721T140000Z/20220721T150000Z&details=…&ctz=…`. Times are UTC, so the link means the same
 * instant whoever opens it. Every value is percent-encoded, parentheses included, so the link is
 * also a valid Markdown link destination.
 */
export function googleCalendarUrl(event: CalendarEventText): string {
  const params: Array<[string, string]> = [
    ["action", "TEMPLATE"],
    ["text", event.title],
    ["dates", `${utcDateTime(event.start)}/${utcDateTime(event.end)}`],
  ];
  if (event.details) params.push(["details", event.details]);
  if (event.zone && isValidZone(event.zone)) params.push(["ctz", event.zone]);
  return `https://calendar.google.com/calendar/render?${params.map(([key, value]) => `${key}=${strictEncode(value)}`).join("&")}`;
}

/** The feed's path on the App's server: `/meetings/<owner>/<repo>/<series>.ics`. */
export function feedPath(owner: string, repo: string, series: string): string {
  return `/meetings/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/${encodeURIComponent(series)}.ics`;
}

/**
 * The series' feed URL under the App's public base URL (`publicBaseUrl`), or `null` without one.
 * Named `seriesFeedUrl` because `schedule/feed-url.ts` already exports `feedUrl` (it checks the
 * address of a feed the App reads).
 */
export function seriesFeedUrl(base: URL | string | null | undefined, owner: string, repo: string, series: string): string | null {
  if (base === null || base === undefined || base === "") return null;
  const url = new URL(String(base));
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${feedPath(owner, repo, series)}`;
}

/** The same feed as a `webcal://` link: Apple Calendar and Outlook open it as "subscribe". */
export function webcalUrl(feed: string): string {
  return feed.replace(/^https?:\/\//i, "webcal://");
}

/** A link that asks Google Calendar to subscribe to a feed ("From URL"). */
export function googleSubscribeUrl(feed: string): string {
  return `https://calendar.google.com/calendar/render?cid=${strictEncode(webcalUrl(feed))}`;
}

/** The calendar links of one meeting, as a template sees them (every key always present). */
export interface CalendarLinks {
  /** Add this one meeting to Google Calendar. */
  google: string;
  /** The series' iCalendar feed (https), or `null` without `WG_MEETINGS_PUBLIC_URL`. */
  feed: string | null;
  /** The feed as `webcal://` (subscribe in Apple Calendar / Outlook), or `null`. */
  webcal: string | null;
  /** Subscribe to the feed in Google Calendar, or `null`. */
  googleSubscribe: string | null;
}

/**
 * Every calendar link of a meeting. `issueUrl` is the meeting issue when known; before it exists
 * (the issue body is rendered before it has a URL) the event links to a search for its title in
 * the repository on the GitHub at `webUrl` (default github.com), which finds the issue once it
 * is open.
 */
export function meetingCalendarLinks(input: {
  repo: RepoRef;
  series: Pick<SeriesConfig, "id" | "duration">;
  occurrence: Occurrence;
  title: string;
  issueUrl: string | null;
  publicUrl: URL | string | null;
  /** The GitHub web host (`gitHubWebUrl`): `https://github.com` or a GitHub Enterprise Server. */
  webUrl?: string | undefined;
}): CalendarLinks {
  const { repo, series, occurrence, title } = input;
  const feed = seriesFeedUrl(input.publicUrl, repo.owner, repo.repo, series.id);
  const issueLink = input.issueUrl ?? meetingIssueSearchUrl(repoWebUrl(input.webUrl ?? GITHUB_COM_WEB_URL, repo), title);
  return {
    google: googleCalendarUrl({
      title,
      start: occurrence.start,
      end: meetingEnd(series, occurrence),
      details: `Agenda and how to join: ${issueLink}`,
      zone: occurrence.zone,
    }),
    feed,
    webcal: feed && webcalUrl(feed),
    googleSubscribe: feed && googleSubscribeUrl(feed),
  };
}

/**
 * A search of the repository's issues for the meeting's title: finds the meeting issue once it
 * is open. `repoUrl` is the repository's web address (`https://github.com/o/r`, or on a GitHub
 * Enterprise Server `https://ghe.example.org/o/r`).
 */
export function meetingIssueSearchUrl(repoUrl: string, title: string): string {
  const query = `is:issue in:title "${title.replace(/"/g, "")}"`;
  return `${repoUrl.replace(/\/+$/, "")}/issues?q=${strictEncode(query)}`;
}

/** encodeURIComponent plus the characters it leaves alone that can end a Markdown link: `!'()*`. */
function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
