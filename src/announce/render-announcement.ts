import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AnnounceMoment } from "../config/announce-schema.js";
import { compileTemplate, type Render } from "../render/renderer.js";
import { formatInZone } from "../schedule/time-table.js";
import type { ChatMessage } from "../chat/types.js";

/**
 * The text of a chat announcement, from a small Handlebars template per moment
 * (`templates/default/announce/<moment>.hbs`, or a repository's own file named in
 * `announce.templates`), rendered by the App's renderer under its rules (no partials, no `log`,
 * bounded output; see src/render/renderer.ts).
 *
 * The message is the chat gateway's small Markdown (src/chat/markdown.ts: lines, `- ` items,
 * `**bold**`, `[text](https://…)` links; everything else shows as written, and each service's
 * writer escapes its own syntax). Text the App does not control (the issue title, action items
 * written in the minutes) is made inert in that Markdown by {@link chatText}: one line, cut to
 * length, no `**` or `](` that would start bold or a link, mentions broken. Then the whole
 * message, a repository's own template included, has every mention shape broken (`@channel`,
 * `@here`, `@everyone`, Matrix's `@room`, Zulip's `@**all**`, Slack's `<!channel>`), so an
 * announcement never pings anybody.
 */

/** What an announcement's template may use; every key is always there (strict rendering). */
export interface AnnouncementContext {
  moment: AnnounceMoment;
  /** The meeting issue's title, escaped. */
  title: string;
  /** The series' id, name and host (name and host escaped). */
  id: string;
  name: string;
  host: string;
  /** The start instant (for `formatInZone`). */
  start: Date;
  /** The meeting's zone (IANA). */
  zone: string;
  /** `2024-10-24 14:00 UTC`. */
  utc: string;
  /** `Thu 24 Oct 2024 10:00 America/New_York`: the start on the series' clock. */
  local: string;
  /** For reminders: how long before the start, in words (`1 hour`, `1 day`); else null. */
  lead: string | null;
  /** For a move: the start it moved from, as `utc`; else null. */
  movedFrom: string | null;
  issueUrl: string;
  /** The minutes doc, when the issue links one. */
  docUrl: string | null;
  /** For `merged`: the minutes file's path and link, else null. */
  minutesPath: string | null;
  minutesUrl: string | null;
  /** For `merged`: the action items not done, escaped, at most {@link MAX_LISTED_ITEMS}. */
  actionItems: Array<{ text: string; owners: string; url: string | null }>;
  /** How many action items were left out of `actionItems`. */
  moreActionItems: number;
}

/** What the caller knows about the meeting and the moment. */
export interface AnnouncementFacts {
  moment: AnnounceMoment;
  title: string;
  series: { id: string; name: string; host: string };
  start: Date;
  zone: string;
  lead?: string | undefined;
  movedFrom?: string | undefined;
  issueUrl: string;
  docUrl: string | null;
  minutes?: { path: string; url: string } | undefined;
  actionItems?: ReadonlyArray<{ text: string; owners: readonly string[]; url?: string | null | undefined }> | undefined;
}

/** The most action items one message lists; the rest are counted. */
export const MAX_LISTED_ITEMS = 10;

/** The longest message: Discord takes 2,000 characters, and a message is read in passing. */
export const MAX_MESSAGE_CHARS = 1800;

/** Each action item's text is cut to this many code points. */
const MAX_ITEM_CHARS = 200;

const ZWSP = "\u200B";

const TEMPLATES_DIR = new URL("../../templates/default/announce/", import.meta.url);
const defaults = new Map<AnnounceMoment, Render>();

/** The bundled template of a moment, compiled once. */
function defaultRender(moment: AnnounceMoment): Render {
  let render = defaults.get(moment);
  if (!render) {
    const source = readFileSync(fileURLToPath(new URL(`${moment}.hbs`, TEMPLATES_DIR)), "utf8");
    render = compileTemplate(source, `templates/default/announce/${moment}.hbs`);
    defaults.set(moment, render);
  }
  return render;
}

