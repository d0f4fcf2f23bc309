import { omittedErrorsText } from "../config/error-cap.js";
import type { TickReport } from "../meetings/tick.js";

/** One request the run sent that changed something on GitHub (every non-GET but GraphQL reads). */
export interface WriteRecord {
  method: string;
  path: string;
  status: number;
}

/** What one `wg-meetings action` run did, for the step summary and stdout. */
export type ActionOutcome =
  | { kind: "tick"; trigger: string; report: TickReport }
  | { kind: "delivered"; event: string }
  | { kind: "skipped"; event: string; why: string }
  | { kind: "failed"; event: string; error: string };

/**
 * True when the run should fail the workflow. A tick fails on any error, any failed series
 * and any invalid config: in Actions the red run is how the group learns something is wrong.
 */
export function actionFailed(outcome: ActionOutcome): boolean {
  if (outcome.kind === "failed") return true;
  if (outcome.kind !== "tick") return false;
  const { report } = outcome;
  return report.errors.length > 0 || report.invalidConfigs.length > 0 || report.series.some((s) => s.outcome.action === "failed");
}

/** The Markdown summary of a run: a headline, then what the tick decided or what was written. */
export function formatActionSummary(repository: string, outcome: ActionOutcome, writes: WriteRecord[]): string {
  const failed = actionFailed(outcome);
  const lines: string[] = [];
  const status = failed ? "failed" : "ok";
  switch (outcome.kind) {
    case "tick": {
      const { report } = outcome;
      lines.push(`### wg-meetings: tick (${outcome.trigger}) on ${repository}: ${status}${report.dryRun ? " (dry run)" : ""}`);
      const sections: string[][] = [];
      if (report.configured === 0 && report.invalidConfigs.length === 0 && report.errors.length === 0) {
        sections.push(["No `.github/meetings.yml` in this repository: nothing to do."]);
      }
      if (report.series.length > 0) {
        sections.push([
          "| Series | Outcome |",
          "| --- | --- |",
          ...report.series.map(({ series, outcome: result }) => `| ${cell(series)} | ${cell(describeSeries(result))} |`),
        ]);
      }
      for (const invalid of report.invalidConfigs) {
        const more = omittedErrorsText(invalid.omitted ?? 0);
        sections.push([`Invalid config in ${invalid.repository}:`, ...invalid.errors.map((error) => `- ${error.message}`), ...(more ? [`- ${more}`] : [])]);
      }
      if (report.errors.length > 0) sections.push(report.errors.map((error) => `Error (${error.scope}): ${error.error}`));
      for (const section of sections) lines.push("", ...section);
      break;
    }
    case "delivered":
      lines.push(`### wg-meetings: ${outcome.event} on ${repository}: ${status}`, "", writes.length > 0 ? "The event was handled." : "The event was handled; it asked for no change.");
      break;
    case "skipped":
      lines.push(`### wg-meetings: ${outcome.event} on ${repository}: skipped`, "", outcome.why);
      break;
    case "failed":
      lines.push(`### wg-meetings: ${outcome.event} on ${repository}: failed`, "", `Error: ${outcome.error}`);
      break;
  }
  if (writes.length > 0) {
    lines.push("", "Changes sent to GitHub:");
    for (const write of writes) lines.push(`- \`${write.method} ${write.path}\` → ${write.status}`);
  }
  return `${lines.join("\n")}\n`;
}

function describeSeries(result: TickReport["series"][number]["outcome"]): string {
  switch (result.action) {
    case "not-due":
      return result.next ? `not due: next meeting ${result.next}, its issue opens ${result.opensAt ?? "?"}` : "not due: the series has ended";
    case "created":
      return `opened ${result.url}`;
    case "exists":
      return `already open: ${result.url}`;
    case "claimed-elsewhere":
      return `another run is opening it (${result.reason})`;
    case "dry-run":
      return `would open "${result.title}"`;
    case "failed":
      return `failed: ${result.error}`;
  }
}

/** A table cell cannot hold a pipe or a newline. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}
