import { createHash } from "node:crypto";
import { impossibleDate } from "../config/real-dates.js";
import { type TableRow, actionTableRows } from "./action-item-tables.js";
import { type AgendaItemRange, findAgendaItems, placeAt } from "./agenda-item-ranges.js";
import { readMention } from "./github-mention.js";
import { type MinutesLine, type ScannedMinutes, blockText, childRange, identityText, indexRange, isPromptText, isStruckThrough, scanMinutes, sectionName, splitLabel, truncateText, unwrapBold } from "./minutes-lines.js";

/**
 * The action items of a meeting's minutes: what people agreed to do, who, and by when. They
 * are read from two places (docs/templates.md, "Action items, decisions and attendance", has
 * the grammar with examples):
 *
 * 1. **The Action items section**: a heading (any level) or a label line (`**Action items:**`,
 *    `Action items:`, `* Action items:`) named Action items, Action item, Actions, Action points,
 *    AIs, Next steps or TODOs (case, bold, a trailing colon or `(…)` do not matter). Each list
 *    item at the section's top level is one item, also without an owner; a plain line counts
 *    only with an owner or a marker (so an introductory sentence is not an item). Sub-bullets
 *    are the item's `details`, except under a line that is only owners (`* @alice:`), whose
 *    sub-bullets are items of those owners. A line struck through (`~~…~~`) was dropped: it is
 *    no item. A table with an owner column is read row by row (action-item-tables.ts); a table
 *    with owner and due columns is read wherever it is. Sections that review earlier items
 *    ("Previous action items", "Action items from last meeting") are not read: not new work.
 * 2. **Anywhere else**, a line starting with a marker: `ACTION:`, `Action item:`,
 *    `ACTION(@alice):`, `AI(@alice):`, `AI: @alice …` (`AI` in capitals and with an owner, so
 *    notes *about* AI are not taken for action items). The item sits under the agenda item (or
 *    heading) it was written under.
 *
 * An item's line: `[marker] [owners separator] text [due] [(owners)]` where
 * - owners lead (`@alice:`, `@alice, @bob:`, `@alice and @bob -`, `@alice @bob`, `@alice to …`,
 *   `**@alice**:`, `[@alice](https://github.com/alice):`) or trail (`… (@alice)`, `… — @alice`,
 *   `… (@alice, due 2026-12-10)`); a `@org/team` is kept apart in `teams`; a mention that is not
 *   a valid login (`@foo_bar`) is no owner and stays in the text;
 * - the due date is `due 2026-12-10`, `(due: 2026-12-10)`, `due by …`, `deadline: …`,
 *   `by 2026-12-10`, with the date as `2026-12-10`, `2026/12/10`, `10 December 2026` or
 *   `Dec 10, 2026`; a date that does not exist (`2026-02-30`) stays in the text with a warning.
 *
 * **Identity** (`key`): two lines are the same item when they belong to the same meeting and have
 * the same owners, people and teams (any order, any case), and the same text once normalised:
 * case, whitespace, emphasis markers, escapes, typographic quotes, a final `.`, the owners' and
 * the due date's wording do not count. So an item written both inline and in the Action items
 * section, or re-exported after a due date changed, is one item; changing its words or owners
 * makes another. Of two lines with one key, the first is kept.
 *
 * **Bounds**: the minutes are read up to minutes-lines.ts's `MAX_MINUTES_CHARS` and
 * `MAX_MINUTES_LINES` (past them `truncated` is set); at most {@link MAX_ACTION_ITEMS} items are
 * returned (the rest counted in `omitted`); an item keeps {@link MAX_OWNERS} owners, people
 * first, then teams (GitHub assigns at most ten, and each team mentioned notifies all its
 * members; a warning names the rest) and {@link MAX_ACTION_TEXT_CHARS} characters of
 * text (then `…`).
 */

/** The most action items returned for one meeting: each may become an issue. */
export const MAX_ACTION_ITEMS = 50;
/** The most owners kept per item: GitHub assigns at most ten people to an issue. */
export const MAX_OWNERS = 10;
/** The longest item text kept, in characters, before `…`. */
export const MAX_ACTION_TEXT_CHARS = 1_000;

