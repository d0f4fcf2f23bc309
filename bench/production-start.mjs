// How production starts the App: the Node flags in the image's CMD (the Dockerfile at the root
// of the checkout), so that the benchmarks run the App's processes with exactly those flags.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The Node flags of the image's `CMD ["node", …flags, "lib/server.js"]` in `<root>/Dockerfile`.
 * Throws if the CMD has another shape: a bench that silently measured other flags than
 * production's would be worse than one that stops.
 * @param {string} root the checkout
 * @returns {string[]}
 */
export function imageNodeFlags(root) {
  return cmdNodeFlags(readFileSync(join(root, "Dockerfile"), "utf8"), join(root, "Dockerfile"));
}

/** {@link imageNodeFlags} of a Dockerfile's text (`file` names it in the error). */
function cmdNodeFlags(text, file) {
  // The image's own CMD starts a line; HEALTHCHECK's CMD is on an indented continuation line.
  const commands = [...text.matchAll(/^CMD\s+(\[.*\])\s*$/gm)];
  const command = commands.length === 1 ? JSON.parse(commands[0][1]) : undefined;
  if (!Array.isArray(command) || command[0] !== "node" || command.at(-1) !== "lib/server.js") {
    throw new Error(`${file}: expected one CMD ["node", …flags, "lib/server.js"]`);
  }
  return command.slice(1, -1);
}

/**
 * The Node flags of `npm start` (`node …flags lib/server.js` in package.json), or undefined if
 * the script has another shape.
 * @param {string} root the checkout
 * @returns {string[] | undefined}
 */
export function npmStartNodeFlags(root) {
  const start = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts?.start;
  const words = typeof start === "string" ? start.trim().split(/\s+/) : [];
  return words[0] === "node" && words.at(-1) === "lib/server.js" ? words.slice(1, -1) : undefined;
}

/**
 * The flags the benchmarks start the App with on this Node: the image's CMD flags when this Node
 * has the image's major version (its last `FROM node:<major>…`), none otherwise, as `npm start`
 * runs. V8's heap flags are tuned for the image's Node: `--max-semi-space-size=4` takes the
 * tick's RSS growth from 51 to 16 MB on Node 24; on Node 20 the growth is 13 MB without it, and
 * the flag costs start-up time (docs/deploy.md, "Memory").
 * @param {string} root the checkout
 * @param {string} nodeVersion `process.version` of the Node that runs the App
 * @returns {{ flags: string[], source: string }}
 */
export function benchNodeFlags(root, nodeVersion) {
  const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
  const flags = cmdNodeFlags(dockerfile, join(root, "Dockerfile"));
  const froms = [...dockerfile.matchAll(/^FROM\s+node:(\d+)/gm)];
  const imageMajor = froms.at(-1)?.[1];
  const major = /^v?(\d+)/.exec(nodeVersion)?.[1];
  if (flags.length === 0 || imageMajor === major) return { flags, source: "as the image's CMD" };
  return { flags: [], source: `the image's CMD flags (${flags.join(" ")}) are for Node ${imageMajor ?? "?"}; this Node runs without them` };
}

/**
 * The flags a benchmark starts the App with: `--node-flags="…"` among `args` when given, else
 * {@link benchNodeFlags}; `source` says which, for the table.
 * @param {string} root the checkout
 * @param {string[]} args the script's arguments
 * @param {string} nodeVersion `process.version`
 * @returns {{ flags: string[], source: string, given: boolean }}
 */
export function nodeFlagsFromArgs(root, args, nodeVersion) {
  const given = args.find((arg) => arg.startsWith("--node-flags="))?.slice("--node-flags=".length);
  if (given !== undefined) return { flags: given.split(" ").filter(Boolean), source: "--node-flags", given: true };
  return { ...benchNodeFlags(root, nodeVersion), given: false };
}
