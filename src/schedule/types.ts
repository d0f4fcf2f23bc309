/** A time zone label shown in the meeting's time table, e.g. `{ label: "US / Pacific", zone: "America/Los_Angeles" }`. */
export interface ZoneRow {
  label: string;
  zone: string;
}

/** How a series repeats. Exactly one of the two forms, resolved from config. */
export type Schedule =
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

/** One meeting of a series: the instant it starts and the zone that names its date. */
export interface Occurrence {
  /** The instant the meeting starts. */
  start: Date;
  /** The series' own zone (the zone of its wall-clock schedule). */
  zone: string;
  /** The meeting's date in `zone`, `YYYY-MM-DD`: names files, titles and branches. */
  date: string;
}