/** Names of the section (heading or label) that lists a meeting's action items, as minutes-lines.ts's `sectionName` gives them. */
export const ACTION_SECTION_KEYS: ReadonlySet<string> = new Set([
  "action items",
  "action item",
  "actions",
  "action points",
  "ais",
  "next steps",
  "todo",
  "todos",
  "to do",
  "to-do",
  "to-dos",
]);

/** One action item. */
export interface ActionItem {
  /** Logins without `@`, valid GitHub logins, in the order written, without repeats. */
  owners: string[];
  /** Teams named as owners (`nodejs/security-wg`): they cannot be assigned, only named. */
  teams: string[];
  /** What is to be done: the line without marker, owners and due date (inline Markdown kept, escapes undone). */
  text: string;
  /** `YYYY-MM-DD`, a real date, or null. */
  due: string | null;
  /** The agenda item (its line or heading) the item was written under, else its heading; null in the Action items section. */
  section: string | null;
  /** The minutes file's anchor for where it was written (no `#`). */
  anchor: string | null;
  /** The agenda item's issue or pull request when it was written under one. */
  itemUrl: string | null;
  /** 1-based line in the minutes. */
  line: number;
  /** Stable identity for exactly-once handling (see the module comment): 16 hex digits. */
  key: string;
  /** Ticked in the doc (`* [x] …`): done by the time the minutes were written. */
  done: boolean;
  /** The item's sub-bullets as Markdown, dedented, or `""`. */
  details: string;
  /** What was not understood on the line (a date that does not exist, owners over the limit). */
  warnings: string[];
}

/** The action items of a meeting. */
export interface ActionItemsResult {
  items: ActionItem[];
  /** Items past {@link MAX_ACTION_ITEMS}, not returned. */
  omitted: number;
  /** Whether the minutes were too long to read to the end. */
  truncated: boolean;
}

/** What identifies the meeting in every item's key: the meeting issue's URL, say. */
export interface ActionItemOptions {
  meeting: string;
}

/** The action items of `markdown`, the minutes of one meeting (see the module comment). */
export function parseActionItems(markdown: string, options: ActionItemOptions): ActionItemsResult {
  const scan = scanMinutes(markdown);
  return { ...actionItemsOf(scan, findAgendaItems(scan).items, options), truncated: scan.truncated };
}

/** {@link parseActionItems} over minutes already scanned, with their agenda items. */
export function actionItemsOf(scan: ScannedMinutes, agenda: readonly AgendaItemRange[], options: ActionItemOptions): Omit<ActionItemsResult, "truncated"> {
  const { lines } = scan;
  const candidates: Candidate[] = [];
  const regionOf = new Array<Region | null>(lines.length).fill(null);
  const row = (region: Region | null) => (r: TableRow): Candidate => ({ index: r.index, text: r.text, details: "", done: false, owners: [], teams: [], mode: "item", childrenEnd: r.index + 1, region });
  for (const region of actionRegions(lines)) {
    for (let i = region.start; i < region.end; i++) regionOf[i] ??= region;
    candidates.push(...regionCandidates(lines, region), ...actionTableRows(lines, region.start, region.end, true).map(row(region)));
  }
  candidates.push(...actionTableRows(lines, 0, lines.length, false).filter((r) => !regionOf[r.index]).map(row(null)));
  const taken = new Set(candidates.flatMap((candidate) => indexRange(candidate.index, candidate.childrenEnd)));
  // An agenda item's own line is its (escaped) title, which whoever opened the issue chose: never an action item.
  for (const item of agenda) taken.add(item.line - 1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (taken.has(i) || regionOf[i] || line.code || line.blank || line.heading || !MARKER.test(unwrapBold(line.text))) continue;
    const children = line.list ? childRange(lines, i) : { start: i + 1, end: i + 1 };
    candidates.push({ index: i, text: line.text, details: blockText(lines, children.start, children.end), done: line.list?.checked === true, owners: [], teams: [], mode: "inline", childrenEnd: children.end, region: null });
    for (let j = i; j < children.end; j++) taken.add(j);
  }
  candidates.sort((a, b) => a.index - b.index);

  const items: ActionItem[] = [];
  const keys = new Set<string>();
  let omitted = 0;
  for (const candidate of candidates) {
    const parsed = parseItemLine(candidate.text, candidate.mode);
    if (!parsed) continue;
    const owners = unique([...candidate.owners, ...parsed.owners]);
    const allTeams = unique([...candidate.teams, ...parsed.teams]);
    // People and teams share the cap: a team mention notifies all its members, so 40 teams on
    // one line must not become 40 mentions. People come first: they can be assigned.
    const kept = owners.slice(0, MAX_OWNERS);
    const teams = allTeams.slice(0, MAX_OWNERS - kept.length);
    const dropped = [...owners.slice(kept.length), ...allTeams.slice(teams.length)];
    if (dropped.length > 0) {
      const named = dropped.slice(0, MAX_OWNERS).map((o) => `@${o}`).join(", ");
      parsed.warnings.push(`more than ${MAX_OWNERS} owners: ${named}${dropped.length > MAX_OWNERS ? ` and ${dropped.length - MAX_OWNERS} more` : ""} not kept`);
    }
    if (parsed.text === "" || NONE.test(parsed.text)) continue;
    const key = actionItemKey(options.meeting, [...kept, ...teams], parsed.text);
    if (keys.has(key)) continue;
    keys.add(key);
    if (items.length >= MAX_ACTION_ITEMS) {
      omitted++;
      continue;
    }
    const place = placeAt(scan, agenda, candidate.index);
    // Right under the Action items heading an item belongs to no agenda item: its heading is no section.
    const regionHeading = candidate.region?.heading ?? null;
    const inSectionHeading = regionHeading !== null && regionHeading === lines[candidate.index]!.under && place.itemUrl === null;
    items.push({
      owners: kept,
      teams,
      text: parsed.text,
      due: parsed.due,
      section: inSectionHeading ? null : place.section,
      anchor: place.anchor,
      itemUrl: place.itemUrl,
      line: lines[candidate.index]!.number,
      key,
      done: candidate.done,
      details: candidate.details,
      warnings: parsed.warnings,
    });
  }
  return { items, omitted };
}

