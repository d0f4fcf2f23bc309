#!/usr/bin/env node
// Times the worst `.github/meetings.yml` the App may be handed, at the size limit (64 KB): each
// shape below is filled to just under MAX_CONFIG_BYTES and run through what the App and the CLI
// do with a config's text:
//   parse   parseConfigText (the tick, `preview`);
//   fork    buildConfigCheckReport of a fork's pull request (anybody's file; no calendar access);
//   branch  buildConfigCheckReport of a push to the repository (a writer's file): the same, plus
//           the next meetings of the first series, worked out by src/schedule;
//   cli     validateFile (`wg-meetings validate`: reads the file, formats, warns per series).
// Each step runs in a child process (a shape that hangs or crashes the parser is reported, not
// fatal): a small config first, so modules are loaded, then the shape N times (default 10). The
// table shows the CPU time of the process's main thread, i.e. how long the event loop is held,
// without the time spent waiting for a CPU on a busy machine and without V8's background
// compiler and GC threads (read from /proc/self/task/<pid>/schedstat; elsewhere the process's
// user + system time is used): the first run (code not yet optimized) and the median of the runs.
// Run: npm run build && node bench/config-parse.mjs [--only=REGEX] [--steps=parse,fork,branch,cli] [--runs=N] [--timeout=SECONDS]
// (WG_MEETINGS_LIB=<dir> to time another build, e.g. one made from an older commit.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const MAX_BYTES = 64 * 1024;
const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=")));
if ("help" in args || "h" in args) {
  console.log(`Usage: node bench/config-parse.mjs [--only=REGEX] [--steps=parse,fork,branch,cli] [--runs=N] [--timeout=SECONDS]
Times the worst 64 KB .github/meetings.yml shapes (main-thread CPU ms, first run and median of N).
WG_MEETINGS_LIB=<dir> times another build (default: lib/, from npm run build).`);
  process.exit(0);
}
const RUNS = Number(args.runs ?? 10);
const TIMEOUT_S = Number(args.timeout ?? 300);
const STEPS = (args.steps ?? "parse,fork,branch,cli").split(",");

// ---------------------------------------------------------------------------------------------
// The shapes. Each returns the text of one config just under 64 KB.

/** `head`, then as many `item(i)` as fit in 64 KB, then `tail`. */
function fill(head, item, tail = "", limit = MAX_BYTES) {
  const parts = [head];
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail);
  for (let i = 0; ; i++) {
    const text = item(i);
    const bytes = Buffer.byteLength(text);
    if (size + bytes > limit) break;
    parts.push(text);
    size += bytes;
  }
  parts.push(tail);
  return parts.join("");
}

/** `head`, then `item(0)` … `item(count - 1)`, then `tail` (checked to fit in 64 KB). */
function times(count, head, item, tail = "") {
  const text = head + Array.from({ length: count }, (_, i) => item(i)).join("") + tail;
  if (Buffer.byteLength(text) > MAX_BYTES) throw new Error(`${count} items do not fit in 64 KB`);
  return text;
}

