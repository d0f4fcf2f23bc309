import ICAL from "ical.js";
import { type CalendarEvent, eventOccurrences, summaryMatches } from "./calendar-events.js";
import type { Occurrence } from "./types.js";
import { type LocalTime, formatLocalDate, localFromFields, toInstant } from "./wall-clock.js";
import { ianaZoneForWindowsName } from "./windows-zones.js";
import { isValidZone as checkZone } from "./zones.js";

/** Zone names already checked: asking Intl costs ~0.1 ms, paid once per instance before this. */
const zoneChecks = new Map<string, boolean>();

/** `isValidZone`, remembered (at most 1,000 names: a feed may invent any number of invalid ones). */
function isValidZone(zone: string): boolean {
  let valid = zoneChecks.get(zone);
  if (valid === undefined) {
    valid = checkZone(zone);
    if (zoneChecks.size < 1000) zoneChecks.set(zone, valid);
  }
  return valid;
}

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
  /** What parsing and expanding this feed has cost so far. */
  usage(): ExpansionUsage;
}

/** How `parseIcalFeed` reads times the feed leaves open, and what reading it may cost. */
export interface IcalFeedOptions {
  /** Zone of "floating" times (no TZID, no Z); default: the feed's X-WR-TIMEZONE, else UTC. */
  floatingZone?: string | null;
  /** Names the feed in a budget error, e.g. `calendar.example.org` (its host); never its path, which holds a key. */
  name?: string | null;
  /** The feed's budget; a part left out is `FEED_EXPANSION_LIMITS`'. */
  limits?: Partial<ExpansionLimits>;
  /**
   * A monotonic clock in milliseconds (default `performance.now`). Read around the parse and
   * every `CLOCK_EVERY` steps of expansion. Tests inject one to make the time budget deterministic.
   */
  clock?: () => number;
}

/**
 * What one parsed feed may cost, all its events and every window asked of it together. A feed is
 * someone else's file: one 192-byte `FREQ=DAILY;COUNT=99999` event costs seconds of CPU on the
 * event loop, and 5 MB hold thousands of them, so a budget per rule or per event bounds nothing.
 */
export interface ExpansionLimits {
  /**
   * Starts the feed's events may produce in all: every instance a rule gives from the event's
   * first (before the window is applied: that is what the iteration costs), every RDATE, EXDATE
   * and moved instance. A weekly meeting since 2010 is 800; a daily one since 1990 is 13,000.
   */
  maxInstances: number;
  /** Milliseconds of parsing and expanding in all, on `clock` (waiting between windows is not counted). */
  maxMs: number;
}

/** 50,000 starts and 2 s: about 8 daily meetings since 1990, and a bound the event loop can live with. */
export const FEED_EXPANSION_LIMITS: Readonly<ExpansionLimits> = { maxInstances: 50_000, maxMs: 2_000 };

/** The clock is read every this many steps (a candidate start checked, a year expanded, an instance). */
export const CLOCK_EVERY = 64;

/** What a parsed feed has cost so far (`IcalFeed.usage`). */
export interface ExpansionUsage {
  /** Starts counted against `maxInstances`. */
  instances: number;
  /** Candidates ical.js checked (each instance is one too): the unit of work between clock reads. */
  steps: number;
  /** Milliseconds spent parsing and expanding, on the feed's clock. */
  ms: number;
}

/**
 * A calendar that costs more than its budget (`ExpansionLimits`): "<calendar> has too many
 * occurrences: <why>". The calendar is named as the caller names it (a feed by its host, never
 * its path); no content of the calendar is quoted, so the message is fit for a public issue.
 */
export class FeedBudgetError extends Error {
  override name = "FeedBudgetError";
  /** Which limit was reached. */
  readonly limit: "instances" | "time";

  constructor(calendar: string, limit: "instances" | "time", detail: string) {
    super(`${calendar} has too many occurrences: ${detail}`);
    this.limit = limit;
  }
}

/** How a budget error names a feed: by its host when known. */
function feedSubject(name: string | null): string {
  return name ? `the iCalendar feed from ${name}` : "the iCalendar feed";
}

