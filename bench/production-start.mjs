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
 * The flags a benchmark starts the App with: `--node-flags="…"` among `args` when given, else
 * the image's CMD flags ({@link imageNodeFlags}; `npm start` has the same ones, on every Node);
 * `source` says which, for the table.
 * @param {string} root the checkout
 * @param {string[]} args the script's arguments
 * @returns {{ flags: string[], source: string, given: boolean }}
 */
export function nodeFlagsFromArgs(root, args) {
  const given = args.find((arg) => arg.startsWith("--node-flags="))?.slice("--node-flags=".length);
  if (given !== undefined) return { flags: given.split(" ").filter(Boolean), source: "--node-flags", given: true };
  return { flags: imageNodeFlags(root), source: "as the image's CMD", given: false };
}
