import { renderMinutesTemplate } from "../render/templates.js";
import type { MeetingView } from "../render/types.js";
import { parseDecisions, type Decision } from "./decisions.js";
import { escapeLinkText, neutralise } from "./decisions-log.js";
import { headingPlainText } from "./heading-slug.js";
import { fillLegacyPlaceholders, isPrompt, removePrompts } from "./doc-placeholders.js";
import { lintMinutes } from "./lint-minutes.js";
import { mergeLinkLines, recordingFromLines } from "./link-lines.js";
import { normaliseRecordingUrl } from "./recording-url.js";
import { type MarkdownSection, type SplitDocument, splitSections } from "./split-sections.js";

/** What the minutes file of one meeting is made from. */
export interface MinutesInput {
  /** The series, the occurrence and its agenda (its own `issueUrl`/`docUrl` are replaced by the fields below). */
  view: Pick<MeetingView, "series" | "occurrence" | "agenda">;
  /** The meeting issue. */
  issueUrl: string;
  /** The minutes doc, or null when there is none. */
  docUrl: string | null;
  /** The recording given to `/minutes`, or null (a URL pasted in the doc's Recording line is used then). */
  recordingUrl: string | null;
  /** The doc exported as Markdown and normalised by the Google gateway; null with `minutes.doc: none`. */
  exported: string | null;
  /** Who reacted 👍 to the issue (`@octocat`): Present when the doc's Present was not filled in. */
  present: readonly string[];
  /** The series' meetings before and after this one, linked among the App's lines; absent: none known. */
  neighbours?: MinutesNeighbours;
}

/** The meetings around this one, as the minutes link them. */
export interface MinutesNeighbours {
  previous: NeighbourLink | null;
  next: NeighbourLink | null;
}

/** Another meeting of the series. */
export interface NeighbourLink {
  /** `YYYY-MM-DD`. */
  date: string;
  issueUrl: string;
  /** Its minutes file, relative to this minutes file (`2026-11-25.md`), or null when they are not merged yet. */
  minutesLink: string | null;
}

/** Template sections whose `* **Label**:` lines the App owns; `""` is the text above the first section. */
const LINK_SECTIONS = new Set(["", "links"]);
const PRESENT = "present";

/**
 * The minutes file of a meeting: the preset's `minutes` template, each of its sections filled
 * from the doc's section with the same heading.
 *
 * - Links (and the default preset's header lines) are the App's: recording, issue, doc. Lines
 *   the chair added there are kept after them.
 * - Present comes from the doc when somebody filled it in, else from the 👍 reactions.
 * - Every other section the doc has replaces the template's (the doc began as the same
 *   skeleton); the doc's untouched prompts (`* (notes)`, `* Name: @handle`) are dropped.
 * - Nothing the chair wrote is lost: a doc section the template has no place for is added under
 *   its own heading before the template's last section (`Upcoming Meetings`, `Action items`).
 * - Without a doc, the file is the template alone: the agenda with an empty notes bullet per item.
 *
 * Doc text is never rendered as a template, so `{{` in the notes is just text. The result is
 * normalised by {@link lintMinutes}.
 *
 * @throws Error when `recordingUrl` is not an http(s) URL; TemplateError from the template.
 */
export function composeMinutes(input: MinutesInput): string {
  const { issueUrl, docUrl } = input;
  const doc = input.exported === null ? null : splitSections(fillLegacyPlaceholders(input.exported, { issueUrl, docUrl }));
  const recordingUrl =
    input.recordingUrl !== null ? normaliseRecordingUrl(input.recordingUrl) : doc ? recordingFromLines(linkLinesOf(doc)) : null;
  const present = input.present.map((line) => line.replace(/\s+/g, " ").trim()).filter((line) => line !== "");

  const rendered = renderMinutesTemplate({ ...input.view, issueUrl, docUrl }, { recordingUrl, present });
  const template = withNeighbours(splitSections(rendered.markdown), input.neighbours);
  const merged = doc ? mergeDoc(template, doc, { recordingKnown: input.recordingUrl !== null, invited: input.view.series.issue.invited }) : template;
  return lintMinutes(withDecisions(rendered.title, merged));
}

/** Where the App's link lines are: the nodejs preset's `## Links`, else the text above the first section. */
const LINKS = "links";

/**
 * The template with `* **Previous meeting**:` and `* **Next meeting**:` lines after its own link
 * lines: they are the App's, like the issue's (a doc line with the same label is dropped).
 */
