import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * What `npm publish` would ship, and whether it works without this repository: the working
 * tree is copied (with a planted .env, key and stale build output), `npm pack` runs its
 * prepack there (a clean build and the production shrinkwrap), and the tarball is installed
 * into an empty folder with no network, from the npm cache `npm ci` filled, then run.
 *
 * Slow by nature (a build and an install of ~240 packages): the timeouts are a safety net.
 */
const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const SAFETY_NET = 600_000;

/** Not copied: installed or generated here, or produced by the pack itself. */
const NOT_COPIED = new Set(["node_modules", ".git", "lib", "test-results", "npm-shrinkwrap.json"]);

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  main: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; version?: string }> };

/** Runs a command to its end; never through a shell. */
function run(command: string, args: string[], cwd: string) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, out, err }));
  });
}

type LockEntry = { name?: string; version?: string; resolved?: string; integrity?: string; dev?: boolean; devDependencies?: unknown };

let temp: string;
let tree: string;
let tarball: string;
let files: string[];
let shrinkwrap: { packages: Record<string, LockEntry> };

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "wg-npm-pack-"));
  tree = join(temp, "tree");
  cpSync(ROOT, tree, { recursive: true, filter: (source) => !NOT_COPIED.has(relative(ROOT, source).split(sep)[0]!) });
  // What must never ship, even when it lies in the working tree: secrets and an old build's leftovers.
  writeFileSync(join(tree, ".env"), "PRIVATE_KEY=planted-by-the-pack-test\n");
  writeFileSync(join(tree, "planted.pem"), "-----BEGIN PRIVATE KEY-----\nplanted\n-----END PRIVATE KEY-----\n");
  mkdirSync(join(tree, "lib"));
  writeFileSync(join(tree, "lib", "removed-module.js"), "export {};\n");
  // prepack builds with the repository's TypeScript.
  symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"), "dir");

  const out = join(temp, "out");
  mkdirSync(out);
  const pack = await run("npm", ["pack", "--json", "--pack-destination", out], tree);
  expect(pack.code, `${pack.out}\n${pack.err}`).toBe(0);
  const [result] = JSON.parse(pack.out.slice(pack.out.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(out, result!.filename);
  files = result!.files.map((file) => file.path).sort();

  const unpacked = join(temp, "unpacked");
  mkdirSync(unpacked);
  const untar = await run("tar", ["-xzf", tarball, "-C", unpacked], temp);
  expect(untar.code, untar.err).toBe(0);
  shrinkwrap = JSON.parse(readFileSync(join(unpacked, "package", "npm-shrinkwrap.json"), "utf8"));
}, SAFETY_NET);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("ships the compiled lib/, bin/, templates/, app.yml and the shrinkwrap; nothing else", () => {
    const allowed = /^(bin\/|lib\/|templates\/)|^(package\.json|README\.md|LICENSE|app\.yml|npm-shrinkwrap\.json)$/;
    expect(files.filter((path) => !allowed.test(path))).toEqual([]);
    for (const path of files) {
      expect(path).not.toMatch(/^(src|test|e2e|bench|docs|deploy|examples|\.github)\//);
      expect(path).not.toMatch(/(^|\/)\.env|\.pem$|\.map$|\.ts$/);
    }
    // What bin and main load, and every template the renderer may read.
    for (const path of [...Object.values(pkg.bin), pkg.main, "lib/cli.js", "lib/index.js", "lib/server.js"]) expect(files).toContain(path.replace(/^\.\//, ""));
    const templates = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? templates(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`]));
    for (const template of templates("templates")) expect(files).toContain(template);
  });

  it("lib/ is a clean build: one module per source file, no leftovers of an earlier build", () => {
    const sources = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? sources(`${dir}/${entry.name}`) : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [`${dir}/${entry.name}`] : [],
      );
    const expected = sources("src").map((path) => path.replace(/^src\//, "lib/").replace(/\.ts$/, ".js"));
    expect(files.filter((path) => path.startsWith("lib/"))).toEqual(expected.sort());
    expect(files).not.toContain("lib/removed-module.js");
  });

  it("the shrinkwrap is the lockfile's production tree (npm honours it where it ignores overrides)", () => {
    const production = Object.entries(lock.packages).filter(([path, entry]) => path !== "" && !entry.dev);
    expect(Object.keys(shrinkwrap.packages).filter((path) => path !== "").sort()).toEqual(production.map(([path]) => path).sort());
    expect(Object.values(shrinkwrap.packages).filter((entry) => entry.dev)).toEqual([]);
    expect(shrinkwrap.packages[""]!.devDependencies).toBeUndefined();
    // Every package pinned to its tarball and checksum: an install reads no registry document
    // first, and a cached tarball is enough (this repository's npm config omits `resolved`).
    for (const [path, entry] of Object.entries(shrinkwrap.packages)) {
      if (path === "") continue;
      const name = entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
      expect(entry.resolved, path).toBe(`https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${entry.version}.tgz`);
      expect(entry.integrity, path).toMatch(/^sha512-/);
    }
    // The reason it ships: content-type 3 needs Node.js 22, and only the root's overrides pin 2.x.
    expect(shrinkwrap.packages["node_modules/@octokit/request/node_modules/content-type"]?.version).toMatch(/^2\./);
    // postpack removed it again from the tree it was packed in (npm would prefer it to package-lock.json).
    expect(existsSync(join(tree, "npm-shrinkwrap.json"))).toBe(false);
  });
});

describe("the packed tarball, installed into an empty folder with no network", () => {
  let consumer: string;

  beforeAll(async () => {
    consumer = join(temp, "consumer");
    mkdirSync(consumer);
    const file = "wg-meetings.tgz";
    cpSync(tarball, join(consumer, file));
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    // The lockfile npm writes for a project that installs a shrinkwrapped package: the package,
    // and under it the shipped shrinkwrap's tree, verbatim. `npm ci --offline` then takes every
    // tarball from the cache by its integrity and asks the registry for nothing. (A bare
    // `npm install --offline <tarball>` cannot work from the cache `npm ci` fills: it first
    // resolves each range from the registry's full package documents, which `npm ci` never reads.)
    const { name: _name, version: _version, ...root } = shrinkwrap.packages[""]!;
    const packages: Record<string, unknown> = {
      "": { name: "consumer", dependencies: { [pkg.name]: `file:${file}` } },
      [`node_modules/${pkg.name}`]: { ...root, version: pkg.version, resolved: `file:${file}`, integrity, hasShrinkwrap: true },
    };
    for (const [path, entry] of Object.entries(shrinkwrap.packages)) if (path !== "") packages[`node_modules/${pkg.name}/${path}`] = entry;
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { [pkg.name]: `file:${file}` } }, null, 2));
    writeFileSync(join(consumer, "package-lock.json"), JSON.stringify({ name: "consumer", lockfileVersion: 3, requires: true, packages }, null, 2));

    const install = await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], consumer);
    expect(install.code, `${install.out}\n${install.err}`).toBe(0);
  }, SAFETY_NET);

  it("installs the production dependencies only, with the Node 20-safe content-type", () => {
    const installed = join(consumer, "node_modules", pkg.name, "node_modules");
    for (const dependency of Object.keys(pkg.dependencies)) expect(existsSync(join(installed, dependency)), dependency).toBe(true);
    for (const tool of ["vitest", "typescript", "emulate", "nock", "vite"]) {
      expect(existsSync(join(installed, tool)), tool).toBe(false);
      expect(existsSync(join(consumer, "node_modules", tool)), tool).toBe(false);
    }
    const contentType = JSON.parse(readFileSync(join(installed, "@octokit/request/node_modules/content-type/package.json"), "utf8")) as { version: string };
    expect(contentType.version).toMatch(/^2\./);
  });

  it("`wg-meetings --help` and `wg-meetings validate` run from node_modules/.bin", async () => {
    const bin = join(consumer, "node_modules", ".bin", "wg-meetings");

    const help = await run(bin, ["--help"], consumer);
    expect(help.code, help.err).toBe(0);
    expect(help.out).toMatch(/^wg-meetings\b/);
    expect(help.out).toMatch(/\bvalidate\b/);

    const valid = await run(bin, ["validate", join(ROOT, "examples/nodejs-security-wg.yml")], consumer);
    expect(valid.code, valid.err).toBe(0);
    expect(valid.out).toContain("ok: 1 series (security-wg)");

    const broken = join(consumer, "meetings.yml");
    writeFileSync(broken, "meetings:\n  - id: x\n    nmae: typo\n");
    const invalid = await run(bin, ["validate", broken], consumer);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/:3\b/);
  });
});
