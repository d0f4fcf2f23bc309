import { readFile } from "node:fs/promises";
import { formatConfigErrors } from "./format-errors.js";
import { parseConfigText } from "./load-config.js";

/**
 * `wg-meetings validate FILE`: every error with its line and exit code 1, or a one-line summary
 * of the series the file defines and exit code 0. Reading the file is the only I/O.
 */
export async function validateFile(path: string): Promise<{ output: string; exitCode: 0 | 1 }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : (error as Error).message;
    return { output: `${path}: cannot read the config: ${reason}\n`, exitCode: 1 };
  }

  const result = parseConfigText(text, path);
  if (!result.ok) {
    const count = result.errors.length;
    return { output: `${formatConfigErrors(result.errors, path)}${count} error${count === 1 ? "" : "s"} in ${path}\n`, exitCode: 1 };
  }
  const ids = result.config.meetings.map((series) => series.id);
  return { output: `ok: ${ids.length} series (${ids.join(", ")})\n`, exitCode: 0 };
}
