import { type IsoDuration, parseDuration } from "./duration.js";
import { formatLocalDateTime, parseLocalDateTime, toInstant, zoneOffsetMinutes } from "./wall-clock.js";
import { isValidZone } from "./zones.js";

/** An ISO-8601 repeating interval resolved into a wall-clock start, its zone and a period. */
export interface RepeatingInterval {
  /** First meeting as wall-clock time in `zone`: `YYYY-MM-DDTHH:mm` or `YYYY-MM-DDTHH:mm:ss`, as written. */
  start: string;
  /** IANA zone; `UTC` for a `Z` start; a fixed `±HH:MM` for an offset start (no daylight saving). */
  zone: string;
  period: IsoDuration;
  /** Total number of meetings (`R12` → 12); `null` when unbounded (`R/…` or no `R`). */
  count: number | null;
}

const EXAMPLE = "e.g. 2025-08-04T13:00:00[America/Chicago]/P2W";

/**
 * Parses an ISO-8601 repeating interval as pkgjs/meet writes it:
 * `2025-08-04T13:00:00[America/Chicago]/P2W`, optionally prefixed `R/` or `R12/`, with the zone as
 * `[IANA name]`, `Z`, or a fixed offset `+02:00`. An offset together with a bracketed name
 * (`…-05:00[America/Chicago]`, RFC 9557) must agree with the name at that time.
 *
 * `Rn` is read as n meetings in total, the first one included. Errors name what is wrong: the
 * repetition, the missing `/`, the start, the zone or the period.
 */
export function parseRepeatingInterval(text: string): RepeatingInterval {
  const input = text.trim();
  const fail = (what: string): Error => new Error(`invalid repeating interval "${text}": ${what}`);
  if (input === "") throw fail(`it is empty (expected START/PERIOD, ${EXAMPLE})`);

  let rest = input;
  let count: number | null = null;
  if (/^R/i.test(rest)) {
    const r = /^R(\d*)\//i.exec(rest);
    if (!r) throw fail(`the repetition must be "R/" or "Rn/" with n a whole number (${EXAMPLE})`);
    if (r[1] !== "") {
      count = Number(r[1]);
      if (!Number.isSafeInteger(count) || count < 1) throw fail(`the repetition count must be at least 1 (got R${r[1]})`);
    }
    rest = rest.slice(r[0].length);
  }

  // The zone name itself contains "/", so the separator is the first "/" after any "[…]".
  const bracketEnd = rest.indexOf("]");
  const slash = rest.indexOf("/", bracketEnd < 0 ? 0 : bracketEnd);
  if (slash < 0) throw fail(`missing "/" between the start and the period (${EXAMPLE})`);
  const startText = rest.slice(0, slash);
  const periodText = rest.slice(slash + 1);

  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:\d{2})?(?:\[([^\]]*)\])?$/i.exec(startText);
  if (!m) throw fail(`the start "${startText}" is not a date-time like 2025-08-04T13:00:00[America/Chicago]`);
  const [, wall = "", offsetText, name] = m;
  const local = parseLocalDateTime(wall);
  if (local === null) throw fail(`the start "${wall}" is not a real date and time`);

  let zone: string;
  if (name !== undefined) {
    if (!isValidZone(name)) throw fail(`unknown time zone "${name}" (use an IANA name such as America/Chicago)`);
    zone = name;
    if (offsetText !== undefined) {
      const expected = zoneOffsetMinutes(name, toInstant(local, name).getTime());
      if (offsetMinutes(offsetText) !== expected) {
        throw fail(`the offset ${offsetText} does not match ${name} at ${formatLocalDateTime(local)}`);
      }
    }
  } else if (offsetText === undefined) {
    throw fail(`the start "${startText}" has no time zone: add [Area/City] (e.g. [America/Chicago]), Z, or an offset like +02:00`);
  } else {
    const normalized = normalizeOffset(offsetText);
    if (normalized === null) throw fail(`the offset ${offsetText} is out of range`);
    zone = normalized;
  }

  let period: IsoDuration;
  try {
    period = parseDuration(periodText);
  } catch (error) {
    throw fail(`bad period: ${(error as Error).message}`);
  }
  // A meeting series meets at most once a day; a sub-daily period would make every tick and
  // every feed walk thousands of instances.
  const calendarPart = period.years + period.months + period.weeks + period.days;
  const clockMs = ((period.hours * 60 + period.minutes) * 60 + period.seconds) * 1000;
  if (calendarPart === 0 && clockMs < 86_400_000) {
    throw fail(`the period ${periodText} is shorter than a day: a meeting series meets at most once a day (e.g. P1D, P1W)`);
  }
  return { start: wall, zone, period, count };
}

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === "Z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** `Z` and `±00:00` become `UTC`; other offsets stay `±HH:MM`, which `wall-clock.ts` reads as a fixed zone; `null` if out of range. */
function normalizeOffset(offset: string): string | null {
  const minutes = offsetMinutes(offset);
  if (Math.abs(minutes) > 18 * 60 || Number(offset.slice(4, 6)) > 59) return null;
  return minutes === 0 ? "UTC" : offset;
}
