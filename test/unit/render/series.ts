import { readFileSync } from "node:fs";
import { groupAgenda } from "../../../src/agenda/group-agenda.js";
import { parseAgendaFile } from "../../../src/agenda/parse-agenda-file.js";
import type { AgendaItem } from "../../../src/agenda/types.js";
import { parseConfigText } from "../../../src/config/load-config.js";
import { type SeriesConfig, seriesSchema } from "../../../src/config/schema.js";
import type { MeetingView } from "../../../src/render/types.js";
import { stripSectionMarkers } from "../../../src/render/sections.js";
import { renderIssue } from "../../../src/render/templates.js";

const root = new URL("../../../", import.meta.url);

/** The Node.js Security WG series from examples/nodejs-security-wg.yml (so the example is validated too). */
export function nodejsSeries(): SeriesConfig {
  const result = parseConfigText(readFileSync(new URL("examples/nodejs-security-wg.yml", root), "utf8"));
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.config.meetings[0]!;
}

/** A minimal series on the default preset and default time zones. */
export function defaultSeries(overrides: Record<string, unknown> = {}): SeriesConfig {
  return seriesSchema.parse({
    id: "tooling",
    name: "Tooling group",
    host: "Example",
    schedule: { rrule: "FREQ=WEEKLY;BYDAY=TU", start: "2024-10-22T16:00", zone: "Europe/Berlin" },
    agenda: { label: "tooling-agenda", orgs: ["example"], repos: ["other/tools"] },
    issue: { invited: ["Tooling team: @example/tooling"], joining: "* Call: <https://meet.example/abc>" },
    minutes: { doc: "google", google: { folder: "FOLDER1" } },
    ...overrides,
  });
}

/** Agenda items from a JSON file under the repository root. */
export function itemsFrom(path: string): AgendaItem[] {
  return parseAgendaFile(readFileSync(new URL(path, root), "utf8"), path);
}

/** The 2022-07-21 meeting (14:00 UTC) with the six agenda items of its real minutes. */
export function july21(overrides: Partial<MeetingView> = {}): MeetingView {
  return {
    series: nodejsSeries(),
    occurrence: { start: new Date("2022-07-21T14:00:00Z"), zone: "America/New_York", date: "2022-07-21" },
    agenda: groupAgenda(itemsFrom("examples/agenda-2022-07-21.json")),
    docUrl: null,
    issueUrl: null,
    ...overrides,
  };
}

/**
 * The issue as people read it: the inline markers of the sections the App keeps up to date are
 * invisible on GitHub, so the format tests compare what is left.
 */
export function visibleIssue(view: MeetingView, templateSource?: string) {
  const rendered = renderIssue(view, templateSource);
  return { ...rendered, body: stripSectionMarkers(rendered.body) };
}
