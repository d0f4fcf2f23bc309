// Records every module a Node process loads, for bench/startup.mjs and the start-up test.
// Use: `node --import ./bench/loaded-modules-hook.mjs app.js` with LOADED_MODULES_OUT=<file>;
// on SIGUSR2 the process writes `{ "files": [absolute paths] }` to that file: every ES module
// (seen by a loader hook, which also sees CommonJS files that are imported) and every CommonJS
// file in require.cache (those required from CommonJS never reach an ES loader hook on Node 20).
// Node's built-in modules are left out. The hook slows loading down: time start-up without it.
import { writeFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";

const out = process.env.LOADED_MODULES_OUT;
if (!out) throw new Error("loaded-modules-hook: set LOADED_MODULES_OUT to the file to write");

const { port1, port2 } = new MessageChannel();
const esm = new Set();
port1.on("message", (url) => esm.add(url));
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { if (url.startsWith("file:")) port.postMessage(url); return next(url, context); }
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });

const require = createRequire(import.meta.url);
process.on("SIGUSR2", () => {
  const files = new Set([...esm].map((url) => fileURLToPath(url)));
  for (const file of Object.keys(require.cache)) files.add(file);
  files.delete(fileURLToPath(import.meta.url));
  writeFileSync(out, JSON.stringify({ files: [...files].sort() }));
});
