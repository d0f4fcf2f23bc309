import { isGitHubLogin, mentionsIn } from "./github-mention.js";
import { childRange, isPromptText, isStruckThrough, scanMinutes, sectionName, splitLabel } from "./minutes-lines.js";

/**
 * Who attended a meeting, read from its minutes file, the App's or one typed by hand years
 * before it, and what that adds up to over a series: attendance per member and quorum.
 *
 * **Where**: a heading named Present, Attendees, Attendance, In attendance or Participants
 * (any level, bold or not, trailing colon or `(…)` or not; sub-headings such as `### Observers/Guests`
 * inside it count), or a label line with those names: `Present:` alone with the list after it,
 * or `Present: Alice (@alice), @bob, Carol` inline. Every such place in the file is read.
 *
 * **Each line** (bullet or not, `*`/`-`/`+`/`1.`) is one attendee:
 * `Name: @handle`, `Name (@handle)`, `Name - @handle`, `@handle (Name)`, `@handle`, a bare
 * `handle`, `[Name](https://github.com/handle)`, `Name: name@example.com`, `Name <name@example.com>`,
 * or just a name. A line naming only a team (`Security wg team: @nodejs/security-wg`) is a
 * team, not an attendee. A line is split at commas and semicolons (outside brackets) when at
 * least two of its parts name a handle or an e-mail, or when none does (`Alice, Bob, Carol`).
 * Skipped: the template's `Name: @handle` prompt, labels such as `Guests:`, `None`, and lines
 * struck through (`~~Name~~`: not there after all). A bare single word is read as a login (the
 * Node.js files have `* handle` lines), so a lone first name becomes a login nobody has;
 * attendance matches members by login, e-mail or name, so that costs nothing.
 */

/** The most attendees read from one minutes file; later ones are counted in `omitted`. */
export const MAX_ATTENDEES = 500;
/** Names of the section (heading or label) that lists who attended, as {@link sectionName} gives them. */
export const PRESENT_KEYS: ReadonlySet<string> = new Set(["present", "attendees", "attendance", "in attendance", "participants"]);

/** One person at the meeting. */
export interface Attendee {
  name: string | null;
  /** A valid GitHub login, without `@`. */
  login: string | null;
  email: string | null;
  /** The entry as written (escapes and non-breaking spaces undone). */
  raw: string;
  /** 1-based line in the minutes. */
  line: number;
}

/** The attendance of one meeting. */
export interface AttendanceResult {
  /** In order, each person once (by login, else e-mail, else name, without case), with the name or e-mail a repeat adds. */
  attendees: Attendee[];
  /** Teams named (`nodejs/security-wg`), each once. */
  teams: string[];
  /** Whether the minutes have a Present section (or label) at all. */
  found: boolean;
  /** Attendees past {@link MAX_ATTENDEES}, not returned. */
  omitted: number;
  /** Whether the minutes were too long to read to the end. */
  truncated: boolean;
}

