import { docName } from "../minutes-doc/doc-ref.js";
import { escapeTitle } from "../agenda/escape-title.js";
import type { AgendaConfig, SeriesConfig } from "../config/schema.js";
import { TIME_TABLE_PATTERN, formatInZone, timeTable } from "../schedule/time-table.js";
import { resolveZones } from "../schedule/zones.js";
import { googleCalendarUrl, meetingCalendarLinks, meetingEnd, type CalendarLinks } from "../calendar-feed/add-to-calendar.js";
import { docLinkText, docSection } from "./doc-section.js";
import type { MeetingView } from "./types.js";

/**
 * Width the time table's label column is padded to: the Node.js issues pad to 13, the length of
 * their longest label (`US / Mountain`). Longer custom labels widen the column instead of being cut.
 */
export const LABEL_WIDTH = 13;

/** One row of the time table as templates see it. */
export interface TimeRowContext {
  label: string;
  zone: string;
  /** `Thu 21-Jul-2022 07:00 (07:00 AM)` */
  text: string;
  /** The label, `|`-escaped and padded to the column width: `| {{cell}} | {{text}} |`. */
  cell: string;
}

/** One agenda item as templates see it. `title` is already escaped for Markdown. */
export interface AgendaItemContext {
  number: number;
  title: string;
  url: string;
  kind: "issue" | "pull_request";
  isPullRequest: boolean;
  /**
   * The date (`YYYY-MM-DD`) of the first of the meetings just before this one whose agenda had
   * this item, when it was on the previous meeting's agenda; null otherwise.
   */
  carriedOverFrom: string | null;
}

/** The most open action items a meeting issue lists; the rest are counted (`openActionItems.more`). */
export const MAX_LISTED_ACTION_ITEMS = 25;

/** The most owners shown per open action item. */
export const MAX_LISTED_OWNERS = 10;

/** One open action item as templates see it: `title` escaped, `owners` as mentions. */
export interface OpenActionItemContext {
  /** `#12` in the meeting's repository, `acme/tasks#12` in another. */
  ref: string;
  number: number;
  title: string;
  url: string;
  /** `@alice`, `` `@outsider` ``, `@acme/docs`: assignees and owners mentioned, owners not assignable (as code), then teams. */
  owners: string[];
  /** The owners joined with `, `; empty when the item has none. */
  ownerText: string;
  /** The date of the meeting that produced it. */
  date: string;
  /** Whole days from that meeting's date to this meeting's date. */
  days: number;
  /** `1 day`, `14 days`. */
  age: string;
}

/** The previous meeting as templates see it. */
export interface PreviousContext {
  number: number;
  url: string;
  date: string;
  minutesPath: string | null;
  minutesUrl: string | null;
}

/**
 * The Handlebars context of a meeting issue: everything a template may use, documented in
 * `docs`/templates by these names. Every key is always present (`null` when absent) because the
 * renderer runs in strict mode.
 */
export interface MeetingContext {
  /** The rendered issue title, e.g. `Node.js Security team Meeting 2022-07-21`. */
  title: string;
  id: string;
  name: string;
  host: string;
  /** The meeting's date in the series' zone, `YYYY-MM-DD`. */
  date: string;
  /** The start instant (use with `formatInZone`). */
  start: Date;
  /** The series' own zone. */
  zone: string;
  utc: {
    /** `Thu 21-Jul-2022 14:00 (02:00 PM)` */
    text: string;
    /** The UTC date, `YYYY-MM-DD`. */
    date: string;
    /** `2022-07-21T14:00:00.000Z` */
    iso: string;
    /** `20220721T1400`, as timeanddate.com's `iso=` wants it. */
    compact: string;
  };
  timeTable: TimeRowContext[];
  links: {
    /** timeanddate.com fixed-time page, titled with the issue title. */
    timeanddate: string;
    /** Wolfram|Alpha "<time> UTC in local time" query. */
    wolframalpha: string;
  };
  /** The minutes doc, when created. */
  docUrl: string | null;
  /** What the doc is called: `Google Doc` or `HackMD note` (`Minutes {{docName}}: …`). */
  docName: string;
  /**
   * The doc link as the issue shows it, between the markers the App rewrites when the doc is
   * created later: `<URL>`, `_not created yet_`, or why it could not be created.
   */
  docLink: string;
  /** Why the doc could not be created yet, or null. */
  docError: string | null;
  /**
   * Calendar links: `google` adds this meeting to Google Calendar (always there); `feed`,
   * `webcal` and `googleSubscribe` subscribe to the whole series (null without the App's
   * public URL, or in a preview).
   */
  calendar: CalendarLinks;
  /** Whether this series drafts minutes in a doc, Google Docs or HackMD (else no doc line is due). */
  docEnabled: boolean;
  /** The meeting issue, once it exists. */
  issueUrl: string | null;
  /** Where the minutes will be committed, e.g. `meetings/2022-07-21.md`. */
  minutesPath: string;
  agenda: {
    label: string;
    /** Where the label is searched, for "from the **nodejs org**": `nodejs org`, `a and b orgs`, `o/r repository`… */
    scope: string;
    /** The same for "across **all of the repositories in the nodejs org**". */
    across: string;
    groups: Array<{ repository: string; items: AgendaItemContext[] }>;
    count: number;
    empty: boolean;
    truncated: boolean;
  };
  invited: string[];
  observers: string[];
  /** Standing items of every meeting's notes (`minutes.standing`). */
  standing: string[];
  /** Markdown of the joining instructions, trimmed; empty when not configured. */
  joining: string;
  /** The meeting held before this one in the series, and its minutes file; null for the first. */
  previous: PreviousContext | null;
  /**
   * Action-item issues from earlier meetings of the series that are still open, oldest first,
   * at most {@link MAX_LISTED_ACTION_ITEMS}; `count` is all of them, `more` those not listed.
   */
  openActionItems: {
    items: OpenActionItemContext[];
    count: number;
    more: number;
    empty: boolean;
  };
}

