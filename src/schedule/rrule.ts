/**
 * The iCalendar RRULE subset (RFC 5545 §3.3.10) working groups use, parsed into a checked value.
 * Expansion lives in `rrule-expand.ts`.
 */

/** How often a rule repeats. Sub-daily frequencies are not supported: a meeting series is not hourly. */
export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

/** Two-letter iCalendar weekday codes. */
export type Weekday = "SU" | "MO" | "TU" | "WE" | "TH" | "FR" | "SA";

/** The weekday codes in `Date#getUTCDay` order (SU = 0), so an index doubles as a JS weekday. */
export const WEEKDAYS: readonly Weekday[] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** One BYDAY entry: a weekday, optionally the n-th (`2TH`) or n-th from last (`-1FR`) of the period. */
export interface ByDay {
  weekday: Weekday;
  /** 1 = first, -1 = last; `null` means every such weekday. */
  ordinal: number | null;
}

/**
 * When a rule ends. `date`: through that local date (UNTIL=20251231); `local`: through that wall
 * time in the series zone (UNTIL=20251231T100000); `utc`: through that instant (…T100000Z).
 */
export type RRuleUntil =
  | { kind: "date"; date: string }
  | { kind: "local"; local: string }
  | { kind: "utc"; instant: Date };

/** A parsed, validated RRULE. Empty arrays mean the part was absent. */
export interface RRule {
  freq: Frequency;
  interval: number;
  byDay: ByDay[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  count: number | null;
  until: RRuleUntil | null;
  wkst: Weekday;
}

const FREQUENCIES: readonly Frequency[] = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

/** Real RFC 5545 parts this subset does not implement: named as unsupported, not as unknown. */
const UNSUPPORTED = new Set(["BYSECOND", "BYMINUTE", "BYHOUR", "BYWEEKNO", "BYYEARDAY"]);

/**
 * Parses an RRULE such as `FREQ=WEEKLY;INTERVAL=2;BYDAY=TH` or `RRULE:FREQ=MONTHLY;BYDAY=-1FR`.
 *
 * Supported: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, BYDAY (ordinals with MONTHLY and
 * YEARLY), BYMONTHDAY, BYMONTH, BYSETPOS, COUNT, UNTIL, WKST. Anything else, a repeated part, or
 * a bad value throws an `Error` naming the part, e.g. `unsupported RRULE part "BYHOUR"`. The time
 * of day always comes from the series' `start`.
 */
export function parseRRule(text: string): RRule {
  const body = text.trim().replace(/^RRULE:/i, "").replace(/;$/, "");
  if (body === "") throw new Error("empty RRULE (expected e.g. FREQ=WEEKLY;BYDAY=TH)");

  const parts = new Map<string, string>();
  for (const part of body.split(";")) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toUpperCase();
    const value = eq < 0 ? "" : part.slice(eq + 1).trim().toUpperCase();
    if (eq < 0 || name === "" || value === "") throw new Error(`malformed RRULE part "${part}" (expected NAME=VALUE)`);
    if (UNSUPPORTED.has(name)) throw new Error(`unsupported RRULE part "${name}"`);
    if (!PART_NAMES.has(name)) throw new Error(`unknown RRULE part "${name}"`);
    if (parts.has(name)) throw new Error(`RRULE part "${name}" appears more than once`);
    parts.set(name, value);
  }

  const freqText = parts.get("FREQ");
  if (freqText === undefined) throw new Error("RRULE needs FREQ (one of DAILY, WEEKLY, MONTHLY, YEARLY)");
  if (!(FREQUENCIES as readonly string[]).includes(freqText)) {
    throw new Error(`FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY (got "${freqText}")`);
  }
  const freq = freqText as Frequency;

