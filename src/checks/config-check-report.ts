import { capErrors, errorCountText, omittedErrorsText } from "../config/error-cap.js";
import { formatPath } from "../config/explain-issues.js";
import { checkConfigFile, errorDetail, makeError, type ConfigError, type ConfigLocator, type ExtendsKey } from "../config/load-config.js";
import type { MeetingsConfig, SeriesConfig } from "../config/schema.js";
import { MAX_ANNOTATIONS_PER_REQUEST, type CheckAnnotation } from "../github/check-runs.js";
import { describeError } from "../github/errors.js";
import { CONFIG_PATH } from "../github/repo-config.js";
import { isAllowed, notAllowedMessage, type AllowKind, type GoogleAllowList } from "../google/allow-list.js";
import { isWorkspaceAllowed, notAllowedMessage as hackmdNotAllowedMessage, type HackmdAllowList } from "../hackmd/allow-list.js";
import { parseDuration } from "../schedule/duration.js";
import { subtractDuration } from "../schedule/zoned-duration.js";
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
  /**
   * One per listed error that has a line, in file order: at most `MAX_ANNOTATIONS_PER_REQUEST`,
   * so the check run is one request. Errors without a line, and the count of errors not listed,
   * are in `summary`.
   */
  annotations: CheckAnnotation[];
}

