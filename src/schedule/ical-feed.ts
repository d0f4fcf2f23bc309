import ICAL from "ical.js";
import { type CalendarEvent, eventOccurrences, summaryMatches } from "./calendar-events.js";
import type { Occurrence } from "./types.js";
import { type LocalTime, formatLocalDate, localFromFields, toInstant } from "./wall-clock.js";
import { ianaZoneForWindowsName } from "./windows-zones.js";
import { isValidZone } from "./zones.js";

/**
 * Reads meetings from an iCalendar (RFC 5545) feed: Google Calendar's "secret address in iCal
 * format", an Outlook/Exchange published calendar, a Nextcloud or Fastmail feed.
 *
 * ical.js (Mozilla's parser) does the parsing, RRULE iteration and the arithmetic of the feed's
 * own VTIMEZONE blocks: those are the parts with decades of real-world feeds behind them.
 * Everything that decides *which instant* an instance is stays here, so that it never depends on
 * the machine's zone and matches the rest of the App:
 * - a TZID that is an IANA name (Google's and most feeds' form) is converted with the IANA
 *   database (`toInstant`), even when the feed also carries a VTIMEZONE for it;
 * - any other TZID (Outlook's `W. Europe Standard Time`, `Customized Time Zone`) uses the feed's
 *   VTIMEZONE of that name, which ical.js looks up in this feed only: nothing is registered in
 *   its process-wide TimezoneService, so two feeds defining the same name cannot interfere;
 * - EXDATE, UNTIL and RECURRENCE-ID are compared as instants, so `EXDATE:…Z` against a TZID start
 *   (both appear in the wild) still matches.
 */

/** One parsed feed, ready to be asked for the instances in any window. */
export interface IcalFeed {
  /** The feed's `X-WR-TIMEZONE` when it is an IANA name (Google sets it to the calendar's zone), else `null`. */
  zone: string | null;
  /**
   * Timed event instances starting in `[from, to)`, in start order: recurrences expanded, EXDATE
   * and RDATE applied, a moved instance (RECURRENCE-ID) in place of the original, cancelled ones
   * (`STATUS:CANCELLED` on the instance or the whole event) and all-day events left out. With
   * `summary`, only events whose title matches (`summaryMatches`); an instance's own SUMMARY wins
   * over its series'.
   */
  eventsBetween(from: Date, to: Date, summary?: string | null): CalendarEvent[];
}

/** How `parseIcalFeed` reads times the feed leaves open. */
export interface IcalFeedOptions {
  /** Zone of "floating" times (no TZID, no Z); default: the feed's X-WR-TIMEZONE, else UTC. */
  floatingZone?: string | null;
}

/**
 * Instances one event may expand to before `eventsBetween` gives up with an error: a daily rule
 * from 1990 is 13 000; anything near this is a FREQ=MINUTELY accident, not a meeting.
 */
export const MAX_EXPANDED_INSTANCES = 100_000;

/**
 * Parses an iCalendar feed. Throws an `Error` naming the problem (with its line where the parser
 * gives one) when the text is not iCalendar or is malformed. Events are checked lazily, when a
 * window is asked for, and only those whose summary matches: one broken event elsewhere in a
 * shared calendar does not stop a series.
 */
export function parseIcalFeed(text: string, options: IcalFeedOptions = {}): IcalFeed {
  const calendars = parseCalendars(text);
  const feedZone = calendarZone(calendars);
  const floatingZone = options.floatingZone ?? feedZone ?? "UTC";
  const groups = groupByUid(calendars.flatMap((calendar) => calendar.getAllSubcomponents("vevent")));
  return {
    zone: feedZone,
    eventsBetween(from, to, summary) {
      const events: CalendarEvent[] = [];
      for (const group of groups) {
        if (summary != null && !groupMatches(group, summary)) continue;
        try {
          for (const event of expandGroup(group, from.getTime(), to.getTime(), floatingZone, summary ?? null)) events.push(event);
        } catch (error) {
          throw new Error(`iCalendar event ${describeEvent(group)}: ${(error as Error).message}`, { cause: error });
        }
      }
      return events.sort((a, b) => a.start.getTime() - b.start.getTime());
    },
  };
}

/**
 * The occurrences an iCalendar feed gives a series in `[from, to)`: `parseIcalFeed` +
 * `eventsBetween` + `eventOccurrences`. `zone` names dates (default: each event's TZID, else the
 * feed's X-WR-TIMEZONE, else UTC) and is also the zone of floating times.
 */
