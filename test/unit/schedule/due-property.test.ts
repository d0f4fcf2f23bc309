import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainDue } from "../../../src/schedule/due.js";
import { parseDuration } from "../../../src/schedule/duration.js";
import {
  referenceExpandRRule,
  referenceNextOccurrence,
  referenceOccurrencesBetween,
  referencePreviousOccurrence,
} from "../../helpers/occurrences-reference.js";
import { nextOccurrence, occurrencesBetween, previousOccurrence, scheduleFromConfig } from "../../../src/schedule/occurrences.js";
import { parseRRule } from "../../../src/schedule/rrule.js";
import { expandRRule } from "../../../src/schedule/rrule-expand.js";
import type { Occurrence, RecurrenceSchedule } from "../../../src/schedule/types.js";
import { dayNumber, formatLocalDateTime, parseLocalDateTime, zoneOffsetMinutes } from "../../../src/schedule/wall-clock.js";

/**
 * Issue 12: the due decision jumps to the period holding `now` instead of walking from the
 * series' start. Here it is held against the walk it replaced (occurrences-reference.ts, the
 * code as it was) over random rules of the whole supported RRULE subset and random repeating
 * intervals, in zones with unusual daylight saving, with `now` mostly within hours of a
 * daylight-saving change. The seed is fixed, so a failure reproduces; fast-check prints the
 * shrunk counterexample.
 */

const DAY = 86_400_000;
const SEED = 20_261_202;

/** Zones whose rules are unusual: 30-minute DST (Lord Howe), a 45-minute offset (Chatham), changes at midnight (Santiago, historically Tehran). */
const ZONES = [
  "UTC",
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/Santiago",
  "Asia/Tehran",
  "Europe/Berlin",
] as const;

/** The instants at which each zone's offset changed or will change, 1900–2035, found by a weekly scan refined by bisection. */
const transitions = new Map<string, number[]>(
  ZONES.map((zone) => {
    const found: number[] = [];
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2035, 0, 1);
    for (let t = from, offset = zoneOffsetMinutes(zone, t); t < to; t += 7 * DAY) {
      const later = zoneOffsetMinutes(zone, t + 7 * DAY);
      if (later !== offset) {
        let [low, high] = [t, t + 7 * DAY];
        while (high - low > 60_000) {
          const mid = low + Math.floor((high - low) / 2);
          if (zoneOffsetMinutes(zone, mid) === offset) low = mid;
          else high = mid;
        }
        found.push(high);
      }
      offset = later;
    }
    return [zone, found];
  }),
);

/** `now`: within hours of one of the zone's offset changes (most runs), or anywhere 1900–2035. */
const instantIn = (zone: string): fc.Arbitrary<number> => {
  const changes = transitions.get(zone) ?? [];
  const anywhere = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2035, 0, 1) });
  if (changes.length === 0) return anywhere;
  const nearChange = fc
    .tuple(fc.integer({ min: 0, max: changes.length - 1 }), fc.integer({ min: -36 * 3_600_000, max: 36 * 3_600_000 }), fc.boolean())
    // Whole minutes and hours are where occurrences sit; exact hits matter most.
    .map(([i, delta, round]) => changes[i]! + (round ? Math.round(delta / 900_000) * 900_000 : delta));
  return fc.oneof({ arbitrary: nearChange, weight: 3 }, { arbitrary: anywhere, weight: 1 });
};

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
type Freq = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

/** How far back the start may lie, per frequency: the walking reference costs one step per day. */
const MAX_AGE_DAYS: Record<Freq, number> = { DAILY: 800, WEEKLY: 3000, MONTHLY: 5000, YEARLY: 7000 };

/** `arb` in `present` out of `absent + present` runs, else `null`. */
const sometimes = <T>(arb: fc.Arbitrary<T>, absent: number, present: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: absent }, { arbitrary: arb, weight: present });

const nonZero = (max: number) => fc.integer({ min: -max, max }).filter((n) => n !== 0);

const byDay = (freq: Freq) =>
  fc.uniqueArray(
    fc.record({
      weekday: fc.constantFrom(...WEEKDAYS),
      ordinal: freq === "MONTHLY" ? fc.option(nonZero(5)) : freq === "YEARLY" ? fc.option(fc.oneof(nonZero(5), nonZero(53))) : fc.constant(null),
    }),
    { minLength: 1, maxLength: 4, selector: (entry) => `${entry.ordinal ?? ""}${entry.weekday}` },
  );

