import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type MeetingContext, meetingContext, titleParts } from "./meeting-context.js";
import { type RenderLimits, RENDER_LIMITS } from "./render-budget.js";
import { type Render, RenderLimitError, TemplateError, compileTemplate } from "./renderer.js";
import { inlineSectionStarts } from "./sections.js";
import type { MeetingView, RenderedIssue } from "./types.js";

/** The template parts a preset provides. */
export type TemplatePart = "issue" | "minutes-doc" | "minutes";

/** The presets bundled in `templates/`. */
export const TEMPLATE_PRESETS = ["default", "nodejs"] as const;

/**
 * `templates/` of the installed package. This file is `src/render/templates.ts` in tests and
 * `lib/render/templates.js` after the build: both sit two levels below the package root, so one
 * relative URL serves both, whatever the working directory.
 */
const TEMPLATES_DIR = new URL("../../templates/", import.meta.url);

const cache = new Map<string, Render>();

/**
 * GitHub refuses an issue title longer than 256 characters; a rendered title is cut to fit,
 * with `…` marking the cut.
 */
export const MAX_ISSUE_TITLE = 256;

/**
 * Longest rendered issue body: GitHub refuses a body over 65,536 characters, and the App adds
 * its markers (the meeting marker, the doc link once the doc exists) after rendering, so a
 * rendered body keeps about 5,500 characters of room for them.
 */
export const MAX_ISSUE_BODY = 60_000;

/**
 * The render limits of the minutes doc and file. Only the bundled presets render them, and
 * their output grows with the agenda alone: 1,000 items with long titles make about 650 KB.
 */
const MINUTES_LIMITS: RenderLimits = { output: 1024 * 1024, work: 8 * 1024 * 1024 };

/**
 * The source of a bundled preset's template, `templates/<preset>/<part>.md.hbs`. Throws a
 * message listing the presets when `preset` is not one (and never reads outside `templates/`).
 */
export function loadTemplate(preset: string, part: TemplatePart): string {
  if (!(TEMPLATE_PRESETS as readonly string[]).includes(preset)) {
    throw new TemplateError(
      `unknown template preset "${preset}" (presets: ${TEMPLATE_PRESETS.join(", ")}; a repository file must be a path such as .github/meeting-issue.md.hbs)`,
    );
  }
  return readFileSync(fileURLToPath(new URL(`${preset}/${part}.md.hbs`, TEMPLATES_DIR)), "utf8");
}

function presetRender(preset: string, part: TemplatePart): Render {
  const key = `${preset}/${part}`;
  let render = cache.get(key);
  if (!render) {
    render = compileTemplate(loadTemplate(preset, part), `${key}.md.hbs`, { limits: part === "issue" ? RENDER_LIMITS : MINUTES_LIMITS });
    cache.set(key, render);
  }
  return render;
}

/**
 * Renders a series' issue title from `series.issue.title` (Handlebars with `{{host}}`,
 * `{{name}}`, `{{date}}`, `{{id}}`, under the rules of a config value: see template-rules.ts).
 * Runs of whitespace collapse to one space and the ends are trimmed, so an empty `host` gives
 * `Security team Meeting 2022-07-21`, not a leading space; a title longer than GitHub takes is
 * cut to {@link MAX_ISSUE_TITLE} characters.
 */
export function renderTitle(view: Pick<MeetingView, "series" | "occurrence">): string {
  const render = compileTemplate(view.series.issue.title, "issue.title", { kind: "string" });
  const title = render(titleParts(view.series, view.occurrence.date)).replace(/\s+/g, " ").trim();
  if (title === "") throw new TemplateError("issue.title renders to an empty title");
  return cutTitle(title);
}

/** `title` in at most {@link MAX_ISSUE_TITLE} code points (GitHub counts characters, not UTF-16 units), `…` marking a cut. */
function cutTitle(title: string): string {
  if (title.length <= MAX_ISSUE_TITLE) return title;
  const points = Array.from(title);
  if (points.length <= MAX_ISSUE_TITLE) return title;
  return `${points.slice(0, MAX_ISSUE_TITLE - 1).join("").trimEnd()}…`;
}

/**
 * Renders the meeting issue. `templateSource` is a repository's own template file (the caller
 * fetched `series.issue.template` from the repo); without it the bundled preset named by
 * `series.issue.template` is used. The body always ends with exactly one newline.
 *
 * @throws RenderLimitError when the body is longer than {@link MAX_ISSUE_BODY}: GitHub would
 *   refuse it, and a clear message beats GitHub's 422.
 */
export function renderIssue(view: MeetingView, templateSource?: string): RenderedIssue {
  const title = renderTitle(view);
  const context: MeetingContext = meetingContext(view, title);
  const name = view.series.issue.template;
  const render = templateSource !== undefined ? compileTemplate(templateSource, name) : presetRender(name, "issue");
  const body = inlineSectionStarts(render(context)).replace(/\s+$/, "") + "\n";
  if (body.length > MAX_ISSUE_BODY) {
    const items = view.agenda.count === 1 ? "1 item" : `${view.agenda.count.toLocaleString("en-US")} items`;
    throw new RenderLimitError(
      `template ${name}: the issue body is ${body.length.toLocaleString("en-US")} characters, over the App's limit of ` +
        `${MAX_ISSUE_BODY.toLocaleString("en-US")} (GitHub takes at most 65,536); the agenda has ${items}`,
    );
  }
  return { title, body };
}

/** A rendered minutes doc: its title and the Markdown imported as its content. */
export interface RenderedDoc {
  title: string;
  markdown: string;
}

/**
 * Renders the minutes doc drafted for a meeting: title, time, the issue link, a Recording line
 * that reads as a sentence until somebody fills it, Present, and the agenda to take notes
 * under. The preset follows `issue.template` when that is a preset, else `default`.
 */
export function renderMinutesDoc(view: MeetingView): RenderedDoc {
  const title = renderTitle(view);
  const markdown = presetRender(notesPreset(view), "minutes-doc")(meetingContext(view, title)).replace(/\s+$/, "") + "\n";
  return { title, markdown };
}

/** The preset of the minutes doc and file: the issue's preset when it is one, else `default`. */
function notesPreset(view: MeetingView): string {
  return (TEMPLATE_PRESETS as readonly string[]).includes(view.series.issue.template) ? view.series.issue.template : "default";
}

/**
 * Renders the `minutes` part of the preset the minutes doc used: the final minutes file as it
 * reads with no doc — the meeting context plus `extra` (`recordingUrl`, `present` lines).
 * `src/minutes/compose-minutes.ts` then fills its sections from the exported doc.
 */
export function renderMinutesTemplate(view: MeetingView, extra: { recordingUrl: string | null; present: string[] }): RenderedDoc {
  const title = renderTitle(view);
  const markdown = presetRender(notesPreset(view), "minutes")({ ...meetingContext(view, title), ...extra }).replace(/\s+$/, "") + "\n";
  return { title, markdown };
}
