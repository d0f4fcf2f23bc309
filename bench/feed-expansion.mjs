#!/usr/bin/env node
// Times the worst iCalendar feeds the App may be handed, at the fetcher's size limit (5 MB):
// parse + expansion of one feed as a tick reads it (one window of ±400 days around NOW, every
// event taken: no summary filter), with the default budget (FEED_EXPANSION_LIMITS). Each shape
// prints its size, the time, how many starts it was charged and how it ended.
// Run: npm run build && node bench/feed-expansion.mjs   (WG_MEETINGS_LIB=<dir> to use another build)
import { performance } from "node:perf_hooks";

const lib = new URL(process.env.WG_MEETINGS_LIB ?? "../lib/", import.meta.url);
const { FEED_EXPANSION_LIMITS, parseIcalFeed } = await import(new URL("schedule/ical-feed.js", lib).href);
const { eventOccurrences } = await import(new URL("schedule/calendar-events.js", lib).href);

const MAX_BYTES = 5 * 1024 * 1024;
const NOW = Date.parse("2025-06-01T12:00:00Z");
const DAY = 86_400_000;
const FROM = new Date(NOW - 400 * DAY);
const TO = new Date(NOW + 400 * DAY);

const head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", "X-WR-TIMEZONE:America/New_York"];
const tail = ["END:VCALENDAR", ""];

/** A feed of as many copies of `event(i)` as fit in 5 MB. */
function fill(event) {
  const parts = [...head];
  let size = Buffer.byteLength(parts.join("\r\n")) + 40;
  for (let i = 0; ; i++) {
    const text = event(i).join("\r\n");
    const bytes = Buffer.byteLength(text) + 2;
    if (size + bytes > MAX_BYTES) break;
    parts.push(text);
    size += bytes;
  }
  return [...parts, ...tail].join("\r\n");
}

/** One event padded to 5 MB with a long DESCRIPTION (folded lines) or with the given lines. */
function single(lines, padding = 0) {
  return [...head, "BEGIN:VEVENT", ...lines, ...(padding > 0 ? [`DESCRIPTION:${"x".repeat(padding)}`] : []), "END:VEVENT", ...tail].join("\r\n");
}

const shapes = {
  // For scale, not an attack: what a real meeting calendar costs at the far end of normal.
  "reference: 1 daily meeting since 1990 (13,000 starts), TZID": () =>
    single(["UID:ref@bench", "SUMMARY:Sync", "DTSTART;TZID=America/New_York:19900101T100000", "RRULE:FREQ=DAILY"]),
  // The finding's event: refused by its FREQ before it is expanded.
  "38,000 × FREQ=MINUTELY;COUNT=99999 (the finding)": () =>
    fill((i) => ["BEGIN:VEVENT", `UID:m${i}@bench`, "SUMMARY:Sync", "DTSTART:20240101T000000Z", "RRULE:FREQ=MINUTELY;COUNT=99999", "END:VEVENT"]),
  // Sub-daily refused, so the attacker repeats daily from long ago: stopped by the instance budget.
  "× FREQ=DAILY;COUNT=99999 from 1900, TZID": () =>
    fill((i) => ["BEGIN:VEVENT", `UID:d${i}@bench`, "SUMMARY:Sync", "DTSTART;TZID=America/New_York:19000101T100000", "RRULE:FREQ=DAILY;COUNT=99999", "END:VEVENT"]),
  // A rule that never matches: ical.js loops inside one next(); stopped by the time budget.
  "1 × FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30 + 5 MB padding": () =>
    single(["UID:never@bench", "SUMMARY:Sync", "DTSTART:20000101T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"], MAX_BYTES - 400),
  // An impossible YEARLY rule walks to the year 20000 while the iterator is built.
  "× impossible YEARLY rule from year 1": () =>
    fill((i) => ["BEGIN:VEVENT", `UID:y${i}@bench`, "SUMMARY:Sync", "DTSTART:00010101T100000Z", "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1MO;BYMONTHDAY=15,16,17,18,19,20,21", "END:VEVENT"]),
  // Leap-day-only daily rule: ~1,461 candidates checked per instance.
  "× FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29 from 1600": () =>
    fill((i) => ["BEGIN:VEVENT", `UID:l${i}@bench`, "SUMMARY:Sync", "DTSTART:16000101T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", "END:VEVENT"]),
  // Many plain events in the window: each one start, each resolved in a zone.
  "× single events in the window, TZID": () =>
    fill((i) => ["BEGIN:VEVENT", `UID:s${i}@bench`, "SUMMARY:Sync", `DTSTART;TZID=America/New_York:2025${String(1 + (i % 12)).padStart(2, "0")}${String(1 + (i % 28)).padStart(2, "0")}T100000`, "END:VEVENT"]),
  // One event whose RDATE lists as many date-times as fit.
  "1 × RDATE with ~300,000 values": () => {
    const values = [];
    for (let i = 0, size = 0; size < MAX_BYTES - 1000; i++) {
      const value = new Date(NOW - 300 * DAY + i * 60_000).toISOString().replace(/[-:]/g, "").slice(0, 15) + "Z";
      values.push(value);
      size += value.length + 1;
    }
    return single(["UID:r@bench", "SUMMARY:Sync", "DTSTART:20250101T100000Z", `RDATE:${values.join(",")}`]);
  },
  // The parser's own cost: a million tiny properties.
  "1 × event with ~750,000 X- properties": () => {
    const lines = ["UID:p@bench", "SUMMARY:Sync", "DTSTART:20250101T100000Z"];
    for (let size = 200; size < MAX_BYTES - 100; size += 7) lines.push("X-A:1");
    return single(lines);
  },
};

console.log(`budget: ${FEED_EXPANSION_LIMITS.maxInstances} starts, ${FEED_EXPANSION_LIMITS.maxMs} ms; window ±400 days; Node ${process.version}`);
const rows = [];
for (const [name, make] of Object.entries(shapes)) {
  const text = make();
  const started = performance.now();
  let outcome = "ok";
  let usage = null;
  try {
    const feed = parseIcalFeed(text);
    try {
      const events = feed.eventsBetween(FROM, TO);
      eventOccurrences(events, { zone: null, fallbackZone: feed.zone, skip: [] });
      outcome = `ok, ${events.length} events`;
    } finally {
      usage = feed.usage();
    }
  } catch (error) {
    outcome = `${error.name}: ${error.message.slice(0, 110)}`;
  }
  const ms = performance.now() - started;
  rows.push({ shape: name, MB: (Buffer.byteLength(text) / 1024 / 1024).toFixed(2), ms: Math.round(ms), starts: usage?.instances ?? "-", steps: usage?.steps ?? "-", outcome });
}
console.table(rows);
const attacks = rows.filter((row) => !row.shape.startsWith("reference"));
console.log(`worst feed at ${MAX_BYTES / 1024 / 1024} MB: ${Math.max(...attacks.map((r) => r.ms))} ms (parse + expansion, until refused)`);