/** One RRULE of the supported subset (any part the parser accepts with that FREQ), as text. */
const rruleText = (now: number, zone: string) =>
  fc.constantFrom<Freq>("DAILY", "WEEKLY", "MONTHLY", "YEARLY").chain((freq) =>
    fc
      .record({
        interval: fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: fc.integer({ min: 2, max: 13 }), weight: 2 }),
        byDay: sometimes(byDay(freq), 1, 1),
        byMonthDay: freq === "WEEKLY" ? fc.constant(null) : sometimes(fc.uniqueArray(fc.oneof(nonZero(31), fc.integer({ min: 1, max: 28 })), { minLength: 1, maxLength: 3 }), 2, 1),
        byMonth: sometimes(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }), 3, 1),
        bySetPos: sometimes(fc.uniqueArray(fc.oneof(nonZero(4), nonZero(40)), { minLength: 1, maxLength: 2 }), 3, 1),
        end: fc.oneof(
          { arbitrary: fc.constant(null), weight: 1 },
          { arbitrary: fc.record({ count: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 3000 })) }), weight: 1 },
          // COUNT set so that the series ends within a few meetings of `now`: see countNearNow.
          { arbitrary: fc.record({ countFromNow: fc.integer({ min: -3, max: 3 }) }), weight: 3 },
          { arbitrary: fc.record({ untilDays: fc.integer({ min: -400, max: 400 }), form: fc.constantFrom("date", "local", "utc") }), weight: 1 },
        ),
        wkst: fc.option(fc.constantFrom(...WEEKDAYS), { freq: 3 }),
      })
      .map((r) => {
        const parts = [`FREQ=${freq}`];
        if (r.interval !== 1) parts.push(`INTERVAL=${r.interval}`);
        if (r.byDay) parts.push(`BYDAY=${r.byDay.map((e) => `${e.ordinal ?? ""}${e.weekday}`).join(",")}`);
        if (r.byMonthDay) parts.push(`BYMONTHDAY=${r.byMonthDay.join(",")}`);
        if (r.byMonth) parts.push(`BYMONTH=${r.byMonth.join(",")}`);
        if (r.bySetPos && (r.byDay || r.byMonthDay || r.byMonth)) parts.push(`BYSETPOS=${r.bySetPos.join(",")}`);
        if (r.end && "count" in r.end) parts.push(`COUNT=${r.end.count}`);
        if (r.end && "countFromNow" in r.end) parts.push(`COUNT=@${r.end.countFromNow}`);
        if (r.end && "untilDays" in r.end) parts.push(`UNTIL=${untilValue(now + r.end.untilDays * DAY, r.end.form, zone)}`);
        if (r.wkst) parts.push(`WKST=${r.wkst}`);
        return { freq, text: parts.join(";") };
      }),
  );

function untilValue(at: number, form: string, zone: string): string {
  const local = new Date(at + zoneOffsetMinutes(zone, at) * 60_000).toISOString();
  const compact = (iso: string) => iso.slice(0, 19).replace(/[-:]/g, "");
  if (form === "date") return compact(local).slice(0, 8);
  if (form === "local") return compact(local);
  return `${compact(new Date(at).toISOString())}Z`;
}

