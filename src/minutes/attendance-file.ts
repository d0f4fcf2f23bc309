import { attendanceSummary, type Attendee, type Member } from "./attendance.js";
import { inertSpan } from "./inert-span.js";

/**
 * ATTENDANCE.md: each member's attendance over the series' last N meetings whose minutes list
 * who attended,
 * rewritten by every minutes pull request. The output depends on its input only (no clock, no
 * locale), so the same minutes give the same file byte for byte and a re-run changes nothing.
 * Every name and login is written in a code span: the file links nobody, pings nobody and holds
 * no HTML, whatever the minutes say. Its last line is {@link ATTENDANCE_FILE_MARKER}, the one
 * comment in it: the App replaces a file at `attendance.file` only when it carries that line.
 */

/** The hidden line that says the App wrote the file, so it may replace it (attendance-follow-up.ts). */
export const ATTENDANCE_FILE_MARKER = "<!-- wg-meetings:attendance-file -->";

/**
 * Whether a file's text ends with {@link ATTENDANCE_FILE_MARKER} on a line of its own, as the App
 * writes it: a document that only quotes the marker somewhere (in a code block) is not the App's.
 */
export function hasAttendanceFileMarker(text: string): boolean {
  const last = text.trimEnd().split("\n").at(-1) ?? "";
  return last.trim() === ATTENDANCE_FILE_MARKER;
}

/** One meeting, as read from its minutes. */
export interface AttendanceFileMeeting {
  /** `YYYY-MM-DD`. */
  date: string;
  /** The minutes file, from the repository root, or null when not known. */
  path: string | null;
  attendees: readonly Attendee[];
  /** Whether the minutes list who attended (`recordsAttendance`); meetings that do not are not counted. */
  recorded: boolean;
}

/** What ATTENDANCE.md is rendered from. */
export interface AttendanceFileInput {
  /** The group's name, e.g. `Security team`. */
  seriesName: string;
  /** Where the file is written, from the repository root (links to the minutes are relative to it). */
  filePath: string;
  /** How many of the newest meetings that list who attended count. */
  window: number;
  /** The meetings known, in any order. */
  meetings: readonly AttendanceFileMeeting[];
  /** The members, in the order their rows appear. */
  members: readonly Member[];
  /** `config`: `quorum.members`; `team`: a team (named in `team`); `seen`: everyone with a login at the meetings. */
  membersFrom: "config" | "team" | "seen";
  team?: string;
  /**
   * Name only the members who attended one of the meetings counted (they are in the minutes
   * already) and count the others: for a team's members in a public repository, whose roster
   * is not public (a secret team, private memberships).
   */
  nameOnlyAttendees?: boolean;
}

/** The most people listed under *Others present*. */
const MAX_OTHERS = 50;
/** The most absent members named per meeting. */
const MAX_ABSENT = 30;