/** The attendance recorded in `markdown`, one meeting's minutes (see the module comment). */
export function parseAttendance(markdown: string): AttendanceResult {
  const scan = scanMinutes(markdown);
  const { lines } = scan;
  const attendees: Attendee[] = [];
  const teams: string[] = [];
  const seen = new Map<string, Attendee>();
  let omitted = 0;
  let found = false;

  const addEntry = (text: string, line: number) => {
    const entry = parseEntry(text, line);
    if (!entry) return;
    for (const team of entry.teams) if (!teams.some((t) => t.toLowerCase() === team.toLowerCase())) teams.push(team);
    const person = entry.attendee;
    if (!person) return;
    const id = person.login ? `@${person.login.toLowerCase()}` : person.email ? person.email.toLowerCase() : `name:${(person.name ?? "").toLowerCase()}`;
    const earlier = seen.get(id);
    if (earlier) {
      // The same person twice (`mhdawson`, then `[Michael Dawson](https://github.com/mhdawson)`): keep what each line adds.
      earlier.name ??= person.name;
      earlier.email ??= person.email;
      return;
    }
    seen.set(id, person);
    if (attendees.length >= MAX_ATTENDEES) omitted++;
    else attendees.push(person);
  };
  const addLine = (text: string, line: number) => {
    for (const part of splitEntries(text)) addEntry(part, line);
  };

  const read = new Set<number>();
  lines.forEach((line, i) => {
    if (line.code || line.blank || read.has(i)) return;
    let range: { start: number; end: number } | null = null;
    if (line.heading) {
      if (!PRESENT_KEYS.has(sectionName(line.heading.text))) return;
      let end = i + 1;
      while (end < lines.length && !(lines[end]!.heading && lines[end]!.heading!.level <= line.heading.level)) end++;
      range = { start: i + 1, end };
    } else {
      const label = splitLabel(line.text);
      if (!label || !PRESENT_KEYS.has(label.key)) return;
      found = true;
      read.add(i);
      if (label.rest !== "") {
        addLine(label.rest, line.number);
        return;
      }
      range = childRange(lines, i);
    }
    found = true;
    for (let k = range.start; k < range.end; k++) {
      const entry = lines[k]!;
      read.add(k);
      if (entry.code || entry.blank || entry.heading) continue;
      addLine(entry.text, entry.number);
    }
  });
  return { attendees, teams, found, omitted, truncated: scan.truncated };
}

// ---------------------------------------------------------------------------------------------
// One entry

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const NOBODY = /^(?:none|nobody|n\/a|-|—|tbd)\.?$/i;

/** Splits a line holding several people (see the module comment); otherwise the line itself. */
function splitEntries(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if ("([<".includes(ch)) depth++;
    if (")]>".includes(ch)) depth = Math.max(0, depth - 1);
    if ((ch === "," || ch === ";") && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  const cleaned = parts.map((part) => part.trim()).filter((part) => part !== "");
  if (cleaned.length < 2) return [text];
  const identified = cleaned.filter((part) => mentionsIn(part).length > 0 || EMAIL.test(part) || /github\.com\//i.test(part)).length;
  return identified >= 2 || (identified === 0 && cleaned.every((part) => !part.includes(":"))) ? cleaned : [text];
}

/** One attendee or team line, or null for a prompt, a label, `None` or a struck-through name. */
function parseEntry(written: string, line: number): { attendee: Attendee | null; teams: string[] } | null {
  const raw = written.trim();
  if (raw === "" || isPromptText(raw) || NOBODY.test(raw) || isStruckThrough(raw)) return null;
  const label = splitLabel(raw);
  if (label && label.rest === "") return null;

  let text = raw
    .replace(/\[([^\]]*)\]\(<?mailto:([^)>\s]+)>?\)/gi, "$1 <$2>")
    .replace(/\[@?([^\]]*)\]\(<?https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9-]+)\/?>?\)/gi, (_all, label: string, login: string) =>
      label.toLowerCase() === login.toLowerCase() ? `@${login}` : `${label} @${login}`,
    )
    .replace(/<?https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9-]+)\/?>?(?=$|[\s,;)])/gi, "@$1")
    .replace(/\*\*|__/g, "");

  const mentions = mentionsIn(text);
  const teams = mentions.filter((m) => m.kind === "team").map((m) => m.name);
  const user = mentions.find((m) => m.kind === "user");
  const email = EMAIL.exec(text)?.[0] ?? null;
  if (!user && !email && teams.length > 0) return { attendee: null, teams };

  // What is left once the handle, team and e-mail are gone is the name.
  // A separator right before a handle (`Name: @handle`, `Name - @handle`) goes with it.
  const cut = (start: number, end: number) => `${text.slice(0, start).replace(/[ \t]*[:：–—-]?[ \t]*$/, "")} ${text.slice(end)}`;
  for (const mention of [...mentions].reverse()) text = cut(text.lastIndexOf("@", mention.end - mention.name.length), mention.end);
  if (email) {
    const at = text.indexOf(email);
    text = cut(at, at + email.length);
  }
  let name = text
    .replace(/<\s*>|\(\s*\)|\[\s*\]/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[\s:：,;–—-]+|[\s:：,;–—-]+$/g, "")
    .trim();
  const wrapped = /^\((.*)\)$/.exec(name);
  if (wrapped) name = wrapped[1]!.trim();

  let login = user?.name ?? null;
  if (!login && !email && isGitHubLogin(name)) {
    // A bare `* handle` line, as the Node.js files have.
    login = name;
    name = "";
  }
  if (!login && !email && name === "") return null;
  return { attendee: { name: name === "" ? null : name, login, email, raw, line }, teams };
}

