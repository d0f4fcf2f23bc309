#!/usr/bin/env node
// Start-up and webhooks against a bare Probot server, side by side in one run.
//
// Two servers, started the same way (`node <file>`, same environment, same working directory):
// - bare: a Probot app with an empty app function, `run(() => {})`;
// - wg-meetings: `node lib/server.js`.
// The environment is a throwaway RSA key made for this run, a webhook secret, HOST=127.0.0.1,
// the self-tick off, NODE_ENV=production and JSON logs (to /dev/null), and GitHub (GHE_HOST) a
// loopback fake that counts every request and refuses it: no request leaves the machine.
//
// Measured:
// - time from spawn to the first successful `GET /ping` (polled on loopback), N runs alternating
//   which server starts first; the median of the runs' ratios is the figure;
// - the main thread's CPU time (/proc) and resident memory (RSS) right after that first /ping;
// - modules loaded by the first /ping: a separate start with bench/loaded-modules-hook.mjs, which
//   records every ES module and CommonJS file (it slows loading down, so it is not timed);
// - throughput of signed webhook deliveries of events the App does not act on (star, watch, fork,
//   issues.opened, …, payloads from @octokit/webhooks-examples), both servers running and taking
//   turns event by event; and that none of them made a GitHub request.
//
// wg-meetings starts with the Node flags the image's CMD starts it with (bench/production-start.mjs),
// or with --node-flags="FLAGS" to try others; bare Probot always starts with none.
//
// Run after `npm run build`: `node bench/startup.mjs [--runs N] [--deliveries M]` prints a
// table; `--json` prints the rows `npm run bench` (bench/run.mjs) shows.
import { spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, Agent } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { nodeFlagsFromArgs } from "./production-start.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SERVER = join(ROOT, "lib/server.js");
const HOOK = fileURLToPath(new URL("loaded-modules-hook.mjs", import.meta.url));
const SECRET = `bench-${randomUUID()}`;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
if (args.includes("--help")) {
  console.log('Usage: node bench/startup.mjs [--json] [--runs N (default 15)] [--deliveries M per event and round (default 200)] [--rounds R (default 3)] [--node-flags="FLAGS" for wg-meetings (default: the flags of the image\'s CMD)]\nRun `npm run build` first.');
  process.exit(0);
}
const JSON_OUT = args.includes("--json");
const RUNS = option("--runs", 15);
const DELIVERIES = option("--deliveries", 200);
const ROUNDS = option("--rounds", 3);
/** Node/V8 flags for the App's processes: those the image starts it with, unless --node-flags= says otherwise. */
const START = nodeFlagsFromArgs(ROOT, args, process.version);
const NODE_FLAGS = START.flags;
/** Deliveries of each event before the measured ones (JIT, caches). */
const WARM_UP = 50;
/** Deliveries in flight at once, as GitHub's hooks would arrive from several workers. */
const CONCURRENCY = 8;

if (!existsSync(SERVER)) {
  console.error("bench/startup.mjs: lib/server.js is missing; run `npm run build` first");
  process.exit(1);
}