function withNeighbours(template: SplitDocument, neighbours: MinutesNeighbours | undefined): SplitDocument {
  const lines: string[] = [];
  const { previous, next } = neighbours ?? { previous: null, next: null };
  if (previous) {
    const minutes = previous.minutesLink ? `[minutes of ${previous.date}](${previous.minutesLink}), ` : "";
    lines.push(`* **Previous meeting**: ${minutes}[issue of ${previous.date}](${previous.issueUrl})`);
  }
  if (next) lines.push(`* **Next meeting**: [${next.date}](${next.issueUrl})`);
  if (lines.length === 0) return template;
  const add = (body: string) => [body, ...lines].filter((part) => part !== "").join("\n");
  if (template.sections.some((section) => section.key === LINKS)) {
    return { ...template, sections: template.sections.map((section) => (section.key === LINKS ? { ...section, body: add(section.body) } : section)) };
  }
  return { ...template, preamble: add(template.preamble) };
}

/**
 * The minutes with a `## Decisions` section at the top (after the Links, else first) gathering
 * the decisions written in the notes, each linking the part of the file it was decided in. No
 * decisions, no section. The decisions are read again once the section is in (it is no marker,
 * so they are the same ones), so their anchors are those of the final file.
 */
function withDecisions(title: string, document: SplitDocument): string {
  const without = joinSections(title, document);
  const first = parseDecisions(without).decisions;
  if (first.length === 0) return without;
  const links = document.sections.findIndex((section) => section.key === LINKS);
  const at = links === -1 ? 0 : links + 1;
  const place = (decisions: readonly Decision[]) => {
    const sections = [...document.sections];
    sections.splice(at, 0, { heading: "Decisions", key: "decisions", level: 2, body: decisions.map(decisionLine).join("\n") });
    return joinSections(title, { ...document, sections });
  };
  const once = place(first);
  const again = parseDecisions(once).decisions;
  return again.length === first.length && again.every((decision, i) => decision.anchor === first[i]!.anchor) ? once : place(again);
}

/**
 * `* [Item](#anchor): what was decided`: the link leads, so the line never starts with a marker
 * (`Decision:`, `ACTION:`) the parsers would read a second time.
 */
function decisionLine(decision: Decision): string {
  const text = neutralise(decision.text);
  if (!decision.anchor) return `* — ${text}`;
  // The item's line holds its own link; a link cannot hold another, so its plain text is shown.
  const where = headingPlainText(decision.section ?? "").replace(/\s+/g, " ").trim() || decision.anchor;
  return `* [${escapeLinkText(where)}](#${decision.anchor}): ${text}`;
}

/** The lines of the doc where its link lines live: above the first section and under `## Links`. */
function linkLinesOf(doc: SplitDocument): string[] {
  return [doc.preamble, ...doc.sections.filter((section) => section.key === "links").map((section) => section.body)].join("\n").split("\n");
}

interface MergeOptions {
  recordingKnown: boolean;
  /** The series' invited lines: a Present section holding only these was not filled in. */
  invited: readonly string[];
}

function mergeDoc(template: SplitDocument, doc: SplitDocument, options: MergeOptions): SplitDocument {
  const templateKeys = new Set(template.sections.map((section) => section.key));
  // Each doc section fills at most one template section: a second "## Notes" is an extra one.
  const byKey = new Map<string, MarkdownSection>();
  const extras: MarkdownSection[] = [];
  for (const section of doc.sections) {
    if (templateKeys.has(section.key) && !byKey.has(section.key)) byKey.set(section.key, section);
    else extras.push(section);
  }

  const fill = (key: string, templateBody: string, docBody: string | undefined): string => {
    if (docBody === undefined) return templateBody;
    if (LINK_SECTIONS.has(key)) return mergeLinkLines(templateBody, removePrompts(docBody), options.recordingKnown);
    if (key === PRESENT) return presentFilledIn(docBody, options.invited) ? removePrompts(docBody) : templateBody;
    return removePrompts(docBody);
  };

  const sections = template.sections.map((section) => ({ ...section, body: fill(section.key, section.body, byKey.get(section.key)?.body) }));
  // Before the closing section, so the boilerplate stays last; all at the end if there is only one.
  const at = sections.length > 1 ? sections.length - 1 : sections.length;
  sections.splice(at, 0, ...extras.map((section) => ({ ...section, level: 2, body: removePrompts(section.body) })));
  return { title: template.title, preamble: fill("", template.preamble, doc.preamble === "" ? undefined : doc.preamble), sections };
}

/** Whether the doc's Present holds anything beyond the invited teams and the `Name: @handle` prompt. */
function presentFilledIn(body: string, invited: readonly string[]): boolean {
  const standard = new Set(invited.map((line) => line.replace(/\s+/g, " ").trim()));
  return body.split("\n").some((line) => {
    const text = line.replace(/^[ \t]*[*+-][ \t]+/, "").replace(/\s+/g, " ").trim();
    return text !== "" && !isPrompt(line) && !standard.has(text);
  });
}

function joinSections(title: string, document: SplitDocument): string {
  const parts = [`# ${title}`];
  if (document.preamble !== "") parts.push(document.preamble);
  for (const section of document.sections) {
    parts.push(`${"#".repeat(section.level)} ${section.heading}`);
    if (section.body !== "") parts.push(section.body);
  }
  return parts.join("\n\n") + "\n";
}
