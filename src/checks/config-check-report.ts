import { parse as parseYaml } from "yaml";
import { configLocator, errorDetail, makeError, parseConfigText, validateConfigObject, type ConfigError, type ConfigResult } from "../config/load-config.js";
import type { MeetingsConfig, SeriesConfig } from "../config/schema.js";
import type { CheckAnnotation } from "../github/check-runs.js";
import { describeError } from "../github/errors.js";
import { CONFIG_PATH } from "../github/repo-config.js";
import { isAllowed, notAllowedMessage, type AllowKind, type GoogleAllowList } from "../google/allow-list.js";
import { parseDuration, subtractDuration } from "../schedule/duration.js";
import { occurrenceSource, type OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { scheduleFromConfig } from "../schedule/occurrences.js";
import { formatInZone, localDate } from "../schedule/time-table.js";
import type { Occurrence } from "../schedule/types.js";

/** What the config check run says: everything but where it is posted. */
export interface ConfigCheckReport {
  conclusion: "success" | "failure" | "neutral";
  title: string;
  /** Markdown. */
  summary: string;
  /** One per error that has a line, in file order; errors without a line are in `summary`. */
  annotations: CheckAnnotation[];
}

/** The config as found at the commit being checked. */
export interface ConfigCheckInput {
  /** The text of `.github/meetings.yml`, or `null` when the commit has none (removed). */
  text: string | null;
  /**
   * For a file that declares `_extends`: the config after Probot merged what it extends, or why
   * that could not be read. Validated instead of the text alone, which may rely on the base.
   */
  extended?: { config: unknown } | { error: string } | undefined;
}

/**
 * The operator's Google allow-list and whose repository the config is in: what the config may
 * name in Google (see google/allow-list.ts). Without it nothing is checked against a list.
 */
export interface GoogleAllowance {
  allow: GoogleAllowList;
  /** The repository's owner (user or organization). */
  owner: string;
}

/** How many upcoming meetings the summary lists per series. */
export const UPCOMING_PER_SERIES = 3;

const WHEN = "EEE dd-MMM-yyyy HH:mm";

/**
 * The config check run for a commit, from the file's text and `now`. Pure but for calendar
 * schedules, whose occurrences are read through `io`; a calendar that cannot be read is said in
 * the summary and does not fail the check (the file is valid; the calendar may be shared later).
 *
 * @example
 * const report = await buildConfigCheckReport({ text }, new Date(), io);
 * // { conclusion: "failure", title: "2 errors in .github/meetings.yml", annotations: [{ start_line: 7, … }], … }
 */
export async function buildConfigCheckReport(
  input: ConfigCheckInput,
  now: Date,
  io: OccurrenceSourceIo,
  google?: GoogleAllowance,
): Promise<ConfigCheckReport> {
  if (input.text === null) {
    return {
      conclusion: "neutral",
      title: `${CONFIG_PATH} was removed`,
      summary: `This commit has no \`${CONFIG_PATH}\`. Once that is on the default branch, wg-meetings opens no more meetings in this repository.`,
      annotations: [],
    };
  }
  const result = validateInput(input.text, input.extended);
  if (!result.ok) return failureReport(result.errors);
  // Before any calendar is read: a calendar the operator does not allow is never asked for.
  const refused = google ? notAllowedErrors(result.config, input.text, google) : [];
  return refused.length > 0 ? failureReport(refused) : successReport(result.config, now, io);
}

/** Where a config names something in Google, and what. */
interface GoogleUse {
  path: Array<string | number>;
  kind: AllowKind;
  id: string;
}

function googleUses(config: MeetingsConfig): GoogleUse[] {
  return config.meetings.flatMap((series, index): GoogleUse[] => {
    const uses: GoogleUse[] = [];
    const schedule = series.schedule as { googleCalendar?: { id: string } };
    if (schedule.googleCalendar) {
      uses.push({ path: ["meetings", index, "schedule", "googleCalendar", "id"], kind: "calendar", id: schedule.googleCalendar.id.trim() });
    }
    const google = series.minutes.doc === "google" ? series.minutes.google : undefined;
    if (google) {
      uses.push({ path: ["meetings", index, "minutes", "google", "folder"], kind: "folder", id: google.folder });
      if (google.template) uses.push({ path: ["meetings", index, "minutes", "google", "template"], kind: "template", id: google.template });
    }
    return uses;
  });
}

/**
 * One error per folder, template doc or calendar the allow-list does not name for the owner,
 * on its line. A value that is not in this file's text (it came from the config `_extends`
 * names) is not quoted: a check run shows only what the changed file says.
 */
function notAllowedErrors(config: MeetingsConfig, text: string, google: GoogleAllowance): ConfigError[] {
  const locate = configLocator(text);
  return googleUses(config)
    .filter((use) => !isAllowed(google.allow, use.kind, use.id, google.owner))
    .map((use) => {
      const found = locate(use.path, "value");
      const here = found.path.length === use.path.length ? found.position : null;
      const path = use.path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${part}`)).join("");
      if (here === null) {
        return makeError(path, null, null, `the ${use.kind} this config takes from the one it extends is not on the App's Google allow-list for ${google.owner}, so the App will not use it`);
      }
      return makeError(path, here.line, here.column, notAllowedMessage(use.kind, use.id, google.owner));
    });
}

