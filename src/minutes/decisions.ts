import { createHash } from "node:crypto";
import { type AgendaItemRange, findAgendaItems, placeAt } from "./agenda-item-ranges.js";
import { type ScannedMinutes, blockText, childRange, identityText, indexRange, isPromptText, isStruckThrough, scanMinutes, splitLabel, truncateText, unwrapBold } from "./minutes-lines.js";

/**
 * The decisions recorded in a meeting's minutes. A decision is a line (a list item, a plain
 * line or a quote, at any depth, anywhere outside code) that starts with a marker:
 *
 * - `Decision:`, `Decided:`, `Resolved:`, `Resolution:`, `Agreed:`, `Consensus:`, in any case
 *   (`DECISION:`, `RESOLVED:`), bold or italic (`**Decision**:`, `**Decision:**`, `_Agreed_:`),
 *   the colon full-width or not;
 * - a marker with nothing after it (`* Decisions:`, `**Resolutions:**`, plurals accepted): each
 *   list item indented under it, or the list right after a plain label line, is a decision.
 *
 * A `## Decisions` heading is no marker: it is where the App gathers the decisions at the top
 * of the minutes, so reading it would count each one twice. Only the start of a line counts:
 * "we decided: …" in mid-sentence is a note. Sub-bullets of a decision are its `details`. A
 * decision struck through (`~~Decision: …~~`, or its text) was withdrawn and is not read.
 * The same text twice under the same anchor is one decision.
 */

/** The most decisions returned for one meeting; later ones are counted in `omitted`. */
export const MAX_DECISIONS = 100;
/** The longest decision text kept, in characters, before `…`. */
export const MAX_DECISION_TEXT_CHARS = 2_000;

/** Markers, as {@link splitLabel} keys them; plurals only introduce a list. */
const MARKERS = new Set(["decision", "decided", "resolved", "resolution", "agreed", "consensus"]);
const LIST_MARKERS = new Set([...MARKERS, "decisions", "resolutions"]);

/** One decision. */
export interface Decision {
  /** What was decided: the line without its marker (inline Markdown kept, escapes undone). */
  text: string;
  /** The agenda item (its line or heading) it was under, else its heading, else null. */
  section: string | null;
  /** The minutes file's anchor for where it was written (no `#`). */
  anchor: string | null;
  /** The agenda item's issue or pull request when it was under one. */
  itemUrl: string | null;
  /** 1-based line in the minutes. */
  line: number;
  /** Its sub-bullets as Markdown, dedented, or `""`. */
  details: string;
}

/** The decisions of a meeting. */
export interface DecisionsResult {
  decisions: Decision[];
  /** Decisions past {@link MAX_DECISIONS}, not returned. */
  omitted: number;
  /** Whether the minutes were too long to read to the end. */
  truncated: boolean;
}

/**
 * A stable identity for a decision of a meeting, for writing it to a decisions log exactly once:
 * the meeting and the decision's text, compared as action items' texts are (case, spacing,
 * emphasis, escapes, typographic quotes and a final full stop do not count), hashed to 16 hex digits.
 */
export function decisionKey(meeting: string, text: string): string {
  return createHash("sha256").update(JSON.stringify(["decision", meeting, identityText(text)])).digest("hex").slice(0, 16);
}

/** The decisions in `markdown`, the minutes of one meeting (see the module comment). */
export function parseDecisions(markdown: string): DecisionsResult {
  const scan = scanMinutes(markdown);
  return { ...decisionsOf(scan, findAgendaItems(scan).items), truncated: scan.truncated };
}

/** {@link parseDecisions} over minutes already scanned, with their agenda items. */
export function decisionsOf(scan: ScannedMinutes, agenda: readonly AgendaItemRange[]): Omit<DecisionsResult, "truncated"> {
  const { lines } = scan;
  const decisions: Decision[] = [];
  const seen = new Set<string>();
  let omitted = 0;
  const add = (index: number, text: string, details: string) => {
    const clean = truncateText(text.trim(), MAX_DECISION_TEXT_CHARS);
    if (clean === "" || isPromptText(clean) || isStruckThrough(clean)) return;
    const place = placeAt(scan, agenda, index);
    const key = `${place.anchor ?? ""}\n${clean.toLowerCase().replace(/\s+/g, " ")}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (decisions.length >= MAX_DECISIONS) {
      omitted++;
      return;
    }
    decisions.push({ text: clean, ...place, line: lines[index]!.number, details });
  };

  // An agenda item's own line is its title, which whoever opened the issue chose: never a decision.
  const itemLines = new Set(agenda.map((item) => item.line - 1));
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const struck = isStruckThrough(line.text);
    const label = line.code || line.blank || line.heading || itemLines.has(i) || struck ? null : splitLabel(unwrapBold(line.text));
    if (!label || !LIST_MARKERS.has(label.key)) {
      i++;
      continue;
    }
    const children = childRange(lines, i);
    if (label.rest !== "" && MARKERS.has(label.key)) {
      add(i, label.rest, line.list ? blockText(lines, children.start, children.end) : "");
      i = line.list ? children.end : i + 1;
      continue;
    }
    if (label.rest !== "") {
      i++;
      continue;
    }
    // A marker alone: the list under it holds the decisions, one per top-level item.
    const indents = indexRange(children.start, children.end).filter((k) => lines[k]!.list).map((k) => lines[k]!.indent);
    const level = indents.length > 0 ? Math.min(...indents) : null;
    for (let k = children.start; k < children.end; k++) {
      const child = lines[k]!;
      if (!child.list || child.indent !== level) continue;
      const own = childRange(lines, k);
      add(k, unwrapBold(child.text), blockText(lines, own.start, Math.min(own.end, children.end)));
    }
    i = Math.max(children.end, i + 1);
  }
  return { decisions, omitted };
}