/**
 * The identity of an action item (see the module comment): the meeting, the owners (logins and
 * `org/team`s) in any order and case, and the normalised text, hashed to 16 hex digits.
 */
export function actionItemKey(meeting: string, owners: readonly string[], text: string): string {
  const people = [...new Set(owners.map((owner) => owner.toLowerCase()))].sort();
  return createHash("sha256").update(JSON.stringify([meeting, people, identityText(text)])).digest("hex").slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// Where items are

interface Region {
  start: number;
  end: number;
  /** The index of the section's heading in the scanned headings, or null for a label line. */
  heading: number | null;
}

interface Candidate {
  index: number;
  text: string;
  details: string;
  done: boolean;
  /** Owners given by a parent line that held only owners (`* @alice:`). */
  owners: string[];
  teams: string[];
  mode: LineMode;
  childrenEnd: number;
  region: Region | null;
}

function actionRegions(lines: readonly MinutesLine[]): Region[] {
  const regions: Region[] = [];
  lines.forEach((line, i) => {
    if (line.code || line.blank) return;
    if (line.heading) {
      if (!ACTION_SECTION_KEYS.has(sectionName(line.heading.text))) return;
      let end = i + 1;
      while (end < lines.length && !(lines[end]!.heading && lines[end]!.heading!.level <= line.heading.level)) end++;
      regions.push({ start: i + 1, end, heading: line.under });
      return;
    }
    const label = splitLabel(line.text);
    if (label && label.rest === "" && ACTION_SECTION_KEYS.has(label.key.replace(/\s*\([^()]*\)$/, ""))) regions.push({ ...childRange(lines, i), heading: null });
  });
  return regions;
}

function isSectionLabel(text: string): boolean {
  const label = splitLabel(text);
  return label !== null && label.rest === "" && ACTION_SECTION_KEYS.has(label.key);
}

/** The items of an Action items section: its top-level list items, and plain lines with owners. */
function regionCandidates(lines: readonly MinutesLine[], region: Region): Candidate[] {
  const listIndents = indexRange(region.start, region.end).filter((i) => lines[i]!.list && !lines[i]!.code).map((i) => lines[i]!.indent);
  const top = listIndents.length > 0 ? Math.min(...listIndents) : null;
  const out: Candidate[] = [];
  let i = region.start;
  while (i < region.end) {
    const line = lines[i]!;
    // Table rows are read by actionTableRows.
    if (line.blank || line.code || line.heading || line.raw.trimStart().startsWith("|") || isSectionLabel(line.text) || isPromptText(line.text)) {
      i++;
      continue;
    }
    if (line.list && (top === null || line.indent <= top + 1)) {
      const children = childRange(lines, i);
      const end = Math.min(children.end, region.end);
      out.push(...itemWithChildren(lines, i, end, region));
      i = Math.max(end, i + 1);
      continue;
    }
    // A plain line needs an owner or a marker: most are prose, not worth parsing.
    if (!line.list && (top === null || line.indent <= top) && (line.text.includes("@") || MARKER.test(unwrapBold(line.text)))) {
      out.push({ index: i, text: line.text, details: "", done: false, owners: [], teams: [], mode: "plain", childrenEnd: i + 1, region });
    }
    i++;
  }
  return out;
}

/** A top-level item: its wrapped continuation lines join its text; its sub-bullets are details, or items of an owners-only line. */
function itemWithChildren(lines: readonly MinutesLine[], at: number, end: number, region: Region): Candidate[] {
  const line = lines[at]!;
  let text = line.text;
  let first = at + 1;
  while (first < end && !lines[first]!.blank && !lines[first]!.list && !lines[first]!.code) text += ` ${lines[first++]!.text}`;
  const own = ownersOnly(text);
  const base = { done: line.list?.checked === true, mode: "item" as const, region };
  if (own) {
    const childIndents = indexRange(first, end).filter((i) => lines[i]!.list).map((i) => lines[i]!.indent);
    if (childIndents.length > 0) {
      const level = Math.min(...childIndents);
      const out: Candidate[] = [];
      for (let i = first; i < end; i++) {
        const child = lines[i]!;
        if (!child.list || child.indent !== level || isPromptText(child.text)) continue;
        const grand = Math.min(childRange(lines, i).end, end);
        out.push({ ...base, index: i, text: child.text, details: blockText(lines, i + 1, grand), done: child.list.checked === true, owners: own.owners, teams: own.teams, childrenEnd: grand });
      }
      return out;
    }
  }
  return [{ ...base, index: at, text, details: blockText(lines, first, end), owners: [], teams: [], childrenEnd: end }];
}

// ---------------------------------------------------------------------------------------------
// One line

/**
 * `ACTION:`, `Action item:`, `ACTION(@a):`, `AI(@a):`, `AI: …`, `TODO:`, bold or not. Group 1
 * is the marker, group 2 what the parentheses hold.
 */
const MARKER = /^(?:\*\*|__)?(action[ \t]+items?|action|ai|todo|to-?do)(?:\*\*|__)?[ \t]*(?:\(([^()]*)\))?(?:\*\*|__)?[ \t]*(?:[:：](?:\*\*|__)?|[-–—](?=[ \t])|(?=@))[ \t]*/i;
/** A line that says there is nothing to do. */
const NONE = /^(?:none|n\/a|na|nothing|no action items?|tbd|-|—|…|\.\.\.)\.?$/i;

interface ParsedLine {
  owners: string[];
  teams: string[];
  text: string;
  due: string | null;
  warnings: string[];
}

/**
 * How a line is read: `inline` outside the section (a marker is required: `ACTION`, `Action
 * item` or `AI`), `item` a list item of the section (anything), `plain` a plain line of the
 * section (an owner or a marker is required).
 */
type LineMode = "inline" | "item" | "plain";

/** Reads one item line; null when it is no action item in its mode (`AI:` with no owner, `ai:`, inline `TODO:`). */
function parseItemLine(original: string, mode: LineMode): ParsedLine | null {
  // Struck through in the doc: dropped during the meeting.
  if (isStruckThrough(original)) return null;
  let text = unwrapBold(original);
  const owners: string[] = [];
  const teams: string[] = [];
  const warnings: string[] = [];

  const marker = MARKER.exec(text);
  const word = marker?.[1]?.toLowerCase().replace(/\s+/g, " ") ?? null;
  const accepted = marker !== null && word !== null && (word !== "ai" || marker[1] === "AI") && (mode !== "inline" || !/^to-?do$/.test(word));
  if (marker && accepted) {
    if (marker[2] !== undefined) {
      const list = ownerList(marker[2]);
      // `Action (follow-up): …` is no owner list; in the section the line is still an item.
      if (!list) return mode === "item" ? plainLine(text) : null;
      owners.push(...list.owners);
      teams.push(...list.teams);
    }
    text = text.slice(marker[0].length);
  } else if (mode === "inline") {
    return null;
  }

  const lead = leadingOwners(text);
  if (lead) {
    owners.push(...lead.owners);
    teams.push(...lead.teams);
    text = lead.rest;
  } else {
    const stray = /^(?:\*\*|__)?@([^\s:,;)*]+)/.exec(text);
    if (stray && owners.length === 0) warnings.push(`@${stray[1]} is not a GitHub login: the item has no owner`);
  }
  if (accepted && word === "ai" && mode === "inline" && owners.length + teams.length === 0) return null;

  const due = extractDue(text);
  text = due.text;
  if (due.warning) warnings.push(due.warning);
  for (;;) {
    const trail = trailingOwners(text);
    if (!trail) break;
    owners.push(...trail.owners);
    teams.push(...trail.teams);
    text = trail.rest;
  }
  if (mode === "plain" && !accepted && owners.length + teams.length === 0) return null;
  return { owners: unique(owners), teams: unique(teams), text: truncateText(tidy(text), MAX_ACTION_TEXT_CHARS), due: due.due, warnings };
}

