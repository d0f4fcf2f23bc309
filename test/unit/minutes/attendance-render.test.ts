import { lint } from "markdownlint/sync";
import { describe, expect, it } from "vitest";
import { parseAttendance, quorum, type QuorumResult } from "../../../src/minutes/attendance.js";
import {
  ATTENDANCE_FILE_MARKER,
  attendanceFile,
  hasAttendanceFileMarker,
  relativeLink,
  type AttendanceFileMeeting,
} from "../../../src/minutes/attendance-file.js";
import { loginsSeen, membersWithAliases, recordsAttendance } from "../../../src/minutes/attendance-members.js";
import { inertSpan } from "../../../src/minutes/inert-span.js";
import { quorumText } from "../../../src/minutes/quorum-text.js";

/** A meeting from the Present lines of its minutes. */
function meeting(date: string, present: string, path: string | null = `meetings/${date}.md`): AttendanceFileMeeting {
  const parsed = parseAttendance(`## Present\n\n${present}\n`);
  return { date, path, attendees: parsed.attendees, recorded: recordsAttendance(parsed) };
}

describe("inertSpan", () => {
  it.each([
    ["mhdawson", "`mhdawson`"],
    ["@mhdawson", "`@mhdawson`"],
    ["<!-- hidden -->", "`<!-- hidden -->`"],
    ["a `tick` here", "``a `tick` here``"],
    ["`edge`", "`` `edge` ``"],
    ["line\nbreak\u202eflip\u200bzero", "`line break flip zero`"],
    ["", "`?`"],
  ])("%j → %s", (text, span) => {
    expect(inertSpan(text)).toBe(span);
  });

  it("cuts long text and escapes pipes in a table cell, dropping backslashes that would escape the escape", () => {
    expect(inertSpan("x".repeat(100))).toBe(`\`${"x".repeat(79)}…\``);
    expect(inertSpan("Bob | Eve", { cell: true })).toBe("`Bob \\| Eve`");
    expect(inertSpan("Bob \\\\| Eve", { cell: true })).toBe("`Bob \\| Eve`");
  });
});

describe("membersWithAliases and loginsSeen", () => {
  const meetings = [
    meeting("2024-01-04", "* Michael Dawson: @mhdawson\n* Sam Roberts (@sam-github)\n* Pat: @pat-one"),
    meeting("2024-01-18", "* Michael Dawson\n* Sam Roberts\n* Pat: @pat-two"),
  ];

  it("matches a member to the name or e-mail another file pairs with their login alone", () => {
    const members = membersWithAliases(["mhdawson", "@sam-github", "pat-one"], meetings);
    expect(members).toEqual([
      { login: "mhdawson", names: ["michael dawson"], emails: [] },
      { login: "sam-github", names: ["sam roberts"], emails: [] },
      // "Pat" names two logins: ambiguous, so no alias.
      { login: "pat-one", names: [], emails: [] },
    ]);
  });

  it("lists everyone with a login, most meetings first", () => {
    expect(loginsSeen(meetings)).toEqual(["mhdawson", "pat-one", "pat-two", "sam-github"]);
    expect(loginsSeen([...meetings, meeting("2024-02-01", "* @Pat-Two")])).toEqual(["Pat-Two", "mhdawson", "pat-one", "sam-github"]);
  });

  it("lists at most 200 people", () => {
    const crowd = Array.from({ length: 300 }, (_, i) => `* @person-${String(i).padStart(3, "0")}`).join("\n");
    const seen = loginsSeen([meeting("2024-01-04", crowd)]);
    expect(seen).toHaveLength(200);
    expect(seen.at(-1)).toBe("person-199");
  });

  it("does not count minutes whose Present lists only the team", () => {
    expect(recordsAttendance(parseAttendance("## Present\n\n* Security wg team: @nodejs/security-wg\n"))).toBe(false);
    expect(recordsAttendance(parseAttendance("## Agenda\n"))).toBe(false);
    expect(recordsAttendance(parseAttendance("## Present\n\n* @a\n"))).toBe(true);
  });
});

