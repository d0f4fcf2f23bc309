import { open, type FileHandle } from "node:fs/promises";
import { MAX_CONFIG_BYTES, oversizeMessage } from "./limits.js";

/** A config file's text, or why it was refused (said in user terms, never quoting the content). */
export type ReadConfigResult = { ok: true; text: string } | { ok: false; problem: string };

/**
 * Reads a config file from disk for the CLI, refusing what is not a small text file:
 * - over `MAX_CONFIG_BYTES`: refused from its size before a byte is read; a pipe or device,
 *   whose size cannot be known beforehand, is read only up to one byte past the limit;
 * - NUL bytes or invalid UTF-8: refused as not a text file, so binary content is never parsed
 *   or quoted back in an error message.
 */
export async function readConfigFile(path: string): Promise<ReadConfigResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    return { ok: false, problem: openProblem(error) };
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return { ok: false, problem: "is a directory, not a file" };
    if (stats.isFile() && stats.size > MAX_CONFIG_BYTES) return { ok: false, problem: oversizeMessage(stats.size) };

    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CONFIG_BYTES) return { ok: false, problem: oversizeMessage(null) };
    return decodeText(buffer.subarray(0, length));
  } catch (error) {
    return { ok: false, problem: openProblem(error) };
  } finally {
    await handle.close();
  }
}

/** The UTF-8 text of `bytes` (a leading BOM dropped), or why they are not text. */
export function decodeText(bytes: Uint8Array): ReadConfigResult {
  if (bytes.includes(0)) return { ok: false, problem: "not a text file: it contains NUL bytes (a meetings config is UTF-8 YAML)" };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: "not a text file: it is not valid UTF-8 (a meetings config is UTF-8 YAML)" };
  }
}

function openProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory, not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return (error as Error).message;
  }
}