// ---------------------------------------------------------------------------------------------
// Across meetings

/** One meeting's attendance, as {@link parseAttendance} read it. */
export interface MeetingAttendance {
  /** `YYYY-MM-DD`. */
  date: string;
  attendees: readonly Attendee[];
}

/**
 * A member of the group: a login, or a login with the names and e-mails older, hand-written
 * minutes knew them by.
 */
export type Member = string | { login: string; names?: readonly string[]; emails?: readonly string[] };

/** One member's attendance over the meetings counted. */
export interface MemberAttendance {
  login: string;
  /** Meetings attended among those counted. */
  attended: number;
  /** Meetings counted. */
  of: number;
  /** Dates attended, newest first. */
  dates: string[];
  /** Dates missed, newest first. */
  missed: string[];
  /** The newest date attended among those counted, or null. */
  lastAttended: string | null;
}

/** Attendance over the last N meetings. */
export interface AttendanceSummary {
  /** The dates counted, newest first. */
  meetings: string[];
  /** One row per member, in the order given. */
  members: MemberAttendance[];
  /** People at the counted meetings who are no member (guests), by login, e-mail or name, with their count, most first. */
  others: Array<{ who: string; attended: number }>;
}

/**
 * Each member's attendance over the `lastN` most recent of `meetings` (by date; two meetings on
 * one date are two meetings). An attendee is a member when their login, e-mail or name
 * matches one the member is known by (without case).
 *
 * @throws RangeError when `lastN` is not a positive integer.
 */
export function attendanceSummary(meetings: readonly MeetingAttendance[], members: readonly Member[], lastN: number): AttendanceSummary {
  if (!Number.isInteger(lastN) || lastN < 1) throw new RangeError(`lastN must be a positive integer, got ${lastN}`);
  const counted = latest(meetings, lastN);
  const identities = members.map(identity);
  const others = new Map<string, { who: string; attended: number }>();
  for (const meeting of counted) {
    const here = new Set<string>();
    for (const attendee of meeting.attendees) {
      if (identities.some((member) => matches(member, attendee))) continue;
      const who = attendee.login ? `@${attendee.login}` : (attendee.email ?? attendee.name ?? attendee.raw);
      const key = who.toLowerCase();
      if (here.has(key)) continue;
      here.add(key);
      const entry = others.get(key) ?? { who, attended: 0 };
      entry.attended++;
      others.set(key, entry);
    }
  }
  return {
    meetings: counted.map((meeting) => meeting.date),
    members: identities.map((member) => {
      const dates = counted.filter((meeting) => meeting.attendees.some((a) => matches(member, a))).map((meeting) => meeting.date);
      const missed = counted.filter((meeting) => !meeting.attendees.some((a) => matches(member, a))).map((meeting) => meeting.date);
      return { login: member.login, attended: dates.length, of: counted.length, dates, missed, lastAttended: dates[0] ?? null };
    }),
    others: [...others.values()].sort((a, b) => b.attended - a.attended || a.who.localeCompare(b.who)),
  };
}

