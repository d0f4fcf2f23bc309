import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type MeetingContext, meetingContext, titleParts } from "./meeting-context.js";
import { type Render, TemplateError, compileTemplate } from "./renderer.js";
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
    render = compileTemplate(loadTemplate(preset, part), `${key}.md.hbs`);
    cache.set(key, render);
  }
  return render;
}

/**
 * Renders a series' issue title from `series.issue.title` (Handlebars with `{{host}}`,
 * `{{name}}`, `{{date}}`, `{{id}}`). Runs of whitespace collapse to one space and the ends are
 * trimmed, so an empty `host` gives `Security team Meeting 2022-07-21`, not a leading space.
 */
export function renderTitle(view: Pick<MeetingView, "series" | "occurrence">): string {
  const render = compileTemplate(view.series.issue.title, "issue.title");
  const title = render(titleParts(view.series, view.occurrence.date)).replace(/\s+/g, " ").trim();
  if (title === "") throw new TemplateError("issue.title renders to an empty title");
  return title;
}

/**
 * Renders the meeting issue. `templateSource` is a repository's own template file (the caller
 * fetched `series.issue.template` from the repo); without it the bundled preset named by
 * `series.issue.template` is used. The body always ends with exactly one newline.
 */
export function renderIssue(view: MeetingView, templateSource?: string): RenderedIssue {
  const title = renderTitle(view);
  const context: MeetingContext = meetingContext(view, title);
  const render =
    templateSource !== undefined
      ? compileTemplate(templateSource, view.series.issue.template)
      : presetRender(view.series.issue.template, "issue");
  const body = render(context).replace(/\s+$/, "") + "\n";
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
