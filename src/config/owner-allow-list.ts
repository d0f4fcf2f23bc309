/**
 * The syntax shared by the operator's allow-lists (WG_MEETINGS_GOOGLE_ALLOW,
 * WG_MEETINGS_HACKMD_ALLOW): entries separated by commas or white space, each an item
 * optionally after `OWNER=` (that GitHub owner's repositories only), or the single entry `*`.
 * What an item is (`folder:ID`, `team:PATH`, …) is each list's own.
 */

/**
 * `unset`: the variable is not set, everything is allowed (and the App warns);
 * `everything`: set to `*`, everything is allowed on purpose; `listed`: only the entries.
 */
export type AllowListMode = "unset" | "everything" | "listed";

/** An entry's owner: a GitHub account (user or organization), lower-cased; null: any owner. */
export interface OwnerScoped {
  owner: string | null;
}

/** GitHub logins: letters, digits and inner hyphens, at most 39. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;

/**
 * Parses an allow-list variable's value. `item` reads what follows `OWNER=` (or the whole
 * entry), calling `fail` with what is wrong (the message then names the variable and the entry).
 *
 * @throws Error starting with `variable`, naming the entry at fault (operator configuration, not a secret).
 */
export function parseOwnerAllowList<T>(
  value: string | undefined,
  variable: string,
  item: (rest: string, fail: (detail: string) => never) => T,
): { mode: AllowListMode; entries: Array<T & OwnerScoped> } {
  const fail = (detail: string): never => {
    throw new Error(`${variable}: ${detail}`);
  };
  const text = value?.trim() ?? "";
  if (text === "") return { mode: "unset", entries: [] };
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.includes("*")) {
    if (parts.length > 1) fail(`"*" allows everything and cannot be combined with entries`);
    return { mode: "everything", entries: [] };
  }
  const entries = parts.map((part, index) => {
    const shown = part.length > 80 ? `${part.slice(0, 80)}…` : part;
    const where = `entry ${index + 1} ("${shown}")`;
    let owner: string | null = null;
    let rest = part;
    const equals = part.indexOf("=");
    if (equals >= 0) {
      const name = part.slice(0, equals);
      if (!OWNER.test(name)) fail(`${where}: "${name.slice(0, 40)}" before "=" is not a GitHub owner name`);
      owner = name.toLowerCase();
      rest = part.slice(equals + 1);
    }
    return { ...item(rest, (detail) => fail(`${where}: ${detail}`)), owner };
  });
  return { mode: "listed", entries };
}