/** A short unique name for item `i`: `a`, `b`, … `ba`, … (letters only, never a valid key by chance). */
function name(i) {
  let text = "";
  do {
    text = String.fromCharCode(97 + (i % 26)) + text;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return `z${text}`;
}

const SERIES = `meetings:
  - id: wg
    name: WG
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start: 2025-01-02T10:00
      zone: America/New_York
    agenda:
      label: wg-agenda
      orgs: [acme]
`;

/** One series, valid, with id `id` and an optional extra indented block. */
function series(id, extra = "") {
  return `  - id: ${id}
    name: WG ${id}
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TH
      start: 2025-01-02T10:00
      zone: America/New_York
    agenda: { label: wg, orgs: [acme] }
${extra}`;
}

/** A series in which every field is wrong in its own way. */
function badSeries(i) {
  return `  - id: Bad_${i}
    name: ""
    nmae: x
    schedule:
      rrule: FREQ=WEEKLI;BYDAY=XX
      start: 2025-02-30T25:00
      zone: Mars/Olympus${i}
      skip: [2025-13-01, x]
    duration: forever
    createBefore: 3 days
    agenda: { label: "", orgs: [-bad-], repos: [nope], includePrivate: maybe }
    timezones: [{ label: "", zone: Nowhere/${i} }]
    issue: { title: "{{> p}}", labels: [""], closePrevious: yes }
    minutes: { doc: google, prTitle: notes, reviewers: [-x-], teamReviewers: [a/b], google: { folder: "", share: { anyone: all, groups: [{ email: nope, role: owner }] } } }
    chairs: { permission: root, users: [-y-] }
`;
}

const shapes = {
  // For scale, not an attack.
  "reference: the nodejs example (3 KB)": () => examplesFile("nodejs-security-wg.yml"),
  "reference: 60 valid series": () => fill("meetings:\n", (i) => series(`s${i}`), "", 60 * 230),

  // The finding: many unknown keys at one level (yaml's uniqueKeys and the per-error work).
  "unknown top-level keys, block (`zab: 0`)": () => fill(SERIES, (i) => `${name(i)}: 0\n`),
  "unknown top-level keys, flow ({za, zb, …})": () => fill("{meetings: [],", (i) => `${name(i)},`, "}"),
  "unknown keys in one series (did you mean: 12 keys)": () => fill(SERIES, (i) => `    ${name(i)}: 0\n`),
  "2,990 unknown keys with values (just under the value limit)": () => times(2990, "meetings: []\n", (i) => `${name(i)}: 0\n`),
  "5,990 unknown keys without values (`zab:`)": () => times(5990, "{meetings: []}\n", (i) => `${name(i)}:\n`).replace("{meetings: []}\n", "meetings: []\n"),
  "5,990 unknown keys in a flow map": () => times(5990, "{meetings: [],", (i) => `${name(i)},`, "}"),
  "typos of valid keys in one series (nam0, nme1, …)": () => fill(SERIES, (i) => `    ${["nam", "nme", "idd", "hst", "agnda", "isue", "chair"][i % 7]}${i}: 0\n`),
  "typos of valid keys in a union (schedule)": () => fill(`meetings:\n  - id: wg\n    name: WG\n    agenda: { label: x, orgs: [a] }\n    schedule:\n      zone: UTC\n`, (i) => `      rrul${i}: 0\n`),
  "typos of enum values (timezones: nodej…)": () => fill(`meetings:\n`, (i) => series(`s${i}`, `    timezones: nodjs\n    chairs: { permission: writ }\n`)),
  "long unknown keys (1,000 chars each)": () => fill(SERIES, (i) => `    ${"k".repeat(1000)}${i}: 0\n`),
  "one 64 KB unknown key": () => `${SERIES}    ${"k".repeat(MAX_BYTES - SERIES.length - 20)}: 0\n`,
  "many keys in a valid mapping (agenda.repos list)": () => fill(`${SERIES}    repos:\n`, (i) => `      - acme/r${i}\n`),

  // Duplicate keys (yaml's uniqueKeys compares each key with every earlier one).
  "duplicate keys, block (`a: 0` repeated)": () => fill(SERIES, () => "a: 0\n"),
  "duplicate keys, flow ({a, a, …})": () => fill("{meetings: [],", () => "a,", "}"),
  "distinct keys in one flow map, no errors (`? x`)": () => fill("meetings: [{id: wg, name: WG, schedule: { rrule: FREQ=DAILY, start: 2025-01-01T10:00, zone: UTC }, agenda: {label: x, orgs: [a]}, chairs: {users: [", (i) => `u${i},`, "]}}]"),

  // Nesting.
  "deep flow nesting ([[[[…]]]])": () => `${"[".repeat(MAX_BYTES / 2 - 1)}${"]".repeat(MAX_BYTES / 2 - 1)}`,
  "deep flow nesting of maps ({a: {a: …}})": () => `${"{a: ".repeat(MAX_BYTES / 5 - 1)}0${"}".repeat(MAX_BYTES / 5 - 1)}`,
  "deep block sequences (- - - - …)": () => `${"- ".repeat(MAX_BYTES / 2 - 2)}x\n`,
  "deep block mappings (indentation)": () => fill("", (i) => `${" ".repeat(i)}a:\n`),

  // Long sequences: one error per item.
  "long flow sequence of wrong series (meetings: [0, 0, …])": () => fill("meetings: [", () => "0,", "0]"),
  "long flow sequence of bad skip dates": () => fill(`${SERIES.replace("      zone: America/New_York\n", "      zone: America/New_York\n      skip: [")}`, () => "x,", "x]\n"),
  "long block sequence of empty series (- {})": () => fill("meetings:\n", () => "- {}\n"),
  "long flow sequence of empty series ([{}, …])": () => fill("meetings: [", () => "{},", "{}]"),

  // Aliases and merge keys: a few bytes that stand for much more.
  "one anchor of unknown keys, aliased 100×": () => {
    const anchor = fill("x: &a {", (i) => `${name(i)}: 0,`, "}\n", MAX_BYTES - 600);
    return `${anchor}meetings: [${Array.from({ length: 99 }, () => "*a").join(",")}]\n`;
  },
  "one anchor merged (<<) into 100 series": () => {
    const anchor = fill("x: &a {", (i) => `${name(i)}: 0,`, "}\n", MAX_BYTES - 1200);
    return `${anchor}meetings:\n${Array.from({ length: 99 }, () => "- {<<: *a}\n").join("")}`;
  },
  "nested aliases (each anchor aliases the last 9×)": () => {
    let text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(", ")}]\n`;
    return `${text}meetings: *a9\n`;
  },
  "many anchors and aliases ([&a 0, *a, …])": () => fill("meetings: [", () => "&a 0,*a,", "0]"),
  "many merge keys ({<<: *a} everywhere)": () => fill("a: &a {id: x}\nmeetings:\n", () => "- {<<: *a}\n"),

  // Many series: over the series limit, and at it with the costliest series.
  "many valid series": () => fill("meetings:\n", (i) => series(`s${i}`)),
  "100 valid series (the series limit)": () => times(100, "meetings:\n", (i) => series(`s${i}`)),
  "100 series, rules that never match (Feb 30, daily)": () =>
    times(100, "meetings:\n", (i) => `  - {id: s${i}, name: S, agenda: {label: x, orgs: [a]}, schedule: {rrule: "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", start: 2025-01-01T10:00, zone: Europe/Paris}}\n`),
  "100 series, daily rules from 1900": () =>
    times(100, "meetings:\n", (i) => `  - {id: s${i}, name: S, agenda: {label: x, orgs: [a]}, schedule: {rrule: "FREQ=DAILY", start: 1900-01-01T10:00, zone: America/New_York}}\n`),
  "100 series, sparse rules (Feb 29 on a Monday)": () =>
    times(100, "meetings:\n", (i) => `  - {id: s${i}, name: S, agenda: {label: x, orgs: [a]}, schedule: {rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", start: 2025-01-01T10:00, zone: Europe/Paris}}\n`),
  "100 series with every kind of error": () => times(100, "meetings:\n", (i) => badSeries(i)),
  "many valid series with the same id": () => fill("meetings:\n", () => series("wg")),
  "many series with every kind of error": () => fill("meetings:\n", (i) => badSeries(i)),
  "many series with sparse rules (Feb 29 on a Monday)": () =>
    fill("meetings:\n", (i) => `  - {id: s${i}, name: S, agenda: {label: x, orgs: [a]}, schedule: {rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", start: 2025-01-01T10:00, zone: Europe/Paris}}\n`),
  "many series with bad zones": () => fill("meetings:\n", (i) => `  - {id: s${i}, name: S, agenda: {label: x, orgs: [a]}, schedule: {rrule: FREQ=DAILY, start: 2025-01-01T10:00, zone: Mars/Z${i}}}\n`),
  "many series with the longest valid title": () =>
    fill("meetings:\n", (i) => `  - {id: s${i}, name: S, agenda: {label: x, orgs: [a]}, schedule: P1W, issue: {title: "${"{{#if host}}{{host}}{{/if}}".repeat(30)}"}}\n`),

  // YAML errors.
  "many YAML syntax errors": () => fill("meetings:\n", () => "- a: b: c\n"),
  "many unterminated flow collections": () => fill("", () => "[{\n"),
  "many tags (!!binary, !custom)": () => fill("meetings: [", () => "!x 0,", "0]"),
};

function examplesFile(file) {
  return spawnSync("cat", [fileURLToPath(new URL(`../examples/${file}`, import.meta.url))], { encoding: "utf8" }).stdout;
}

// ---------------------------------------------------------------------------------------------
// One measurement, in a child process: `--measure=<shape>:<step>`.

/** CPU time of this process's main thread in ms (the event loop's), else of the whole process. */
function cpuMs() {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
}

async function measure(shapeName, step) {
  const lib = new URL(process.env.WG_MEETINGS_LIB ?? "../lib/", import.meta.url);
  const load = (path) => import(new URL(path, lib).href);
  const { parseConfigText } = await load("config/load-config.js");
  const { buildConfigCheckReport } = await load("checks/config-check-report.js");
  const { validateFile } = await load("config/validate-command.js");
  const text = shapes[shapeName]();
  const refuse = async () => {
    throw new Error("no calendar access in the bench");
  };
  const io = { fetchText: refuse, calendar: refuse };
  const now = new Date("2025-06-01T12:00:00Z");
  const dir = mkdtempSync(join(tmpdir(), "config-parse-"));
  const file = join(dir, "meetings.yml");
  writeFileSync(file, text);
  const run = {
    parse: async () => {
      const result = parseConfigText(text);
      return result.ok ? `ok, ${result.config.meetings.length} series` : `${result.errors.length + (result.omitted ?? 0)} errors, ${result.errors.length} listed`;
    },
    fork: async () => {
      const report = await buildConfigCheckReport({ text, fromFork: true }, now, io);
      return `${report.conclusion}, ${report.annotations.length} annotations, summary ${report.summary.length} chars`;
    },
    branch: async () => {
      const report = await buildConfigCheckReport({ text }, now, io);
      return `${report.conclusion}, ${report.annotations.length} annotations, summary ${report.summary.length} chars`;
    },
    cli: async () => {
      const output = await validateFile(file, { now });
      return `exit ${output.exitCode}, ${output.stdout.length + output.stderr.length} chars`;
    },
  }[step];
  // Warm-up on a small config, so the first measurement does not pay for loading modules.
  parseConfigText(SERIES);
  await buildConfigCheckReport({ text: SERIES }, now, io);
  await buildConfigCheckReport({ text: SERIES, fromFork: true }, now, io);
  const samples = [];
  let outcome = "";
  for (let i = 0; i < RUNS; i++) {
    const cpu = cpuMs();
    const wall = performance.now();
    outcome = await run();
    samples.push({ cpuMs: cpuMs() - cpu, wallMs: performance.now() - wall });
  }
  rmSync(dir, { recursive: true, force: true });
  const first = samples[0];
  const sorted = [...samples].sort((a, b) => a.cpuMs - b.cpuMs);
  const median = sorted[Math.floor(sorted.length / 2)];
  process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(text), first: first.cpuMs, median: median.cpuMs, wall: median.wallMs, outcome }));
}

