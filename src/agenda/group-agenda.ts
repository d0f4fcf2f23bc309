import type { Agenda, AgendaGroup, AgendaItem } from "./types.js";

/**
 * Groups agenda items by repository, in an order that depends only on the items (never on the
 * order GitHub's search happened to return them), so re-rendering an issue is a no-op diff:
 *
 * - one group per repository, compared case-insensitively (GitHub names are, and a hand-written
 *   agenda file may say `NodeJS/node` for `nodejs/node`); the group keeps the first spelling;
 * - groups alphabetically by lower-cased `owner/name`, by UTF-16 code unit rather than
 *   `localeCompare`, so the order cannot change with the machine's locale;
 * - items newest first (number descending), as the Node.js meeting issues list them;
 * - the same repository + number listed once (the first occurrence wins): overlapping
 *   `orgs`/`repos` or split queries can find an item twice.
 *
 * `truncated` is passed through for the renderer's "agenda may be incomplete" warning.
 */
export function groupAgenda(items: AgendaItem[], truncated = false): Agenda {
  const groups = new Map<string, AgendaGroup>();
  const seen = new Set<string>();
  for (const item of items) {
    const repoKey = item.repository.toLowerCase();
    const itemKey = `${repoKey}#${item.number}`;
    if (seen.has(itemKey)) continue;
    seen.add(itemKey);
    let group = groups.get(repoKey);
    if (!group) {
      group = { repository: item.repository, items: [] };
      groups.set(repoKey, group);
    }
    group.items.push(item);
  }
  const sorted = [...groups.values()].sort((a, b) => compareRepository(a.repository, b.repository));
  for (const group of sorted) group.items.sort((a, b) => b.number - a.number);
  return { groups: sorted, count: seen.size, truncated };
}

/** Group keys are unique case-insensitively, so comparing lower-cased names is a total order. */
function compareRepository(a: string, b: string): number {
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  return lowerA < lowerB ? -1 : lowerA > lowerB ? 1 : 0;
}