/** Whether the text names a config to merge in with Probot's `_extends` (false for YAML that does not parse). */
export function declaresExtends(text: string): boolean {
  try {
    const value = parseYaml(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) && "_extends" in value;
  } catch {
    return false;
  }
}

function validateInput(text: string, extended: ConfigCheckInput["extended"]): ConfigResult {
  if (extended === undefined || !declaresExtends(text)) return parseConfigText(text, CONFIG_PATH);
  if ("error" in extended) {
    return { ok: false, errors: [makeError("_extends", null, null, `could not read the config it extends: ${extended.error}`)] };
  }
  return validateConfigObject(extended.config);
}

function failureReport(errors: ConfigError[]): ConfigCheckReport {
  const annotations = errors.flatMap((error): CheckAnnotation[] =>
    error.line === null
      ? []
      : [
          {
            path: CONFIG_PATH,
            start_line: error.line,
            end_line: error.line,
            annotation_level: "failure",
            ...(error.path ? { title: error.path } : {}),
            message: errorDetail(error),
          },
        ],
  );
  const lineless = errors.filter((error) => error.line === null);
  const count = (n: number) => `${n} error${n === 1 ? "" : "s"}`;
  const parts = [`wg-meetings cannot use this \`${CONFIG_PATH}\`: fix the ${count(errors.length)} below and push again.`];
  if (annotations.length > 0) parts.push(`${count(annotations.length)} ${annotations.length === 1 ? "is" : "are"} annotated on ${annotations.length === 1 ? "its line" : "their lines"}.`);
  if (lineless.length > 0) {
    parts.push(["Concerning the whole file:", "", ...lineless.map((error) => `- ${error.message}`)].join("\n"));
  }
  return { conclusion: "failure", title: `${count(errors.length)} in ${CONFIG_PATH}`, summary: parts.join("\n\n"), annotations };
}

async function successReport(config: MeetingsConfig, now: Date, io: OccurrenceSourceIo): Promise<ConfigCheckReport> {
  const sections: string[] = [];
  for (const series of config.meetings) sections.push(await seriesSection(series, now, io));
  const n = config.meetings.length;
  return {
    conclusion: "success",
    title: `${CONFIG_PATH} is valid: ${n} series`,
    summary: [
      `The next meetings of each series, in its own zone, and when each meeting's issue opens. Meetings are opened from the config on the default branch: this takes effect once it is there.`,
      ...sections,
    ].join("\n\n"),
    annotations: [],
  };
}

async function seriesSection(series: SeriesConfig, now: Date, io: OccurrenceSourceIo): Promise<string> {
  const heading = `### ${series.name} (\`${series.id}\`)`;
  const lines: string[] = [];
  try {
    const source = occurrenceSource(scheduleFromConfig(series.schedule), io);
    const createBefore = parseDuration(series.createBefore);
    let after = now;
    for (let i = 0; i < UPCOMING_PER_SERIES; i++) {
      const next = await source.next(after);
      if (next === null) break;
      lines.push(`- ${occurrenceLine(next, subtractDuration(next.start, createBefore, next.zone), now)}`);
      after = next.start;
    }
    if (lines.length === 0) lines.push("- No upcoming meeting: the series has ended.");
  } catch (error) {
    // Only a calendar can fail here (rules were validated): the file is fine, the calendar is not reachable yet.
    lines.push(`- Could not read the meetings: ${describeError(error)}. The config is valid; meetings open once this can be read.`);
  }
  return [heading, "", ...lines].join("\n");
}

/** `Thu 24-Oct-2024 10:00 (America/New_York) — 14:00 UTC; issue opens Mon 21-Oct-2024 10:00`. */
function occurrenceLine(occurrence: Occurrence, opensAt: Date, now: Date): string {
  const { start, zone } = occurrence;
  const local = `${formatInZone(start, zone, WHEN)} (${zone})`;
  // The UTC date is repeated only when it differs from the local one.
  const utc = `${formatInZone(start, "UTC", localDate(start, zone) === localDate(start, "UTC") ? "HH:mm" : WHEN)} UTC`;
  const opens = formatInZone(opensAt, zone, WHEN);
  const issue = opensAt.getTime() <= now.getTime() ? `issue due now (since ${opens})` : `issue opens ${opens}`;
  return `${local} — ${utc}; ${issue}`;
}
