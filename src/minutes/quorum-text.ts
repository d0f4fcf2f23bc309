import type { QuorumResult } from "./attendance.js";
import { inertSpan } from "./inert-span.js";

/**
 * The quorum statement of the minutes pull request: whether the meeting was quorate, how many
 * members were needed, who was present and counted, who was absent, and who was left out of
 * the count for not attending recently. Logins are written in code spans, so the pull request
 * notifies nobody. With `nameOnlyPresent` (a team's members, in a public repository) only those
 * present are named, as the minutes name them anyway; the absent and inactive are counted.
 */

/** What the statement is about. */
export interface QuorumTextInput {
  /** The meeting's date, `YYYY-MM-DD`. */
  date: string;
  /** {@link quorum}'s answer, or null when the minutes list no one under Present. */
  result: QuorumResult | null;
  ratio: number;
  window: number;
  /** Earlier meetings whose minutes were read (for the `basis: all` explanation). */
  earlierMeetings: number;
  /** Where the members came from, e.g. `` the team `nodejs/security-wg` `` (already Markdown), or null for the config's list. */
  membersFrom?: string | null;
  /** Things the reader should know, as Markdown lines the caller built inert (a truncated team, skipped files). */
  notes?: readonly string[];
  /** Count, do not name, the members absent or not counted: the roster is not public (see the module comment). */
  nameOnlyPresent?: boolean;
}

/** The most logins listed per line; the rest are counted. */
const MAX_LISTED = 100;

/** The statement as Markdown: a `### Quorum` heading, a verdict line and a list. */
export function quorumText(input: QuorumTextInput): string {
  const lines = ["### Quorum", ""];
  const { result } = input;
  if (result === null) {
    lines.push(`**Quorum: not known.** The minutes of ${input.date} list no one under *Present*, so who attended cannot be told. List who attended under *Present* and run \`/minutes\` again.`);
  } else {
    const verdict = result.quorate ? "**Quorum: yes.**" : "**Quorum: no.**";
    lines.push(
      `${verdict} ${result.present.length} of ${result.counted.length} counted ${plural(result.counted.length, "member")} present; ${result.needed} needed (${formatRatio(input.ratio)} of the counted members, at least one).`,
    );
    lines.push("");
    const absent = result.counted.filter((login) => !result.present.includes(login));
    lines.push(`* Present: ${logins(result.present)}`);
    const list = input.nameOnlyPresent ? (members: readonly string[]) => counted(members) : logins;
    lines.push(`* Absent: ${list(absent)}`);
    if (result.basis === "recent") {
      lines.push(`* Not counted, absent from all of the last ${input.window} ${plural(input.window, "meeting")}: ${list(result.inactive)}`);
    } else if (input.window === 0) {
      lines.push("* Every member counts (`quorum.window: 0`).");
    } else {
      lines.push(
        `* Every member counts: minutes of only ${input.earlierMeetings} earlier ${plural(input.earlierMeetings, "meeting")} were found, fewer than the ${input.window} that tell who is inactive.`,
      );
    }
  }
  // A list after the not-known paragraph is set off by a blank line, as after the verdict.
  if (result === null && (input.membersFrom || (input.notes ?? []).length > 0)) lines.push("");
  if (input.membersFrom) lines.push(`* Members: ${input.membersFrom}.`);
  for (const note of input.notes ?? []) lines.push(`* ${note}`);
  return `${lines.join("\n")}\n`;
}

function logins(list: readonly string[]): string {
  if (list.length === 0) return "none";
  const shown = list.slice(0, MAX_LISTED).map((login) => inertSpan(login));
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/** A count in place of the names (`3 members (not named: …)`), or `none`. */
function counted(list: readonly string[]): string {
  return list.length === 0 ? "none" : `${list.length} ${plural(list.length, "member")} (not named: this repository is public and the members come from a team)`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** `0.5` → `50%`, `2/3` → `66.7%`. */
function formatRatio(ratio: number): string {
  const percent = Math.round(ratio * 1000) / 10;
  return `${percent}%`;
}
