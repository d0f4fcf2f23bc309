import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatConfigErrors } from "../config/format-errors.js";
import { parseConfigText } from "../config/load-config.js";
import { readConfigFile } from "../config/read-config-file.js";
import { escapeUnsafe, truncate } from "../config/safe-text.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, RepoRef } from "../github/client.js";
import { readMinutesHistory } from "../github/minutes-history.js";
import { teamMembers } from "../github/team-members.js";
import { runLimitsFromEnv } from "../meetings/run-limits.js";
import { selectSeries } from "../meetings/preview.js";
import { attendanceSummary, parseAttendance, quorum, type MeetingAttendance } from "../minutes/attendance.js";
import { attendanceFile, byAttendance, type AttendanceFileMeeting } from "../minutes/attendance-file.js";
import { membersSeen, membersWithAliases, recordsAttendance } from "../minutes/attendance-members.js";
import { MINUTES_WALK_LIMITS, walkMinutesFiles, type FolderEntry, type MinutesFolderIo, type MinutesWalk } from "../minutes/minutes-files.js";
import { minutesPath } from "../minutes/minutes-path.js";
import { parseLocalDate } from "../schedule/wall-clock.js";

/**
 * `wg-meetings attendance`: each member's attendance over a series' last N meetings, read from
 * its merged minutes files — a local folder (a clone, offline) or a repository on GitHub — the
 * App's files and those typed by hand before it alike.
 */

/** Where the command writes, and the environment it reads (the CLI's own Io). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** A mistake on the command line: the CLI answers with exit code 2 and the usage. */
export class AttendanceUsageError extends Error {
  override name = "AttendanceUsageError";
}

/** The default minutes.path, when no config is given. */
const DEFAULT_TEMPLATE = "meetings/{{date}}.md";
/** The most meetings `--last` may ask for. */
export const MAX_LAST = 500;

export const ATTENDANCE_USAGE = `Usage: wg-meetings attendance (--dir DIR | --repo OWNER/NAME [--ref REF])
                             [--config FILE [--meeting ID]] [--last N] [--members LOGIN,LOGIN]
                             [--before YYYY-MM-DD] [--format text|markdown|json]

Print each member's attendance over the series' last N meetings, read from the Present section
of its merged minutes files (the App's, and those written by hand before it: "Name: @handle",
"Name (@handle)", a bare handle, "Name: name@example.com", a line without its bullet, …).
Meetings whose minutes list no one under Present are named but not counted.

Members are --members, else the config's quorum.members (a team is read only with --repo),
else everyone listed with a GitHub login in the meetings counted.

Options:
  --dir DIR            a local folder of minutes files, read offline: the folder
                       minutes.path names (meetings/ in a clone), or the clone itself
  --repo OWNER/NAME    read the minutes from GitHub instead, with GITHUB_TOKEN (GITHUB_API_URL
                       for GitHub Enterprise Server)
  --ref REF            with --repo: the branch, tag or commit (default: the default branch)
  --config FILE        the .github/meetings.yml: minutes.path, quorum.members and
                       attendance.window (default: meetings/{{date}}.md, everyone, 10)
  --meeting ID         the series (default: the config's first)
  --last N             count the last N meetings that list who attended (1-${MAX_LAST})
  --members LIST       the members, as comma-separated GitHub logins
  --before YYYY-MM-DD  only meetings before this date
  --format FORMAT      text (default), markdown (the ATTENDANCE.md the App writes) or json
  -h, --help           print this help
`;

const FORMATS = ["text", "markdown", "json"] as const;

