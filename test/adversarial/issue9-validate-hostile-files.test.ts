import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_CONFIG_BYTES } from "../../src/config/limits.js";
import { validateFile } from "../../src/config/validate-command.js";

/**
 * Issue 9, attacked from outside: `wg-meetings validate` on files a user did not mean to give
 * it, or that were built to hurt: line endings and byte-order marks, UTF-16, devices behind a
 * symlink, a FIFO, multibyte text exactly at the limit, YAML alias bombs and deep nesting.
 * Each is either read as the text it is or refused in words, never echoed, never a crash.
 */

const dir = mkdtempSync(join(tmpdir(), "wg-adv-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date("2026-01-05T00:00:00Z");
const VALID = [
  "meetings:",
  "  - id: wg",
  "    name: WG",
  "    duration: PT1H",
  "    createBefore: P1D",
  "    agenda: { label: wg-agenda, orgs: [acme] }",
  "    schedule: { rrule: FREQ=WEEKLY, start: 2026-01-01T10:00, zone: UTC }",
  "",
].join("\n");

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("issue 9 adversarial: validate reads what is text and refuses the rest", () => {
  it.each([
    ["CRLF line endings", VALID.replace(/\n/g, "\r\n")],
    ["a UTF-8 byte-order mark", `\ufeff${VALID}`],
    ["a byte-order mark and CRLF", `\ufeff${VALID.replace(/\n/g, "\r\n")}`],
  ])("%s: ok", async (name, text) => {
    const result = await validateFile(file(`${name}.yml`, text), { now: NOW });
    expect(result).toEqual({ stdout: "ok: 1 series (wg)\n", stderr: "", exitCode: 0 });
  });

  it("UTF-16 (what some Windows editors save): refused as not UTF-8 text, never parsed", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, "utf16le")]);
    const result = await validateFile(file("utf16.yml", utf16), { now: NOW });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/not a text file/);
    expect(result.stdout).toBe("");
  });

  it("a symlink to /dev/zero: refused as over the limit after reading one byte past it", async () => {
    const link = join(dir, "zero.yml");
    symlinkSync("/dev/zero", link);
    const result = await validateFile(link, { now: NOW });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/larger than the 64 KB limit/);
  });

  it("a directory named like a config: refused in words", async () => {
    const path = join(dir, "meetings.yml.d");
    mkdirSync(path);
    expect((await validateFile(path, { now: NOW })).stderr).toMatch(/is a directory, not a file/);
  });

  it("a FIFO with a writer: read to its end like a file", async () => {
    const fifo = join(dir, "config.fifo");
    execFileSync("mkfifo", [fifo]);
    // Open both ends before validate does, so neither side waits for the other.
    const writer = open(fifo, "w").then(async (handle) => {
      await handle.writeFile(VALID);
      await handle.close();
    });
    const result = await validateFile(fifo, { now: NOW });
    await writer;
    expect(result).toEqual({ stdout: "ok: 1 series (wg)\n", stderr: "", exitCode: 0 });
  });

  it("3-byte characters filling exactly 64 KB are parsed (the limit counts bytes, not characters)", async () => {
    const head = `${VALID}# `;
    const room = MAX_CONFIG_BYTES - Buffer.byteLength(head) - 1;
    const text = `${head}${"語".repeat(Math.floor(room / 3))}${"a".repeat(room % 3)}\n`;
    expect(Buffer.byteLength(text)).toBe(MAX_CONFIG_BYTES);
    expect((await validateFile(file("multibyte-at-limit.yml", text), { now: NOW })).exitCode).toBe(0);
    const over = await validateFile(file("multibyte-over.yml", `${text}a`), { now: NOW });
    expect(over.stderr).toMatch(/64\.1 KB, over the 64 KB limit/);
  });

  it("a billion-laughs alias bomb: refused in one error, nothing expanded into the output", async () => {
    const letters = "abcdefghi";
    const lines = [`a: &a [${Array(9).fill('"lol"').join(",")}]`];
    for (let k = 1; k < letters.length; k++) lines.push(`${letters[k]}: &${letters[k]} [${Array(9).fill(`*${letters[k - 1]}`).join(",")}]`);
    lines.push("meetings: *i", "");
    const result = await validateFile(file("laughs.yml", lines.join("\n")), { now: NOW });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([expect.stringMatching(/alias/i), `1 error in ${join(dir, "laughs.yml")}`]);
    expect(result.stderr).not.toContain("lol");
  });

  it.each([
    ["32,000 nested flow sequences", `meetings: ${"[".repeat(32_000)}${"]".repeat(32_000)}\n`],
    ["13,000 nested flow mappings", `meetings: ${"{a: ".repeat(13_000)}1${"}".repeat(13_000)}\n`],
  ])("%s: one error on line 1, not a crash", async (name, text) => {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CONFIG_BYTES);
    const result = await validateFile(file(`${name}.yml`, text), { now: NOW });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split("\n").filter(Boolean)).toEqual([expect.stringMatching(/\.yml:1: /), expect.stringMatching(/^1 error in /)]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("escape sequences in a key never reach the terminal raw", async () => {
    const result = await validateFile(file("escape.yml", `${VALID}    "zz\u001b]0;title\u0007\u001b[2J": 1\n`), { now: NOW });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(result.stderr).toContain("\\u001b");
  });
});
