import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * Issue 9, the npm package: the docs promise that it carries `app.yml` (the manifest a chair
 * registers the App from) and every template the renderer reads. `npm pack --dry-run` lists
 * what `package.json`'s `files` selects, without building or writing anything; the full pack,
 * install and run is npm-pack.test.ts.
 */
const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

function npm(args: string[]) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn("npm", args, {
      cwd: ROOT,
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

let files: string[];
beforeAll(async () => {
  // --ignore-scripts: no prepack build, no shrinkwrap written; only the `files` selection is listed.
  const pack = await npm(["pack", "--dry-run", "--json", "--ignore-scripts"]);
  expect(pack.code, `${pack.out}\n${pack.err}`).toBe(0);
  const [result] = JSON.parse(pack.out.slice(pack.out.indexOf("["))) as Array<{ files: Array<{ path: string }> }>;
  files = result!.files.map((file) => file.path);
});

describe("the npm package's contents", () => {
  it("carries app.yml, the manifest the App is registered from", () => {
    expect(files).toContain("app.yml");
  });

  it("carries every template, and bin/", () => {
    const templates = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? templates(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`]));
    for (const template of templates("templates")) expect(files).toContain(template);
    expect(files).toContain("bin/wg-meetings.js");
  });
});