/** Runs `wg-meetings attendance`; returns the exit code (0 done, 1 failed). */
export async function attendanceCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: "string" },
      repo: { type: "string" },
      ref: { type: "string" },
      config: { type: "string" },
      meeting: { type: "string" },
      last: { type: "string" },
      members: { type: "string" },
      before: { type: "string" },
      format: { type: "string", default: "text" },
    },
    strict: true,
  });
  const usage = (message: string) => new AttendanceUsageError(message);
  const quote = (arg: string) => `"${truncate(escapeUnsafe(arg), 40)}"`;
  if ((values.dir === undefined) === (values.repo === undefined)) throw usage("give --dir DIR or --repo OWNER/NAME (one of them)");
  if (values.ref !== undefined && values.repo === undefined) throw usage("--ref needs --repo");
  if (values.meeting !== undefined && values.config === undefined) throw usage("--meeting needs --config");
  const repoMatch = values.repo !== undefined ? /^([A-Za-z0-9-]+)\/((?!\.+$)[A-Za-z0-9._-]+)$/.exec(values.repo) : null;
  if (values.repo !== undefined && !repoMatch) throw usage(`--repo: expected OWNER/NAME (got ${quote(values.repo)})`);
  const format = FORMATS.find((candidate) => candidate === values.format);
  if (!format) throw usage(`--format must be one of ${FORMATS.join(", ")} (got ${quote(values.format ?? "")})`);
  if (values.before !== undefined && parseLocalDate(values.before) === null) throw usage(`--before: expected a real date as YYYY-MM-DD (got ${quote(values.before)})`);
  let last: number | undefined;
  if (values.last !== undefined) {
    last = /^\d{1,4}$/.test(values.last) ? Number(values.last) : NaN;
    if (!(last >= 1 && last <= MAX_LAST)) throw usage(`--last: expected a number from 1 to ${MAX_LAST} (got ${quote(values.last)})`);
  }
  let listed: string[] | undefined;
  if (values.members !== undefined) {
    listed = values.members
      .split(",")
      .map((login) => login.trim().replace(/^@/, ""))
      .filter((login) => login !== "");
    const bad = listed.find((login) => !/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(login));
    if (bad !== undefined) throw usage(`--members: ${quote(bad)} is not a GitHub login`);
    if (listed.length === 0) throw usage("--members: expected at least one login");
  }

  let series: SeriesConfig | null = null;
  if (values.config !== undefined) {
    const read = await readConfigFile(values.config);
    if (!read.ok) throw new Error(`${values.config}: cannot read the config: ${read.problem}`);
    const parsed = parseConfigText(read.text, values.config);
    if (!parsed.ok) {
      io.err(formatConfigErrors(parsed.errors, escapeUnsafe(values.config), parsed.omitted));
      return 1;
    }
    series = selectSeries(parsed.config, values.meeting);
  }
  const template = series?.minutes.path ?? DEFAULT_TEMPLATE;
  const window = last ?? series?.attendance.window ?? 10;
  const before = values.before ?? null;
  const rule = series?.quorum;

  // What is read: the files, and the team when the members are one.
  let walk: MinutesWalk;
  let source: string;
  let team: string | null = null;
  /** What turns a path the walk found into one from the repository root. */
  let prefix = "";
  let teamLogins: string[] | null = null;
  const count = window + SPARE;
  if (repoMatch) {
    const repo: RepoRef = { owner: repoMatch[1]!, repo: repoMatch[2]! };
    const token = io.env.GITHUB_TOKEN?.trim();
    if (!token) throw new Error("--repo reads GitHub with GITHUB_TOKEN, which is not set");
    const gh = await tokenClient(io.env, token);
    walk = await readMinutesHistory(gh, repo, { template, ...(values.ref !== undefined ? { ref: values.ref } : {}), before, count });
    source = `${repo.owner}/${repo.repo}`;
    if (!listed && rule && !Array.isArray(rule.members)) {
      team = rule.members.replace(/^@/, "");
      const members = await teamMembers(gh, repo, team);
      teamLogins = members.logins;
      if (members.truncated) io.err(`warning: only the first ${members.logins.length} members of the team ${team} were read\n`);
    }
  } else {
    // DIR is the folder minutes.path names (meetings/), or a clone's root holding that folder.
    let local = localTemplate(template);
    prefix = template.slice(0, template.length - local.length);
    if (prefix !== "" && (await isFolder(join(values.dir!, prefix)))) {
      local = template;
      prefix = "";
    }
    walk = await walkMinutesFiles(localFolderIo(values.dir!), local, { before, count, limits: MINUTES_WALK_LIMITS });
    source = values.dir!;
    if (!listed && rule && !Array.isArray(rule.members)) {
      io.err(`warning: quorum.members names the team ${escapeUnsafe(rule.members)}, which is read only with --repo; counting everyone with a login (give --members to choose)\n`);
    }
  }
  for (const skipped of walk.skipped) io.err(`warning: ${escapeUnsafe(skipped.path)} not read: ${skipped.reason}\n`);
  if (walk.truncated) io.err("warning: not every minutes file was read (a bound on folders, files or bytes was reached)\n");

  const meetings: AttendanceFileMeeting[] = walk.files.map((file) => {
    const parsed = parseAttendance(file.text);
    return { date: file.date, path: `${prefix}${file.path}`, attendees: parsed.attendees, recorded: recordsAttendance(parsed) };
  });
  const recorded: MeetingAttendance[] = meetings.filter((m) => m.recorded).map((m) => ({ date: m.date, attendees: m.attendees }));
  const from: "config" | "team" | "seen" = listed || (rule && Array.isArray(rule.members)) ? "config" : teamLogins ? "team" : "seen";
  const configured = listed ?? (rule && Array.isArray(rule.members) ? rule.members : teamLogins);
  const members = configured ? membersWithAliases(configured, recorded) : membersSeen(recorded, window);

  if (format === "markdown") {
    io.out(
      attendanceFile({
        seriesName: series?.name ?? "the group",
        filePath: series?.attendance.file ?? "ATTENDANCE.md",
        window,
        meetings,
        members,
        membersFrom: from,
        ...(team !== null ? { team } : {}),
      }),
    );
    return 0;
  }
  const summary = attendanceSummary(recorded, members, window);
  if (from === "seen") summary.members.sort(byAttendance);
  const unrecorded = meetings.filter((m) => !m.recorded && summary.meetings.length > 0 && m.date >= summary.meetings.at(-1)!).map((m) => m.date);
  const newest = recorded[0];
  const quorumResult = rule && newest ? quorum({ members, ratio: rule.ratio, window: rule.window }, newest, recorded.slice(1)) : null;
  if (format === "json") {
    io.out(
      `${terminalSafeJson(
        {
          source,
          template,
          window,
          meetings: summary.meetings,
          notCounted: unrecorded,
          members: summary.members,
          others: byCount(summary.others),
          ...(quorumResult && newest ? { quorum: { date: newest.date, ...quorumResult } } : {}),
          skipped: walk.skipped,
          truncated: walk.truncated,
        },
      )}\n`,
    );
    return 0;
  }
  io.out(textReport({ source, window, summary, unrecorded, quorumDate: newest?.date ?? null, quorumResult, ratio: rule?.ratio ?? null }));
  return 0;
}

