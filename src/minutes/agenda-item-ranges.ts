import { type MinutesLine, type ScannedMinutes, childRange, cleanInline, sectionName, unwrapBold, withoutComments } from "./minutes-lines.js";

/**
 * Where each agenda item of the minutes is, and which lines are its notes. The two layouts the
 * App's templates produce (and hand-written Node.js minutes use):
 *
 * - **list** (the `nodejs` preset): a `### owner/repo` heading, then one list item per agenda
 *   item holding a link to the issue or pull request
 *   (`* OpenJS Foundation Slack channel [#812](https://github.com/nodejs/security-wg/issues/812)`),
 *   its notes the lines indented under it, and, in such a group, bullets without a link that
 *   follow it at its own level (notes typed without indenting them). The same list directly under a heading named
 *   Agenda, Announcements, Agenda items, Discussion or Topics is read too.
 * - **heading** (the `default` preset): a heading (level 2 or deeper) holding the link
 *   (`### Title ([nodejs/node#123](https://github.com/nodejs/node/issues/123))`), its notes
 *   everything up to the next heading of the same or a higher level.
 *
 * A link is an issue or pull request URL on github.com, or an `owner/repo#123` reference, not
 * inside an HTML comment (GitHub hides it, so reviewers could not see it); in a
 * `### owner/repo` group a bare `#123` means that repository's. With several links the last one
 * (in a group, the last one into the group's repository) is the item: the templates end the
 * item's line with its link.
 */

/** The most agenda items read from one minutes file; later ones are counted in `omitted`. */
export const MAX_AGENDA_ITEMS = 200;

/** One agenda item of the minutes and the lines of its notes. */
export interface AgendaItemRange {
  /** `https://github.com/owner/repo/issues/N` (or `/pull/N`), without query or fragment. */
  url: string;
  /** `owner/repo` as written in the URL. */
  repository: string;
  number: number;
  /** The item's line or heading, cleaned inline Markdown: `OpenJS Foundation Slack channel [#812](…)`. */
  title: string;
  /** 1-based line of the item. */
  line: number;
  /** The anchor of the heading the item is, or sits under (`nodejssecurity-wg`); null above every heading. */
  anchor: string | null;
  form: "list" | "heading";
  /** Index into the scanned lines of its first note line, and one past its last (`start === end` without notes). */
  start: number;
  end: number;
}

/** Headings directly above a list of agenda items even without `### owner/repo` groups. */
const AGENDA_HEADINGS = new Set(["agenda", "announcements", "agenda items", "discussion", "topics"]);
// A repository name of dots only (`acme/..`) is none: it would be a dot segment of the App's API URLs.
const ISSUE_URL = /https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9-]+)\/((?!\.+\/)[A-Za-z0-9._-]+)\/(issues|pull|pulls)\/(\d+)/i;
const REFERENCE = /(?:^|[^\w/.-])([A-Za-z0-9-]+)\/((?!\.+#)[A-Za-z0-9._-]+)#(\d+)\b/;
const BARE_NUMBER = /(?:^|[^\w/&])#(\d+)\b/;
const REPO_HEADING = /^([A-Za-z0-9-]+)\/((?!\.+$)[A-Za-z0-9._-]+)$/;

/** The agenda items of scanned minutes, in document order (the same item may appear twice). */
export function findAgendaItems(scan: ScannedMinutes): { items: AgendaItemRange[]; omitted: number } {
  const { lines } = scan;
  const items: AgendaItemRange[] = [];
  let omitted = 0;
  const add = (item: AgendaItemRange) => {
    if (items.length < MAX_AGENDA_ITEMS) items.push(item);
    else omitted++;
  };

  // The list form: the indentation of the first list item under the current heading is the items' level.
  let group: { repository: string | null; anchor: string; level: number } | null = null;
  let itemIndent: number | null = null;
  /** The list item last found under the current heading, whose notes may go on. */
  let last: AgendaItemRange | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.code || line.blank) continue;
    if (line.heading) {
      itemIndent = null;
      last = null;
      // Not labelKey: it drops `_`, which repository names may hold.
      const repo = REPO_HEADING.exec(unwrapBold(line.text).replace(/^`(.*)`$/, "$1"));
      if (repo) group = { repository: `${repo[1]}/${repo[2]}`, anchor: line.heading.anchor, level: line.heading.level };
      else if (AGENDA_HEADINGS.has(sectionName(line.heading.text))) group = { repository: null, anchor: line.heading.anchor, level: line.heading.level };
      else group = null;

      const link = line.heading.level >= 2 ? issueLink(line.text, null) : null;
      if (link) {
        group = null;
        let end = i + 1;
        while (end < lines.length && !(lines[end]!.heading && lines[end]!.heading!.level <= line.heading.level)) end++;
        add({ ...link, title: line.text, line: line.number, anchor: line.heading.anchor, form: "heading", start: i + 1, end: trimEnd(lines, i + 1, end) });
      }
      continue;
    }
    // A paragraph at the items' level ends the last item: bullets after it are not its notes.
    if (!line.list && line.indent <= (itemIndent ?? 0)) last = null;
    if (!group || !line.list || line.quote) continue;
    if (itemIndent === null) itemIndent = line.indent;
    if (line.indent > itemIndent + 1) continue;
    const link = issueLink(line.text, group.repository);
    const { start, end } = childRange(lines, i);
    if (!link) {
      // In a repository's group every item has a link, so a bullet without one is a note typed
      // without indenting it (Enter in Google Docs keeps the level): it belongs to the item above.
      if (group.repository !== null && last) last.end = end;
      continue;
    }
    last = { ...link, title: line.text, line: line.number, anchor: group.anchor, form: "list", start, end };
    add(last);
  }
  return { items, omitted };
}