/** Who makes up the group and how many must be there: {@link quorum}'s rule. */
export interface QuorumRule {
  members: readonly Member[];
  /** The share of counted members that must attend, in (0, 1]: 0.5 is half. */
  ratio: number;
  /** How many earlier meetings decide who is active; 0 counts every member. */
  window: number;
}

/** Whether a meeting was quorate, and who counted. */
export interface QuorumResult {
  quorate: boolean;
  /** Members present (they count toward the quorum). */
  present: string[];
  /** Members in the denominator: the active ones, or every member. */
  counted: string[];
  /** Members left out of the denominator for not attending any of the window's meetings. */
  inactive: string[];
  /** Members needed present: `ceil(ratio × counted)`, at least 1. */
  needed: number;
  /** `recent`: active members only; `all`: every member (window 0, or too few earlier meetings to judge). */
  basis: "recent" | "all";
}

/**
 * Whether `meeting` was quorate. The rule follows the idea discussed in graphql/graphql-wg#820:
 * a member who has stopped coming should not make quorum impossible, so the denominator is
 * the members who are *active* — who attended at least one of the `window` meetings before this
 * one, or who are at this one — and the meeting is quorate when at least `ratio` of them (and at
 * least one person) attended. While fewer than `window` earlier meetings are known, nobody can
 * be called inactive and every member counts; `window: 0` always counts every member.
 * `earlier` may hold any meetings: only those dated before `meeting` are used, newest first.
 *
 * @throws RangeError when `ratio` is not in (0, 1] or `window` is not a non-negative integer.
 */
export function quorum(rule: QuorumRule, meeting: MeetingAttendance, earlier: readonly MeetingAttendance[]): QuorumResult {
  if (!(rule.ratio > 0 && rule.ratio <= 1)) throw new RangeError(`ratio must be more than 0 and at most 1, got ${rule.ratio}`);
  if (!Number.isInteger(rule.window) || rule.window < 0) throw new RangeError(`window must be a non-negative integer, got ${rule.window}`);
  const members = rule.members.map(identity);
  const attended = (member: Identity, m: MeetingAttendance) => m.attendees.some((a) => matches(member, a));
  const present = members.filter((member) => attended(member, meeting));
  const history = latest(
    earlier.filter((m) => m.date < meeting.date),
    rule.window,
  );
  const basis = rule.window > 0 && history.length >= rule.window ? "recent" : "all";
  const counted = basis === "all" ? members : members.filter((member) => attended(member, meeting) || history.some((m) => attended(member, m)));
  // A small epsilon so that 0.5 × 6 needs 3, not 4 after floating-point rounding.
  const needed = Math.max(1, Math.ceil(rule.ratio * counted.length - 1e-9));
  return {
    quorate: counted.length > 0 && present.length >= needed,
    present: present.map((m) => m.login),
    counted: counted.map((m) => m.login),
    inactive: members.filter((m) => !counted.includes(m)).map((m) => m.login),
    needed,
    basis,
  };
}

interface Identity {
  login: string;
  names: Set<string>;
  emails: Set<string>;
}

function identity(member: Member): Identity {
  const spec = typeof member === "string" ? { login: member } : member;
  return {
    login: spec.login.replace(/^@/, ""),
    names: new Set((spec.names ?? []).map(normaliseName)),
    emails: new Set((spec.emails ?? []).map((e) => e.toLowerCase())),
  };
}

function matches(member: Identity, attendee: Attendee): boolean {
  if (attendee.login !== null && attendee.login.toLowerCase() === member.login.toLowerCase()) return true;
  if (attendee.email !== null && member.emails.has(attendee.email.toLowerCase())) return true;
  return attendee.name !== null && member.names.has(normaliseName(attendee.name));
}

function normaliseName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
}

/** The `n` newest meetings, newest first (the sort is stable: same-date meetings keep their order). */
function latest(meetings: readonly MeetingAttendance[], n: number): MeetingAttendance[] {
  return [...meetings].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)).slice(0, n);
}
