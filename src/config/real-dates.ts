import { daysInMonth } from "../schedule/wall-clock.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Why a `YYYY-MM-DD` text is not a real date (`February 2025 has 28 days`), or `null` when it is
 * one or is not in that shape at all (the format check reports that). `2025-02-30` must be an
 * error: rolled over, it would silently mean March 2.
 */
export function impossibleDate(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  return dayProblem(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Like `impossibleDate`, for `YYYY-MM-DDTHH:mm` (or `…:ss`): also names an hour or minute out of range. */
export function impossibleDateTime(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return null;
  const day = dayProblem(Number(m[1]), Number(m[2]), Number(m[3]));
  if (day !== null) return day;
  if (Number(m[4]) > 23) return "not a real time: hours go from 00 to 23";
  if (Number(m[5]) > 59) return "not a real time: minutes go from 00 to 59";
  if (m[6] !== undefined && Number(m[6]) > 59) return "not a real time: seconds go from 00 to 59";
  return null;
}

function dayProblem(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12) return `not a real date: there is no month ${String(month).padStart(2, "0")}`;
  const length = daysInMonth(year, month);
  if (day < 1 || day > length) return `not a real date: ${MONTHS[month - 1]} ${year} has ${length} days`;
  return null;
}