export function icalOccurrences(
  text: string,
  options: { summary?: string | null; zone?: string | null; skip?: readonly string[]; from: Date; to: Date },
): Occurrence[] {
  const feed = parseIcalFeed(text, { floatingZone: options.zone ?? null });
  return eventOccurrences(feed.eventsBetween(options.from, options.to, options.summary ?? null), {
    zone: options.zone ?? null,
    fallbackZone: feed.zone,
    skip: options.skip ?? [],
  });
}

function parseCalendars(text: string): ICAL.Component[] {
  const firstLine = text.replace(/^\uFEFF/, "").trimStart().split(/\r?\n/, 1)[0] ?? "";
  if (!/^BEGIN:VCALENDAR\s*$/i.test(firstLine)) {
    // The content itself is not quoted: a feed URL is config-controlled, and its answer must not
    // end up verbatim in an issue comment.
    const html = /^<(?:!doctype|html)/i.test(firstLine);
    throw new Error(
      html
        ? "not an iCalendar feed: the URL returned an HTML page (use the calendar's .ics address, e.g. Google's \"Secret address in iCal format\")"
        : "not an iCalendar feed: it does not start with BEGIN:VCALENDAR",
    );
  }
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (error) {
    throw new Error(`malformed iCalendar feed${lineHint(text, (error as Error).message)}: ${(error as Error).message}`, { cause: error });
  }
  const roots = (Array.isArray(jcal) && typeof jcal[0] === "string" ? [jcal] : (jcal as unknown[])).map(
    (root) => new ICAL.Component(root as unknown[]),
  );
  const calendars = roots.filter((root) => root.name === "vcalendar");
  if (calendars.length === 0) throw new Error("not an iCalendar feed: no VCALENDAR component");
  return calendars;
}

/**
 * ` (line N)` for a parser message that quotes the offending (unfolded) line, else "". A raw line
 * is the one meant when the message has it right after a quote: for a folded line, its first
 * physical line is a prefix of the quoted one.
 */
function lineHint(text: string, message: string): string {
  const index = text.split(/\r?\n/).findIndex((line) => {
    const content = line.trim();
    return content.length >= 3 && !/^[ \t]/.test(line) && (message.includes(`"${content}`) || message.includes(`'${content}`));
  });
  return index < 0 ? "" : ` (line ${index + 1})`;
}

function calendarZone(calendars: ICAL.Component[]): string | null {
  for (const calendar of calendars) {
    const value = calendar.getFirstPropertyValue("x-wr-timezone");
    if (typeof value === "string" && isValidZone(value.trim())) return value.trim();
  }
  return null;
}

/** A series as the feed spells it: the event with its RRULE, and the instances it overrides. */
interface EventGroup {
  uid: string;
  master: ICAL.Component | null;
  overrides: ICAL.Component[];
}

function groupByUid(vevents: ICAL.Component[]): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  vevents.forEach((vevent, index) => {
    // An event without a UID breaks RFC 5545 but occurs; it can only stand alone.
    const uid = textOf(vevent, "uid") ?? `(no UID #${index + 1})`;
    const group = groups.get(uid) ?? { uid, master: null, overrides: [] };
    groups.set(uid, group);
    if (vevent.hasProperty("recurrence-id")) group.overrides.push(vevent);
    else group.master ??= vevent;
  });
  return [...groups.values()];
}

function groupMatches(group: EventGroup, summary: string): boolean {
  return [group.master, ...group.overrides].some((vevent) => vevent !== null && summaryMatches(textOf(vevent, "summary"), summary));
}

function describeEvent(group: EventGroup): string {
  const vevent = group.master ?? group.overrides[0];
  const summary = vevent ? textOf(vevent, "summary") : null;
  return summary ? `"${summary}" (UID ${group.uid})` : `UID ${group.uid}`;
}

function textOf(component: ICAL.Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  return typeof value === "string" ? value : null;
}

function isCancelled(vevent: ICAL.Component): boolean {
  return textOf(vevent, "status")?.trim().toUpperCase() === "CANCELLED";
}