/**
 * Parses an iCalendar feed. Throws an `Error` naming the problem (with its line where the parser
 * gives one) when the text is not iCalendar or is malformed. Events are checked lazily, when a
 * window is asked for, and only those whose summary matches: one broken event elsewhere in a
 * shared calendar does not stop a series.
 *
 * The parse and every window asked of the feed share one budget (`options.limits`, default
 * `FEED_EXPANSION_LIMITS`): past it, the call throws a `FeedBudgetError` instead of going on. An
 * event repeating more than once a day (FREQ=SECONDLY, MINUTELY, HOURLY, or several BYHOUR,
 * BYMINUTE or BYSECOND values) is refused like a malformed one, before it is expanded: no
 * meeting series meets more than once a day, and the App names its meetings by their date.
 */
export function parseIcalFeed(text: string, options: IcalFeedOptions = {}): IcalFeed {
  const meter = new Meter({ ...FEED_EXPANSION_LIMITS, ...options.limits }, options.clock ?? (() => performance.now()), options.name ?? null);
  const { calendars, groups } = meter.timed(() => {
    const calendars = parseCalendars(text);
    return { calendars, groups: groupByUid(calendars.flatMap((calendar) => calendar.getAllSubcomponents("vevent"))) };
  });
  const feedZone = calendarZone(calendars);
  const floatingZone = options.floatingZone ?? feedZone ?? "UTC";
  return {
    zone: feedZone,
    eventsBetween(from, to, summary) {
      return meter.timed(() => {
        const events: CalendarEvent[] = [];
        for (const group of groups) {
          if (summary != null && !groupMatches(group, summary)) continue;
          try {
            for (const event of expandGroup(group, from.getTime(), to.getTime(), floatingZone, summary ?? null, meter)) events.push(event);
          } catch (error) {
            if (error instanceof FeedBudgetError) throw error;
            throw new Error(`iCalendar event ${describeEvent(group)}: ${(error as Error).message}`, { cause: error });
          }
        }
        return events.sort((a, b) => a.start.getTime() - b.start.getTime());
      });
    },
    usage: () => meter.usage(),
  };
}

/**
 * Charges a feed's work to its budget. Time is counted only inside `timed` (the parse and each
 * `eventsBetween`), so a feed waiting between two windows of a tick is not charged for the wait.
 */
class Meter {
  private instanceCount = 0;
  private steps = 0;
  private spentMs = 0;
  /** Clock reading when the current `timed` section began; `null` outside one. */
  private since: number | null = null;
  private failure: FeedBudgetError | null = null;

  private readonly limits: ExpansionLimits;
  private readonly clock: () => number;
  private readonly feedName: string | null;

  constructor(limits: ExpansionLimits, clock: () => number, feedName: string | null) {
    this.limits = limits;
    this.clock = clock;
    this.feedName = feedName;
  }

  /** Runs `work` with its time charged, and refuses it once the budget is spent (checked again at the end). */
  timed<T>(work: () => T): T {
    if (this.since !== null) return work();
    // A feed that went over once stays over: later windows fail at once, without the work.
    if (this.failure !== null) throw this.failure;
    this.since = this.clock();
    try {
      const result = work();
      this.checkTime();
      return result;
    } finally {
      this.spentMs += this.clock() - this.since;
      this.since = null;
    }
  }

  /** One start (an instance, an RDATE, EXDATE or moved instance). */
  instance(): void {
    this.instances(1);
  }

  /** `count` starts at once, refused before any is worked on. */
  instances(count: number): void {
    this.instanceCount += count;
    if (this.instanceCount > this.limits.maxInstances) {
      this.fail("instances", `its events start more than ${this.limits.maxInstances} times in all, counting each repeating event from its first start (a meeting calendar has a few hundred)`);
    }
    this.step(count);
  }

  /** Units of work: a candidate start checked, a year of a rule expanded, a start. */
  step(count = 1): void {
    const before = this.steps;
    this.steps += count;
    if (Math.floor(before / CLOCK_EVERY) !== Math.floor(this.steps / CLOCK_EVERY)) this.checkTime();
  }

