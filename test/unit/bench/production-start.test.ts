import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// The benchmarks start the App with the flags production starts it with; they read them here.
const ROOT = join(import.meta.dirname, "..", "..", "..");
const { benchNodeFlags, imageNodeFlags, nodeFlagsFromArgs, npmStartNodeFlags } = (await import(pathToFileURL(join(ROOT, "bench", "production-start.mjs")).href)) as {
  nodeFlagsFromArgs: (root: string, args: string[], nodeVersion: string) => { flags: string[]; source: string; given: boolean };
  benchNodeFlags: (root: string, nodeVersion: string) => { flags: string[]; source: string };
  imageNodeFlags: (root: string) => string[];
  npmStartNodeFlags: (root: string) => string[] | undefined;
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
/** A scratch checkout holding only the given files. */
function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wg-production-start-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const HEALTHCHECK = 'HEALTHCHECK --interval=30s \\\n  CMD ["node", "-e", "process.exit(0)"]\n';

describe("the Node flags production starts the App with", () => {
  it("are the words between node and lib/server.js in the image's CMD, not the health check's", () => {
    const root = checkout({ Dockerfile: `FROM node:24\n${HEALTHCHECK}CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=300", "lib/server.js"]\n` });
    expect(imageNodeFlags(root)).toEqual(["--max-semi-space-size=4", "--max-old-space-size=300"]);
  });

  it("are none for a plain CMD", () => {
    expect(imageNodeFlags(checkout({ Dockerfile: `FROM node:24\n${HEALTHCHECK}CMD ["node", "lib/server.js"]\n` }))).toEqual([]);
  });

  it("stop the bench when the CMD does not start lib/server.js with node, or there is none", () => {
    expect(() => imageNodeFlags(checkout({ Dockerfile: 'FROM node:24\nCMD ["npm", "start"]\n' }))).toThrow(/expected one CMD/);
    expect(() => imageNodeFlags(checkout({ Dockerfile: "FROM node:24\nCMD node lib/server.js\n" }))).toThrow(/expected one CMD/);
    expect(() => imageNodeFlags(checkout({ Dockerfile: `FROM node:24\n${HEALTHCHECK}` }))).toThrow(/expected one CMD/);
  });

  it("are read from npm start as well, or undefined when it is not node … lib/server.js", () => {
    const start = (script: string) => checkout({ "package.json": JSON.stringify({ scripts: { start: script } }) });
    expect(npmStartNodeFlags(start("node --max-semi-space-size=4 lib/server.js"))).toEqual(["--max-semi-space-size=4"]);
    expect(npmStartNodeFlags(start("node lib/server.js"))).toEqual([]);
    expect(npmStartNodeFlags(start("probot run ./lib/index.js"))).toBeUndefined();
  });

  it("in this checkout: the image caps V8's young generation", () => {
    expect(imageNodeFlags(ROOT)).toEqual(["--max-semi-space-size=4"]);
  });

  it("are used by the benchmarks only on the image's Node major: V8's heap flags are tuned for it", () => {
    const root = checkout({ Dockerfile: `FROM node:24-bookworm-slim AS build\nFROM node:24-bookworm-slim\n${HEALTHCHECK}CMD ["node", "--max-semi-space-size=4", "lib/server.js"]\n` });
    expect(benchNodeFlags(root, "v24.22.3")).toEqual({ flags: ["--max-semi-space-size=4"], source: "as the image's CMD" });
    expect(benchNodeFlags(root, "v20.20.2")).toEqual({ flags: [], source: "the image's CMD flags (--max-semi-space-size=4) are for Node 24; this Node runs without them" });
  });

  it("give way to --node-flags= when a benchmark is given it, which the table then names", () => {
    const root = checkout({ Dockerfile: `FROM node:24\n${HEALTHCHECK}CMD ["node", "--max-semi-space-size=4", "lib/server.js"]\n` });
    expect(nodeFlagsFromArgs(root, ["--runs", "3", "--node-flags=--max-semi-space-size=8 --expose-gc"], "v24.1.0")).toEqual({ flags: ["--max-semi-space-size=8", "--expose-gc"], source: "--node-flags", given: true });
    expect(nodeFlagsFromArgs(root, ["--runs", "3"], "v24.1.0")).toEqual({ flags: ["--max-semi-space-size=4"], source: "as the image's CMD", given: false });
  });
});