/** A line that turned out to have no marker: read as a plain section line. */
function plainLine(text: string): ParsedLine {
  return { owners: [], teams: [], text: truncateText(tidy(text), MAX_ACTION_TEXT_CHARS), due: null, warnings: [] };
}

/** `@alice`, `@alice, @bob`, `@alice and @bob`, `@a & @b`, `@a/@b`, all mentions: null when anything else is there. */
function ownerList(text: string): { owners: string[]; teams: string[] } | null {
  const owners: string[] = [];
  const teams: string[] = [];
  const parts = text.split(/\s*(?:[,;&+/]|\band\b)\s*|\s+/).filter((part) => part !== "");
  for (const part of parts) {
    const bare = part.replace(/^(?:\*\*|__)|(?:\*\*|__)$/g, "");
    const mention = readMention(bare, 0);
    if (!mention || mention.end !== bare.length) return null;
    (mention.kind === "user" ? owners : teams).push(mention.name);
  }
  return owners.length + teams.length > 0 ? { owners, teams } : null;
}

/** The most mentions read at the start of a line; the rest stays text (a flood of mentions is no owner list). */
const MAX_LEADING_MENTIONS = 100;
const BOLD = /(?:\*\*|__)/y;
const SPACES = /[ \t]*/y;
const SEPARATOR = /[ \t]*(?:[,&+/]|and\b)[ \t]*/iy;
const TERMINATOR = /[ \t]*(?:\*\*|__)?[ \t]*(?:[:：](?:\*\*|__)?|[-–—](?=[ \t]|$)|,(?=[ \t]))[ \t]*/y;
/** `@alice to draft …`: the `to` only goes when no `:` or dash came first (`@alice: to be decided` keeps it). */
const TO = /[ \t]*(?:\*\*|__)?[ \t]+to[ \t]+/iy;

