import type { GitHub, Log, RepoRef } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { readMinutesHistory } from "../github/minutes-history.js";
import { teamMembers, TeamMembersError } from "../github/team-members.js";
import type { SeriesConfig } from "../config/schema.js";
import { parseAttendance, quorum, type MeetingAttendance } from "./attendance.js";
import { readBaseFile } from "../github/pull-requests.js";
import { attendanceFile, hasAttendanceFileMarker, type AttendanceFileMeeting } from "./attendance-file.js";
import { membersSeen, membersWithAliases, recordsAttendance } from "./attendance-members.js";
import { inertSpan } from "./inert-span.js";
import { minutesPath } from "./minutes-path.js";
import { quorumText } from "./quorum-text.js";

/**
 * What the minutes pull request says about attendance, and the ATTENDANCE.md it carries: this
 * meeting's minutes (as composed, not yet merged) together with the series' merged minutes
 * before it, read from the repository at `ref`. Called by publish-minutes.ts when the series has
 * `quorum` or `attendance.file`.
 *
 * Cost: with `meetings/{{date}}.md`, 1 listing + one read per earlier file (the larger of
 * `quorum.window` and `attendance.window - 1`, plus up to {@link SPARE_FILES} for files that list
 * no one under Present), + 1 request per 100 team members when `quorum.members` is a team,
 * + 1 read of `attendance.file` when it is set.
 *
 * Privacy: a team's members are read with the organization permission *members: read*, which
 * sees secret teams and private memberships. Unless the repository is known to be private
 * (`repoPrivate`, the webhook's repository `private` flag), the statement and the file name only the
 * members the minutes show present and count the others.
 *
 * The file at `attendance.file` is replaced only when it is missing or carries the App's marker
 * line (ATTENDANCE_FILE_MARKER): a config pointing it at README.md or at old minutes leaves that
 * file as it is, and `notes` says so for the pull request.
 *
 * It never fails the pull request: when the earlier minutes or the team cannot be read, the
 * quorum statement says quorum is not known and ATTENDANCE.md is left as it is (no file), and
 * the cause is logged.
 */

/** Earlier files read beyond the window, so a few files without a Present section do not shrink it. */
export const SPARE_FILES = 3;

/** The most bytes of `attendance.file` read to look for the marker; a larger file is left alone. */
const MAX_ATTENDANCE_FILE_BYTES = 1024 * 1024;

/** The statement for the PR body (null without `quorum`) and the files to commit with the minutes. */
export interface AttendanceFollowUp {
  quorum: string | null;
  files: { path: string; content: string }[];
  /** Lines for the pull request's notes (Markdown, inert), when there is something to say: the attendance file left alone. */
  notes?: string[];
}