/** The config as found at the commit being checked. */
export interface ConfigCheckInput {
  /** The text of `.github/meetings.yml`, or `null` when the commit has none (removed). */
  text: string | null;
  /**
   * The commit is a fork's pull request's: anybody's file. It is validated, and its series are
   * listed without their meetings: working out a rule's dates is not bounded the way the parse
   * is (a daily rule from 1900 costs seconds), and a fork's calendars are never read.
   */
  fromFork?: boolean;
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

/**
 * The operator's HackMD allow-list and whose repository the config is in: which HackMD
 * workspaces the config may name (see hackmd/allow-list.ts). Without it nothing is checked.
 */
export interface HackmdAllowance {
  allow: HackmdAllowList;
  /** The repository's owner (user or organization). */
  owner: string;
}

/** How many upcoming meetings the summary lists per series. */
export const UPCOMING_PER_SERIES = 3;

/**
 * How many series the summary lists with their upcoming meetings; the others are named. Each
 * costs a walk of its rule (and a calendar read), and a summary must stay under GitHub's 64 KB.
 */
export const MAX_SERIES_WITH_MEETINGS = 10;

const WHEN = "EEE dd-MMM-yyyy HH:mm";

/**
 * The config check run for a commit, from the file's text and `now`. Pure but for calendar
 * schedules, whose occurrences are read through `io`; a calendar that cannot be read is said in
 * the summary and does not fail the check (the file is valid; the calendar may be shared later).
 *
 * The file is checked alone: nothing its `_extends` names is read, for anyone. A check run is
 * public to everyone who can read the repository, and `_extends` can name any file the App's
 * installation can read, so no word of the report may depend on another file: not its series,
 * not its keys, not whether it exists. The App resolves `_extends` when it reads the config
 * from the default branch.
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
  hackmd?: HackmdAllowance,
): Promise<ConfigCheckReport> {
  if (input.text === null) {
    return {
      conclusion: "neutral",
      title: `${CONFIG_PATH} was removed`,
      summary: `This commit has no \`${CONFIG_PATH}\`. Once that is on the default branch, wg-meetings opens no more meetings in this repository.`,
      annotations: [],
    };
  }
  const { check, extends: extended, locate } = checkConfigFile(input.text);
  const note = extended ? extendsNote(extended) : null;
  if (check.status === "invalid") return failureReport(check.errors, check.omitted, note);
  if (check.status === "from-extends") {
    return {
      conclusion: "neutral",
      title: `${CONFIG_PATH} takes its series from _extends`,
      summary: [`This file has no \`meetings\` of its own, and nothing else in it is wrong.`, note!].join("\n\n"),
      annotations: [],
    };
  }
  // Before any calendar is read: a calendar the operator does not allow is never asked for.
  const refused = [...(google ? notAllowedErrors(check.config, locate, google) : []), ...(hackmd ? hackmdNotAllowedErrors(check.config, locate, hackmd) : [])];
  if (refused.length > 0) {
    const { listed, omitted } = capErrors(refused);
    return failureReport(listed, omitted, note);
  }
  return successReport(check.config, now, io, input.fromFork === true, note);
}

/**
 * Said whenever the file declares `_extends`, in the same words whatever it names: whether that
 * exists, is private, or holds series is not this check's to tell.
 */
function extendsNote(extended: ExtendsKey): string {
  const own = extended.hasMeetings
    ? "This file's own `meetings` replace the extended file's as a whole, so the series checked here are the ones that run."
    : "Its series come from the config it extends.";
  return `This file declares \`_extends\`. The check reads this file alone, never the one it extends: the App resolves \`_extends\` when it reads the config from the default branch, after merge. ${own}`;
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

/** One error per folder, template doc or calendar the allow-list does not name for the owner, on its line. */
function notAllowedErrors(config: MeetingsConfig, locate: ConfigLocator, google: GoogleAllowance): ConfigError[] {
  return googleUses(config)
    .filter((use) => !isAllowed(google.allow, use.kind, use.id, google.owner))
    .map((use) => {
      const found = locate(use.path, "value");
      const here = found.path.length === use.path.length ? found.position : null;
      return makeError(formatPath(use.path), here?.line ?? null, here?.column ?? null, notAllowedMessage(use.kind, use.id, google.owner));
    });
}

/**
 * One error per series whose HackMD workspace (`minutes.hackmd.team`, or the API token's own
 * when it names none) the allow-list does not name for the owner: on the `team` line when the
 * config names a team, else on `minutes.doc`.
 */
function hackmdNotAllowedErrors(config: MeetingsConfig, locate: ConfigLocator, hackmd: HackmdAllowance): ConfigError[] {
  return config.meetings.flatMap((series, index): ConfigError[] => {
    if (series.minutes.doc !== "hackmd") return [];
    const team = series.minutes.hackmd?.team ?? null;
    if (isWorkspaceAllowed(hackmd.allow, team, hackmd.owner)) return [];
    const path = ["meetings", index, "minutes", ...(team === null ? ["doc"] : ["hackmd", "team"])];
    const found = locate(path, "value");
    const here = found.path.length === path.length ? found.position : null;
    return [makeError(formatPath(path), here?.line ?? null, here?.column ?? null, hackmdNotAllowedMessage(team, hackmd.owner))];
  });
}

/**
 * The failure report of at most `MAX_LISTED_ERRORS` errors (config/error-cap.ts) and the count of
 * the rest: every listed error with a line is annotated, all in the one create request.
 */
function failureReport(errors: ConfigError[], omitted: number, note: string | null): ConfigCheckReport {
  const withLine = errors.filter((error) => error.line !== null);
  const annotations = withLine.slice(0, MAX_ANNOTATIONS_PER_REQUEST).map(
    (error): CheckAnnotation => ({
      path: CONFIG_PATH,
      start_line: error.line!,
      end_line: error.line!,
      annotation_level: "failure",
      ...(error.path ? { title: error.path } : {}),
      message: errorDetail(error),
    }),
  );
  // Never more annotations than one request takes: any beyond are counted with the omitted.
  const more = omitted + (withLine.length - annotations.length);
  const lineless = errors.filter((error) => error.line === null);
  const total = errors.length + omitted;
  const fix = more > 0 ? `it has ${errorCountText(total)}: fix the first ones below and push again` : `fix the ${errorCountText(total)} below and push again`;
  const parts = [`wg-meetings cannot use this \`${CONFIG_PATH}\`: ${fix}.`];
  if (annotations.length > 0) {
    parts.push(`${errorCountText(annotations.length)} ${annotations.length === 1 ? "is" : "are"} annotated on ${annotations.length === 1 ? "its line" : "their lines"}.`);
  }
  if (lineless.length > 0) {
    parts.push(["Concerning the whole file:", "", ...lineless.map((error) => `- ${error.message}`)].join("\n"));
  }
  if (more > 0) parts.push(omittedErrorsText(more));
  if (note) parts.push(note);
  return { conclusion: "failure", title: `${errorCountText(total)} in ${CONFIG_PATH}`, summary: parts.join("\n\n"), annotations };
}

async function successReport(config: MeetingsConfig, now: Date, io: OccurrenceSourceIo, fromFork: boolean, note: string | null): Promise<ConfigCheckReport> {
  const n = config.meetings.length;
  const dated = fromFork ? [] : config.meetings.slice(0, MAX_SERIES_WITH_MEETINGS);
  const named = config.meetings.slice(dated.length);
  const sections: string[] = [];
  for (const series of dated) sections.push(await seriesSection(series, now, io));
  if (named.length > 0) {
    const why = fromFork
      ? "This pull request comes from a fork: its series are checked, and their meetings are listed once the change is pushed to this repository."
      : `The meetings of the first ${MAX_SERIES_WITH_MEETINGS} series are listed; these series are checked too:`;
    sections.push([dated.length > 0 ? "### Other series" : "### Series", "", why, "", ...named.map((series) => `- ${seriesName(series)}`)].join("\n"));
  }
  return {
    conclusion: "success",
    title: `${CONFIG_PATH} is valid: ${n} series`,
    summary: [
      `The next meetings of each series, in its own zone, and when each meeting's issue opens. Meetings are opened from the config on the default branch: this takes effect once it is there.`,
      ...sections,
      ...(note ? [note] : []),
    ].join("\n\n"),
    annotations: [],
  };
}

function seriesName(series: SeriesConfig): string {
  return `${series.name} (\`${series.id}\`)`;
}

async function seriesSection(series: SeriesConfig, now: Date, io: OccurrenceSourceIo): Promise<string> {
  const heading = `### ${seriesName(series)}`;
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