  const rule: RRule = {
    freq,
    interval: optional(parts, "INTERVAL", (v) => integer("INTERVAL", v, 1, 1000)) ?? 1,
    byDay: optional(parts, "BYDAY", (v) => list(v).map((item) => parseByDay(item, freq))) ?? [],
    byMonthDay: optional(parts, "BYMONTHDAY", (v) => list(v).map((item) => nonZero("BYMONTHDAY", item, 31))) ?? [],
    byMonth: optional(parts, "BYMONTH", (v) => list(v).map((item) => integer("BYMONTH", item, 1, 12))) ?? [],
    bySetPos: optional(parts, "BYSETPOS", (v) => list(v).map((item) => nonZero("BYSETPOS", item, 366))) ?? [],
    count: optional(parts, "COUNT", (v) => integer("COUNT", v, 1, 100_000)) ?? null,
    until: optional(parts, "UNTIL", parseUntil) ?? null,
    wkst: optional(parts, "WKST", (v) => weekday("WKST", v)) ?? "MO",
  };

  if (rule.count !== null && rule.until !== null) throw new Error("RRULE cannot have both COUNT and UNTIL");
  if (freq === "WEEKLY" && rule.byMonthDay.length > 0) throw new Error('RRULE part "BYMONTHDAY" cannot be used with FREQ=WEEKLY');
  if (rule.bySetPos.length > 0 && rule.byDay.length + rule.byMonthDay.length + rule.byMonth.length === 0) {
    throw new Error('RRULE part "BYSETPOS" needs BYDAY, BYMONTHDAY or BYMONTH to pick from');
  }
  return rule;
}

const PART_NAMES = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL", "WKST"]);

function optional<T>(parts: Map<string, string>, name: string, parse: (value: string) => T): T | undefined {
  const value = parts.get(name);
  return value === undefined ? undefined : parse(value);
}

function list(value: string): string[] {
  return value.split(",").map((item) => item.trim());
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw new Error(`RRULE part "${name}" must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

function nonZero(name: string, value: string, max: number): number {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n !== 0 && Math.abs(n) <= max)) {
    throw new Error(`RRULE part "${name}" must be a whole number from 1 to ${max} or -${max} to -1 (got "${value}")`);
  }
  return n;
}

function weekday(name: string, value: string): Weekday {
  if (!(WEEKDAYS as readonly string[]).includes(value)) {
    throw new Error(`RRULE part "${name}" must name weekdays as MO, TU, WE, TH, FR, SA, SU (got "${value}")`);
  }
  return value as Weekday;
}

function parseByDay(item: string, freq: Frequency): ByDay {
  const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
  if (!m) throw new Error(`RRULE part "BYDAY" has a malformed entry "${item}" (expected e.g. TH, 2TH, -1FR)`);
  const day = weekday("BYDAY", m[2]!);
  if (m[1] === undefined) return { weekday: day, ordinal: null };
  // RFC 5545: an ordinal only means something relative to a month or a year.
  if (freq !== "MONTHLY" && freq !== "YEARLY") {
    throw new Error(`RRULE part "BYDAY" entry "${item}" has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY`);
  }
  const ordinal = Number(m[1]);
  const max = freq === "MONTHLY" ? 5 : 53;
  if (ordinal === 0 || Math.abs(ordinal) > max) {
    throw new Error(`RRULE part "BYDAY" entry "${item}" has an ordinal outside 1..${max} / -${max}..-1`);
  }
  return { weekday: day, ordinal };
}

function parseUntil(value: string): RRuleUntil {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  const bad = () => new Error(`RRULE part "UNTIL" must be a date like 20251231 or 20251231T235959Z (got "${value}")`);
  if (!m) throw bad();
  const [, y, mo, d, h, mi, s, z] = m;
  const date = `${y}-${mo}-${d}`;
  const check = new Date(`${date}T${h ?? "00"}:${mi ?? "00"}:${s ?? "00"}Z`);
  // Round-tripping through Date rejects 20250230 and 25:00 without a calendar table.
  const impossible = () => new Error(`RRULE part "UNTIL" is not a real ${h === undefined ? "date" : "date and time"} (got "${value}")`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date) throw impossible();
  if (h === undefined) return { kind: "date", date };
  const local = `${date}T${h}:${mi}:${s}`;
  if (check.toISOString().slice(11, 19) !== `${h}:${mi}:${s}`) throw impossible();
  return z ? { kind: "utc", instant: check } : { kind: "local", local };
}
