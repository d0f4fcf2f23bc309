import { errorCountText } from "./error-cap.js";
import { formatPath } from "./explain-issues.js";
import { formatConfigDiagnostics, formatConfigErrors, type ConfigDiagnostic } from "./format-errors.js";
import { checkConfigFile, makeError, type ConfigLocator, type ExtendsKey } from "./load-config.js";
import { readConfigFile } from "./read-config-file.js";
import { escapeUnsafe, quoteUserText } from "./safe-text.js";
import { scheduleNotices, type ConfigNotice } from "./schedule-notices.js";

/** What `validate` prints: the verdict on stdout, errors, warnings and notes on stderr. */
export interface ValidateOutput {
  stdout: string;
  stderr: string;
  exitCode: 0 | 1;
}

/**
 * `wg-meetings validate FILE`: every error with its line and exit code 1; or a one-line summary
 * of the series the file defines and exit code 0, with a warning for each series that will open
 * no meeting after `now` and a note for what cannot be checked offline (calendars, `_extends`).
 * Reading the file is the only I/O; a file over the size limit or not text is refused unparsed.
 */
export async function validateFile(path: string, options: { now?: Date } = {}): Promise<ValidateOutput> {
  const now = options.now ?? new Date();
  const file = escapeUnsafe(path);
  const read = await readConfigFile(path);
  if (!read.ok) return { stdout: "", stderr: `${file}: cannot read the config: ${read.problem}\n`, exitCode: 1 };

  // One read of the text: the file alone (validate never reads what `_extends` names).
  const { check, extends: extended, locate } = checkConfigFile(read.text);
  const notes: ConfigDiagnostic[] = extended ? [place(extendsNote(extended), locate)] : [];

  if (check.status === "invalid") {
    const count = errorCountText(check.errors.length + check.omitted);
    return {
      stdout: "",
      stderr: `${formatConfigErrors(check.errors, file, check.omitted)}${formatConfigDiagnostics(notes, file)}${count} in ${file}\n`,
      exitCode: 1,
    };
  }
  if (check.status === "from-extends") {
    return { stdout: "ok: no series of its own (they come from _extends)\n", stderr: formatConfigDiagnostics(notes, file), exitCode: 0 };
  }
  const diagnostics = [...notes, ...scheduleNotices(check.config, now).map((notice) => place(notice, locate))];
  const warnings = diagnostics.filter((diagnostic) => diagnostic.level === "warning").length;
  const ids = check.config.meetings.map((series) => series.id);
  const summary = `ok: ${ids.length} series (${ids.join(", ")})${warnings > 0 ? `; ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}\n`;
  return { stdout: summary, stderr: formatConfigDiagnostics(diagnostics, file), exitCode: 0 };
}

/**
 * Probot resolves `_extends` when the App reads the config, merging top-level keys: a file's own
 * `meetings` replaces the extended file's whole list. Say what that leaves unchecked here.
 */
function extendsNote(extended: ExtendsKey): ConfigNotice {
  const target = typeof extended.value === "string" ? ` ${quoteUserText(extended.value)}` : "";
  const head = `the App resolves _extends${target} when it reads the config; validate does not read the extended file`;
  const detail = extended.hasMeetings
    ? "this file's meetings replaces the extended file's as a whole (the merge is per top-level key), so the series checked here are the ones that run; any other top-level key the extended file adds was not checked"
    : "the series (meetings) come from there and were not checked";
  return {
    level: "note",
    path: ["_extends"],
    message: `${head}: ${detail}. The config check run on GitHub checks this file alone too; the App checks the merged config when it reads it from the default branch, and raises an alarm issue if it is not valid.`,
  };
}

function place(notice: ConfigNotice, locate: ConfigLocator): ConfigDiagnostic {
  const { path, position } = locate(notice.path, notice.path.length === 1 ? "key" : "value");
  return { level: notice.level, ...makeError(formatPath(path), position?.line ?? null, position?.column ?? null, notice.message) };
}