/** The template context of an announcement (pure). */
export function announcementContext(facts: AnnouncementFacts): AnnouncementContext {
  const items = (facts.actionItems ?? []).slice(0, MAX_LISTED_ITEMS);
  return {
    moment: facts.moment,
    title: chatText(facts.title),
    id: facts.series.id,
    name: chatText(facts.series.name),
    host: chatText(facts.series.host),
    start: facts.start,
    zone: facts.zone,
    utc: utcText(facts.start),
    local: `${formatInZone(facts.start, facts.zone, "EEE d MMM yyyy HH:mm")} ${facts.zone}`,
    lead: facts.lead ? leadText(facts.lead) : null,
    movedFrom: facts.movedFrom ? utcText(new Date(facts.movedFrom)) : null,
    issueUrl: facts.issueUrl,
    docUrl: facts.docUrl,
    minutesPath: facts.minutes ? chatText(facts.minutes.path) : null,
    minutesUrl: facts.minutes?.url ?? null,
    actionItems: items.map((item) => ({
      text: chatText(item.text, MAX_ITEM_CHARS),
      owners: item.owners.map((owner) => chatText(owner, 40)).join(", "),
      url: item.url ?? null,
    })),
    moreActionItems: Math.max(0, (facts.actionItems?.length ?? 0) - items.length),
  };
}

/**
 * Renders an announcement: with `templateSource` (a repository's file, `templateName` its path)
 * or the bundled default of the moment. Throws a TemplateError naming the template when it
 * cannot be rendered.
 */
export function renderAnnouncement(facts: AnnouncementFacts, template?: { source: string; name: string }): ChatMessage {
  const render = template ? compileTemplate(template.source, template.name) : defaultRender(facts.moment);
  const text = render(announcementContext(facts))
    .replace(/\r\n?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { text: fitMessage(noMassMentions(text)) };
}

/**
 * Breaks every mention shape with a zero-width space: `@name`, `@channel`, `@**all**`,
 * `@_**x**`, `@\*\*all\*\*` (escaped), `<!here>`, `<@U123>`. An `@` inside a word (an email address) is left alone.
 */
export function noMassMentions(text: string): string {
  return text.replace(/(^|[^A-Za-z0-9._%+-])@(?=[A-Za-z0-9_*!\\])/g, `$1@${ZWSP}`).replace(/<([!@#])/g, `<${ZWSP}$1`);
}

/**
 * Untrusted text made inert in the chat's small Markdown, shown as written: whitespace runs
 * (new lines included) become one space, controls and bidi overrides go, `**` and `](` are
 * split by a zero-width space (no bold, no link), and so is every `@` (no mention). Cut to
 * `max` code points.
 */
export function chatText(raw: string, max = 256): string {
  const line = raw
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    .replace(/[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g, "")
    .replace(/[\s\u0085\u2028\u2029]+/g, " ")
    .trim();
  return cut(line, max)
    .replace(/\*(?=\*)/g, `*${ZWSP}`)
    .replace(/\](?=\()/g, `]${ZWSP}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/<(?=[!@#])/g, `<${ZWSP}`);
}

/** Cuts a long message at a line end, marking the cut. */
function fitMessage(text: string): string {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  const head = text.slice(0, MAX_MESSAGE_CHARS - 2);
  const end = head.lastIndexOf("\n");
  return `${(end > 0 ? head.slice(0, end) : head).trimEnd()}\n…`;
}

function cut(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max).join("").trimEnd()}…`;
}

/** `2024-10-24 14:00 UTC`. */
function utcText(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `PT1H` → `1 hour`, `P1DT2H` → `1 day 2 hours`, `PT90M` → `90 minutes`. */
export function leadText(lead: string): string {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(lead);
  if (!match) return lead;
  const units = ["week", "day", "hour", "minute", "second"];
  const parts = match.slice(1).flatMap((value, index) => {
    const n = Number(value ?? 0);
    return n > 0 ? [`${n} ${units[index]}${n === 1 ? "" : "s"}`] : [];
  });
  return parts.length > 0 ? parts.join(" ") : lead;
}
