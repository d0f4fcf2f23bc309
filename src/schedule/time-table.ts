import { tz } from "@date-fns/tz";
// The per-function entry: the package index loads all of date-fns (about 300 modules).
import { format } from "date-fns/format";
import type { ZoneRow } from "./types.js";
import { formatLocalDate, toLocal } from "./wall-clock.js";

/** The cell format of the Node.js meeting issue's time table: `Thu 21-Jul-2022 07:00 (07:00 AM)`. */
export const TIME_TABLE_PATTERN = "EEE dd-MMM-yyyy HH:mm (hh:mm a)";

/**
 * Formats `instant` as the clock in `zone` shows it, with a date-fns `format` pattern. The `in`
 * context makes date-fns read the fields in `zone`, so the machine's own TZ never leaks in.
 * `zone` may also be a fixed `±HH:MM` offset (from an offset-form repeating interval).
 */
export function formatInZone(instant: Date, zone: string, pattern: string): string {
  return format(instant, pattern, { in: tz(zone) });
}

/** One row of a rendered time table. */
export interface TimeTableRow {
  label: string;
  zone: string;
  /** `instant` in `zone` as `TIME_TABLE_PATTERN`. */
  text: string;
}

/** `instant` in every row's zone, in the rows' order, formatted as `TIME_TABLE_PATTERN`. */
export function timeTable(instant: Date, rows: ZoneRow[]): TimeTableRow[] {
  return rows.map(({ label, zone }) => ({ label, zone, text: formatInZone(instant, zone, TIME_TABLE_PATTERN) }));
}

/** The date (`YYYY-MM-DD`) the clock in `zone` shows at `instant`: the date that names a meeting. */
export function localDate(instant: Date, zone: string): string {
  return formatLocalDate(toLocal(instant, zone));
}