/**
 * The owners a line starts with and the text after their separator (`:`, a dash, `to`, or just
 * a space), or null when the line does not start with a mention.
 */
function leadingOwners(text: string): { owners: string[]; teams: string[]; rest: string } | null {
  const owners: string[] = [];
  const teams: string[] = [];
  let i = 0;
  const skip = (re: RegExp) => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i += m[0].length;
    return m !== null;
  };
  skip(BOLD);
  for (let n = 0; n < MAX_LEADING_MENTIONS; n++) {
    const before = i;
    skip(SPACES);
    const mention = readMention(text, i);
    if (!mention) {
      i = before;
      break;
    }
    (mention.kind === "user" ? owners : teams).push(mention.name);
    i = mention.end;
    skip(BOLD);
    const afterMention = i;
    // A separator counts only when another mention follows it.
    if (skip(SEPARATOR) && !(text[i] === "@" || text[i] === "[")) {
      i = afterMention;
      break;
    }
  }
  if (owners.length + teams.length === 0) return null;
  if (!skip(TERMINATOR)) skip(TO);
  return { owners, teams, rest: text.slice(i).trim() };
}

/** A line that is only owners (`@alice:`, `**@alice, @bob**`): its sub-bullets are theirs. */
function ownersOnly(text: string): { owners: string[]; teams: string[] } | null {
  const lead = leadingOwners(text);
  return lead && lead.rest === "" ? { owners: lead.owners, teams: lead.teams } : null;
}