/**
 * Builds the template context of a meeting issue from a {@link MeetingView}. All untrusted text
 * (agenda titles) is escaped here; config text (names, invited lines, joining) is trusted
 * Markdown written by the group, so its mentions do notify as intended.
 */
export function meetingContext(view: MeetingView, title: string): MeetingContext {
  const { series, occurrence, agenda } = view;
  const start = occurrence.start;
  const rows = timeTable(start, resolveZones(series.timezones));
  const width = Math.max(LABEL_WIDTH, ...rows.map((row) => cellLabel(row.label).length));
  const compact = formatInZone(start, "UTC", "yyyyMMdd'T'HHmm");
  return {
    title,
    id: series.id,
    name: series.name,
    host: series.host,
    date: occurrence.date,
    start,
    zone: occurrence.zone,
    utc: {
      text: formatInZone(start, "UTC", TIME_TABLE_PATTERN),
      date: formatInZone(start, "UTC", "yyyy-MM-dd"),
      iso: start.toISOString(),
      compact,
    },
    timeTable: rows.map((row) => ({ ...row, cell: cellLabel(row.label).padEnd(width, " ") })),
    links: {
      timeanddate: `https://www.timeanddate.com/worldclock/fixedtime.html?msg=${formEncode(title)}&iso=${compact}`,
      wolframalpha: wolframAlphaLink(start),
    },
    docUrl: view.docUrl,
    docName: docName(view.docUrl, series.minutes.doc),
    docLink: docSection(docLinkText(view.docUrl, view.docError ?? null)),
    docError: view.docError ?? null,
    calendar: calendarLinks(view, title),
    docEnabled: series.minutes.doc !== "none",
    issueUrl: view.issueUrl,
    minutesPath: series.minutes.path.replaceAll("{{date}}", occurrence.date),
    agenda: {
      label: series.agenda.label,
      scope: scopeText(series.agenda),
      across: acrossText(series.agenda),
      groups: agenda.groups.map((group) => ({
        repository: group.repository,
        items: group.items.map((item) => ({
          number: item.number,
          title: escapeTitle(item.title),
          url: safeUrl(item.url),
          kind: item.kind,
          isPullRequest: item.kind === "pull_request",
          carriedOverFrom: view.followUp?.carriedOver?.get(safeUrl(item.url)) ?? null,
        })),
      })),
      count: agenda.count,
      empty: agenda.count === 0,
      truncated: agenda.truncated,
    },
    invited: [...series.issue.invited],
    observers: [...series.issue.observers],
    standing: [...series.minutes.standing],
    joining: series.issue.joining.trim(),
    previous: previousContext(view),
    openActionItems: openActionItemsContext(view),
  };
}

function previousContext(view: MeetingView): PreviousContext | null {
  const previous = view.followUp?.previous;
  if (!previous) return null;
  return {
    number: previous.number,
    url: safeUrl(previous.url),
    date: previous.date,
    minutesPath: previous.minutesPath,
    minutesUrl: previous.minutesUrl === null ? null : safeUrl(previous.minutesUrl),
  };
}

const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d-]{0,38})$/;
const TEAM = /^[A-Za-z\d](?:[A-Za-z\d-]{0,38})\/[A-Za-z\d._-]{1,100}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The open action items as the template lists them. Titles come from issues (editable by anyone
 * with triage access there) and are escaped like agenda titles; owners are kept only when they
 * are valid logins or teams, so nothing but a mention (or, for an owner the App could not
 * assign, a login as code) can come out of them.
 */
