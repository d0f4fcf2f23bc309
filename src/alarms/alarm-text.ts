import { defuseComments, inlineText, redactSecrets, utcText } from "./markdown.js";
import { withAlarmMarker, type AlarmScope } from "../state/alarm-marker.js";

/** What an alarm says: built by `configAlarm` / `seriesFailureAlarm`, or by hand. */
export type AlarmContent = AlarmScope & {
  /** The series' display name (`name` in config), shown next to its id. */
  seriesName?: string;
  /** Why no meeting opens: one Markdown paragraph in public-safe words. */
  cause: string;
  /** What to do about it: Markdown, one list item each. */
  fix: string | readonly string[];
};

const CAUSE_HEADING = "### Cause";
const FIX_HEADING = "### How to fix it";

/** The path every repository keeps its config at (the same as CONFIG_PATH in repo-config.ts). */
const CONFIG_FILE = ".github/meetings.yml";

/**
 * Title and body of an alarm issue (pure). The body names the series, the cause and the fix,
 * and ends with the hidden marker. Nothing in it changes from one tick to the next unless the
 * problem does, so an unchanged problem means an unchanged issue (no edit, no notification).
 */
export function alarmText(content: AlarmContent): { title: string; body: string } {
  const fixes = (typeof content.fix === "string" ? [content.fix] : [...content.fix]).map((line) => defuseComments(redactSecrets(line.trim())));
  const cause = defuseComments(redactSecrets(content.cause.trim()));
  const isSeries = content.scope === "series";
  const title = isSeries
    ? `wg-meetings cannot open the ${content.series} meeting`
    : `wg-meetings cannot read ${CONFIG_FILE}: no meeting opens`;
  const who = isSeries
    ? `${content.seriesName ? `**${inlineText(content.seriesName, 120)}** (\`${content.series}\`)` : `\`${content.series}\``}`
    : "";
  const lead = isSeries
    ? `The wg-meetings App could not open the next meeting of ${who}.`
    : `The wg-meetings App cannot use \`${CONFIG_FILE}\`, so it opens **no meeting of this repository** until the file is fixed.`;
  const closing = isSeries
    ? "The App checks again on every tick: it updates this issue while the problem lasts, and closes it by itself once the meeting issue is open."
    : "The App checks again on every tick and whenever the file changes: it updates this issue while the problem lasts, and closes it by itself once the file is valid.";
  const body = [
    lead,
    "",
    CAUSE_HEADING,
    "",
    cause,
    "",
    FIX_HEADING,
    "",
    ...fixes.map((line) => `- ${line.replace(/\n/g, "\n  ")}`),
    "",
    `<sub>${closing}</sub>`,
  ].join("\n");
  return {
    title,
    body: withAlarmMarker(body, content.scope === "series" ? { v: 1, scope: "series", series: content.series } : { v: 1, scope: "config" }),
  };
}

/** The cause paragraph of an alarm body written by {@link alarmText}; null when there is none. */
export function alarmCauseOf(body: string): string | null {
  const text = normalizeBody(body);
  const start = text.indexOf(`${CAUSE_HEADING}\n`);
  const end = text.indexOf(`\n${FIX_HEADING}`);
  if (start < 0 || end < start) return null;
  return text.slice(start + CAUSE_HEADING.length, end).trim();
}

/** Line endings as the App writes them: a body edited in the browser comes back with CRLF. */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n?/g, "\n").replace(/\s+$/, "");
}

/** Posted once when an open alarm's cause is no longer the same. */
export function causeChangedComment(cause: string, now: Date): string {
  return `The cause has changed (checked ${utcText(now)}):\n\n${defuseComments(redactSecrets(cause.trim()))}\n\nThe description above says how to fix it.`;
}

/** Posted when the App reopens an alarm a person closed, because the problem is now different. */
export function reopenedComment(cause: string, now: Date): string {
  return `Reopened: no meeting opens yet, and the cause is different now (checked ${utcText(now)}):\n\n${defuseComments(redactSecrets(cause.trim()))}\n\nThe description above says how to fix it.`;
}

/** What made an alarm obsolete. */
export type AlarmResolution = { number: number; url: string } | "config-valid" | "series-removed";

/** Posted when the App closes an alarm because its problem went away. */
export function resolvedComment(scope: AlarmScope, resolvedBy: AlarmResolution): string {
  if (resolvedBy === "config-valid") return `\`${CONFIG_FILE}\` is valid again and meetings open as scheduled. Closing this alarm.`;
  if (resolvedBy === "series-removed") {
    const id = scope.scope === "series" ? `\`${scope.series}\`` : "this series";
    return `The series ${id} is no longer in \`${CONFIG_FILE}\`. Closing this alarm.`;
  }
  return `The meeting issue is open: ${resolvedBy.url}. Closing this alarm.`;
}

/** Posted on a second alarm for the same scope (two runs raced), which is then closed. */
export function duplicateComment(keep: number): string {
  return `Duplicate of #${keep}, which tracks the same problem. Closing this one.`;
}