/** Owners at the end: `… (@alice)`, `… [@alice, @bob]`, `… (owner: @alice)`, `… — @alice`. */
function trailingOwners(text: string): { owners: string[]; teams: string[]; rest: string } | null {
  const group = /[ \t]*[([]([^()[\]]*)[)\]][ \t]*\.?$/.exec(text);
  if (group && group.index > 0) {
    const inner = group[1]!.replace(/^(?:owners?|assignees?|who)[ \t]*[:：][ \t]*/i, "").replace(/[,;][ \t]*$/, "");
    const list = ownerList(inner);
    if (list) return { ...list, rest: text.slice(0, group.index) };
  }
  // `… — @alice, @bob`: the last dash followed by nothing but owners.
  const dashes = [...text.matchAll(/[ \t]+[-–—][ \t]*(?=@)/g)];
  const dash = dashes.at(-1);
  if (dash && dash.index > 0) {
    const list = ownerList(text.slice(dash.index + dash[0].length).replace(/\.$/, ""));
    if (list) return { ...list, rest: text.slice(0, dash.index) };
  }
  return null;
}

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)";
const DATE = `(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})|(\\d{1,2})(?:st|nd|rd|th)?[ \\t]+${MONTH}\\.?,?[ \\t]+(\\d{4})|${MONTH}\\.?[ \\t]+(\\d{1,2})(?:st|nd|rd|th)?,?[ \\t]+(\\d{4})`;
const DUE = new RegExp(
  `(?:\\b(?:due(?:[ \\t]+date)?|deadline|target(?:[ \\t]+date)?)[ \\t]*(?:[:：][ \\t]*|[ \\t]+)(?:(?:by|on)[ \\t]+)?|\\bby[ \\t]+)(?:${DATE})(?![\\w-])`,
  "gi",
);

/** The first due-date phrase with a real date, removed from the text; a phrase with an impossible date stays and warns. */
function extractDue(text: string): { text: string; due: string | null; warning: string | null } {
  let warning: string | null = null;
  for (const m of text.matchAll(DUE)) {
    const iso = isoDate(m);
    const problem = impossibleDate(iso);
    if (problem !== null) {
      warning ??= `due date ${iso} is ${problem}`;
      continue;
    }
    const rest = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`
      .replace(/[([][ \t]*[,;]?[ \t]*[)\]]/g, "")
      .replace(/[([][ \t]*[,;][ \t]*/g, (open) => open[0]!)
      .replace(/[ \t]{2,}/g, " ");
    return { text: rest, due: iso, warning };
  }
  return { text, due: null, warning };
}

function isoDate(m: RegExpMatchArray): string {
  let year: string;
  let month: number;
  let day: string;
  if (m[1]) [year, month, day] = [m[1], Number(m[2]), m[3]!];
  else if (m[4]) [year, month, day] = [m[6]!, monthNumber(m[5]!), m[4]];
  else [year, month, day] = [m[9]!, monthNumber(m[7]!), m[8]!];
  return `${year}-${String(month).padStart(2, "0")}-${day.padStart(2, "0")}`;
}

function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  return MONTH_NAMES.findIndex((full) => full.startsWith(lower.slice(0, 3))) + 1;
}

/** Separators and empty brackets the owners and the due date leave behind. */
function tidy(text: string): string {
  return text
    .replace(/[([][ \t]*[)\]]/g, "")
    .replace(/^[ \t:：,;–—-]+/, "")
    .replace(/(?:[ \t]*[,;:–—-])+[ \t]*(\.?)[ \t]*$/, "$1")
    .replace(/[ \t]{2,}/g, " ")
    .replace(/[ \t]+([.!?])$/, "$1")
    .replace(/^\.$/, "")
    .trim();
}



function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