/** See the module comment. */
export async function attendanceFollowUp(input: {
  gh: GitHub;
  repo: RepoRef;
  ref: string;
  series: SeriesConfig;
  date: string;
  minutes: string;
  log: Log;
  /** Whether the repository is private (the webhook's repository `private` flag); not known counts as public. */
  repoPrivate?: boolean;
}): Promise<AttendanceFollowUp> {
  const { gh, repo, ref, series, date, log } = input;
  const rule = series.quorum;
  const file = series.attendance.file;
  if (!rule && file === null) return { quorum: null, files: [] };
  const ctx = { repo: `${repo.owner}/${repo.repo}`, series: series.id, date };

  const current = parseAttendance(input.minutes);
  let currentPath: string | null = null;
  try {
    currentPath = minutesPath(series.minutes.path, date);
  } catch {
    // publish-minutes refuses such a path before it gets here; without it the row is just unlinked.
  }

  const wanted = Math.max(rule ? rule.window : 0, file !== null ? series.attendance.window - 1 : 0);
  const notKnown = (why: string): AttendanceFollowUp => ({
    quorum: rule ? `### Quorum\n\n**Quorum: not known.** ${why}\n` : null,
    files: [],
  });

  const notes: string[] = [];
  // The team first: it is one request, and without it there is nothing to count.
  let team: string | undefined;
  let teamLogins: string[] | null = null;
  if (rule && !Array.isArray(rule.members)) {
    team = rule.members.replace(/^@/, "");
    try {
      const members = await teamMembers(gh, repo, team);
      teamLogins = members.logins;
      if (members.truncated) notes.push(`Only the first ${members.logins.length} members of the team were read.`);
    } catch (error) {
      log.warn({ ...ctx, team, err: describeError(error) }, "quorum team could not be read; quorum not known, attendance file not updated");
      return notKnown(teamProblem(error, team, repo.owner));
    }
  }

  let earlier: AttendanceFileMeeting[] = [];
  if (wanted > 0) {
    try {
      const history = await readMinutesHistory(gh, repo, { template: series.minutes.path, ref, before: date, count: wanted + SPARE_FILES });
      earlier = history.files.map((f) => {
        const parsed = parseAttendance(f.text);
        return { date: f.date, path: f.path, attendees: parsed.attendees, recorded: recordsAttendance(parsed) };
      });
      for (const skipped of history.skipped.slice(0, 5)) notes.push(`Not read: ${inertSpan(skipped.path)} (${skipped.reason}).`);
      if (history.truncated) notes.push("Not every earlier minutes file was read (the App reads a bounded number of files and bytes).");
      log.debug({ ...ctx, files: history.files.length, skipped: history.skipped.length, truncated: history.truncated }, "earlier minutes read for attendance");
    } catch (error) {
      log.warn({ ...ctx, err: describeError(error) }, "earlier minutes could not be read; quorum not known, attendance file not updated");
      return notKnown("The earlier minutes could not be read from the repository. Run `/minutes` again to retry.");
    }
  }

  const thisMeeting: AttendanceFileMeeting = { date, path: currentPath, attendees: current.attendees, recorded: recordsAttendance(current) };
  const all = [thisMeeting, ...earlier];
  const recorded: MeetingAttendance[] = all.filter((m) => m.recorded).map((m) => ({ date: m.date, attendees: m.attendees }));

  const membersFrom: "config" | "team" | "seen" = !rule ? "seen" : teamLogins ? "team" : "config";
  const configured = teamLogins ?? (rule && Array.isArray(rule.members) ? rule.members : null);
  const membersText = team !== undefined ? `the team ${inertSpan(team)}` : null;
  const members = configured ? membersWithAliases(configured, recorded) : membersSeen(recorded, series.attendance.window);
  // A team's roster is not public (secret teams, private memberships): a public repository gets only who attended.
  const nameOnlyAttendees = teamLogins !== null && input.repoPrivate !== true;

  let quorumMarkdown: string | null = null;
  if (rule) {
    const earlierRecorded = recorded.filter((m) => m.date < date);
    const result = recordsAttendance(current) ? quorum({ members, ratio: rule.ratio, window: rule.window }, { date, attendees: current.attendees }, earlierRecorded) : null;
    quorumMarkdown = quorumText({
      date,
      result,
      ratio: rule.ratio,
      window: rule.window,
      earlierMeetings: earlierRecorded.length,
      membersFrom: membersText,
      notes,
      nameOnlyPresent: nameOnlyAttendees,
    });
    log.info({ ...ctx, quorate: result?.quorate ?? null, present: result?.present.length ?? null, counted: result?.counted.length ?? null }, "quorum counted");
  }

  const files: AttendanceFollowUp["files"] = [];
  const fileNotes: string[] = [];
  if (file !== null) {
    const leftAlone = await whyNotReplace(gh, repo, ref, file, log, ctx);
    if (leftAlone === null) {
      files.push({
        path: file,
        content: attendanceFile({
          seriesName: series.name,
          filePath: file,
          window: series.attendance.window,
          meetings: all,
          members,
          membersFrom,
          ...(team !== undefined ? { team } : {}),
          nameOnlyAttendees,
        }),
      });
    } else {
      fileNotes.push(`${inertSpan(file)} (\`attendance.file\`) is not updated: ${leftAlone}.`);
    }
  }
  return { quorum: quorumMarkdown, files, ...(fileNotes.length > 0 ? { notes: fileNotes } : {}) };
}

/**
 * Why the file at `attendance.file` must not be replaced, or null when it may: it is missing, or
 * it is the App's (it carries the marker line). Read at the base ref, at most
 * {@link MAX_ATTENDANCE_FILE_BYTES}; a file that cannot be read is left alone.
 */
async function whyNotReplace(gh: GitHub, repo: RepoRef, ref: string, path: string, log: Log, ctx: Record<string, unknown>): Promise<string | null> {
  let current: Awaited<ReturnType<typeof readBaseFile>>;
  try {
    current = await readBaseFile(gh, repo, path, ref, MAX_ATTENDANCE_FILE_BYTES);
  } catch (error) {
    log.warn({ ...ctx, path, err: describeError(error) }, "attendance file could not be read; not updated");
    return "it could not be read from the repository (run `/minutes` again to retry)";
  }
  switch (current.status) {
    case "missing":
      return null;
    case "ok":
      if (hasAttendanceFileMarker(current.content)) return null;
      log.warn({ ...ctx, path }, "attendance file not written by the App; left as it is");
      return `the file there was not written by wg-meetings, so it is left as it is (point \`attendance.file\` at another path, or delete that file)`;
    case "not-a-file":
      return `it is not a file on ${inertSpan(ref)}`;
    case "too-large":
      return `the file there is larger than ${MAX_ATTENDANCE_FILE_BYTES.toLocaleString("en")} bytes, so it is left as it is`;
  }
}

/** Why the team could not be read, for the pull request: what to fix, or to try again. */
function teamProblem(error: unknown, team: string, owner: string): string {
  const reason = error instanceof TeamMembersError ? error.reason : null;
  switch (reason) {
    case "not-a-team":
      return `\`quorum.members\` names ${inertSpan(team)}, which is not a team (org/team-slug).`;
    case "other-org":
      return `\`quorum.members\` names the team ${inertSpan(team)}, but only a team of ${inertSpan(owner)}, the repository's owner, counts.`;
    case "not-found":
      return `The team ${inertSpan(team)} was not found, or the App may not read its members: it needs the organization permission *members: read*.`;
    default:
      return `The members of the team ${inertSpan(team)} could not be read. Run \`/minutes\` again to retry.`;
  }
}
