/** A time zone label shown in the meeting's time table, e.g. `{ label: "US / Pacific", zone: "America/Los_Angeles" }`. */
export interface ZoneRow {
  label: string;
  zone: string;
}

/** A series that repeats by rule: its occurrences are computed, with no I/O (`occurrences.ts`). */
export type RecurrenceSchedule =
  | {
      kind: "rrule";
      /** iCalendar RRULE body, e.g. `FREQ=WEEKLY;INTERVAL=2;BYDAY=TH`. */
      rrule: string;
      /** First occurrence as wall-clock time in `zone`, `YYYY-MM-DDTHH:mm`. */
      start: string;
      /** IANA zone the wall-clock times belong to. */
      zone: string;
      /** Dates (`YYYY-MM-DD`, in `zone`) on which no meeting happens. */
      skip: string[];
    }
  | {
      kind: "interval";
      /** ISO-8601 repeating interval as pkgjs/meet writes it: `2025-08-04T13:00:00[America/Chicago]/P2W`. */
      interval: string;
      skip: string[];
    };

/**
 * A series whose occurrences are the events of a calendar: read through an `OccurrenceSource`
 * (`occurrence-source.ts`), because they can only be known by asking the calendar.
 */
export type CalendarSchedule =
  | {
      kind: "google-calendar";
      /** Google Calendar id, e.g. `c_0123abcd@group.calendar.google.com`. */
      calendarId: string;
      /** Events whose title equals this (case-insensitive, trimmed) are the meetings. */
      summary: string;
      /** IANA zone that names dates and titles; `null`: each event's own zone, else the calendar's, else UTC. */
      zone: string | null;
      /** Dates (`YYYY-MM-DD`, in the occurrence's zone) on which no meeting happens. */
      skip: string[];
    }
  | {
      kind: "ical";
      /** `https://` URL of an iCalendar (.ics) feed. */
      url: string;
      /** Events whose title equals this (case-insensitive, trimmed) are the meetings; `null`: every timed event. */
      summary: string | null;
      /** IANA zone that names dates and titles; `null`: each event's TZID, else the feed's X-WR-TIMEZONE, else UTC. */
      zone: string | null;
      skip: string[];
    };

/** How a series repeats, resolved from config: by rule, or by a calendar's events. */
export type Schedule = RecurrenceSchedule | CalendarSchedule;

/** One meeting of a series: the instant it starts and the zone that names its date. */
export interface Occurrence {
  /** The instant the meeting starts. */
  start: Date;
  /** The series' own zone (the zone of its wall-clock schedule). */
  zone: string;
  /** The meeting's date in `zone`, `YYYY-MM-DD`: names files, titles and branches. */
  date: string;
  /**
   * For an occurrence read from a calendar: the id of the event instance, which stays the same
   * when the instance is moved (Google's instance id; iCal `UID` + original start). Absent for
   * computed schedules, whose start is their identity.
   */
  eventId?: string;
}
