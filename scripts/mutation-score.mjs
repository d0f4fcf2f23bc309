#!/usr/bin/env node
// Reads Stryker's JSON report (the mutation-testing-report-schema) and prints the mutation score
// of each module; exits 1 if a module or the whole report is below its target.
//
//   node scripts/mutation-score.mjs <report.json> [--each <pct>] [--overall <pct>] [--survivors]
//                                  [--equivalents <list.json>]
//
// --each:      every module (file) in the report must score at least <pct> (the guard modules: 90).
// --overall:   all mutants of the report together must score at least <pct> (the whole of src: 80).
// --survivors: also list every surviving or uncovered mutant, with its line and replacement.
// --equivalents: the checked-in list of equivalent mutants (test/mutation/equivalent-mutants.json):
//              each entry names ONE mutant (file, mutator, the code it replaces, the replacement,
//              and the source line it is on) and why no test can tell it from the original. A
//              listed mutant that survives counts as "equivalent" and leaves the score; an entry
//              that matches no mutant (the code changed) or matches one a test kills (it was not
//              equivalent) fails the check, so the list cannot go stale or hide a real gap.
//
// The score is Stryker's: detected (killed or timed out) over valid (detected, survived or not
// covered). Mutants that do not compile or crash on load are invalid, and ignored mutants
// (`// Stryker disable` with a reason) are left out; neither counts either way.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const INVALID = new Set(["CompileError", "RuntimeError"]);

/**
 * Counts one module's mutants by status and works out its score (a percentage, or null when it
 * has no valid mutant: nothing to score, so nothing to fail).
 */
export function scoreMutants(mutants) {
  const count = (statuses) => mutants.filter((m) => statuses.has(m.status)).length;
  const detected = count(DETECTED);
  const undetected = count(UNDETECTED);
  const valid = detected + undetected;
  return {
    total: mutants.length,
    killed: count(new Set(["Killed"])),
    timeout: count(new Set(["Timeout"])),
    survived: count(new Set(["Survived"])),
    noCoverage: count(new Set(["NoCoverage"])),
    invalid: count(INVALID),
    ignored: count(new Set(["Ignored"])),
    equivalent: count(new Set(["Equivalent"])),
    pending: count(new Set(["Pending"])),
    detected,
    valid,
    score: valid === 0 ? null : (detected / valid) * 100,
  };
}

