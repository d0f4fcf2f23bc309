import { LOOKAHEAD_DAYS, nextOccurrence, previousOccurrence, scheduleFromConfig, type ScheduleConfig } from "../schedule/occurrences.js";
import { parseRepeatingInterval } from "../schedule/repeating-interval.js";
import { parseRRule, type RRule } from "../schedule/rrule.js";
import { MAX_PERIODS, expandRRule } from "../schedule/rrule-expand.js";
import type { RecurrenceSchedule } from "../schedule/types.js";
import { dayNumber, fieldsOf, formatLocalDate, parseLocalDateTime, toLocal } from "../schedule/wall-clock.js";
import type { MeetingsConfig } from "./schema.js";

/**
 * Something true about a valid config that its author should hear: a `warning` (the series will
 * open no meeting) or a `note` (what `validate` could not check). Never a reason to refuse it.
 */
export interface ScheduleNotice {
  level: "warning" | "note";
  /** Where it applies, from the series: `["schedule", "rrule"]`. */
  key: PropertyKey[];
  message: string;
}

/** A notice placed in the whole config: `path` starts at the top (`meetings[0].schedule.rrule`). */
export interface ConfigNotice extends Omit<ScheduleNotice, "key"> {
  path: PropertyKey[];
}

/** Whole years in `LOOKAHEAD_DAYS`: how far `nextOccurrence`, hence the App, looks for a meeting. */
const LOOKAHEAD_YEARS = Math.floor(LOOKAHEAD_DAYS / 366);

/** The notices of every series of a valid config, at `now`. See `scheduleNotice`. */
export function scheduleNotices(config: MeetingsConfig, now: Date): ConfigNotice[] {
  return config.meetings.flatMap((series, index) => {
    const notice = scheduleNotice(series.schedule, now);
    return notice ? [{ level: notice.level, path: ["meetings", index, ...notice.key], message: notice.message }] : [];
  });
}

/**
 * Whether a validly written schedule will ever open a meeting after `now`, decided by the same
 * occurrence code the App runs, so the answer is the App's:
 * - a rule that matches no day at all (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`): a warning;
 * - no meeting after `now` (UNTIL passed, COUNT or `Rn` used up, every remaining date skipped, or
 *   a start so far back that the expansion's bound runs out before `now`): a warning;
 * - a calendar schedule: a note, because its meetings are only known by asking the calendar.
 *
 * Bounded work: rules are expanded through `LOOKAHEAD_DAYS` at most (`MAX_PERIODS` caps each walk).
 */
export function scheduleNotice(config: ScheduleConfig, now: Date): ScheduleNotice | null {
  if ("googleCalendar" in config) {
    return calendarNote(["schedule", "googleCalendar"], "Google Calendar");
  }
  if ("ical" in config) return calendarNote(["schedule", "ical"], "an iCalendar feed");
  const schedule = scheduleFromConfig(config);
  const early = schedule.kind === "rrule" ? startTooEarly(schedule, now) : null;
  if (early !== null) return { level: "warning", key: ["schedule", "start"], message: early };
  if (nextOccurrence(schedule, now) !== null) return null;
  return { level: "warning", ...whyNoUpcoming(schedule, now) };
}

function calendarNote(key: PropertyKey[], what: string): ScheduleNotice {
  return {
    level: "note",
    key,
    message: `the meetings come from ${what}, which validate does not read: whether it has upcoming meetings is not checked here (the config check run on GitHub lists them)`,
  };
}

function whyNoUpcoming(schedule: RecurrenceSchedule, now: Date): Omit<ScheduleNotice, "level"> {
  const last = previousOccurrence(schedule, now);
  const lastText = last ? `; the last one was on ${last.date}` : "";
  if (schedule.skip.length > 0 && nextOccurrence({ ...schedule, skip: [] }, now) !== null) {
    return { key: ["schedule", "skip"], message: `no upcoming meeting: every remaining date of the series is listed in skip${lastText}` };
  }

  if (schedule.kind === "rrule") {
    const rule = parseRRule(schedule.rrule);
    const first = firstMatch(rule, schedule.start, schedule.zone);
    const key = ["schedule", "rrule"];
    if (first === null) {
      return {
        key,
        message: `the rule never matches: ${schedule.rrule} gives no date in the ${LOOKAHEAD_YEARS} years from start ${schedule.start}, so no meeting will ever open`,
      };
    }
    if (rule.until !== null) {
      const until = untilText(rule.until);
      return last === null
        ? { key, message: `no meeting at all: UNTIL ${until} ends the series before its first date (${first})` }
        : { key, message: `no upcoming meeting: the series ended at UNTIL ${until}${lastText}` };
    }
    if (rule.count !== null) {
      return { key, message: `no upcoming meeting: all ${rule.count} meetings of COUNT=${rule.count} are over${lastText}` };
    }
  } else {
    const { count } = parseRepeatingInterval(schedule.interval);
    if (count !== null) {
      return { key: ["schedule", "interval"], message: `no upcoming meeting: all ${count} meetings of R${count} are over${lastText}` };
    }
  }
  return { key: ["schedule"], message: `no meeting in the next ${LOOKAHEAD_YEARS} years${lastText}` };
}

const PERIOD_NAMES = { DAILY: "days", WEEKLY: "weeks", MONTHLY: "months", YEARLY: "years" } as const;

/**
 * An RRULE is expanded from its start, at most `MAX_PERIODS` periods: a rule without COUNT or
 * UNTIL whose start is so far back that those run out before `now` has, for the App, no next
 * meeting. Said before walking them, which would cost seconds.
 */
function startTooEarly(schedule: Extract<RecurrenceSchedule, { kind: "rrule" }>, now: Date): string | null {
  const rule = parseRRule(schedule.rrule);
  const start = parseLocalDateTime(schedule.start);
  if (rule.count !== null || rule.until !== null || start === null) return null;
  const from = fieldsOf(start);
  const to = fieldsOf(toLocal(now, schedule.zone));
  const elapsed = {
    DAILY: dayNumber(toLocal(now, schedule.zone)) - dayNumber(start),
    WEEKLY: Math.floor((dayNumber(toLocal(now, schedule.zone)) - dayNumber(start)) / 7),
    MONTHLY: (to.year - from.year) * 12 + (to.month - from.month),
    YEARLY: to.year - from.year,
  }[rule.freq];
  if (elapsed / rule.interval < MAX_PERIODS) return null;
  return `start ${schedule.start} is too far in the past: a rule is computed at most ${MAX_PERIODS} ${PERIOD_NAMES[rule.freq]} from its start, and those end before today, so no meeting will open; move start to a recent meeting`;
}

/** The first date (`YYYY-MM-DD`) the rule matches from `start`, ignoring COUNT and UNTIL; `null` if none within the lookahead. */
function firstMatch(rule: RRule, startText: string, zone: string): string | null {
  const start = parseLocalDateTime(startText);
  if (start === null) return null;
  const unbounded = { ...rule, count: null, until: null };
  const first = expandRRule(unbounded, start, zone, dayNumber(start) + LOOKAHEAD_DAYS).next();
  return first.done ? null : formatLocalDate(first.value.local);
}

function untilText(until: NonNullable<RRule["until"]>): string {
  switch (until.kind) {
    case "date":
      return until.date;
    case "local":
      return until.local;
    case "utc":
      return until.instant.toISOString();
  }
}
