import { attendanceSummary, type Attendee, type AttendanceResult, type MeetingAttendance, type Member } from "./attendance.js";

/**
 * Who the members are when attendance is counted over a series, and the other names they go by.
 * Hand-written minutes name the same person as `mhdawson`, `Michael Dawson: @mhdawson` and, a
 * year later, just `Michael Dawson`; a member listed by login is matched to the name-only line
 * when some file of the series pairs that name (or e-mail) with that login, and no file pairs it
 * with another login.
 */

/**
 * Whether minutes record who attended: a Present section listing at least one person. Some real
 * files have the section with only the team line (`* Security wg team: @nodejs/security-wg`):
 * counting such a meeting would mark every member absent.
 */
export function recordsAttendance(result: AttendanceResult): boolean {
  return result.found && result.attendees.length > 0;
}

/**
 * `logins` as members, each with the names and e-mails the meetings pair with their login alone.
 * A name or e-mail paired with two logins anywhere is ambiguous and left out.
 */
export function membersWithAliases(logins: readonly string[], meetings: readonly MeetingAttendance[]): Member[] {
  const names = pairings(meetings, (a) => a.name);
  const emails = pairings(meetings, (a) => a.email);
  return logins.map((login) => {
    const key = login.replace(/^@/, "").toLowerCase();
    const own = (table: Map<string, Set<string>>) => [...table].filter(([, owners]) => owners.size === 1 && owners.has(key)).map(([alias]) => alias);
    return { login: login.replace(/^@/, ""), names: own(names), emails: own(emails) };
  });
}

/** Alias (lower case) → the logins (lower case) it appears with. */
function pairings(meetings: readonly MeetingAttendance[], alias: (a: Attendee) => string | null): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  for (const meeting of meetings) {
    for (const attendee of meeting.attendees) {
      const value = alias(attendee);
      if (attendee.login === null || value === null) continue;
      const key = value.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
      if (key === "") continue;
      const owners = table.get(key) ?? new Set<string>();
      owners.add(attendee.login.toLowerCase());
      table.set(key, owners);
    }
  }
  return table;
}

/** The most people {@link loginsSeen} returns, as many as `quorum.members` may list. */
export const MAX_SEEN = 200;

/**
 * Everyone with a login at `meetings`, most meetings attended first, then by login (without
 * case), at most `max`. The spelling kept is the first seen, newest meeting first.
 */
export function loginsSeen(meetings: readonly MeetingAttendance[], max = MAX_SEEN): string[] {
  const counts = new Map<string, { login: string; meetings: number }>();
  const newestFirst = [...meetings].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  for (const meeting of newestFirst) {
    const here = new Set<string>();
    for (const attendee of meeting.attendees) {
      if (attendee.login === null) continue;
      const key = attendee.login.toLowerCase();
      if (here.has(key)) continue;
      here.add(key);
      const entry = counts.get(key) ?? { login: attendee.login, meetings: 0 };
      entry.meetings++;
      counts.set(key, entry);
    }
  }
  return [...counts.values()]
    .sort((a, b) => b.meetings - a.meetings || compareText(a.login.toLowerCase(), b.login.toLowerCase()))
    .slice(0, max)
    .map((entry) => entry.login);
}

/**
 * The members when none are configured: everyone who attended one of the `window` newest of
 * `meetings` — by login, or by a name or e-mail any of `meetings` pairs with a login (an older
 * file may hold the pairing the window lacks) — most attended first, at most {@link MAX_SEEN}.
 */
export function membersSeen(meetings: readonly MeetingAttendance[], window: number): Member[] {
  const everyone = membersWithAliases(loginsSeen(meetings, Number.POSITIVE_INFINITY), meetings);
  const summary = attendanceSummary(meetings, everyone, window);
  return summary.members
    .map((row, i) => ({ row, member: everyone[i]! }))
    .filter(({ row }) => row.attended > 0)
    .sort((a, b) => b.row.attended - a.row.attended || compareText(a.row.login.toLowerCase(), b.row.login.toLowerCase()))
    .slice(0, MAX_SEEN)
    .map(({ member }) => member);
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