/** The agenda item whose notes hold line index `index` (the innermost, for a list inside a heading item), or null. */
export function itemAt(items: readonly AgendaItemRange[], index: number): AgendaItemRange | null {
  let found: AgendaItemRange | null = null;
  for (const item of items) {
    if (index >= item.start && index < item.end && (!found || item.start >= found.start)) found = item;
  }
  return found;
}

/** The issue or pull request a line links to: a github.com URL, `owner/repo#N`, or `#N` in a repository's group. */
function issueLink(line: string, groupRepository: string | null): Pick<AgendaItemRange, "url" | "repository" | "number"> | null {
  // A link inside an HTML comment is hidden on GitHub: reviewers cannot see which issue it names.
  const text = withoutComments(line);
  // The templates end the line with the item's link: a link earlier in the title is something it mentions.
  const urls = [...text.matchAll(new RegExp(ISSUE_URL.source, "gi"))].reverse();
  const inGroup = groupRepository ? urls.find((m) => `${m[1]}/${m[2]}`.toLowerCase() === groupRepository.toLowerCase()) : undefined;
  const url = inGroup ?? urls[0];
  if (url) {
    const kind = url[3]!.toLowerCase() === "issues" ? "issues" : "pull";
    return { url: `https://github.com/${url[1]}/${url[2]}/${kind}/${Number(url[4])}`, repository: `${url[1]}/${url[2]}`, number: Number(url[4]) };
  }
  const reference = REFERENCE.exec(text);
  if (reference) {
    return { url: `https://github.com/${reference[1]}/${reference[2]}/issues/${Number(reference[3])}`, repository: `${reference[1]}/${reference[2]}`, number: Number(reference[3]) };
  }
  const bare = groupRepository ? BARE_NUMBER.exec(text) : null;
  if (bare && groupRepository) {
    return { url: `https://github.com/${groupRepository}/issues/${Number(bare[1])}`, repository: groupRepository, number: Number(bare[1]) };
  }
  return null;
}

function trimEnd(lines: readonly MinutesLine[], start: number, end: number): number {
  while (end > start && lines[end - 1]!.blank) end--;
  return end;
}

/** Where a line of the minutes sits: its agenda item, or else its heading. */
export interface Place {
  /** The agenda item's line or heading (`Threat Model [#799](…)`), else the nearest heading's text, else null. */
  section: string | null;
  /** The anchor to link that part of the minutes file (no `#`), or null above every heading. */
  anchor: string | null;
  /** The agenda item's issue or pull request, or null when the line is under no agenda item. */
  itemUrl: string | null;
}

/** Where line index `index` of the scanned minutes sits. */
export function placeAt(scan: ScannedMinutes, items: readonly AgendaItemRange[], index: number): Place {
  const item = itemAt(items, index);
  if (item) return { section: item.title, anchor: item.anchor, itemUrl: item.url };
  const under = scan.lines[index]?.under ?? -1;
  const heading = under >= 0 ? scan.headings[under]! : null;
  return { section: heading ? cleanInline(heading.text) : null, anchor: heading?.anchor ?? null, itemUrl: null };
}