/** The instances of one UID in `[from, to)`, each with the summary it finally has. */
function expandGroup(group: EventGroup, from: number, to: number, floatingZone: string, summary: string | null): CalendarEvent[] {
  const { master } = group;
  // A cancelled series takes its moved instances with it, whatever status they still carry.
  if (master !== null && isCancelled(master)) return [];
  const dtstart = master?.getFirstProperty("dtstart") ?? null;
  if (master !== null && dtstart === null) throw new Error("has no DTSTART");
  const first = dtstart === null ? null : timeValue(dtstart);
  // EXDATE, RDATE and RECURRENCE-ID written without a zone mean the zone of DTSTART.
  const at = (time: ICAL.Time, property: ICAL.Property) => resolveLike(time, property, first, dtstart, floatingZone);

  const out: CalendarEvent[] = [];
  const keep = (vevent: ICAL.Component, start: ResolvedTime, originalStart: number) => {
    if (start.instant < from || start.instant >= to) return;
    const title = textOf(vevent, "summary") ?? (master ? textOf(master, "summary") : null) ?? "";
    if (summary !== null && !summaryMatches(title, summary)) return;
    out.push({ id: `${group.uid}@${new Date(originalStart).toISOString()}`, summary: title, start: new Date(start.instant), zone: start.zone });
  };

  // RECURRENCE-ID → the instance it replaces, by instant: `RECURRENCE-ID;TZID=…` and `…Z` agree.
  const overridden = new Set<number>();
  for (const override of group.overrides) {
    const recurrenceId = timeProperty(override, "recurrence-id", at);
    if (recurrenceId === null) continue;
    overridden.add(recurrenceId.instant);
    const start = timeProperty(override, "dtstart", at);
    // A moved instance is kept at its new time; a cancelled one only removes the original.
    if (start !== null && !isCancelled(override)) keep(override, start, recurrenceId.instant);
  }

  // All-day events are holidays, deadlines and "no meeting this week" markers, never the meeting.
  if (master === null || dtstart === null || first === null || first.isDate) return out;

  const excluded = exclusions(master, at);
  const emit = (start: ResolvedTime) => {
    if (overridden.has(start.instant) || excluded.instants.has(start.instant) || excluded.dates.has(start.localDate)) return;
    keep(master, start, start.instant);
  };

  const rules = master.getAllProperties("rrule");
  if (rules.length === 0) emit(resolve(first, dtstart, floatingZone));
  for (const property of rules) {
    for (const start of expandRule(property, first, dtstart, to, floatingZone)) emit(start);
  }
  for (const property of master.getAllProperties("rdate")) {
    for (const value of property.getValues()) {
      // RDATE may also list DATEs or PERIODs; only plain date-times are meeting starts.
      if (value instanceof ICAL.Time && !value.isDate) emit(at(value, property));
    }
  }
  return out;
}

type Resolver = (time: ICAL.Time, property: ICAL.Property) => ResolvedTime;

/** Starts the RRULE gives, in order, up to the first at or after `to` (UNTIL and COUNT honoured). */
function* expandRule(property: ICAL.Property, first: ICAL.Time, dtstart: ICAL.Property, to: number, floatingZone: string): Generator<ResolvedTime> {
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Recur)) throw new Error("has a malformed RRULE");
  const rule = value.clone();
  // UNTIL is checked here, as an instant: ical.js would compare a UTC UNTIL with a start whose
  // IANA TZID it does not know as if that start were UTC, hours off.
  const until = rule.until;
  rule.until = null;
  const untilCheck = until === null ? null : untilPredicate(until);
  const iterator = rule.iterator(first);
  for (let count = 0; ; count++) {
    if (count >= MAX_EXPANDED_INSTANCES) throw new Error(`repeats more than ${MAX_EXPANDED_INSTANCES} times before ${new Date(to).toISOString()}`);
    const next = iterator.next();
    if (!next) return;
    const start = resolve(next, dtstart, floatingZone);
    if (untilCheck !== null && !untilCheck(start)) return;
    if (start.instant >= to) return;
    yield start;
  }
}

/**
 * Whether a start is within UNTIL: a DATE compares with the start's local date, a UTC date-time as
 * an instant, and a floating one (RFC 5545: in the start's own zone) with the start's wall clock.
 */
function untilPredicate(until: ICAL.Time): (start: ResolvedTime) => boolean {
  const limit = wallClock(until);
  if (until.isDate) {
    const date = formatLocalDate(limit);
    return (start) => start.localDate <= date;
  }
  // For a UTC time the wall clock on the UTC timeline is the instant itself.
  if (until.zone === ICAL.Timezone.utcTimezone) return (start) => start.instant <= limit;
  return (start) => start.local <= limit;
}