describe("quorumText", () => {
  const base = { date: "2024-12-05", ratio: 0.5, window: 3, earlierMeetings: 3 };
  const result = (over: Partial<QuorumResult>): QuorumResult => ({
    quorate: true,
    present: ["a", "b"],
    counted: ["a", "b", "c"],
    inactive: ["d"],
    needed: 2,
    basis: "recent",
    ...over,
  });

  it("says quorate, needed, present, absent and not counted", () => {
    expect(quorumText({ ...base, result: result({}) })).toBe(
      [
        "### Quorum",
        "",
        "**Quorum: yes.** 2 of 3 counted members present; 2 needed (50% of the counted members, at least one).",
        "",
        "* Present: `a`, `b`",
        "* Absent: `c`",
        "* Not counted, absent from all of the last 3 meetings: `d`",
        "",
      ].join("\n"),
    );
  });

  it("explains why every member counts", () => {
    expect(quorumText({ ...base, earlierMeetings: 1, result: result({ basis: "all", inactive: [], quorate: false, present: [] }) })).toContain(
      "**Quorum: no.** 0 of 3 counted members present; 2 needed",
    );
    expect(quorumText({ ...base, earlierMeetings: 1, result: result({ basis: "all", inactive: [] }) })).toContain(
      "* Every member counts: minutes of only 1 earlier meeting were found, fewer than the 3 that tell who is inactive.",
    );
    expect(quorumText({ ...base, window: 0, result: result({ basis: "all", inactive: [] }) })).toContain("* Every member counts (`quorum.window: 0`).");
    expect(quorumText({ ...base, ratio: 2 / 3, result: result({}) })).toContain("(66.7% of the counted members, at least one)");
  });

  it("says quorum is not known when the minutes list nobody", () => {
    expect(quorumText({ ...base, result: null })).toBe(
      "### Quorum\n\n**Quorum: not known.** The minutes of 2024-12-05 list no one under *Present*, so who attended cannot be told. List who attended under *Present* and run `/minutes` again.\n",
    );
  });

  it("lists at most 100 logins per line and counts the rest", () => {
    const many = Array.from({ length: 130 }, (_, i) => `m${i}`);
    const text = quorumText({ ...base, result: result({ present: many, counted: many, inactive: [] }) });
    expect(text).toContain("`m99` and 30 more");
    expect(text).not.toContain("`m100`");
  });

  it("with nameOnlyPresent counts the absent and the inactive instead of naming them", () => {
    const text = quorumText({ ...base, result: result({ counted: ["a", "b", "c", "e"] }), nameOnlyPresent: true });
    expect(text).toContain("* Present: `a`, `b`");
    expect(text).toContain("* Absent: 2 members (not named: this repository is public and the members come from a team)");
    expect(text).toContain("* Not counted, absent from all of the last 3 meetings: 1 member (not named:");
    expect(text).not.toMatch(/`[cde]`/);
    expect(quorumText({ ...base, result: result({ counted: ["a", "b"], inactive: [] }), nameOnlyPresent: true })).toContain("* Absent: none");
  });

  it("never mentions anybody, whatever a login holds", () => {
    const members = ["ok", "@team/x <!-- y -->"];
    const q = quorum({ members, ratio: 0.5, window: 0 }, meeting("2024-12-05", "* @ok"), []);
    const text = quorumText({ ...base, window: 0, result: q });
    expect(text.replace(/`[^`\n]*`/g, "")).not.toMatch(/@|<!--/);
  });
});

describe("attendanceFile", () => {
  const meetings = [
    meeting("2024-11-21", "* Rafael Gonzaga: @RafaelGSS\n* Michael Dawson\n* <!-- x --> Eve | Mallory `a`: eve@example.com\n* @intruder-ping"),
    meeting("2024-11-07", "* Security wg team: @nodejs/security-wg"),
    meeting("2024-10-24", "* mhdawson\n* Michael Dawson: @mhdawson\n* Jane Doe (Example Corp)"),
    meeting("2024-10-10", "* Rafael Gonzaga (@RafaelGSS)"),
  ];
  const input = {
    seriesName: "Security team",
    filePath: "ATTENDANCE.md",
    window: 3,
    meetings,
    members: membersWithAliases(["RafaelGSS", "mhdawson"], meetings),
    membersFrom: "config" as const,
  };

  it("renders the members' attendance and each meeting, newest first", () => {
    expect(attendanceFile(input)).toBe(
      [
        "# Attendance",
        "",
        "Attendance at the last 3 meetings of Security team with minutes, from 2024-10-10 to 2024-11-21.",
        "",
        "Members: `quorum.members` in the meetings config. Written by wg-meetings from the merged minutes with each minutes pull request; edits by hand are replaced.",
        "",
        "| Member | Attended | Last attended |",
        "| --- | --- | --- |",
        "| `RafaelGSS` | 2 of 3 (67%) | 2024-11-21 |",
        "| `mhdawson` | 2 of 3 (67%) | 2024-11-21 |",
        "",
        "## Meetings",
        "",
        "| Meeting | Members present | Absent |",
        "| --- | --- | --- |",
        "| [2024-11-21](meetings/2024-11-21.md) | 2 of 2 | none |",
        "| [2024-10-24](meetings/2024-10-24.md) | 1 of 2 | `RafaelGSS` |",
        "| [2024-10-10](meetings/2024-10-10.md) | 1 of 2 | `mhdawson` |",
        "",
        "## Others present",
        "",
        "`@intruder-ping` (1), `eve@example.com` (1), `Jane Doe (Example Corp)` (1).",
        "",
        "Not counted, no one listed under *Present*: [2024-11-07](meetings/2024-11-07.md).",
        "",
        "<!-- wg-meetings:attendance-file -->",
        "",
      ].join("\n"),
    );
  });

  it("is the same for the same minutes in any order, and holds no mention, link or comment outside code", () => {
    const text = attendanceFile(input);
    expect(attendanceFile({ ...input, meetings: [...meetings].reverse() })).toBe(text);
    // The App's own marker line, last, is the one comment.
    expect(text.endsWith(`\n\n${ATTENDANCE_FILE_MARKER}\n`)).toBe(true);
    const outside = text
      .slice(0, -`${ATTENDANCE_FILE_MARKER}\n`.length)
      .replace(/`[^`\n]*`/g, "")
      .replace(/\[\d{4}-\d{2}-\d{2}\]\([^)]*\)/g, "");
    expect(outside).not.toMatch(/@|<!--|\]\(|https?:/);
  });

  it("passes markdownlint's default rules (but line length)", () => {
    const errors = lint({ strings: { file: attendanceFile(input) }, config: { default: true, MD013: false } }).file ?? [];
    expect(errors.map((e) => `${e.lineNumber} ${e.ruleNames.join("/")}`)).toEqual([]);
  });

  it("writes a hostile series name as code, and says when there are no minutes yet", () => {
    const text = attendanceFile({ ...input, seriesName: "[x](https://evil.example) @org/team", meetings: [] });
    expect(text).toContain("No minutes of `[x](https://evil.example) @org/team` that list who attended were found yet.");
    expect(text).not.toContain("## Meetings");
  });

  it("names the team, and sorts everyone seen by attendance", () => {
    expect(attendanceFile({ ...input, membersFrom: "team", team: "nodejs/security-wg" })).toContain("Members: the team `nodejs/security-wg`.");
    const seen = attendanceFile({ ...input, members: membersWithAliases(["a-one", "RafaelGSS"], meetings), membersFrom: "seen" });
    expect(seen.indexOf("`RafaelGSS`")).toBeLessThan(seen.indexOf("`a-one`"));
  });

  it("with nameOnlyAttendees names only members who attended one of the meetings, and counts the absent", () => {
    const members = membersWithAliases(["RafaelGSS", "mhdawson", "quiet-one", "quiet-two"], meetings);
    const text = attendanceFile({ ...input, members, membersFrom: "team", team: "nodejs/security-wg", nameOnlyAttendees: true });
    expect(text).toContain("| `RafaelGSS` | 2 of 3 (67%) | 2024-11-21 |");
    expect(text).toContain("2 other members of the team attended none of these meetings (not named: this repository is public).");
    expect(text).toContain("| [2024-11-21](meetings/2024-11-21.md) | 2 of 4 | 2 |");
    expect(text).toContain("| [2024-10-24](meetings/2024-10-24.md) | 1 of 4 | 3 |");
    expect(text).not.toContain("quiet-");
    const errors = lint({ strings: { file: text }, config: { default: true, MD013: false } }).file ?? [];
    expect(errors.map((e) => `${e.lineNumber} ${e.ruleNames.join("/")}`)).toEqual([]);
  });

  it("recognises its marker only as the file's last line", () => {
    expect(hasAttendanceFileMarker(attendanceFile(input))).toBe(true);
    expect(hasAttendanceFileMarker(`${attendanceFile(input)}\n\n`)).toBe(true);
    expect(hasAttendanceFileMarker("# Readme\n")).toBe(false);
    expect(hasAttendanceFileMarker(`# Readme\n\n    ${ATTENDANCE_FILE_MARKER}\n\nMore.\n`)).toBe(false);
  });
});

describe("relativeLink", () => {
  it.each([
    ["ATTENDANCE.md", "meetings/2024-11-21.md", "meetings/2024-11-21.md"],
    ["meetings/ATTENDANCE.md", "meetings/2024-11-21.md", "2024-11-21.md"],
    ["docs/ATTENDANCE.md", "meetings/2024/2024-11-21.md", "../meetings/2024/2024-11-21.md"],
    ["ATTENDANCE.md", "my notes/2024-11-21 (draft).md", "my%20notes/2024-11-21%20%28draft%29.md"],
  ])("%s → %s is %s", (from, to, link) => {
    expect(relativeLink(from, to)).toBe(link);
  });
});
