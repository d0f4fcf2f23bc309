#!/usr/bin/env node
// Issue 12: what deciding whether a meeting is due costs per series, against the series' age.
// For each shape (weekly, daily, monthly by ordinal, repeating interval, and two COUNT rules)
// started 1, 10, 50 and 200 years before NOW, it times `explainDue` (what a tick runs per
// series) and the walk from the start that it replaced (test/helpers/occurrences-reference.ts,
// compiled here into node_modules/.cache/wg-meetings-bench: the package does not ship it),
// and checks that both give the same answer. Figures are medians of many runs; "first call" is
// a fresh process's cost (prepared rules forgotten before each run).
// Run: npm run build && node bench/due-decision.mjs [--json]   (WG_MEETINGS_LIB=<dir> to use another build)
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

if (process.argv.includes("--help")) {
  console.log("Usage: node bench/due-decision.mjs [--json]\n\nTimes the due decision per series against the series' age, before (walk from the start) and after. Build first: npm run build.");
  process.exit(0);
}

const lib = new URL(process.env.WG_MEETINGS_LIB ?? "../lib/", import.meta.url);
const { explainDue } = await import(new URL("schedule/due.js", lib).href);
const { parseDuration } = await import(new URL("schedule/duration.js", lib).href);
const { subtractDuration } = await import(new URL("schedule/zoned-duration.js", lib).href);
const { forgetPreparedSchedules, scheduleFromConfig } = await import(new URL("schedule/occurrences.js", lib).href);
// The old walk is test code: compiled from its TypeScript with the project's own tsc, each run.
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
execFileSync(process.execPath, [tsc, "-p", fileURLToPath(new URL("tsconfig.reference.json", import.meta.url))], { stdio: ["ignore", "ignore", "inherit"] });
const reference = new URL("../node_modules/.cache/wg-meetings-bench/test/helpers/occurrences-reference.js", import.meta.url);
const { referenceNextOccurrence, referencePreviousOccurrence } = await import(reference.href);

const NOW = new Date("2026-06-04T12:00:00Z");
const P3D = parseDuration("P3D");
const AGES = [1, 10, 50, 200];
const GOAL_MS = 1;

/** A start `years` before NOW on the same month and day (the first of the month for the ordinal rule). */
const startDate = (years, day) => `${NOW.getUTCFullYear() - years}-06-${day}`;

const SHAPES = [
  { name: "weekly (FREQ=WEEKLY;BYDAY=TH)", make: (y) => ({ rrule: "FREQ=WEEKLY;BYDAY=TH", start: `${startDate(y, "04")}T10:00`, zone: "America/New_York", skip: [] }) },
  { name: "daily (FREQ=DAILY)", make: (y) => ({ rrule: "FREQ=DAILY", start: `${startDate(y, "04")}T09:30`, zone: "Europe/London", skip: [] }) },
  { name: "monthly by ordinal (BYDAY=2TH)", make: (y) => ({ rrule: "FREQ=MONTHLY;BYDAY=2TH", start: `${startDate(y, "01")}T17:00`, zone: "Australia/Lord_Howe", skip: [] }) },
  { name: "repeating interval (P2W)", make: (y) => ({ interval: `${startDate(y, "04")}T13:00:00[America/Chicago]/P2W`, skip: [] }) },
  // COUNT large enough to run past NOW: the index of an occurrence is needed without the walk.
  { name: "weekly with COUNT=20000 (closed form)", make: (y) => ({ rrule: "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=20000", start: `${startDate(y, "04")}T10:00`, zone: "Pacific/Chatham", skip: [] }) },
  // Fridays vary 4–5 a month: counted over the 400-year cycle of months, set up once per series.
  { name: "monthly BYDAY=FR with COUNT=50000 (cycle table)", make: (y) => ({ rrule: "FREQ=MONTHLY;BYDAY=FR;COUNT=50000", start: `${startDate(y, "04")}T10:00`, zone: "America/Santiago", skip: [] }) },
  // No short cycle (which weeks a month holds varies): COUNT counted a kind of year (then month) at a time.
  { name: "weekly BYMONTH=3,4,5,9,10,11 with COUNT=9000 (by kinds of year)", make: (y) => ({ rrule: "FREQ=WEEKLY;BYDAY=WE;BYMONTH=3,4,5,9,10,11;COUNT=9000", start: `${startDate(y, "03")}T10:00`, zone: "Europe/London", skip: [] }) },
];

/** explainDue as it was: the same reasoning over the walking next / previous. */
function referenceExplain(schedule) {
  const at = new Date(NOW.getTime() + 1);
  const next = referenceNextOccurrence(schedule, at);
  const previous = referencePreviousOccurrence(schedule, at);
  const opensAt = next === null ? null : subtractDuration(next.start, P3D, next.zone);
  return { now: NOW, next, opensAt, due: opensAt !== null && opensAt.getTime() <= NOW.getTime(), previous };
}

/** Median milliseconds of `run`, repeated until `minMs` have passed (at least `minRuns`, at most `maxRuns`). */
function median(run, { minRuns, maxRuns, minMs, before = () => {} }) {
  const times = [];
  const started = performance.now();
  while (times.length < maxRuns && (times.length < minRuns || performance.now() - started < minMs)) {
    before();
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const ms = (value) => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(3));

const results = [];
for (const shape of SHAPES) {
  for (const years of AGES) {
    const schedule = scheduleFromConfig(shape.make(years));
    const input = { schedule, createBefore: P3D, now: NOW };
    const expected = referenceExplain(schedule);
    forgetPreparedSchedules();
    if (!same(explainDue(input), expected)) {
      console.error(`bench: ${shape.name}, ${years} years: explainDue disagrees with the walk\n  walk: ${JSON.stringify(expected)}\n  now:  ${JSON.stringify(explainDue(input))}`);
      process.exitCode = 1;
    }
    const before = median(() => referenceExplain(schedule), { minRuns: 3, maxRuns: 50, minMs: 1000 });
    const first = median(() => explainDue(input), { minRuns: 21, maxRuns: 2000, minMs: 300, before: forgetPreparedSchedules });
    explainDue(input);
    const after = median(() => explainDue(input), { minRuns: 101, maxRuns: 20_000, minMs: 300 });
    results.push({ shape: shape.name, years, before, first, after, next: expected.next?.date ?? "none" });
  }
}

if (process.argv.includes("--json")) {
  // One row per shape (all ages in it), for `npm run bench`'s table (bench/run.mjs).
  const rows = SHAPES.map((shape) => {
    const mine = results.filter((r) => r.shape === shape.name);
    const worstFirst = Math.max(...mine.map((r) => r.first));
    return {
      metric: `${shape.name}: ms per series, walk from start → now, started ${AGES.join(" / ")} years ago`,
      value: `${mine.map((r) => `${ms(r.before)} → ${ms(r.after)}`).join(" · ")} (first call ≤ ${ms(worstFirst)})`,
      goal: `≤ ${GOAL_MS} ms at every age`,
      met: mine.every((r) => r.after <= GOAL_MS && r.first <= GOAL_MS),
    };
  });
  console.log(JSON.stringify({ section: "Due decision", rows }));
} else {
  console.log(`Due decision per series at ${NOW.toISOString()}: explainDue, median ms (goal ≤ ${GOAL_MS} ms)`);
  console.log("| schedule | started | next | walk from start (before) | now, first call | now, prepared |");
  console.log("|---|---:|---|---:|---:|---:|");
  for (const r of results) {
    console.log(`| ${r.shape} | ${r.years} years ago | ${r.next} | ${ms(r.before)} | ${ms(r.first)} | ${ms(r.after)} |`);
  }
}