/** Earlier files read beyond `--last`, so a few that list no one do not shrink the count. */
const SPARE = 3;

/** The template as seen from inside its folder: `meetings/{{date}}.md` read from `--dir meetings/` is `{{date}}.md`. */
export function localTemplate(template: string): string {
  minutesPath(template, "2000-01-01");
  const segments = template.split("/");
  let start = 0;
  while (start < segments.length - 1 && !segments[start]!.includes("{{")) start++;
  return segments.slice(start).join("/");
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** A local folder as the walk sees it: symbolic links are neither followed nor read. */
function localFolderIo(root: string): MinutesFolderIo {
  return {
    async list(path) {
      try {
        const entries = await readdir(join(root, path), { withFileTypes: true });
        const listed: FolderEntry[] = [];
        for (const entry of entries) {
          const type = entry.isFile() ? "file" : entry.isDirectory() ? "dir" : "other";
          const size = type === "file" ? (await lstat(join(root, path, entry.name))).size : 0;
          listed.push({ name: entry.name, type, size });
        }
        return listed;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
        throw error;
      }
    },
    async read(path) {
      try {
        const full = join(root, path);
        if (!(await lstat(full)).isFile()) return null;
        return await readFile(full, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

/** An Octokit with the token, the App's request policy and timeout; Probot is loaded only here. */
async function tokenClient(env: NodeJS.ProcessEnv, token: string): Promise<GitHub> {
  const { ProbotOctokit } = await import("probot");
  const { withRequestPolicy } = await import("../github/octokit-class.js");
  const Octokit = withRequestPolicy(ProbotOctokit, { timeoutMs: runLimitsFromEnv(env).githubTimeoutMs });
  return new Octokit({ auth: { token }, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) }) as unknown as GitHub;
}

/** Terminal text: names escaped (no escape sequences reach the terminal) and cut short. */
function textReport(input: {
  source: string;
  window: number;
  summary: ReturnType<typeof attendanceSummary>;
  unrecorded: string[];
  quorumDate: string | null;
  quorumResult: ReturnType<typeof quorum> | null;
  ratio: number | null;
}): string {
  const { summary } = input;
  const safe = (text: string, max = 40) => truncate(escapeUnsafe(text), max);
  const lines: string[] = [];
  const n = summary.meetings.length;
  if (n === 0) {
    lines.push(`No minutes that list who attended in ${safe(input.source, 80)}.`);
  } else {
    const span = n === 1 ? summary.meetings[0] : `${summary.meetings.at(-1)} to ${summary.meetings[0]}`;
    lines.push(`Attendance at the last ${n} ${n === 1 ? "meeting" : "meetings"} that list who attended (${span}), from ${safe(input.source, 80)}:`);
    if (n < input.window) lines.push(`(asked for ${input.window}; only ${n} found)`);
  }
  lines.push("");
  const width = Math.max(6, ...summary.members.map((row) => safe(row.login).length));
  lines.push(`${"member".padEnd(width)}  attended    last attended`);
  for (const row of summary.members) {
    const share = row.of === 0 ? "" : `${Math.round((row.attended / row.of) * 100)}%`;
    lines.push(`${safe(row.login).padEnd(width)}  ${`${row.attended}/${row.of}`.padEnd(6)}${share.padStart(4)}  ${row.lastAttended ?? "-"}`);
  }
  const others = byCount(summary.others);
  if (others.length > 0) {
    lines.push("", `Others present: ${others.slice(0, 50).map((o) => `${safe(o.who)} (${o.attended})`).join(", ")}${others.length > 50 ? `, and ${others.length - 50} more` : ""}`);
  }
  if (input.unrecorded.length > 0) lines.push("", `Not counted, no one listed under Present: ${input.unrecorded.join(", ")}`);
  if (input.quorumResult && input.quorumDate && input.ratio !== null) {
    const q = input.quorumResult;
    lines.push(
      "",
      `Quorum on ${input.quorumDate}: ${q.quorate ? "yes" : "no"}, ${q.present.length} of ${q.counted.length} counted members present, ${q.needed} needed` +
        (q.inactive.length > 0 ? `; not counted (inactive): ${q.inactive.map((login) => safe(login)).join(", ")}` : ""),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Others present, most meetings first, then by name in code-unit order (the same in every locale). */
function byCount<T extends { who: string; attended: number }>(others: readonly T[]): T[] {
  return others.slice().sort((a, b) => b.attended - a.attended || (a.who < b.who ? -1 : a.who > b.who ? 1 : 0));
}

/**
 * Pretty JSON with the characters that could make a terminal show something else written as
 * `\u` escapes (bidi overrides, zero-width and C1 controls; JSON.stringify already escapes C0).
 */
function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