/** A wall-clock start `ageDays` before `now` in the zone; hours near midnight and 02:00–03:00 are favoured (DST changes sit there). */
const startText = (now: number, zone: string, ageDays: number, hour: number, minute: number): string => {
  const local = new Date(now + zoneOffsetMinutes(zone, now) * 60_000 - ageDays * DAY);
  return `${local.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
};
const hourArb = fc.oneof(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 1, 2, 3, 23));
const minuteArb = fc.oneof(fc.constantFrom(0, 30, 45), fc.integer({ min: 0, max: 59 }));

/** Skip dates: some of the series' own dates around `now` (so they bite), plus a random date. */
function withSkips(schedule: RecurrenceSchedule, now: number, picks: boolean[]): RecurrenceSchedule {
  const around = referenceOccurrencesBetween(schedule, new Date(now - 120 * DAY), new Date(now + 120 * DAY));
  const skip = around.filter((_, i) => picks[i % picks.length]).map((o) => o.date);
  return { ...schedule, skip: [...new Set(skip)].sort() };
}

const view = (o: Occurrence | null) => (o === null ? null : { start: o.start.toISOString(), date: o.date, zone: o.zone });

/** Every question the App asks of a computed schedule, asked of both implementations. */
function expectSameAnswers(schedule: RecurrenceSchedule, now: number): void {
  for (const at of [now, now + 1]) {
    const [next, previous] = [referenceNextOccurrence(schedule, new Date(at)), referencePreviousOccurrence(schedule, new Date(at))];
    expect(view(nextOccurrence(schedule, new Date(at))), `next at or after ${new Date(at).toISOString()}`).toEqual(view(next));
    expect(view(previousOccurrence(schedule, new Date(at))), `previous before ${new Date(at).toISOString()}`).toEqual(view(previous));
    if (at === now + 1) {
      // explainDue: next strictly after now, previous at or before it.
      const explained = explainDue({ schedule, createBefore: parseDuration("P3D"), now: new Date(now) });
      expect([view(explained.next), view(explained.previous)], "explainDue").toEqual([view(next), view(previous)]);
    }
  }
  const [from, to] = [new Date(now - 40 * DAY), new Date(now + 40 * DAY)];
  expect(occurrencesBetween(schedule, from, to).map(view), "occurrences within 40 days").toEqual(referenceOccurrencesBetween(schedule, from, to).map(view));
}

/**
 * `COUNT=@d` becomes the COUNT whose last meeting is d meetings from the first one after `now`
 * (d ≤ 0: already over), so the end of a COUNT rule falls near `now` in many runs.
 */
function countNearNow(text: string, start: string, zone: string, now: number): string {
  const m = /COUNT=@(-?\d+)/.exec(text);
  if (m === null) return text;
  const unbounded = tryBuild(() => scheduleFromConfig({ rrule: text.replace(/;COUNT=@-?\d+/, ""), start, zone, skip: [] }));
  const upTo = unbounded === null ? 0 : referenceOccurrencesBetween(unbounded, new Date(Date.UTC(1800, 0, 1)), new Date(now + 1)).length;
  return text.replace(m[0], `COUNT=${Math.max(1, upTo + Number(m[1]))}`);
}

/** A schedule from config, or `null` when the generated parts are not a valid combination (e.g. UNTIL before the start). */
function tryBuild(build: () => RecurrenceSchedule): RecurrenceSchedule | null {
  try {
    return build();
  } catch {
    return null;
  }
}

describe("the due decision without walking agrees with the walk from the start (property)", () => {
  it("RRULE: random rules, zones, starts and instants near DST changes", () => {
    const arb = fc
      .constantFrom(...ZONES)
      .chain((zone) => instantIn(zone).map((now) => ({ zone, now })))
      .chain(({ zone, now }) =>
        fc.record({
          zone: fc.constant(zone),
          now: fc.constant(now),
          rule: rruleText(now, zone),
          // Per mille of the frequency's MAX_AGE_DAYS; a few starts lie after `now`.
          ageShare: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 1000 }), weight: 5 }, { arbitrary: fc.integer({ min: -50, max: 0 }), weight: 1 }),
          hour: hourArb,
          minute: minuteArb,
          picks: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ zone, now, rule, ageShare, hour, minute, picks }) => {
        const ageDays = Math.round((ageShare / 1000) * MAX_AGE_DAYS[rule.freq]);
        const start = startText(now, zone, ageDays, hour, minute);
        const base = tryBuild(() => scheduleFromConfig({ rrule: countNearNow(rule.text, start, zone, now), start, zone, skip: [] }));
        if (base === null) return;
        expectSameAnswers(withSkips(base, now, picks), now);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("rare and impossible rules: the previous meeting years back (or none), found by jumping over empty periods", () => {
    const SPARSE_RULES = [
      "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29",
      "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
      "FREQ=MONTHLY;BYMONTH=2;BYDAY=FR;BYMONTHDAY=13",
      "FREQ=DAILY;BYMONTH=2;BYDAY=FR;BYMONTHDAY=13",
      "FREQ=WEEKLY;INTERVAL=9;BYDAY=FR;BYMONTH=2",
      "FREQ=YEARLY;BYMONTH=2;BYDAY=5SU",
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
      "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
    ];
    const arb = fc.record({
      zone: fc.constantFrom(...ZONES),
      text: fc.constantFrom(...SPARSE_RULES),
      count: sometimes(fc.integer({ min: 1, max: 4 }), 2, 1),
      now: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2035, 0, 1) }),
      ageDays: fc.integer({ min: 0, max: 12_000 }),
      hour: hourArb,
      minute: minuteArb,
    });
    fc.assert(
      fc.property(arb, ({ zone, text, count, now, ageDays, hour, minute }) => {
        const rrule = count === null ? text : `${text};COUNT=${count}`;
        const base = tryBuild(() => scheduleFromConfig({ rrule, start: startText(now, zone, ageDays, hour, minute), zone, skip: [] }));
        if (base === null) return;
        expectSameAnswers(base, now);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("COUNT of DAILY and WEEKLY rules with BYMONTH or BYMONTHDAY (counted by kinds of year and month), ending near now", () => {
    const arb = fc.record({
      zone: fc.constantFrom(...ZONES),
      daily: fc.boolean(),
      interval: fc.integer({ min: 1, max: 3 }),
      byDay: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }),
      byMonthDay: fc.uniqueArray(fc.constantFrom(1, 15, 28, 29, 30, 31, -1, -2), { minLength: 1, maxLength: 2 }),
      byMonth: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
      bySetPos: sometimes(fc.constantFrom(1, -1, 2), 2, 1),
      countFromNow: fc.integer({ min: -2, max: 2 }),
      now: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) }),
      ageDays: fc.integer({ min: 1000, max: 9000 }),
      hour: hourArb,
    });
    fc.assert(
      fc.property(arb, ({ zone, daily, interval, byDay, byMonthDay, byMonth, bySetPos, countFromNow, now, ageDays, hour }) => {
        const parts = [`FREQ=${daily ? "DAILY" : "WEEKLY"}`, `INTERVAL=${interval}`, `BYMONTH=${byMonth.join(",")}`];
        parts.push(daily ? `BYMONTHDAY=${byMonthDay.join(",")}` : `BYDAY=${byDay.join(",")}`);
        if (bySetPos !== null && !daily) parts.push(`BYSETPOS=${bySetPos}`);
        parts.push(`COUNT=@${countFromNow}`);
        const start = startText(now, zone, ageDays, hour, 0);
        const schedule = tryBuild(() => scheduleFromConfig({ rrule: countNearNow(parts.join(";"), start, zone, now), start, zone, skip: [] }));
        if (schedule === null) return;
        const explained = explainDue({ schedule, createBefore: parseDuration("P3D"), now: new Date(now) });
        expect([view(explained.next), view(explained.previous)]).toEqual([
          view(referenceNextOccurrence(schedule, new Date(now + 1))),
          view(referencePreviousOccurrence(schedule, new Date(now + 1))),
        ]);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it("expandRRule (the walk the config check still uses) yields what it yielded before", () => {
    const arb = fc
      .constantFrom(...ZONES)
      .chain((zone) => instantIn(zone).map((now) => ({ zone, now })))
      .chain(({ zone, now }) => fc.record({ zone: fc.constant(zone), now: fc.constant(now), rule: rruleText(now, zone), hour: hourArb, minute: minuteArb }));
    fc.assert(
      fc.property(arb, ({ zone, now, rule, hour, minute }) => {
        const text = rule.text.replace(/COUNT=@-?\d+/, "COUNT=7");
        const start = parseLocalDateTime(startText(now, zone, 0, hour, minute))!;
        const parsed = tryBuild(() => scheduleFromConfig({ rrule: text, start: formatLocalDateTime(start).slice(0, 16), zone, skip: [] }));
        if (parsed === null) return;
        const horizon = dayNumber(start) + 800;
        const view = (o: { local: number; start: Date }) => [o.local, o.start.toISOString()];
        expect([...expandRRule(parseRRule(text), start, zone, horizon)].map(view)).toEqual([...referenceExpandRRule(parseRRule(text), start, zone, horizon)].map(view));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("repeating intervals: random periods and counts, IANA and fixed-offset zones", () => {
    const periods = ["P1D", "P1W", "P2W", "P10D", "P1M", "P3M", "P1Y", "P1M15D", "PT36H", "P1DT12H", "PT24H"];
    const arb = fc
      .constantFrom(...ZONES)
      .chain((zone) =>
        fc.record({
          zone: fc.constant(zone),
          now: instantIn(zone),
          written: fc.constantFrom("name", "name", "offset"),
          period: fc.constantFrom(...periods),
          count: fc.option(fc.integer({ min: 1, max: 400 }), { freq: 2 }),
          ageDays: fc.integer({ min: -60, max: 60_000 }),
          hour: hourArb,
          minute: minuteArb,
          picks: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ zone, now, written, period, count, ageDays, hour, minute, picks }) => {
        const start = startText(now, zone, ageDays, hour, minute);
        const offset = zoneOffsetMinutes(zone, now);
        const fixed = `${offset < 0 ? "-" : "+"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}:${String(Math.abs(offset) % 60).padStart(2, "0")}`;
        const where = written === "offset" ? fixed : `[${zone}]`;
        const interval = `${count === null ? "" : `R${count}/`}${start}:00${where}/${period}`;
        const base = tryBuild(() => scheduleFromConfig({ interval, skip: [] }));
        if (base === null) return;
        expectSameAnswers(withSkips(base, now, picks), now);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
