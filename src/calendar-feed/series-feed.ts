import { createHash } from "node:crypto";
import type { SeriesConfig } from "../config/schema.js";
import type { RepoRef } from "../github/client.js";
import { GITHUB_COM_WEB_URL, repoWebUrl } from "../github/web-host.js";
import { renderTitle } from "../render/templates.js";
import { scheduleFromConfig, seriesZone } from "../schedule/occurrences.js";
import type { Occurrence } from "../schedule/types.js";
import { DAY_MS, formatLocalDate, toLocal } from "../schedule/wall-clock.js";
import { isValidZone } from "../schedule/zones.js";
import { meetingEnd, meetingIssueSearchUrl } from "./add-to-calendar.js";
import { type ContentLine, escapeText, serializeLines, utcDateTime } from "./ics.js";

/** `PRODID` of every feed. */
export const PRODID = "-//wg-meetings//Meeting calendar feed//EN";

/** What a series' feed is made of. */
export interface SeriesFeedInput {
  /** The repository, as GitHub spells it (names the calendar and the links). */
  repo: RepoRef;
  /**
   * The repository's web address as GitHub returned it (`html_url`), right on GitHub Enterprise
   * Server too. Default: the repository on github.com.
   */
  repoUrl?: string | undefined;
  series: SeriesConfig;
  /** In start order (see `feedOccurrences`). */
  occurrences: readonly Occurrence[];
  /**
   * The App's meeting issues (any series; others are ignored). A meeting with one links to it,
   * follows its `/move` and shows its `/cancel`; one without links to a search for its title.
   */
  issues?: readonly FeedIssue[];
  now: Date;
}

/** A meeting issue as its marker describes it. */
export interface FeedIssue {
  series: string;
  /** The meeting's start, ISO-8601 UTC (the new time after a `/move`). */
  at: string;
  url: string;
  /** The scheduled start it was moved away from (`/move`), ISO-8601 UTC. */
  movedFrom?: string | undefined;
  /** Set by `/cancel`. */
  cancelled?: boolean | undefined;
}

/** One VEVENT: the scheduled occurrence (its identity) and what the meeting issue says became of it. */
interface FeedEvent {
  scheduled: Occurrence;
  occurrence: Occurrence;
  issueUrl: string | null;
  cancelled: boolean;
}

/**
 * The series' feed as iCalendar text (RFC 5545): one VEVENT per occurrence, times in UTC, CRLF,
 * folded at 75 octets. The text depends on `now` only through which meetings are in the window
 * and `DTSTAMP` (the UTC day), so it is byte-identical within a day when nothing changed: the
 * route's ETag then answers every revalidation with 304.
 */
export function seriesFeed(input: SeriesFeedInput): string {
  const { repo, series } = input;
  const zone = calendarZone(series);
  const name = `${series.host} ${series.name}`.replace(/\s+/g, " ").trim();
  const repoUrl = (input.repoUrl || repoWebUrl(GITHUB_COM_WEB_URL, repo)).replace(/\/+$/, "");
  const dtstamp = utcDateTime(new Date(Math.floor(input.now.getTime() / DAY_MS) * DAY_MS));

  const lines: ContentLine[] = [
    ["BEGIN", "VCALENDAR"],
    ["VERSION", "2.0"],
    ["PRODID", PRODID],
    ["CALSCALE", "GREGORIAN"],
    ["METHOD", "PUBLISH"],
    ["X-WR-CALNAME", escapeText(`${name} meetings`)],
    ["X-WR-CALDESC", escapeText(`Meetings of ${name}, from ${repoUrl} (wg-meetings)`)],
    ["X-WR-TIMEZONE", zone],
    ["REFRESH-INTERVAL;VALUE=DURATION", "PT6H"],
    ["X-PUBLISHED-TTL", "PT6H"],
  ];
  for (const event of feedEvents(input)) {
    const { occurrence } = event;
    const title = safeTitle(series, occurrence);
    const link = event.issueUrl ?? meetingIssueSearchUrl(repoUrl, title);
    const moved = occurrence.start.getTime() !== event.scheduled.start.getTime();
    lines.push(
      ["BEGIN", "VEVENT"],
      // Named by the scheduled start: a moved or cancelled meeting updates the event subscribers have.
      ["UID", eventUid(repo, series.id, event.scheduled)],
      ["DTSTAMP", dtstamp],
      ...(moved || event.cancelled ? [["SEQUENCE", "1"] as const] : []),
      ["DTSTART", utcDateTime(occurrence.start)],
      ["DTEND", utcDateTime(meetingEnd(series, occurrence))],
      ["SUMMARY", escapeText(event.cancelled ? `[Cancelled] ${title}` : title)],
      ["DESCRIPTION", escapeText(event.cancelled ? `This meeting is cancelled: ${link}` : `Agenda and how to join: ${link}`)],
      ["URL;VALUE=URI", link],
      ["STATUS", event.cancelled ? "CANCELLED" : "CONFIRMED"],
      ["TRANSP", event.cancelled ? "TRANSPARENT" : "OPAQUE"],
      ["END", "VEVENT"],
    );
  }
  lines.push(["END", "VCALENDAR"]);
  return serializeLines(lines);
}

