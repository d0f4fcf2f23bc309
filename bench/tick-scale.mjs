#!/usr/bin/env node
// The tick at scale, with production's Octokit (Probot's retry and throttling on, plus the App's
// request policy), against a loopback fake GitHub that answers every request after a realistic
// latency (bench/fake-github.mjs). Run after `npm run build`:
//
//   node bench/tick-scale.mjs            a readable table
//   node bench/tick-scale.mjs --json     the rows `npm run bench` shows (bench/run.mjs)
//
// Options: --latency MS (default 50), --ks 100,1000,10000 (or none), --runs 3 (per K; medians),
// --installations 1000 (fan-out),
// --no-fan-out, --root DIR (the checkout whose lib/ runs; default this one, e.g. a worktree of
// an older commit for a before/after comparison), --node-flags="FLAGS" (Node/V8 flags for every
// process that runs the App or its fetches instead of production's; "" for none).
//
// The App's processes (and the bare fetches) start with the Node flags the image's CMD starts
// the App with (bench/production-start.mjs), and with this script's Node: the table says which.
// V8 sizes its young generation from the Node version and the memory it sees (a container's
// limit included), so the peak-RSS figures hold for that Node on a machine like this one.
//
// 1. One installation of K repositories, 20 of them configured, nothing due: the real `runTick`
//    from lib/, each K in child processes of its own (3 runs, medians), which report their wall
//    time, CPU time and peak RSS (`process.resourceUsage().maxRSS`). The fake counts the
//    requests by kind. It gzips the listing pages as GitHub does for a client that accepts it.
// 2. The installation fan-out: 1,000 installations of 5 repositories (one configured each), ticked
//    by `node lib/server.js` through `POST /wg-meetings/tick`: one process, then two processes
//    behind a round-robin loopback proxy that stands in for the Kubernetes Service, with
//    WG_MEETINGS_FANOUT_URL pointing at it (a build without the fan-out is measured the way two
//    replicas ran then: each one walking every installation).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, Agent } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startFakeGitHub } from "./fake-github.mjs";
import { nodeFlagsFromArgs, npmStartNodeFlags } from "./production-start.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const JSON_OUT = args.includes("--json");
const LATENCY = Number(option("latency", "50"));
const KS = option("ks", "100,1000,10000") === "none" ? [] : option("ks", "100,1000,10000").split(",").map(Number);
const INSTALLATIONS = Number(option("installations", "1000"));
const RUNS = Number(option("runs", "3"));
const ROOT = resolve(option("root", join(HERE, "..")));
/** Node/V8 flags for the App's processes: those the image starts it with, unless --node-flags= says otherwise. */
const START = nodeFlagsFromArgs(ROOT, args, process.version);
const NODE_FLAGS = START.flags;
const PRIVATE_KEY = readFileSync(join(HERE, "..", "test", "fixtures", "mock-cert.pem"), "utf8");
const CONFIGURED = 20;
const TICK_SECRET = "bench-tick-secret";

/**
 * A weekly series that is never due while the bench runs: it meets three days from now (UTC),
 * opens its issue a day ahead, and started four weeks ago (so the due decision's cost, which
 * grows with a series' age, stays out of these figures).
 */
function configText(now = new Date()) {
  const day = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"][(now.getUTCDay() + 3) % 7];
  const start = new Date(now.getTime() - 28 * 86_400_000).toISOString().slice(0, 10);
  return `meetings:
  - id: bench
    name: Bench WG
    schedule: { rrule: "FREQ=WEEKLY;BYDAY=${day}", start: "${start}T12:00", zone: UTC }
    createBefore: P1D
    agenda: { label: bench-agenda, orgs: [bench-org] }
`;
}

// ---------------------------------------------------------------------------------------------
// Child: one tick over the fake, measured from inside.
if (args[0] === "--child") {
  const github = option("github");
  const { pino } = await import("pino");
  const { Probot, ProbotOctokit } = await import("probot");
  const { runTick } = await import(pathToFileURL(join(ROOT, "lib", "meetings", "tick.js")).href);
  const { withRequestPolicy } = await import(pathToFileURL(join(ROOT, "lib", "github", "octokit-class.js")).href);
  const log = pino({ level: "silent" });
  // As server.ts builds it: Probot's Octokit (retry, throttling) under the App's request policy.
  const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, baseUrl: github, log, Octokit: withRequestPolicy(ProbotOctokit) });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await runTick({ auth: (id) => probot.auth(id), log }, { now: new Date() });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  // What the run keeps, as opposed to the garbage V8 had not collected yet at the peak. The
  // collector is reached only now, after the figures, so the child starts with exactly the
  // App's flags (no --expose-gc).
  const { setFlagsFromString } = await import("node:v8");
  const { runInNewContext } = await import("node:vm");
  setFlagsFromString("--expose-gc");
  runInNewContext("gc")();
  const heapAfterGcMB = process.memoryUsage().heapUsed / 1048576;
  process.stdout.write(
    `${JSON.stringify({
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      maxRssMB,
      heapAfterGcMB,
      repositories: report.repositories,
      configured: report.configured,
      series: report.series.length,
      due: report.series.filter((s) => s.outcome.action !== "not-due").length,
      errors: report.errors.length,
    })}\n`,
  );
  process.exit(0);
}