  usage(): ExpansionUsage {
    return { instances: this.instanceCount, steps: this.steps, ms: this.elapsed() };
  }

  private elapsed(): number {
    return this.spentMs + (this.since === null ? 0 : this.clock() - this.since);
  }

  private checkTime(): void {
    if (this.elapsed() > this.limits.maxMs) {
      const limit = this.limits.maxMs % 1000 === 0 ? `${this.limits.maxMs / 1000} s` : `${this.limits.maxMs} ms`;
      this.fail("time", `reading and expanding its events takes more than ${limit}`);
    }
  }

  private fail(limit: FeedBudgetError["limit"], detail: string): never {
    this.failure = new FeedBudgetError(feedSubject(this.feedName), limit, detail);
    throw this.failure;
  }
}

/**
 * ical.js's iterator with every candidate start it checks (`check_contracting_rules`) and every
 * year it expands (`expand_year_days`) charged to the feed's meter. Counting only what `next()`
 * returns would not do: for `FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30` one `next()` never returns,
 * and an impossible YEARLY rule walks to the year 20000 while the iterator is being built.
 */
class MeteredRecurIterator extends ICAL.RecurIterator {
  // `declare`: a field initialiser would run after the base constructor, which already iterates.
  declare meter: Meter | undefined;

  constructor(rule: ICAL.Recur, dtstart: ICAL.Time, meter: Meter) {
    super({ rule, dtstart, meter } as ConstructorParameters<typeof ICAL.RecurIterator>[0]);
  }

  override fromData(options: Parameters<ICAL.RecurIterator["fromData"]>[0]): void {
    // Called by the base constructor before it initialises (and so iterates).
    this.meter ??= (options as { meter?: Meter }).meter;
    super.fromData(options);
  }

  override check_contracting_rules(): boolean {
    this.meter?.step();
    return super.check_contracting_rules();
  }

  override expand_year_days(year: number): number {
    this.meter?.step();
    return super.expand_year_days(year);
  }
}

/**
 * The occurrences an iCalendar feed gives a series in `[from, to)`: `parseIcalFeed` +
 * `eventsBetween` + `eventOccurrences`. `zone` names dates (default: each event's TZID, else the
 * feed's X-WR-TIMEZONE, else UTC) and is also the zone of floating times.
 */
export function icalOccurrences(
  text: string,
  options: { summary?: string | null; zone?: string | null; skip?: readonly string[]; from: Date; to: Date; limits?: Partial<ExpansionLimits> },
): Occurrence[] {
  const feed = parseIcalFeed(text, { floatingZone: options.zone ?? null, ...(options.limits ? { limits: options.limits } : {}) });
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
  for (const calendar of calendars) indexTimezones(calendar);
  return calendars;
}

/**
 * Gives a calendar a table of its VTIMEZONEs by TZID, built once. ical.js looks a TZID up by
 * walking every subcomponent of the calendar and remembers only the names it found, so each time
 * value with a TZID the feed does not define (any IANA name: Google writes no VTIMEZONE) costs a
 * pass over all events: quadratic in the feed's size.
 */