// A scratch working directory (no .env, no package.json of ours) with the bare app in it.
const work = mkdtempSync(join(tmpdir(), "wg-meetings-startup-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const probotUrl = pathToFileURL(createRequire(import.meta.url).resolve("probot")).href;
const BARE = join(work, "bare-probot.mjs");
writeFileSync(BARE, `import { run } from ${JSON.stringify(probotUrl)};\nawait run(() => {});\n`);

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

// GitHub: refuses every request at once, and counts them.
let githubRequests = 0;
const github = createServer((req, res) => {
  githubRequests++;
  req.resume();
  res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}');
});
await new Promise((resolve) => github.listen(0, "127.0.0.1", resolve));
const githubHost = `127.0.0.1:${github.address().port}`;

/** A free loopback port (Probot turns PORT=0 into 3000). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function environment(port) {
  return {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    APP_ID: "12345",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    GHE_HOST: githubHost,
    GHE_PROTOCOL: "http",
    WG_MEETINGS_TICK_INTERVAL: "off",
  };
}

const TARGETS = { bare: BARE, "wg-meetings": SERVER };

/** Answers whether `GET /ping` says PONG; false while nothing listens. */
function ping(port) {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/ping", agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(res.statusCode === 200 && body === "PONG"));
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** Starts a server and waits for its first /ping. */
async function start(name, { hook = false, loadedOut } = {}) {
  const port = await freePort();
  const flags = name === "wg-meetings" ? NODE_FLAGS : [];
  const nodeArgs = hook ? [...flags, "--import", pathToFileURL(HOOK).href, TARGETS[name]] : [...flags, TARGETS[name]];
  const env = { ...environment(port), ...(loadedOut ? { LOADED_MODULES_OUT: loadedOut } : {}) };
  const startedAt = performance.now();
  const child = spawn(process.execPath, nodeArgs, { cwd: work, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => (stderr += chunk));
  let exited = false;
  child.once("exit", () => (exited = true));
  while (!(await ping(port))) {
    if (exited) throw new Error(`${name} exited before answering /ping:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const msToPing = performance.now() - startedAt;
  const rssMiB = readRssMiB(child.pid);
  const cpuMs = readCpuMs(child.pid);
  return { child, port, msToPing, rssMiB, cpuMs, stderr: () => stderr };
}

/**
 * User and system CPU time the process's main thread has used (Linux: /proc, in clock ticks of
 * 10 ms): the start-up's own work, which the machine's other load does not stretch as it
 * stretches wall time. V8's and libuv's helper threads are left out.
 */
function readCpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime are the 14th and 15th fields; the split starts at the 3rd.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function readRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kib / 1024;
}

async function stop(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  await exited;
}

/** The files a server has loaded by its first /ping (bench/loaded-modules-hook.mjs). */
async function loadedModules(name) {
  const out = join(work, `${name}-modules.json`);
  const server = await start(name, { hook: true, loadedOut: out });
  server.child.kill("SIGUSR2");
  for (let i = 0; i < 500 && !existsSync(out); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  await stop(server);
  return JSON.parse(readFileSync(out, "utf8")).files;
}

/** Events the App has no handler for: answering them needs no GitHub request. */
const IGNORED = [
  ["star", "created"],
  ["watch", "started"],
  ["fork", undefined],
  ["issues", "opened"],
  ["issue_comment", "edited"],
  ["create", undefined],
  ["release", "published"],
  ["pull_request_review", "submitted"],
];
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples");
const deliveries = IGNORED.map(([event, action]) => {
  const example = examples.find((entry) => entry.name === event)?.examples.find((payload) => action === undefined || payload.action === action);
  if (!example) throw new Error(`no example payload for ${event}.${action}`);
  // An installation id, as an App's deliveries carry.
  const body = JSON.stringify({ ...example, installation: { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" } });
  return { name: action ? `${event}.${action}` : event, event, body, signature: `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` };
});

/** Sends `count` deliveries of one event, CONCURRENCY at a time; resolves to deliveries per second. */
async function deliver(port, delivery, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/github/webhooks",
          agent,
          headers: {
            "content-type": "application/json",
            "x-github-event": delivery.event,
            "x-github-delivery": randomUUID(),
            "x-hub-signature-256": delivery.signature,
            "content-length": Buffer.byteLength(delivery.body),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`${delivery.name}: HTTP ${res.statusCode}`))));
        },
      );
      req.on("error", reject);
      req.end(delivery.body);
    });
  const worker = async () => {
    while (sent < count) {
      sent++;
      await one();
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - startedAt) / 1000;
  agent.destroy();
  return count / seconds;
}

/**
 * Seconds each server took for each event's deliveries, over `rounds` rounds, each pair's
 * throughput ratio (wg-meetings ÷ bare, the same event one after the other), and the main
 * thread's CPU time each server spent. Both servers run at once and take turns event by event
 * (the order alternating), so a change in the machine's load weighs on both alike; a warm-up the
 * figures leave out comes first.
 */
async function throughput(rounds) {
  const servers = {};
  for (const name of names) servers[name] = await start(name);
  try {
    for (const name of names) for (const delivery of deliveries) await deliver(servers[name].port, delivery, WARM_UP);
    const seconds = Object.fromEntries(names.map((name) => [name, Object.fromEntries(deliveries.map((d) => [d.name, 0]))]));
    const cpuMs = Object.fromEntries(names.map((name) => [name, 0]));
    const pairs = [];
    for (let round = 0; round < rounds; round++) {
      for (const [index, delivery] of deliveries.entries()) {
        const rate = {};
        for (const name of (round + index) % 2 ? [...names].reverse() : names) {
          const cpuBefore = readCpuMs(servers[name].child.pid);
          rate[name] = await deliver(servers[name].port, delivery, DELIVERIES);
          cpuMs[name] += readCpuMs(servers[name].child.pid) - cpuBefore;
          seconds[name][delivery.name] += DELIVERIES / rate[name];
        }
        pairs.push(rate["wg-meetings"] / rate.bare);
      }
      progress(`webhooks round ${round + 1}/${rounds} done`);
    }
    return { seconds, pairs, cpuMs };
  } finally {
    for (const name of names) await stop(servers[name]);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const progress = (text) => process.stderr.write(`startup: ${text}\n`);

// 1. Time to the first /ping and RSS: one discarded pair warms the disk cache.
const names = ["bare", "wg-meetings"];
for (const name of names) await stop(await start(name));
const starts = { bare: [], "wg-meetings": [] };
for (let run = 0; run < RUNS; run++) {
  for (const name of run % 2 ? [...names].reverse() : names) {
    const server = await start(name);
    starts[name].push(server);
    await stop(server);
  }
  progress(`start-up run ${run + 1}/${RUNS}: bare ${starts.bare.at(-1).msToPing.toFixed(0)} ms, wg-meetings ${starts["wg-meetings"].at(-1).msToPing.toFixed(0)} ms`);
}
const ms = Object.fromEntries(names.map((name) => [name, median(starts[name].map((s) => s.msToPing))]));
const rss = Object.fromEntries(names.map((name) => [name, median(starts[name].map((s) => s.rssMiB))]));
const cpu = Object.fromEntries(names.map((name) => [name, median(starts[name].map((s) => s.cpuMs))]));

// 2. Modules loaded by the first /ping.
const modules = {};
for (const name of names) modules[name] = await loadedModules(name);
const extra = modules["wg-meetings"].filter((file) => !modules.bare.includes(file));
const packageOf = (file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? "(wg-meetings)";
const extraCounts = new Map();
for (const file of extra) extraCounts.set(packageOf(file), (extraCounts.get(packageOf(file)) ?? 0) + 1);
const extraByPackage = [...extraCounts].sort((a, b) => b[1] - a[1]);
progress(`modules: bare ${modules.bare.length}, wg-meetings ${modules["wg-meetings"].length}; the extra ones by package: ${extraByPackage.map(([pkg, n]) => `${pkg} ${n}`).join(", ")}`);

// 3. Ignored webhooks.
const before = githubRequests;
const { seconds, pairs, cpuMs } = await throughput(ROUNDS);
const githubDuringWebhooks = githubRequests - before;
const perEvent = deliveries.map(({ name }) => {
  const rate = (who) => (ROUNDS * DELIVERIES) / seconds[who][name];
  return { name, bare: rate("bare"), app: rate("wg-meetings"), ratio: rate("wg-meetings") / rate("bare") };
});
// Deliveries over the time they took, all events together.
const total = (who) => deliveries.reduce((sum, { name }) => sum + seconds[who][name], 0);
const overall = (key) => (perEvent.length * ROUNDS * DELIVERIES) / total(key === "app" ? "wg-meetings" : "bare");
// The median pair: a burst of other work on the machine spoils a pair or two, not the figure.
const throughputRatio = median(pairs);
const ratios = perEvent.map((row) => row.ratio);
const cpuPerDelivery = Object.fromEntries(names.map((name) => [name, cpuMs[name] / (perEvent.length * ROUNDS * DELIVERIES)]));

github.close();

const fmt = (value, digits = 0) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
// Each run's two starts were next to each other in time: their ratio is what the other work on
// the machine disturbs least.
const timeRatio = median(starts.bare.map((bare, run) => starts["wg-meetings"][run].msToPing / bare.msToPing));
const moduleRatio = modules["wg-meetings"].length / modules.bare.length;
const rows = [
  { metric: "Node and flags of wg-meetings' server (bare Probot: no flags)", value: `${process.version}, ${NODE_FLAGS.length > 0 ? `\`${NODE_FLAGS.join(" ")}\`` : "no flags"} (${START.source})` },
  {
    metric: `time to first /ping, median of ${RUNS} runs' ratios (wg-meetings ÷ bare Probot)`,
    value: `${fmt(timeRatio, 2)}× (medians ${fmt(ms["wg-meetings"])} ms vs ${fmt(ms.bare)} ms)`,
    goal: "≤ 1.2×",
    met: timeRatio <= 1.2,
  },
  {
    metric: "modules loaded by the first /ping (wg-meetings ÷ bare Probot)",
    value: `${fmt(moduleRatio, 2)}× (${modules["wg-meetings"].length} vs ${modules.bare.length})`,
    goal: "≤ 1.3×",
    met: moduleRatio <= 1.3,
  },
  {
    // Less sensitive than wall time to what else the machine runs meanwhile.
    metric: `main thread's CPU time to the first /ping, median of ${RUNS} (wg-meetings ÷ bare Probot)`,
    value: `${fmt(cpu["wg-meetings"] / cpu.bare, 2)}× (${fmt(cpu["wg-meetings"])} ms vs ${fmt(cpu.bare)} ms)`,
  },
  {
    metric: "RSS after the first /ping (wg-meetings ÷ bare Probot)",
    value: `${fmt(rss["wg-meetings"] / rss.bare, 2)}× (${fmt(rss["wg-meetings"], 1)} MiB vs ${fmt(rss.bare, 1)} MiB)`,
  },
  {
    metric: `ignored webhooks, deliveries/s, median of ${pairs.length} paired bursts over ${perEvent.length} events (wg-meetings ÷ bare Probot)`,
    value: `${fmt(throughputRatio, 2)}× (overall ${fmt(overall("app"))}/s vs ${fmt(overall("bare"))}/s; per event ${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}×)`,
    goal: "≥ 0.9×",
    met: throughputRatio >= 0.9,
  },
  {
    metric: "main thread's CPU time per ignored delivery (wg-meetings ÷ bare Probot)",
    value: `${fmt(cpuPerDelivery["wg-meetings"] / cpuPerDelivery.bare, 2)}× (${fmt(cpuPerDelivery["wg-meetings"] * 1000)} µs vs ${fmt(cpuPerDelivery.bare * 1000)} µs)`,
  },
  {
    metric: `GitHub requests made for ${fmt(perEvent.length * (ROUNDS * DELIVERIES + WARM_UP))} ignored deliveries to wg-meetings`,
    value: String(githubDuringWebhooks),
    goal: "0",
    met: githubDuringWebhooks === 0,
  },
];

if (JSON_OUT) {
  console.log(JSON.stringify({ section: "Start-up and webhooks", rows }));
} else {
  console.log("\nStart-up (median of %d runs each, alternating):", RUNS);
  console.table(names.map((name) => ({ server: name, "ms to /ping": fmt(ms[name]), "main-thread CPU ms": fmt(cpu[name]), "RSS MiB": fmt(rss[name], 1), modules: modules[name].length })));
  console.log("Modules wg-meetings loads that the bare server does not, by package:");
  console.table(extraByPackage.map(([pkg, count]) => ({ package: pkg, modules: count })));
  console.log(`Ignored webhooks (${DELIVERIES} deliveries per event and round, ${CONCURRENCY} in flight, ${ROUNDS} rounds):`);
  console.table(perEvent.map((row) => ({ event: row.name, "bare /s": fmt(row.bare), "wg-meetings /s": fmt(row.app), ratio: fmt(row.ratio, 2) })));
  console.table(rows.map((row) => ({ measure: row.metric, value: row.value, goal: row.goal ?? "", met: row.met === undefined ? "" : row.met ? "yes" : "NO" })));
}
