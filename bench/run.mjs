#!/usr/bin/env node
// `npm run bench`: every benchmark of the project in one run, printed as one table.
//
// Each section is a script of its own that prints `{ section, rows: [{ metric, value, goal, met }] }`
// with `--json` (a row may name a section of its own). The table ends with the machine's load. They run one after another, each in its own process, so one section's heap,
// timers and loaded modules do not weigh on the next one's figures. A section that fails is
// reported in the table, and the run exits non-zero, rather than hiding behind the others.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const SECTIONS = [
  ["startup.mjs", "Start-up and webhooks"],
  ["tick-scale.mjs", "Tick at scale"],
  ["due-decision.mjs", "Due decision"],
  ["api-cost.mjs", "Requests per meeting"],
];

const only = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
// Node flags to try on the App's processes (start-up and tick sections); by default they run with
// the flags of the image's CMD, and each section's table says which flags ran.
const passOn = process.argv.slice(2).filter((arg) => arg.startsWith("--node-flags="));
if (process.argv.includes("--help")) {
  console.log(`Usage: node bench/run.mjs [--node-flags="FLAGS"] [section-script ...]\n\nRuns ${SECTIONS.map(([file]) => file).join(", ")} (or the ones named) after \`npm run build\`, and prints one Markdown table.`);
  process.exit(0);
}

/** Runs one section's script with `--json`; its last stdout line is the section. */
function runSection(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), "--json", ...passOn], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => { out += chunk; });
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      try {
        if (code !== 0) throw new Error(`exited with ${code}`);
        resolve(JSON.parse(last));
      } catch (error) {
        resolve({ failed: `${file}: ${error instanceof Error ? error.message : String(error)}` });
      }
    });
  });
}

const lines = ["| section | measure | value | goal | met |", "|---|---|---:|---|:---:|"];
let failed = false;
// Figures depend on what else the machine is doing: the load before and after is printed with them.
const load = () => loadavg().map((value) => value.toFixed(2)).join(" / ");
const loadAtStart = load();
const startedAt = new Date();
for (const [file, title] of SECTIONS) {
  if (only.length > 0 && !only.includes(file)) continue;
  if (!existsSync(new URL(file, import.meta.url))) {
    lines.push(`| ${title} | (bench/${file} is missing) | | | ✗ |`);
    failed = true;
    continue;
  }
  process.stderr.write(`bench: ${file} …\n`);
  const result = await runSection(file);
  if ("failed" in result) {
    lines.push(`| ${title} | failed: ${result.failed} | | | ✗ |`);
    failed = true;
    continue;
  }
  for (const row of result.rows) {
    lines.push(`| ${row.section ?? result.section} | ${row.metric} | ${row.value} | ${row.goal ?? ""} | ${row.met === undefined ? "" : row.met ? "✓" : "✗"} |`);
    if (row.met === false) failed = true;
  }
}
console.log(lines.join("\n"));
console.log(
  `\nMeasured ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, Node ${process.version}; ` +
    `load average (1 / 5 / 15 min) ${loadAtStart} at the start, ${load()} at the end.`,
);
process.exitCode = failed ? 1 : 0;