/**
 * The occurrences with their meeting issues applied: matched by the scheduled start (`movedFrom`,
 * else `at`), moved to the issue's time, in start order.
 */
function feedEvents(input: SeriesFeedInput): FeedEvent[] {
  const bySchedule = new Map<number, FeedIssue>();
  for (const issue of input.issues ?? []) {
    if (issue.series !== input.series.id) continue;
    const key = Date.parse(issue.movedFrom ?? issue.at);
    // Newest first: the first issue for a slot is the one that counts.
    if (!Number.isNaN(key) && !bySchedule.has(key)) bySchedule.set(key, issue);
  }
  return input.occurrences
    .map((scheduled): FeedEvent => {
      const issue = bySchedule.get(scheduled.start.getTime());
      if (!issue) return { scheduled, occurrence: scheduled, issueUrl: null, cancelled: false };
      const at = new Date(issue.at);
      const occurrence =
        Number.isNaN(at.getTime()) || at.getTime() === scheduled.start.getTime()
          ? scheduled
          : { ...scheduled, start: at, date: formatLocalDate(toLocal(at, scheduled.zone)) };
      return { scheduled, occurrence, issueUrl: issue.url, cancelled: issue.cancelled === true };
    })
    .sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime());
}

/**
 * A VEVENT's `UID`: the series and the occurrence's start in UTC, scoped by repository (two
 * repositories may both have a `security-wg`), e.g. `security-wg-20220721T140000Z.nodejs.security-wg@wg-meetings`.
 * Stable across requests and servers. A meeting read from a calendar is named by its event
 * instance instead, so moving it updates the event in subscribers' calendars rather than
 * replacing it.
 */
export function eventUid(repo: RepoRef, seriesId: string, occurrence: Occurrence): string {
  const scope = `${repo.owner}.${repo.repo}`.toLowerCase();
  const id =
    occurrence.eventId === undefined
      ? utcDateTime(occurrence.start)
      : `e${createHash("sha256").update(occurrence.eventId).digest("hex").slice(0, 16)}`;
  return `${seriesId}-${id}.${scope}@wg-meetings`;
}

/** The feed's `X-WR-TIMEZONE`: the series' zone when it is an IANA name, else UTC. */
function calendarZone(series: SeriesConfig): string {
  try {
    const zone = seriesZone(scheduleFromConfig(series.schedule));
    return zone !== null && isValidZone(zone) ? zone : "UTC";
  } catch {
    return "UTC";
  }
}

/** The issue title; a title template that fails to render falls back to the default wording. */
function safeTitle(series: SeriesConfig, occurrence: Occurrence): string {
  try {
    return renderTitle({ series, occurrence });
  } catch {
    return `${series.host} ${series.name} Meeting ${occurrence.date}`.replace(/\s+/g, " ").trim();
  }
}
