import { type ActionItem, type ActionItemOptions, actionItemsOf } from "./action-items.js";
import { type AgendaItemRange, findAgendaItems } from "./agenda-item-ranges.js";
import { type Decision, decisionsOf } from "./decisions.js";
import { blockText, scanMinutes } from "./minutes-lines.js";

/**
 * The minutes split by agenda item, for the comment each discussed item gets: what was said
 * about it, where in the minutes file, what was decided and who does what. Agenda items are
 * found in both template layouts (see agenda-item-ranges.ts): the `nodejs` preset's list under
 * `### owner/repo`, notes indented under each item, and the `default` preset's one heading per
 * item, notes below it.
 *
 * An item that appears twice in the minutes (discussed under two groups, or repeated in Q&A)
 * is one entry: the first place gives its title, line and anchor; the notes of every place are
 * joined with a blank line, the decisions and action items of every place are listed. Items
 * are compared by repository (any case) and number, so `/issues/5` and `/pull/5` are one.
 */

/** One agenda item of the minutes. */
export interface ItemNotes {
  /** `https://github.com/owner/repo/issues/N` or `/pull/N`, as first linked. */
  url: string;
  /** `owner/repo`. */
  repository: string;
  number: number;
  /** The item's line or heading as in the minutes (inline Markdown, escapes undone). */
  title: string;
  /** 1-based line of its first appearance. */
  line: number;
  /** GitHub's anchor for the heading it is or sits under (`nodejssecurity-wg`), to link `file.md#anchor`. */
  anchor: string | null;
  /** Its notes as Markdown, dedented, without the templates' prompts; `""` when nobody wrote any. */
  notes: string;
  /** Decisions written among its notes. */
  decisions: Decision[];
  /** Action items written among its notes (those of the Action items section belong to no item). */
  actionItems: ActionItem[];
}

/** The agenda items of a meeting. */
export interface ItemNotesResult {
  items: ItemNotes[];
  /** Agenda items past the bound (agenda-item-ranges.ts's MAX_AGENDA_ITEMS), not returned. */
  omitted: number;
  /** Whether the minutes were too long to read to the end. */
  truncated: boolean;
  /** Every action item of the meeting, the Action items section's too (so the minutes are read once). */
  actionItems: ActionItem[];
  /** Every decision of the meeting. */
  decisions: Decision[];
}

/** The minutes `markdown` split by agenda item (see the module comment). */
export function parseItemNotes(markdown: string, options: ActionItemOptions): ItemNotesResult {
  const scan = scanMinutes(markdown);
  const { items: ranges, omitted } = findAgendaItems(scan);
  const { items: actionItems } = actionItemsOf(scan, ranges, options);
  const { decisions } = decisionsOf(scan, ranges);

  const byItem = new Map<string, { first: AgendaItemRange; notes: string[]; urls: Set<string> }>();
  for (const range of ranges) {
    const id = itemId(range.url);
    const entry = byItem.get(id) ?? { first: range, notes: [], urls: new Set<string>() };
    byItem.set(id, entry);
    entry.urls.add(range.url);
    const notes = blockText(scan.lines, range.start, range.end);
    if (notes !== "") entry.notes.push(notes);
  }

  const items = [...byItem.entries()].map(([id, { first, notes }]): ItemNotes => ({
    url: first.url,
    repository: first.repository,
    number: first.number,
    title: first.title,
    line: first.line,
    anchor: first.anchor,
    notes: notes.join("\n\n"),
    decisions: decisions.filter((decision) => decision.itemUrl !== null && itemId(decision.itemUrl) === id),
    actionItems: actionItems.filter((item) => item.itemUrl !== null && itemId(item.itemUrl) === id),
  }));
  return { items, omitted, truncated: scan.truncated, actionItems, decisions };
}

/** `owner/repo#N` in lower case: what makes two links the same item. */
function itemId(url: string): string {
  const m = /github\.com\/([^/]+)\/([^/]+)\/[a-z]+\/(\d+)/i.exec(url);
  return m ? `${m[1]}/${m[2]}#${m[3]}`.toLowerCase() : url.toLowerCase();
}