function indexTimezones(calendar: ICAL.Component): void {
  const zones = new Map<string, ICAL.Timezone>();
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const tzid = vtimezone.getFirstPropertyValue("tzid");
    // The first definition wins, as in ical.js.
    if (typeof tzid === "string" && !zones.has(tzid)) zones.set(tzid, new ICAL.Timezone({ component: vtimezone, tzid }));
  }
  // ical.js's own method answers null for a name it does not find; its type leaves that out.
  calendar.getTimeZoneByID = (tzid: string) => (zones.get(tzid) ?? null) as ICAL.Timezone;
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
function expandGroup(group: EventGroup, from: number, to: number, floatingZone: string, summary: string | null, meter: Meter): CalendarEvent[] {
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
    meter.instance();
    const recurrenceId = timeProperty(override, "recurrence-id", at);
    if (recurrenceId === null) continue;
    overridden.add(recurrenceId.instant);
    const start = timeProperty(override, "dtstart", at);
    // A moved instance is kept at its new time; a cancelled one only removes the original.
    if (start !== null && !isCancelled(override)) keep(override, start, recurrenceId.instant);
  }

  // All-day events are holidays, deadlines and "no meeting this week" markers, never the meeting.
  if (master === null || dtstart === null || first === null || first.isDate) return out;

  const rules = master.getAllProperties("rrule");
  // Refused before anything is expanded: this costs nothing, whatever the rule's COUNT.
  for (const property of rules) refuseSubDaily(property);
  const excluded = exclusions(master, at, meter);
  const emit = (start: ResolvedTime) => {
    if (overridden.has(start.instant) || excluded.instants.has(start.instant) || excluded.dates.has(start.localDate)) return;
    keep(master, start, start.instant);
  };

  if (rules.length === 0) {
    meter.instance();
    emit(resolve(first, dtstart, floatingZone));
  }
  for (const property of rules) {
    for (const start of expandRule(property, first, dtstart, to, floatingZone, meter)) emit(start);
  }
  for (const property of master.getAllProperties("rdate")) {
    for (const value of meteredValues(property, meter)) {
      // RDATE may also list DATEs or PERIODs; only plain date-times are meeting starts.
      if (value instanceof ICAL.Time && !value.isDate) emit(at(value, property));
    }
  }
  return out;
}

type Resolver = (time: ICAL.Time, property: ICAL.Property) => ResolvedTime;

function recurOf(property: ICAL.Property): ICAL.Recur {
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Recur)) throw new Error("has a malformed RRULE");
  return value;
}

const SUB_DAILY = new Set(["SECONDLY", "MINUTELY", "HOURLY"]);

/** Throws for a rule that starts more than once a day: by its FREQ, or by several times of day. */
function refuseSubDaily(property: ICAL.Property): void {
  const rule = recurOf(property);
  const why = "a meeting series meets at most once a day";
  if (SUB_DAILY.has(rule.freq)) throw new Error(`repeats more often than daily (FREQ=${rule.freq}); ${why}`);
  const times = ["BYHOUR", "BYMINUTE", "BYSECOND"].filter((part) => rule.getComponent(part).length > 1);
  if (times.length > 0) throw new Error(`starts several times a day (${times.map((part) => `${part} with more than one value`).join(", ")}); ${why}`);
}

/** Starts the RRULE gives, in order, up to the first at or after `to` (UNTIL and COUNT honoured). */
function* expandRule(property: ICAL.Property, first: ICAL.Time, dtstart: ICAL.Property, to: number, floatingZone: string, meter: Meter): Generator<ResolvedTime> {
  const rule = recurOf(property).clone();
  // UNTIL is checked here, as an instant: ical.js would compare a UTC UNTIL with a start whose
  // IANA TZID it does not know as if that start were UTC, hours off.
  const until = rule.until;
  rule.until = null;
  const untilCheck = until === null ? null : untilPredicate(until);
  const iterator = new MeteredRecurIterator(rule, first, meter);
  for (;;) {
    const next = iterator.next();
    if (!next) return;
    meter.instance();
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
function exclusions(master: ICAL.Component, at: Resolver, meter: Meter): { instants: Set<number>; dates: Set<string> } {
  const instants = new Set<number>();
  const dates = new Set<string>();
  for (const property of master.getAllProperties("exdate")) {
    for (const value of meteredValues(property, meter)) {
      if (!(value instanceof ICAL.Time)) continue;
      if (value.isDate) dates.add(formatLocalDate(wallClock(value)));
      else instants.add(at(value, property).instant);
    }
  }
  return { instants, dates };
}

/**
 * The values of an RDATE or EXDATE, each charged as a start before any is decoded: ical.js
 * decodes a property's values all at once, and one 5 MB RDATE holds 300,000 of them.
 */
function meteredValues(property: ICAL.Property, meter: Meter): unknown[] {
  // jCal: [name, parameters, type, ...values].
  meter.instances(Math.max(0, property.jCal.length - 3));
  return property.getValues();
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
