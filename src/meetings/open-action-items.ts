import type { OpenActionItemsView, OpenActionItemView } from "../render/types.js";
import { parseActionItemMarker } from "../state/action-item-marker.js";
import { parseMarker } from "../state/meeting-marker.js";

/**
 * The open action items of a series (issue 13): the action-item issues the App opened when
 * earlier meetings' minutes were merged (src/github/action-item-issues.ts) that are still open.
 * Derived from the App's issue listing the tick already reads; nothing is stored.
 */

/** An issue from the App's listing, as much of it as this needs (AppIssue fits). */
export interface ListedIssue {
  number: number;
  url: string;
  state: "open" | "closed";
  title: string;
  body: string;
  /** Who opened it: only the App's own issues count. */
  author: string | null;
  /** Assignees' logins, when the listing carries them. */
  assignees?: readonly string[] | undefined;
}

/** One listing of the App's issues and the repository it is of (`owner/name`). */
export interface IssueListing {
  repository: string;
  issues: readonly ListedIssue[];
}

const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d-]{0,38})$/;

/**
 * The action items still open for the meeting of `series` in `meeting` (`owner/name`) dated
 * `date`: issues the App opened (author checked, whatever the listing was asked for) whose
 * action-item marker names the same meeting repository and series and an earlier date. Oldest
 * meeting first, then by issue number. A meeting issue is never an action item, whatever text
 * its agenda quotes; an issue listed twice counts once.
 */
export function openActionItems(
  listings: readonly IssueListing[],
  input: { meeting: string; series: string; date: string; botLogin: string },
): OpenActionItemsView {
  const bot = input.botLogin.toLowerCase();
  const seen = new Set<string>();
  const items: OpenActionItemView[] = [];
  for (const listing of listings) {
    for (const issue of listing.issues) {
      if (issue.state !== "open" || issue.author?.toLowerCase() !== bot) continue;
      if (parseMarker(issue.body)) continue;
      const marker = parseActionItemMarker(issue.body);
      if (!marker || marker.series !== input.series || marker.meeting.toLowerCase() !== input.meeting.toLowerCase()) continue;
      if (marker.date >= input.date) continue;
      const id = `${listing.repository.toLowerCase()}#${issue.number}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const named = ownersNamed(issue.body);
      const owners = unique([...(issue.assignees ?? []).filter((login) => LOGIN.test(login)), ...named.owners]);
      // An owner assigned since (by a chair) is an assignee: mentioned, not named twice.
      const assigned = new Set(owners.map((login) => login.toLowerCase()));
      items.push({
        repository: listing.repository,
        number: issue.number,
        url: issue.url,
        title: issue.title,
        owners,
        named: named.named.filter((login) => !assigned.has(login.toLowerCase())),
        teams: named.teams,
        date: marker.date,
      });
    }
  }
  items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.number - b.number));
  return { items, total: items.length };
}

/** `(not assignable in this repository)`, which follows an owner the App could not assign. */
const NOT_ASSIGNABLE = /^ \(not assignable\b/;

/**
 * The owners an action-item issue's body names on its `- **Owners:**` line (written by
 * actionItemIssue: assigned owners, then the others, then teams). Minutes text is quoted above it
 * with `> ` and its mentions broken, so it cannot pose as that line. `named` holds the owners the
 * App could not assign: shown as code (`` `@outsider` ``), or, in issues opened before that, as a
 * mention followed by `(not assignable in this repository)`; they are never mentioned again. A
 * mention broken on purpose (a team of another organisation: `@\u200Borg/team`) is left out.
 */
export function ownersNamed(body: string): { owners: string[]; teams: string[]; named: string[] } {
  const line = /^- \*\*Owners:\*\* (.*)$/m.exec(body)?.[1] ?? "";
  const owners: string[] = [];
  const teams: string[] = [];
  const named: string[] = [];
  for (const match of line.matchAll(/(?<![\w\u200B@/-])(`?)@([A-Za-z\d](?:[A-Za-z\d-]{0,38}))(?:\/([A-Za-z\d._-]{1,100}))?(?![\w-])(`?)/g)) {
    const [, open, login, team, close] = match;
    const rest = line.slice(match.index + match[0].length);
    if (open !== close) continue;
    if (team) {
      if (!open) teams.push(`${login}/${team}`);
    } else if (open || NOT_ASSIGNABLE.test(rest)) named.push(login!);
    else owners.push(login!);
  }
  const mentioned = new Set(owners.map((owner) => owner.toLowerCase()));
  return { owners: unique(owners), teams: unique(teams), named: unique(named).filter((login) => !mentioned.has(login.toLowerCase())) };
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