if (args.measure) {
  const [shapeName, step] = [args.measure.slice(0, args.measure.lastIndexOf(":")), args.measure.slice(args.measure.lastIndexOf(":") + 1)];
  await measure(shapeName, step);
} else {
  const only = args.only ? new RegExp(args.only, "i") : null;
  console.log(`64 KB configs (${MAX_BYTES} bytes at most); main-thread CPU ms, first run and median of ${RUNS}; Node ${process.version}; lib ${process.env.WG_MEETINGS_LIB ?? "lib/"}`);
  const rows = [];
  for (const shapeName of Object.keys(shapes)) {
    if (only && !only.test(shapeName)) continue;
    const row = { shape: shapeName, KB: (Buffer.byteLength(shapes[shapeName]()) / 1024).toFixed(1) };
    const worstOf = {};
    for (const step of STEPS) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--measure=${shapeName}:${step}`, `--runs=${RUNS}`], {
        encoding: "utf8",
        timeout: TIMEOUT_S * 1000,
        maxBuffer: 1024 * 1024,
      });
      if (child.status === 0) {
        const result = JSON.parse(child.stdout);
        row[`${step} first`] = Math.round(result.first);
        row[`${step} median`] = Math.round(result.median);
        worstOf[step] = Math.max(worstOf[step] ?? 0, result.first, result.median);
        if (step === "fork") row.outcome = result.outcome.slice(0, 48);
      } else {
        const why = child.error?.code === "ETIMEDOUT" ? `> ${TIMEOUT_S} s` : `crashed: ${(child.stderr.match(/^.*(Error|FATAL).*$/m) ?? [child.stderr.trim().split("\n").pop()])[0].slice(0, 60)}`;
        row[`${step} first`] = why;
        worstOf[step] = Infinity;
      }
    }
    row.worstOf = worstOf;
    rows.push(row);
    console.error(`${shapeName}: ${STEPS.map((step) => `${step} ${worstOf[step] === Infinity ? "∞" : Math.round(worstOf[step])} ms`).join(", ")}`);
  }
  console.table(rows.map(({ worstOf: _worst, ...row }) => row));
  const attacks = rows.filter((row) => !row.shape.startsWith("reference"));
  for (const step of STEPS) {
    const worst = attacks.reduce((a, b) => ((b.worstOf[step] ?? 0) > (a.worstOf[step] ?? 0) ? b : a), attacks[0]);
    if (!worst) continue;
    const ms = worst.worstOf[step];
    console.log(`worst 64 KB config, ${step}: ${ms === Infinity ? "did not finish" : `${Math.round(ms)} ms main-thread CPU`} (${worst.shape})`);
  }
}
