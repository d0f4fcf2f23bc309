import { omittedErrorsText } from "./error-cap.js";
import { errorDetail, type ConfigError } from "./load-config.js";

/**
 * Formats config errors the way compilers do, one per line, sorted by line so the report reads
 * like the file: `.github/meetings.yml:7: meetings[0].schedule.zone: unknown time zone …`, or
 * `FILE: path: message` when there is no line (a config that did not come from text). With
 * `omitted` (a `ConfigResult`'s), a last line counts the errors that were not listed:
 * `FILE: … and 31,950 more errors (…)`.
 */
export function formatConfigErrors(errors: readonly ConfigError[], file: string, omitted = 0): string {
  const more = omittedErrorsText(omitted);
  return [...errors]
    .map((error, index) => ({ error, index }))
    // Errors without a line concern the whole file: they come first.
    .sort((a, b) => (a.error.line ?? 0) - (b.error.line ?? 0) || a.index - b.index)
    .map(({ error }) => {
      const where = error.line !== null ? `${file}:${error.line}` : file;
      return [where, error.path, errorDetail(error)].filter(Boolean).join(": ");
    })
    .concat(more ? [`${file}: ${more}`] : [])
    .map((line) => `${line}\n`)
    .join("");
}

/** A warning or note about a config, placed like an error (its message names its path and line). */
export interface ConfigDiagnostic extends ConfigError {
  level: "warning" | "note";
}

/**
 * Formats warnings and notes like `formatConfigErrors`, with their level after the location:
 * `.github/meetings.yml:6: warning: meetings[0].schedule.rrule: no upcoming meeting: …`.
 */
export function formatConfigDiagnostics(diagnostics: readonly ConfigDiagnostic[], file: string): string {
  return diagnostics
    .map((diagnostic) => {
      const where = diagnostic.line !== null ? `${file}:${diagnostic.line}` : file;
      return [where, diagnostic.level, diagnostic.path, errorDetail(diagnostic)].filter(Boolean).join(": ");
    })
    .map((line) => `${line}\n`)
    .join("");
}
