import { docName } from "../minutes-doc/doc-ref.js";
import type { ActionItemsResult } from "./action-items.js";
import type { DecisionsResult } from "./decisions.js";
import { inertSpan } from "./inert-span.js";
import { meetingDateParts } from "./meeting-date.js";

/**
 * The names and words of the minutes pull request. The branch is a function of the series and
 * the date alone, so a second `/minutes` finds the same branch and updates the same PR instead
 * of opening another.
 */

/** `doc: add 2022-07-21 meeting notes`, the title the Node.js minutes PRs have. */
export function minutesPrTitle(date: string): string {
  meetingDateParts(date, "minutes PR title");
  return `doc: add ${date} meeting notes`;
}

/** The links a minutes PR body shows. */
export interface MinutesPrLinks {
  issueUrl: string;
  docUrl: string | null;
  recordingUrl: string | null;
}

/** What merging the minutes will do, read from the minutes file, for the reviewers to see first. */
export interface MinutesPreview {
  /** The minutes file's action items, as the merge step reads them. */
  actionItems: ActionItemsResult;
  /** `owner/repo` the action-item issues open in; null when `actionItems.issues` is off. */
  issuesIn: string | null;
  decisions: DecisionsResult;
  /** The decisions log this PR updates, or null (no log configured, or no decisions). */
  decisionsLog: string | null;
  /** The quorum statement, its `### Quorum` heading included (Markdown the App wrote, names inert), or null. */
  quorum: string | null;
  /** Things the reviewers should know that the App wrote (a file it could not update), as Markdown. */
  notes: readonly string[];
}

/** The most characters of one action item's or decision's text the preview shows. */
export const PREVIEW_TEXT_CHARS = 300;
/** Room for each list of the preview, in characters: with the rest, far under GitHub's 65,536 for a body. */
const LIST_BUDGET = { actionItems: 20_000, decisions: 20_000, warnings: 5_000 } as const;
const QUORUM_CHARS = 5_000;

/**
 * The PR body: the links, the preview (what merging opens, decides and warns about), then
 * `Fixes: <issue URL>` on a line of its own — GitHub closes the meeting issue when the PR is
 * merged into the default branch (the App also closes it, for PRs merged elsewhere).
 *
 * Every text that comes from the doc (anyone with the doc's link may edit it) is shown as
 * inline code: no @-mention notifies, no `#123` cross-references an issue, no `Fixes #5`
 * closes one (not even in a squash commit message made of this body: see {@link literal}), no
 * HTML comment hides the rest or poses as the App's marker. Owners are shown
 * as code too: they are told when their issue opens, not while the minutes are reviewed. Each
 * list is bounded, so the body stays well under GitHub's limit.
 */
export function minutesPrBody(links: MinutesPrLinks, preview?: MinutesPreview): string {
  const lines = [
    "The minutes of this meeting, published with `/minutes` on the meeting issue. Review them, fix what is wrong, then merge.",
    "",
    `* **GitHub Issue**: ${links.issueUrl}`,
  ];
  if (links.docUrl) lines.push(`* **Minutes ${docName(links.docUrl, "google")}**: ${links.docUrl}`);
  lines.push(`* **Recording**: ${links.recordingUrl ?? "none given (add it to the file, or run `/minutes <recording URL>` again)"}`);
  if (preview) lines.push(...previewLines(preview));
  lines.push("", `Fixes: ${links.issueUrl}`);
  return lines.join("\n") + "\n";
}

