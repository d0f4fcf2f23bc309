import { type MinutesLine, cleanInline, labelKey } from "./minutes-lines.js";

/**
 * Action items kept as a table, as groups often do in a doc (and as Google Docs exports it):
 *
 * ```md
 * | Topic | Owner | Due |
 * | :---- | :---- | :---- |
 * | Update the threat model | @RafaelGSS | 2024-11-07 |
 * ```
 *
 * A table is read when its header names an owner column (Owner, Owners, Who, Assignee,
 * Assigned to, Responsible) and either it sits in the Action items section or its header also
 * names a due column (Due, Due date, Deadline, When, By): a table with owners and due dates is
 * a list of action items wherever it is. The text is the first column that is neither.
 * Each body row becomes the line `@owner, @other: text (due …)`, read by the action-item grammar;
 * an owner written without a handle stays in the text (`text (Michael)`).
 */

const OWNER_COLUMNS = new Set(["owner", "owners", "who", "assignee", "assignees", "assigned to", "responsible"]);
const DUE_COLUMNS = new Set(["due", "due date", "deadline", "when", "by", "target date"]);
const DELIMITER_CELL = /^:?-{1,}:?$/;

/** One body row of an action-item table, as an item line. */
export interface TableRow {
  /** Index of the row's line in the scanned lines. */
  index: number;
  /** `@owner: text (due …)`, or the text alone when the row names no one. */
  text: string;
}

/**
 * The rows of the action-item tables among `lines[start..end)`. `inSection`: the lines are the
 * Action items section's, where an owner column is enough.
 */
export function actionTableRows(lines: readonly MinutesLine[], start: number, end: number, inSection: boolean): TableRow[] {
  const rows: TableRow[] = [];
  let i = start;
  while (i < end) {
    const header = tableCells(lines[i]!);
    const delimiter = i + 1 < end ? tableCells(lines[i + 1]!) : null;
    if (!header || !delimiter || !delimiter.every((cell) => DELIMITER_CELL.test(cell.replace(/\s+/g, "")))) {
      i++;
      continue;
    }
    const names = header.map((cell) => labelKey(cell));
    const owner = names.findIndex((name) => OWNER_COLUMNS.has(name));
    const due = names.findIndex((name) => DUE_COLUMNS.has(name));
    const text = names.findIndex((_, k) => k !== owner && k !== due);
    let k = i + 2;
    if (owner !== -1 && text !== -1 && (inSection || due !== -1)) {
      for (; k < end; k++) {
        const cells = tableCells(lines[k]!);
        if (!cells) break;
        const what = cleanInline(cells[text] ?? "");
        if (what === "") continue;
        const who = cleanInline(cells[owner] ?? "");
        const when = due === -1 ? "" : cleanInline(cells[due] ?? "");
        const people = who.match(/@[A-Za-z0-9/_.-]+|\[@?[^\]]*\]\([^)]*\)/g) ?? [];
        const lead = people.length > 0 ? `${people.join(", ")}: ` : "";
        // An owner named without a handle stays in the text: nothing the chair wrote is lost.
        const named = people.length === 0 && who !== "" ? ` (${who})` : "";
        rows.push({ index: k, text: `${lead}${what}${named}${when === "" ? "" : ` (due ${when})`}` });
      }
    }
    i = k;
  }
  return rows;
}

/** The cells of a `| a | b |` row (split at unescaped pipes, outside code), or null for any other line. */
function tableCells(line: MinutesLine): string[] | null {
  if (line.code || line.blank || line.heading || line.list) return null;
  const raw = line.raw.trim();
  if (!raw.startsWith("|")) return null;
  const cells: string[] = [];
  let current = "";
  let code = false;
  for (let i = 1; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === "\\" && raw[i + 1] === "|") {
      current += "|";
      i++;
    } else if (ch === "`") {
      code = !code;
      current += ch;
    } else if (ch === "|" && !code) {
      cells.push(current.trim());
      current = "";
    } else {
      current += ch;
    }
  }
  if (current.trim() !== "") cells.push(current.trim());
  return cells;
}