/** The score of every module (file) in a report, sorted by path, and of all of them together. */
export function scoreReport(report) {
  if (!report || typeof report.files !== "object" || report.files === null) {
    throw new Error("not a mutation-testing report: no `files`");
  }
  const modules = Object.entries(report.files)
    .map(([file, { mutants }]) => ({ file, ...scoreMutants(mutants) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const overall = scoreMutants(Object.values(report.files).flatMap((f) => f.mutants));
  return { modules, overall };
}

/**
 * Reads the checked-in list of equivalent mutants. Every entry needs the mutant's file, mutator,
 * original code, replacement, source line (trimmed) and a reason; anything else is refused.
 */
export function parseEquivalents(list) {
  if (!Array.isArray(list)) throw new Error("the equivalent-mutant list must be a JSON array");
  return list.map((entry, i) => {
    for (const key of ["file", "mutator", "original", "replacement", "line", "reason"]) {
      if (typeof entry?.[key] !== "string" || (key !== "replacement" && entry[key].trim() === "")) {
        throw new Error(`equivalent mutant [${i}]: "${key}" must be a${key === "replacement" ? "" : " non-empty"} string`);
      }
    }
    return entry;
  });
}

/**
 * Marks each listed equivalent mutant of the report as status "Equivalent" (left out of the
 * score) and returns what is wrong with the list: entries that match no mutant, or one that
 * a test detects. Entries match on the code, not on line numbers, so an edit elsewhere in the
 * file does not unlist them; a mutant the entry describes twice on one line matches both.
 */
export function applyEquivalents(report, equivalents) {
  const problems = [];
  for (const entry of equivalents) {
    const file = report.files[entry.file];
    const sourceLines = typeof file?.source === "string" ? file.source.split("\n") : [];
    const matches = (file?.mutants ?? []).filter(
      (m) =>
        m.mutatorName === entry.mutator &&
        (m.replacement ?? "") === entry.replacement &&
        excerpt(sourceLines, m.location) === entry.original &&
        (sourceLines[m.location.start.line - 1] ?? "").trim() === entry.line.trim(),
    );
    const where = `${entry.file} ${entry.mutator}: ${oneLine(entry.original)} -> ${oneLine(entry.replacement)}`;
    if (matches.length === 0) {
      // A module outside this report (the guard run does not mutate every file) is not stale.
      if (file) problems.push(`listed as equivalent but no such mutant: ${where}`);
      continue;
    }
    for (const m of matches) {
      if (DETECTED.has(m.status)) problems.push(`listed as equivalent but a test detects it (${m.status}): ${where}`);
      else if (UNDETECTED.has(m.status)) m.status = "Equivalent";
    }
  }
  return problems;
}

/**
 * What fails the targets: each module below `each`, the whole below `overall` (either target
 * may be absent), and any mutant still pending (a report of an unfinished run proves nothing).
 */
export function findFailures({ modules, overall }, targets) {
  const failures = [];
  if (overall.pending > 0) failures.push(`${overall.pending} mutants were never run (status Pending)`);
  if (overall.total === 0) failures.push("the report holds no mutant");
  if (targets.each !== undefined) {
    for (const m of modules) {
      if (m.score !== null && m.score < targets.each) failures.push(`${m.file}: ${formatScore(m.score)} < ${targets.each}%`);
    }
  }
  if (targets.overall !== undefined && overall.score !== null && overall.score < targets.overall) {
    failures.push(`overall: ${formatScore(overall.score)} < ${targets.overall}%`);
  }
  return failures;
}

/**
 * Every mutant the tests let through (survived, or run by no test), as
 * `file:line:column Mutator: original -> replacement`, in file and line order.
 */
export function listSurvivors(report) {
  const lines = [];
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sourceLines = typeof source === "string" ? source.split("\n") : [];
    const escaped = mutants
      .filter((m) => UNDETECTED.has(m.status))
      .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
    for (const m of escaped) {
      const original = excerpt(sourceLines, m.location);
      const what = m.status === "NoCoverage" ? " (no test runs this code)" : "";
      lines.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}: ${oneLine(original)} -> ${oneLine(m.replacement ?? "")}${what}`);
    }
  }
  return lines;
}

/** The source text a mutant replaces (locations are 1-based lines and columns). */
function excerpt(sourceLines, { start, end }) {
  if (sourceLines.length === 0) return "?";
  if (start.line === end.line) return (sourceLines[start.line - 1] ?? "").slice(start.column - 1, end.column - 1);
  const first = (sourceLines[start.line - 1] ?? "").slice(start.column - 1);
  const last = (sourceLines[end.line - 1] ?? "").slice(0, end.column - 1);
  return [first, ...sourceLines.slice(start.line, end.line - 1), last].join("\n");
}

/** Keeps a listing to one line per mutant, and short. */
function oneLine(text) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

/** A score as printed: one decimal, or n/a for a module with nothing to score. */
export function formatScore(score) {
  return score === null ? "n/a" : `${(Math.floor(score * 10) / 10).toFixed(1)}%`;
}

/** The table printed for a report: one row per module, then the total. */
export function formatTable({ modules, overall }) {
  const header = ["module", "score", "killed", "timeout", "survived", "no cov", "invalid", "ignored", "equiv"];
  const row = (name, s) => [name, formatScore(s.score), s.killed, s.timeout, s.survived, s.noCoverage, s.invalid, s.ignored, s.equivalent].map(String);
  const rows = [header, ...modules.map((m) => row(m.file, m)), row("all modules", overall)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

/** Reads the command line: the report's path and the targets. */
export function parseArgs(argv) {
  const options = { report: undefined, each: undefined, overall: undefined, survivors: false, equivalents: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--survivors") options.survivors = true;
    else if (arg === "--equivalents") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new Error("--equivalents needs the list's path");
      options.equivalents = value;
    }
    else if (arg === "--each" || arg === "--overall") {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0 || value > 100) throw new Error(`${arg} needs a percentage from 0 to 100`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else if (options.report === undefined) options.report = arg;
    else throw new Error(`one report only (got ${options.report} and ${arg})`);
  }
  if (options.report === undefined) throw new Error("usage: mutation-score.mjs <report.json> [--each <pct>] [--overall <pct>] [--survivors] [--equivalents <list.json>]");
  return options;
}

/** Prints the table (and the survivors if asked) and returns the exit code. */
export function main(argv, out = console.log) {
  let options;
  let report;
  let equivalents = [];
  try {
    options = parseArgs(argv);
    report = JSON.parse(readFileSync(options.report, "utf8"));
    if (options.equivalents !== undefined) equivalents = parseEquivalents(JSON.parse(readFileSync(options.equivalents, "utf8")));
  } catch (error) {
    out(`mutation-score: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const listProblems = options.equivalents !== undefined ? applyEquivalents(report, equivalents) : [];
  const scores = scoreReport(report);
  out(formatTable(scores));
  if (options.survivors) {
    const survivors = listSurvivors(report);
    out(`\n${survivors.length} mutants not detected:`);
    for (const line of survivors) out(line);
  }
  const failures = [...findFailures(scores, options), ...listProblems];
  const targets = [options.each !== undefined && `each module >= ${options.each}%`, options.overall !== undefined && `overall >= ${options.overall}%`].filter(Boolean).join(", ");
  if (failures.length > 0) {
    out(`\nmutation score below target (${targets || "no target"}):`);
    for (const failure of failures) out(`  ${failure}`);
    return 1;
  }
  out(`\nmutation score on target (${targets || "no target given"})`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