function previewLines(preview: MinutesPreview): string[] {
  const lines: string[] = [];
  const { items, omitted, truncated } = preview.actionItems;
  if (items.length > 0) {
    // As the merge step does: an item ticked done in the notes gets no issue.
    const open = items.filter((item) => !item.done).length;
    const heading =
      preview.issuesIn === null ? "(no issues are opened: `actionItems.issues` is off)"
      : open === 0 ? "(all ticked done: merging opens no issue)"
      : `(merging opens ${open === 1 ? "an issue" : `one issue each for the ${open}`} not ticked done, in ${preview.issuesIn})`;
    lines.push(
      "",
      `### Action items ${heading}`,
      "",
      ...bounded(
        items.map((item) => {
          const who = [...item.owners.map((owner) => `@${owner}`), ...item.teams.map((team) => `@${team}`)];
          const parts = [who.length > 0 ? `owners ${who.map((owner) => literal(owner)).join(", ")}` : "no owner"];
          if (item.due) parts.push(`due ${item.due}`);
          if (item.done) parts.push("ticked done: no issue");
          return `* ${literal(item.text || "(no text)")}: ${parts.join("; ")}`;
        }),
        LIST_BUDGET.actionItems,
      ),
    );
    if (omitted > 0) lines.push(`* … and ${omitted} more past the limit of ${items.length}: they are not read (split the list across meetings).`);
  }

  const { decisions } = preview.decisions;
  if (decisions.length > 0) {
    const where = preview.decisionsLog ? ` (${logUpdated(preview.decisionsLog)})` : "";
    lines.push("", `### Decisions${where}`, "", ...bounded(decisions.map((decision) => `* ${literal(decision.text)}`), LIST_BUDGET.decisions));
    if (preview.decisions.omitted > 0) lines.push(`* … and ${preview.decisions.omitted} more past the limit: they are not read.`);
  }

  // attendance-follow-up.ts writes the statement with its own `### Quorum` heading, names inert.
  if (preview.quorum) lines.push("", cut(preview.quorum.replace(/<!--/g, "&lt;!--").trim(), QUORUM_CHARS));

  const warnings = items.flatMap((item) => item.warnings.map((warning) => `* line ${item.line}: ${literal(warning)}`));
  if (truncated || preview.decisions.truncated) warnings.push("* The minutes are too long to read to the end: what follows the limit is not previewed.");
  const notes = preview.notes.map((note) => `* ${note}`);
  if (warnings.length + notes.length > 0) lines.push("", "### Warnings", "", ...notes, ...bounded(warnings, LIST_BUDGET.warnings));
  return lines;
}

/**
 * How the body says this pull request writes the decisions log: a later run reads it in the
 * open PR's body to know the branch holds an entry it may have to take back.
 */
export function logUpdated(path: string): string {
  return `added to \`${path}\` by this pull request`;
}

/** Lines up to `budget` characters, then one line counting the rest. */
function bounded(lines: readonly string[], budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) {
      kept.push(`* … and ${lines.length - kept.length} more (see the minutes file).`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

/** U+200D ZERO WIDTH JOINER: invisible, and no word or number runs across it. */
const ZWJ = "\u200D";

/**
 * Doc text as one inline code span (inert-span.ts: a fence longer than any backtick run in it,
 * control, zero-width and bidi characters dropped), so nothing in it is Markdown, HTML, a
 * mention or a reference. `<!--` and `-->` are spaced apart as well, so not even the raw body
 * holds something that looks like a marker.
 *
 * A squash merge may copy the PR body into the commit message, which is plain text: there,
 * backticks do not stop `Fixes #12` from closing issue 12. So an invisible joiner goes after the
 * first letter of every closing keyword (close, fix, resolve and their forms) and after every `#`
 * before a digit: the App's own `Fixes:` line stays the body's only closing keyword.
 */
export function literal(text: string, max = PREVIEW_TEXT_CHARS): string {
  return inertSpan(text.replace(/<!--/g, "<! --").replace(/--(!?)>/g, "-- $1>"), { max })
    .replace(/\b(?=(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b)(\w)/gi, `$1${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`);
}

/** At most `max` characters (whole code points), `…` in place of the rest. */
function cut(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join("")}…`;
}

/**
 * `wg-meetings/minutes-security-wg-2022-07-21`. Series ids are `[a-z0-9-]` (config schema), so
 * the name is a valid Git ref; anything else is refused rather than turned into a bad ref.
 */
export function minutesBranch(seriesId: string, date: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(seriesId)) {
    throw new RangeError(`minutes branch: series id "${seriesId}" is not lowercase letters, digits and dashes`);
  }
  meetingDateParts(date, "minutes branch");
  return `wg-meetings/minutes-${seriesId}-${date}`;
}

/** The commit adding the minutes file: the PR title, then which meeting, e.g. `Node.js Security team Meeting 2022-07-21`. */
export function minutesCommitMessage(date: string, title: string): string {
  return `${minutesPrTitle(date)}\n\nMinutes of ${title.replace(/\s+/g, " ").trim()}.\n`;
}