// Child: what Node itself keeps at its peak for reading the same pages with fetch and nothing
// else (no Octokit, no App): the bodies drained unread, or (--parse) read as text and parsed, as
// a client of the listing through the global fetch must. With --listing, the App's own listing
// alone (repositoryPages from lib/: Octokit as production builds it, streamingFetch, the
// scanner), which replaced exactly that.
if (args[0] === "--drain") {
  const github = option("github");
  const pages = Number(option("pages"));
  const parse = args.includes("--parse");
  let repositories = 0;
  if (args.includes("--listing")) {
    const { pino } = await import("pino");
    const { Probot, ProbotOctokit } = await import("probot");
    const { repositoryPages } = await import(pathToFileURL(join(ROOT, "lib", "github", "installations.js")).href);
    const { withRequestPolicy } = await import(pathToFileURL(join(ROOT, "lib", "github", "octokit-class.js")).href);
    const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, baseUrl: github, log: pino({ level: "silent" }), Octokit: withRequestPolicy(ProbotOctokit) });
    for await (const page of repositoryPages(await probot.auth(1))) repositories += page.length;
    if (repositories !== pages * 100) throw new Error(`listed ${repositories} repositories, not ${pages * 100}`);
    process.stdout.write(`${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
    process.exit(0);
  }
  for (let page = 1; page <= pages; page++) {
    const response = await fetch(`${github}/installation/repositories?per_page=100&page=${page}`, { headers: { authorization: "token ghs_1" } });
    if (parse) repositories += JSON.parse(await response.text()).repositories.length;
    else for await (const chunk of response.body) void chunk;
  }
  if (parse && repositories !== pages * 100) throw new Error(`read ${repositories} repositories from ${pages} pages`);
  process.stdout.write(`${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent.

/** @param {"drain" | "parse" | "listing"} how */
function runDrain(github, pages, how) {
  return new Promise((resolvePromise, reject) => {
    const mode = how === "drain" ? [] : [`--${how}`];
    const child = spawn(process.execPath, [...NODE_FLAGS, fileURLToPath(import.meta.url), "--drain", "--github", github, "--root", ROOT, "--pages", String(pages), ...mode], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("close", (code) => (code === 0 ? resolvePromise(JSON.parse(out.trim())) : reject(new Error(`drain child exited with ${code}`))));
  });
}

function runChild(k, github) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, fileURLToPath(import.meta.url), "--child", "--github", github, "--root", ROOT, "--k", String(k)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("close", (code) => {
      try {
        if (code !== 0) throw new Error(`child for K=${k} exited with ${code}`);
        resolvePromise(JSON.parse(out.trim().split("\n").at(-1)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

async function tickAtScale(k) {
  const every = Math.max(1, Math.floor(k / CONFIGURED));
  const fake = await startFakeGitHub({
    latencyMs: LATENCY,
    layout: { installations: 1, repos: () => k, configured: (_id, index) => index % every === 0 && index / every < CONFIGURED, config: configText(), cachePages: true },
  });
  try {
    // Peak RSS is a high-water mark that moves with when the collector happens to run: each K
    // runs RUNS times (fresh processes), and the median of each figure is reported.
    const results = [];
    let taken;
    for (let run = 0; run < RUNS; run++) {
      fake.take();
      results.push(await runChild(k, fake.url));
      taken = fake.take();
    }
    const median = (key) => results.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
    const peaks = results.map((r) => r.maxRssMB).sort((a, b) => a - b);
    return { k, ...results[0], wallMs: median("wallMs"), cpuMs: median("cpuMs"), maxRssMB: median("maxRssMB"), maxRssRange: [peaks[0], peaks.at(-1)], heapAfterGcMB: median("heapAfterGcMB"), ...taken };
  } finally {
    await fake.close();
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Ticks of a process's CPU time so far (user + system, Linux), in ms. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

async function startServer(github, extraEnv) {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), "wg-bench-"));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    APP_ID: "1",
    PRIVATE_KEY,
    WEBHOOK_SECRET: "bench-webhook-secret",
    HOST: "127.0.0.1",
    PORT: String(port),
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "error",
    WG_MEETINGS_TICK_SECRET: TICK_SECRET,
    WG_MEETINGS_TICK_INTERVAL: "off",
    ...extraEnv,
  };
  const child = spawn(process.execPath, [...NODE_FLAGS, join(ROOT, "lib", "server.js")], { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${url}/ping`);
      if (res.ok) break;
    } catch {
      await sleep(50);
    }
  }
  return {
    url,
    port,
    pid: child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** A tiny round-robin HTTP proxy: the Kubernetes Service in front of the replicas. */
async function startProxy(targets) {
  let next = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const target = targets[next++ % targets.length];
    const upstream = httpRequest({ host: "127.0.0.1", port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); agent.destroy(); }) };
}

async function postTick(url) {
  const res = await fetch(`${url}/wg-meetings/tick`, { method: "POST", headers: { authorization: `Bearer ${TICK_SECRET}` }, signal: AbortSignal.timeout(30 * 60_000) });
  const text = await res.text();
  try {
    return { status: res.status, report: JSON.parse(text) };
  } catch {
    return { status: res.status, report: { error: text.slice(0, 200) } };
  }
}

/** Whether the build under test has the fan-out (a build of an older commit has not). */
function hasFanOut() {
  return existsSync(join(ROOT, "lib", "meetings", "fan-out.js"));
}

async function fanOut(processes) {
  const fake = await startFakeGitHub({
    latencyMs: LATENCY,
    layout: { installations: INSTALLATIONS, repos: () => 5, configured: (_id, index) => index === 0, config: configText(), cachePages: false },
  });
  const servers = [];
  let proxy;
  try {
    const fanOutBuild = hasFanOut();
    if (processes === 1) {
      servers.push(await startServer(fake, {}));
    } else {
      // The proxy's port is known before the servers start; it learns their ports after.
      const targets = [];
      proxy = await startProxy(targets);
      for (let i = 0; i < processes; i++) servers.push(await startServer(fake, fanOutBuild ? { WG_MEETINGS_FANOUT_URL: proxy.url } : {}));
      targets.push(...servers);
    }
    fake.take();
    const cpuBefore = servers.map((s) => cpuMsOf(s.pid));
    const started = performance.now();
    const answers =
      processes === 1 || fanOutBuild
        ? [await postTick(proxy?.url ?? servers[0].url)]
        : // Without a fan-out each replica's own tick walks every installation.
          await Promise.all(servers.map((s) => postTick(s.url)));
    const wallMs = performance.now() - started;
    const cpuMs = servers.reduce((sum, s, i) => sum + (cpuMsOf(s.pid) - cpuBefore[i]), 0);
    return { processes, fanOutBuild, wallMs, cpuMs, answers: answers.map((a) => ({ status: a.status, installations: a.report.installations, errors: a.report.errors?.length ?? a.report.error })), ...fake.take() };
  } finally {
    for (const server of servers) await server.stop();
    await proxy?.close();
    await fake.close();
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (value) => `${value.toFixed(1)} MB`;
const kinds = (counts) =>
  Object.entries(counts)
    .map(([kind, n]) => `${n.toLocaleString("en")} ${kind}`)
    .join(", ");

const rows = [];
const ticks = [];
const flagsText = (flags) => (flags.length > 0 ? `\`${flags.join(" ")}\`` : "no flags");
rows.push({ metric: "Node and flags of the processes that run the App (and the bare fetches)", value: `${process.version}, ${flagsText(NODE_FLAGS)} (${START.source})`, goal: "" });
const startFlags = npmStartNodeFlags(ROOT);
if (!START.given && startFlags?.join(" ") !== NODE_FLAGS.join(" ")) {
  rows.push({ metric: "`npm start` starts Node with other flags than the image", value: startFlags ? flagsText(startFlags) : "(not `node … lib/server.js`)", goal: "" });
}
for (const k of KS) {
  process.stderr.write(`tick-scale: K=${k} …\n`);
  const result = await tickAtScale(k);
  ticks.push(result);
  const label = `K=${k.toLocaleString("en")}`;
  const big = k >= 10_000;
  rows.push({ metric: `tick ${label}, none due, throttling on: wall`, value: seconds(result.wallMs), goal: big ? "≤ 20 s" : "", met: big ? result.wallMs <= 20_000 : undefined });
  rows.push({ metric: `tick ${label}: CPU`, value: seconds(result.cpuMs), goal: "" });
  const [low, high] = result.maxRssRange;
  rows.push({ metric: `tick ${label}: peak RSS`, value: `${mb(result.maxRssMB)}${RUNS > 1 ? ` (median of ${RUNS} runs, ${low.toFixed(1)}–${high.toFixed(1)})` : ""}`, goal: "" });
  rows.push({ metric: `tick ${label}: heap kept (after a full GC)`, value: mb(result.heapAfterGcMB), goal: "" });
  rows.push({ metric: `tick ${label}: requests`, value: kinds(result.counts), goal: "" });
  if (result.errors > 0 || result.configured !== Math.min(CONFIGURED, k)) {
    rows.push({ metric: `tick ${label}: report`, value: `${result.errors} errors, ${result.configured} configured`, goal: "0 errors", met: false });
  }
}
const smallest = ticks.find((t) => t.k === Math.min(...KS));
const largest = ticks.find((t) => t.k === Math.max(...KS));
if (smallest && largest && smallest !== largest) {
  const growth = largest.maxRssMB - smallest.maxRssMB;
  rows.push({ metric: `peak RSS, K=${largest.k.toLocaleString("en")} over K=${smallest.k.toLocaleString("en")}`, value: mb(growth), goal: "≤ 20 MB", met: growth <= 20 });
  // The App's listing alone, and what Node's global fetch alone costs for the same pages.
  const fake = await startFakeGitHub({ latencyMs: LATENCY, layout: { installations: 1, repos: () => largest.k, configured: () => false, config: "", cachePages: true } });
  try {
    const medianDrain = async (pages, how) => {
      // The bare fetches read the first `pages` pages; the listing reads an installation to its end.
      const own = how === "listing" ? await startFakeGitHub({ latencyMs: LATENCY, layout: { installations: 1, repos: () => pages * 100, configured: () => false, config: "", cachePages: true } }) : undefined;
      try {
        const peaks = [];
        for (let run = 0; run < RUNS; run++) peaks.push((await runDrain((own ?? fake).url, pages, how)).maxRssMB);
        return peaks.sort((a, b) => a - b)[Math.floor(peaks.length / 2)];
      } finally {
        await own?.close();
      }
    };
    const sizes = `K=${largest.k.toLocaleString("en")} over K=${smallest.k.toLocaleString("en")}`;
    const readers = [
      ["listing", "the App's listing alone (streamingFetch and the scanner, through Octokit)"],
      ["drain", "a bare global fetch reading the same pages (no App)"],
      ["parse", "a bare global fetch reading and parsing the same pages (no App)"],
    ];
    for (const [how, what] of readers) {
      const one = await medianDrain(Math.ceil(smallest.k / 100), how);
      const all = await medianDrain(Math.ceil(largest.k / 100), how);
      rows.push({ metric: `peak RSS of ${what}, ${sizes}`, value: mb(all - one), goal: "" });
    }
  } finally {
    await fake.close();
  }
  const kept = largest.heapAfterGcMB - smallest.heapAfterGcMB;
  rows.push({ metric: `heap kept, K=${largest.k.toLocaleString("en")} over K=${smallest.k.toLocaleString("en")}`, value: mb(kept), goal: "" });
}

/** The fan-out's rows are a section of their own in `npm run bench`'s table. */
const FAN_OUT = "Installation fan-out";
if (!args.includes("--no-fan-out")) {
  const results = [];
  for (const processes of [1, 2]) {
    process.stderr.write(`tick-scale: fan-out, ${processes} process(es) …\n`);
    const result = await fanOut(processes);
    results.push(result);
    const how = processes === 1 ? "1 process" : result.fanOutBuild ? "2 processes, fan-out through a round-robin Service" : "2 processes, each walking every installation (no fan-out)";
    const what = `fan-out ${INSTALLATIONS.toLocaleString("en")} installations × 5 repositories, ${LATENCY} ms latency, ${how}`;
    rows.push({ section: FAN_OUT, metric: `${what}: wall`, value: seconds(result.wallMs), goal: "" });
    rows.push({ section: FAN_OUT, metric: `${what}: CPU (all servers)`, value: seconds(result.cpuMs), goal: "" });
    rows.push({ section: FAN_OUT, metric: `${what}: requests`, value: `${kinds(result.counts)}; at most ${result.maxInFlight} in flight`, goal: "" });
    const ok = result.answers.every((a) => a.status === 200);
    rows.push({ section: FAN_OUT, metric: `${what}: answer`, value: result.answers.map((a) => `${a.status}, ${a.installations} installations, ${a.errors} errors`).join("; "), goal: "200, no errors", met: ok });
  }
  const [one, two] = results;
  if (one && two) rows.push({ section: FAN_OUT, metric: "fan-out: 2 processes over 1 (wall time)", value: `${(two.wallMs / one.wallMs).toFixed(2)} ×`, goal: "< 1 ×", met: two.wallMs < one.wallMs });
}

if (JSON_OUT) {
  console.log(JSON.stringify({ section: "Tick at scale", rows }));
} else {
  const width = Math.max(...rows.map((r) => r.metric.length));
  console.log(`Tick at scale (lib/ of ${ROOT}, latency ${LATENCY} ms)\n`);
  for (const row of rows) console.log(`${row.metric.padEnd(width)}  ${row.value}${row.goal ? `  (goal ${row.goal}: ${row.met ? "met" : "NOT met"})` : ""}`);
}