/** EXDATE values as instants (date-times) and local dates (DATE values, which exclude the whole day). */
function exclusions(master: ICAL.Component, at: Resolver): { instants: Set<number>; dates: Set<string> } {
  const instants = new Set<number>();
  const dates = new Set<string>();
  for (const property of master.getAllProperties("exdate")) {
    for (const value of property.getValues()) {
      if (!(value instanceof ICAL.Time)) continue;
      if (value.isDate) dates.add(formatLocalDate(wallClock(value)));
      else instants.add(at(value, property).instant);
    }
  }
  return { instants, dates };
}

/** A time of the feed pinned down: the instant, the wall clock it was written in, and its zone. */
interface ResolvedTime {
  instant: number;
  local: LocalTime;
  localDate: string;
  /** IANA name of the zone it was written in, when there is one. */
  zone: string | null;
}

function timeProperty(component: ICAL.Component, name: string, at: Resolver): ResolvedTime | null {
  const property = component.getFirstProperty(name);
  if (property === null) return null;
  const value = timeValue(property);
  return value.isDate ? null : at(value, property);
}

/**
 * `resolve`, except that a floating time (no TZID, no Z) is read in the zone of the series'
 * DTSTART, as RFC 5545 intends for EXDATE, RDATE and RECURRENCE-ID.
 */
function resolveLike(
  time: ICAL.Time,
  property: ICAL.Property,
  first: ICAL.Time | null,
  dtstart: ICAL.Property | null,
  floatingZone: string,
): ResolvedTime {
  const floating = time.zone !== ICAL.Timezone.utcTimezone && typeof property.getParameter("tzid") !== "string";
  if (!floating || first === null || dtstart === null) return resolve(time, property, floatingZone);
  const aligned = time.clone();
  aligned.zone = first.zone;
  return resolve(aligned, dtstart, floatingZone);
}

function timeValue(property: ICAL.Property): ICAL.Time {
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Time)) throw new Error(`has a malformed ${property.name.toUpperCase()}`);
  return value;
}

function wallClock(time: ICAL.Time): LocalTime {
  return localFromFields({ year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second });
}

/**
 * The instant of a feed time. `property` supplies the TZID parameter, which ical.js drops from
 * the value when the feed has no VTIMEZONE of that name (it then calls the time floating).
 */
function resolve(time: ICAL.Time, property: ICAL.Property, floatingZone: string): ResolvedTime {
  const local = wallClock(time);
  const at = (instant: number, zone: string | null): ResolvedTime => ({ instant, local, localDate: formatLocalDate(local), zone });
  if (time.zone === ICAL.Timezone.utcTimezone) return at(local, null);

  const param = property.getParameter("tzid");
  const tzid = typeof param === "string" ? normalizeTzid(param) : null;
  if (tzid === null) return at(toInstant(local, floatingZone).getTime(), null);
  if (isValidZone(tzid)) return at(toInstant(local, tzid).getTime(), tzid);

  const defined = time.zone !== null && time.zone !== ICAL.Timezone.localTimezone && time.zone.component != null;
  const named = ianaZoneForWindowsName(tzid) ?? (defined ? vtimezoneLocation(time.zone!) : null);
  if (defined) return at(time.toUnixTime() * 1000, named ?? null);
  if (named) return at(toInstant(local, named).getTime(), named);
  throw new Error(`uses TZID "${tzid}", which is neither an IANA time zone nor defined by a VTIMEZONE in the feed`);
}

/** `/mozilla.org/20050126_1/America/New_York` (old Lightning/Citadel exports) → `America/New_York`. */
function normalizeTzid(tzid: string): string {
  const trimmed = tzid.trim().replace(/^"|"$/g, "");
  const prefixed = /^\/[^/]+\/[^/]+\/(.+)$/.exec(trimmed);
  return prefixed && isValidZone(prefixed[1]!) ? prefixed[1]! : trimmed;
}

/** A VTIMEZONE's `X-LIC-LOCATION` (libical, Thunderbird), when it is an IANA name. */
function vtimezoneLocation(zone: ICAL.Timezone): string | null {
  const component = zone.component as ICAL.Component | null | undefined;
  const location = component?.getFirstPropertyValue("x-lic-location");
  return typeof location === "string" && isValidZone(location.trim()) ? location.trim() : null;
}
