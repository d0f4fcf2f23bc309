import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateFile } from "../../../src/config/validate-command.js";

let dir: string;
/** A fixed "now", so whether a series still has meetings does not depend on the day the test runs. */
const NOW = new Date("2025-09-01T00:00:00Z");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wg-meetings-validate-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const SERIES = (id: string) => `  - id: ${id}
    name: Security team
    schedule: "2025-08-04T13:00:00[America/Chicago]/P2W"
    agenda: { label: agenda, orgs: [nodejs] }
`;

describe("validateFile", () => {
  it("a file of 5,000 unknown keys: the first 50 errors, the count of the rest, the total", async () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${String(i).padStart(4, "0")}:\n`).join("");
    const path = await file("many.yml", `meetings:\n${SERIES("wg")}${keys}`);
    const { stdout, stderr, exitCode } = await validateFile(path, { now: NOW });
    expect({ stdout, exitCode }).toEqual({ stdout: "", exitCode: 1 });
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(52);
    expect(lines[0]).toBe(`${path}:6: k0000: unknown key "k0000" (valid keys: meetings)`);
    expect(lines.slice(-2)).toEqual([`${path}: … and 4,950 more errors (the first 50 are listed; fix them and check again)`, `5,000 errors in ${path}`]);
  });

  it("summarizes the series of a valid file", async () => {
    const path = await file("ok.yml", `meetings:\n${SERIES("security-wg")}${SERIES("triage")}`);
    expect(await validateFile(path, { now: NOW })).toEqual({ stdout: "ok: 2 series (security-wg, triage)\n", stderr: "", exitCode: 0 });
  });

  it("validates the bundled Node.js example", async () => {
    expect(await validateFile("examples/nodejs-security-wg.yml", { now: NOW })).toEqual({ stdout: "ok: 1 series (security-wg)\n", stderr: "", exitCode: 0 });
  });

  it("prints every error with its line and exits 1", async () => {
    const path = await file("bad.yml", `meetings:\n${SERIES("security-wg").replace("orgs: [nodejs]", "org: [nodejs]")}    createBefor: P3D\n`);
    const result = await validateFile(path, { now: NOW });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        `${path}:5: meetings[0].agenda.org: unknown key "org" (did you mean "orgs"?)`,
        `${path}:5: meetings[0].agenda: name at least one of \`orgs\` or \`repos\``,
        `${path}:6: meetings[0].createBefor: unknown key "createBefor" (did you mean "createBefore"?)`,
        `3 errors in ${path}`,
        "",
      ].join("\n"),
    );
  });

  it("explains a missing file", async () => {
    const path = join(dir, "nope.yml");
    expect(await validateFile(path)).toEqual({ stdout: "", stderr: `${path}: cannot read the config: no such file\n`, exitCode: 1 });
  });

  it("explains a directory", async () => {
    expect(await validateFile(dir)).toEqual({ stdout: "", stderr: `${dir}: cannot read the config: is a directory, not a file\n`, exitCode: 1 });
  });
});