/** The file's Markdown (see the module comment). */
export function attendanceFile(input: AttendanceFileInput): string {
  const recorded = input.meetings.filter((meeting) => meeting.recorded);
  const summary = attendanceSummary(
    recorded.map((meeting) => ({ date: meeting.date, attendees: meeting.attendees })),
    input.members,
    input.window,
  );
  // Everyone seen: most attended first. Configured members keep the config's (or team's) order.
  if (input.membersFrom === "seen") summary.members.sort(byAttendance);
  const counted = recorded
    .slice()
    .sort(newestFirst)
    .slice(0, input.window);
  const lines: string[] = ["# Attendance", ""];
  const name = inertText(input.seriesName);
  if (counted.length === 0) {
    lines.push(`No minutes of ${name} that list who attended were found yet.`);
  } else {
    const span = counted.length === 1 ? `on ${counted[0]!.date}` : `from ${counted.at(-1)!.date} to ${counted[0]!.date}`;
    lines.push(
      `Attendance at the last ${counted.length} ${counted.length === 1 ? "meeting" : "meetings"} of ${name} with minutes, ${span}` +
        (counted.length < input.window ? ` (${input.window} are counted once there are that many).` : "."),
    );
  }
  lines.push(
    "",
    `Members: ${membersFrom(input)}. Written by wg-meetings from the merged minutes with each minutes pull request; edits by hand are replaced.`,
    "",
  );

  const hidden = input.nameOnlyAttendees ? summary.members.filter((row) => row.attended === 0).length : 0;
  const rows = hidden > 0 ? summary.members.filter((row) => row.attended > 0) : summary.members;
  if (rows.length > 0) {
    lines.push("| Member | Attended | Last attended |", "| --- | --- | --- |");
    for (const row of rows) {
      const share = row.of === 0 ? "" : ` (${Math.round((row.attended / row.of) * 100)}%)`;
      lines.push(`| ${inertSpan(row.login, { cell: true })} | ${row.attended} of ${row.of}${share} | ${row.lastAttended ?? "not in these meetings"} |`);
    }
    lines.push("");
  }
  if (hidden > 0) {
    lines.push(`${hidden} other ${hidden === 1 ? "member" : "members"} of the team attended none of these meetings (not named: this repository is public).`, "");
  }

  if (counted.length > 0) {
    lines.push("## Meetings", "", "| Meeting | Members present | Absent |", "| --- | --- | --- |");
    for (const meeting of counted) {
      const absent = summary.members.filter((row) => row.missed.includes(meeting.date)).map((row) => row.login);
      const present = summary.members.length - absent.length;
      const shown = absent.slice(0, MAX_ABSENT).map((login) => inertSpan(login, { cell: true }));
      const more = absent.length - shown.length;
      const named = absent.length === 0 ? "none" : shown.join(", ") + (more > 0 ? ` and ${more} more` : "");
      // Not named, counted: who of the team stayed away is not the public's to know.
      const absentText = input.nameOnlyAttendees && absent.length > 0 ? `${absent.length}` : named;
      lines.push(`| ${meetingLink(meeting, input.filePath)} | ${present} of ${summary.members.length} | ${absentText} |`);
    }
    lines.push("");
  }

  const others = summary.others.slice().sort((a, b) => b.attended - a.attended || compareText(a.who.toLowerCase(), b.who.toLowerCase()));
  if (others.length > 0) {
    lines.push("## Others present", "");
    const shown = others.slice(0, MAX_OTHERS).map((other) => `${inertSpan(other.who)} (${other.attended})`);
    const more = others.length - shown.length;
    lines.push(`${shown.join(", ")}${more > 0 ? `, and ${more} more` : ""}.`, "");
  }

  const unrecorded = input.meetings
    .filter((meeting) => !meeting.recorded && counted.length > 0 && meeting.date >= counted.at(-1)!.date)
    .sort(newestFirst);
  if (unrecorded.length > 0) {
    lines.push(`Not counted, no one listed under *Present*: ${unrecorded.map((meeting) => meetingLink(meeting, input.filePath)).join(", ")}.`, "");
  }
  lines.push(ATTENDANCE_FILE_MARKER);
  return `${lines.join("\n")}\n`;
}

function membersFrom(input: AttendanceFileInput): string {
  switch (input.membersFrom) {
    case "config":
      return "`quorum.members` in the meetings config";
    case "team":
      return `the team ${inertSpan(input.team ?? "?")}`;
    case "seen":
      return "everyone listed with a GitHub login in these minutes";
  }
}

/** The date, linked to its minutes file relative to the attendance file. */
function meetingLink(meeting: AttendanceFileMeeting, from: string): string {
  if (meeting.path === null) return meeting.date;
  return `[${meeting.date}](${relativeLink(from, meeting.path)})`;
}

/** A relative link from one repository file to another, each segment percent-encoded (parentheses too). */
export function relativeLink(fromFile: string, toFile: string): string {
  const from = fromFile.split("/").slice(0, -1);
  const to = toFile.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.slice(common).map(() => "..");
  // Parentheses too: one left alone could end the link's destination.
  const encode = (segment: string) => encodeURIComponent(segment).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...up, ...to.slice(common)].map((segment) => (segment === ".." ? segment : encode(segment))).join("/");
}

/** Plain text in a sentence: kept readable, made inert as a code span when it holds Markdown or a mention. */
function inertText(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return /^[\p{L}\p{N} .,'’()-]{1,80}$/u.test(clean) ? clean : inertSpan(clean);
}

function newestFirst(a: { date: string }, b: { date: string }): number {
  return a.date < b.date ? 1 : a.date > b.date ? -1 : 0;
}

/** Most attended first, then by login without case. */
export function byAttendance(a: { attended: number; login: string }, b: { attended: number; login: string }): number {
  return b.attended - a.attended || compareText(a.login.toLowerCase(), b.login.toLowerCase());
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