function openActionItemsContext(view: MeetingView): MeetingContext["openActionItems"] {
  const open = view.followUp?.openActionItems;
  const here = view.repository ? `${view.repository.owner}/${view.repository.repo}`.toLowerCase() : null;
  const items = (open?.items ?? []).filter((item) => DATE.test(item.date)).slice(0, MAX_LISTED_ACTION_ITEMS);
  const count = open ? Math.max(open.total, items.length) : 0;
  return {
    items: items.map((item) => {
      // Ten at most, as GitHub assigns: the list stays one readable line, and its size bounded.
      // Owners the App could not assign are shown as code: a mention would notify them again.
      const owners = [
        ...item.owners.filter((login) => LOGIN.test(login)).map((login) => `@${login}`),
        ...(item.named ?? []).filter((login) => LOGIN.test(login)).map((login) => `\`@${login}\``),
        ...item.teams.filter((team) => TEAM.test(team)).map((team) => `@${team}`),
      ].slice(0, MAX_LISTED_OWNERS);
      const days = daysBetween(item.date, view.occurrence.date);
      return {
        ref: item.repository.toLowerCase() === here ? `#${item.number}` : `${escapeTitle(item.repository)}#${item.number}`,
        number: item.number,
        title: escapeTitle(item.title),
        url: safeUrl(item.url),
        owners,
        ownerText: owners.join(", "),
        date: item.date,
        days,
        age: days === 1 ? "1 day" : `${days} days`,
      };
    }),
    count,
    more: count - items.length,
    empty: count === 0,
  };
}

/** Whole days from one `YYYY-MM-DD` date to another (never negative). */
function daysBetween(from: string, to: string): number {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  return Number.isFinite(days) && days > 0 ? days : 0;
}

/**
 * `https://www.wolframalpha.com/input/?i=02PM+UTC%2C+Jul+21%2C+2022+in+local+time`, the Node.js
 * format (`hha`). Minutes are added (`02:30PM`) only when not on the hour, so a half-hour meeting
 * is not shown half an hour early.
 */
function wolframAlphaLink(start: Date): string {
  const time = formatInZone(start, "UTC", start.getUTCMinutes() === 0 ? "hha" : "hh:mma");
  const day = formatInZone(start, "UTC", "MMM dd, yyyy");
  return `https://www.wolframalpha.com/input/?i=${formEncode(`${time} UTC, ${day} in local time`)}`;
}

/** `application/x-www-form-urlencoded` style: spaces as `+`, as both sites' links are written. */
function formEncode(text: string): string {
  return encodeURIComponent(text).replaceAll("%20", "+");
}

/** A label inside a table cell: a `|` would start a new cell. */
function cellLabel(label: string): string {
  return label.replaceAll("|", "\\|");
}

/**
 * Agenda item URLs come from GitHub (or a validated agenda file), but they end up inside `( )`
 * of a Markdown link: anything but an http(s) URL becomes `#` (a dead link, never `javascript:`),
 * and characters that would end the link are percent-encoded.
 */
function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) return "#";
  return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** `a`, `a and b`, `a, b and c`. */
function list(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function scopeText(agenda: AgendaConfig): string {
  const parts: string[] = [];
  if (agenda.orgs.length > 0) parts.push(`${list(agenda.orgs)} ${agenda.orgs.length === 1 ? "org" : "orgs"}`);
  if (agenda.repos.length > 0) parts.push(`${list(agenda.repos)} ${agenda.repos.length === 1 ? "repository" : "repositories"}`);
  // "from the **nodejs org and the nodejs/x repository**": the template supplies the first "the".
  return parts.join(" and the ");
}

function acrossText(agenda: AgendaConfig): string {
  const parts: string[] = [];
  if (agenda.orgs.length > 0) parts.push(`all of the repositories in the ${scopeText({ ...agenda, repos: [] })}`);
  if (agenda.repos.length > 0) parts.push(`the ${scopeText({ ...agenda, orgs: [] })}`);
  return parts.join(" and ");
}

/** The rendered title: `series.issue.title` with `{{host}} {{name}} {{date}} {{id}}`, spaces collapsed. */
export interface TitleParts {
  host: string;
  name: string;
  date: string;
  id: string;
}

/** The values `series.issue.title` may use. */
export function titleParts(series: SeriesConfig, date: string): TitleParts {
  return { host: series.host, name: series.name, date, id: series.id };
}

function calendarLinks(view: MeetingView, title: string): CalendarLinks {
  const { series, occurrence } = view;
  if (view.repository) {
    return meetingCalendarLinks({
      repo: view.repository,
      series,
      occurrence,
      title,
      issueUrl: view.issueUrl,
      publicUrl: view.publicUrl ?? null,
      webUrl: view.webUrl ?? undefined,
    });
  }
  const google = googleCalendarUrl({ title, start: occurrence.start, end: meetingEnd(series, occurrence), details: "", zone: occurrence.zone });
  return { google, feed: null, webcal: null, googleSubscribe: null };
}
