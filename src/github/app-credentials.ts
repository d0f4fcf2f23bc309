import { createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { escapeUnsafe, truncate } from "../config/safe-text.js";

/**
 * The GitHub App's own credentials, read from the environment the way Probot reads them
 * (`@probot/get-private-key`), but checked up front so a mistake is named instead of surfacing
 * as Probot's `privateKey option is required`. Messages say what is wrong and where; they never
 * contain the key, or any part of it.
 */
export interface AppCredentials {
  readonly appId: number;
  /** The PEM text, normalised as Probot normalises it. Non-enumerable: logging the object cannot leak it. */
  readonly privateKey: string;
}

/** A credential problem, in words safe to print and log. */
export class AppCredentialsError extends Error {
  override name = "AppCredentialsError";
}

const PEM_BLOCKS = [
  ["-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"],
  ["-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----"],
] as const;

/** A GitHub App key is a few KB; anything this large is not one, and is not read whole. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

const EXPECTED = "expected the contents of the .pem file GitHub generated for the App, -----BEGIN RSA PRIVATE KEY----- …";

/**
 * Whether any App credential is set. Probot's server starts its setup page when none is; once
 * one is, they must all be right (`readAppCredentials`).
 */
export function appCredentialsGiven(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.APP_ID || env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
}

/**
 * Reads and checks APP_ID and the private key, from the same places as Probot and in the same
 * order: PRIVATE_KEY (the PEM text; `\n` escapes and base64 are accepted), else PRIVATE_KEY_PATH
 * (relative to `cwd`), else the one `*.pem` file in `cwd`. The key must parse as an RSA private
 * key (`node:crypto`), so a truncated paste fails here and not at the first API call.
 *
 * @throws AppCredentialsError naming the variable and the problem, e.g.
 *   `PRIVATE_KEY is not a PEM private key (…)` or `PRIVATE_KEY_PATH: file /missing.pem does not exist`.
 */
export function readAppCredentials(env: NodeJS.ProcessEnv, options: { cwd?: string } = {}): AppCredentials {
  const cwd = options.cwd ?? process.cwd();
  if (!appCredentialsGiven(env) && findPemFiles(cwd).length === 0) {
    throw new AppCredentialsError("needs the App's credentials: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)");
  }
  const appId = readAppId(env.APP_ID);
  const { source, pem } = readKeyText(env, cwd);
  checkPrivateKey(pem, source);
  const credentials = { appId } as AppCredentials;
  Object.defineProperty(credentials, "privateKey", { value: pem, enumerable: false });
  return credentials;
}

function readAppId(text: string | undefined): number {
  if (!text) throw new AppCredentialsError("APP_ID is not set: set it to the App ID shown on the App's settings page");
  if (!/^\d{1,12}$/.test(text.trim()) || Number(text) < 1) {
    throw new AppCredentialsError(`APP_ID must be the App's numeric ID, shown on its settings page (got "${truncate(escapeUnsafe(text), 20)}")`);
  }
  return Number(text);
}

/** The key's text and how to name where it came from in a message. Never says what it contains. */
function readKeyText(env: NodeJS.ProcessEnv, cwd: string): { source: string; pem: string } {
  if (env.PRIVATE_KEY) return { source: "PRIVATE_KEY", pem: normalizeEnvKey(env.PRIVATE_KEY) };
  if (env.PRIVATE_KEY_PATH) return { source: `PRIVATE_KEY_PATH: file ${shownPath(env.PRIVATE_KEY_PATH)}`, pem: readKeyFile(resolve(cwd, env.PRIVATE_KEY_PATH), env.PRIVATE_KEY_PATH, "PRIVATE_KEY_PATH: file") };
  const found = findPemFiles(cwd);
  if (found.length > 1) {
    throw new AppCredentialsError(`no PRIVATE_KEY or PRIVATE_KEY_PATH, and several .pem files in ${shownPath(cwd)} (${found.map(shownPath).join(", ")}): set PRIVATE_KEY_PATH to the App's`);
  }
  if (found.length === 0) {
    throw new AppCredentialsError("no private key: set PRIVATE_KEY to the contents of the App's .pem file, or PRIVATE_KEY_PATH to its path");
  }
  const source = `the private key file ${shownPath(found[0]!)} (found in ${shownPath(cwd)}; set PRIVATE_KEY_PATH to choose another)`;
  return { source, pem: readKeyFile(resolve(cwd, found[0]!), found[0]!, "the private key file") };
}

/** Probot's reading of PRIVATE_KEY: base64 is decoded, `\n` escapes become newlines, a one-line PEM is re-wrapped. */
function normalizeEnvKey(value: string): string {
  let key = value;
  if (Buffer.from(key, "base64").toString("base64") === key) key = Buffer.from(key, "base64").toString();
  if (key.includes("\\n")) key = key.replace(/\\n/g, "\n");
  for (const [begin, end] of PEM_BLOCKS) {
    if (key.includes(begin) && key.includes(end)) {
      if (key.includes("\n")) return key;
      const middle = key.slice(key.indexOf(begin) + begin.length, key.indexOf(end)).trim();
      return `${begin}\n${middle.replace(/\s+/g, "\n")}\n${end}`;
    }
  }
  return key;
}

function readKeyFile(path: string, given: string, label: string): string {
  const shown = `${label} ${shownPath(given)}`;
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new AppCredentialsError(`${shown} is a directory, not a file`);
    // A device, FIFO or socket reports no size (or never ends): read only regular files.
    if (!stats.isFile()) throw new AppCredentialsError(`${shown} is not a regular file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof AppCredentialsError) throw error;
    throw new AppCredentialsError(`${shown} ${fileProblem(error)}`);
  }
  if (size > MAX_KEY_FILE_BYTES) throw new AppCredentialsError(`${shown} is ${size} bytes: too large to be a private key`);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new AppCredentialsError(`${shown} ${fileProblem(error)}`);
  }
}

function fileProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
    case "ENOTDIR":
      return "does not exist";
    case "EACCES":
    case "EPERM":
      return "is not readable (permission denied)";
    default:
      return `cannot be read (${(error as NodeJS.ErrnoException).code ?? "unknown error"})`;
  }
}

/** Parses the key with `node:crypto`; on failure says why in general terms, never quoting it. */
function checkPrivateKey(pem: string, source: string): void {
  if (pem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----") || /^Proc-Type: 4,ENCRYPTED$/m.test(pem)) {
    throw new AppCredentialsError(`${source} is encrypted with a passphrase; GitHub App keys are not: use the .pem file as GitHub generated it`);
  }
  if (!PEM_BLOCKS.some(([begin, end]) => pem.includes(begin) && pem.includes(end))) {
    const hint = source === "PRIVATE_KEY" ? "; newlines may be written as \\n, or the whole file base64-encoded" : "";
    throw new AppCredentialsError(`${source} is not a PEM private key (${EXPECTED}${hint})`);
  }
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MISSING_PASSPHRASE") {
      throw new AppCredentialsError(`${source} is encrypted with a passphrase; GitHub App keys are not: use the .pem file as GitHub generated it`);
    }
    throw new AppCredentialsError(`${source} looks like a PEM private key but cannot be parsed: it may be truncated or altered (${EXPECTED})`);
  }
  if (type !== "rsa") {
    throw new AppCredentialsError(`${source} is ${type ? `an ${type.toUpperCase()}` : "not an RSA"} key; GitHub App keys are RSA (${EXPECTED})`);
  }
}

/** `*.pem` files directly in `cwd`, as Probot looks for them; none when it cannot be listed. */
function findPemFiles(cwd: string): string[] {
  try {
    return readdirSync(cwd).filter((name) => name.endsWith(".pem"));
  } catch {
    return [];
  }
}

/** A path for a message: control characters escaped, kept short. Paths are not secrets; keys are. */
function shownPath(path: string): string {
  return truncate(escapeUnsafe(path), 200);
}
