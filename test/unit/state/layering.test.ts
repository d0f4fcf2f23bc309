import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * src/state/ holds the formats and trust rules of everything the App stores (markers, claim
 * refs): pure code, one level below the gateways. The arrows run one way: src/github/ may use
 * src/state/, never the workflows above it (src/meetings/, src/alarms/), and src/state/ uses
 * no gateway and no I/O.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Every .ts file under `dir`, as absolute paths. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The module specifiers a file imports: static, side-effect, re-export, dynamic and require. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** A relative specifier as a path from the repository root (`src/github/claims.js`); others unchanged. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  return relative(ROOT, resolve(dirname(file), specifier)).split(sep).join("/");
}

/** `file imports specifier` for each import of the files under `dir` that `forbidden` refuses. */
function violations(dir: string, forbidden: (target: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of sources(dir)) {
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      if (forbidden(target(file, specifier))) found.push(`${relative(ROOT, file)} imports ${specifier}`);
    }
  }
  return found;
}

const LAYERS_ABOVE_STATE = ["src/github/", "src/google/", "src/meetings/", "src/alarms/"];
const IO_MODULES = [
  "fs",
  "fs/promises",
  "net",
  "http",
  "https",
  "http2",
  "tls",
  "dns",
  "dgram",
  "child_process",
  "worker_threads",
];
const IO_PACKAGES = ["octokit", "@octokit/", "googleapis", "@googleapis/", "google-auth-library", "probot", "undici", "nock"];

function isIo(specifier: string): boolean {
  const bare = specifier.replace(/^node:/, "");
  if (IO_MODULES.some((name) => bare === name || bare.startsWith(`${name}/`))) return true;
  return IO_PACKAGES.some((name) => (name.endsWith("/") ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`)));
}

describe("layering of the App's state", () => {
  it("the scanner sees every form of import", () => {
    const text = [
      'import { a } from "../github/claims.js";',
      'import type { B } from "node:fs";',
      'export { c } from "./c.js";',
      'import "octokit";',
      'const d = await import("../meetings/tick.js");',
      'const e = require("node:https");',
    ].join("\n");
    expect(specifiers(text).sort()).toEqual(["../github/claims.js", "../meetings/tick.js", "./c.js", "node:fs", "node:https", "octokit"]);
    expect(isIo("node:fs")).toBe(true);
    expect(isIo("fs/promises")).toBe(true);
    expect(isIo("@googleapis/drive")).toBe(true);
    expect(isIo("node:crypto")).toBe(false);
  });

  it("src/state/ exists and imports no gateway, no workflow and no I/O module", () => {
    expect(sources("src/state").length).toBeGreaterThan(0);
    const found = violations("src/state", (to) => LAYERS_ABOVE_STATE.some((layer) => to.startsWith(layer)) || isIo(to));
    expect(found).toEqual([]);
  });

  it("src/github/ imports nothing from src/meetings/ or src/alarms/", () => {
    const found = violations("src/github", (to) => to.startsWith("src/meetings/") || to.startsWith("src/alarms/"));
    expect(found).toEqual([]);
  });
});
