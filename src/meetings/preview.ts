import type { Agenda } from "../agenda/types.js";
import type { MeetingsConfig, SeriesConfig } from "../config/schema.js";
import { occurrenceSource, type OccurrenceSourceIo } from "../schedule/occurrence-source.js";
import { scheduleFromConfig, seriesZone } from "../schedule/occurrences.js";
import { localDate } from "../schedule/time-table.js";
import type { Occurrence } from "../schedule/types.js";
import { stripSectionMarkers } from "../render/sections.js";
import { composeMinutes } from "../minutes/compose-minutes.js";
import { renderIssue, renderMinutesDoc } from "../render/templates.js";

/** Picks the series to preview: the one named, or the only/first one. */
export function selectSeries(config: MeetingsConfig, id?: string): SeriesConfig {
  if (id === undefined) return config.meetings[0]!;
  const series = config.meetings.find((candidate) => candidate.id === id);
  if (!series) {
    const ids = config.meetings.map((candidate) => candidate.id).join(", ");
    throw new Error(`no meeting series "${id}" in the config (it has: ${ids})`);
  }
  return series;
}

/**
 * The occurrence to preview: exactly `at` (an instant), the series' meeting on `date`, or
 * else its next meeting after `now`. Calendar schedules read their calendar through `io`.
 */
export async function selectOccurrence(
  series: SeriesConfig,
  choice: { at?: string; date?: string; now: Date },
  io: OccurrenceSourceIo,
): Promise<Occurrence> {
  const schedule = scheduleFromConfig(series.schedule);
  if (choice.at !== undefined) {
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(choice.at) || Number.isNaN(Date.parse(choice.at))) {
      throw new Error(`--at: expected an ISO-8601 instant with a zone, e.g. 2022-07-21T14:00:00Z (got "${choice.at}")`);
    }
    const start = new Date(choice.at);
    // A calendar schedule without a configured zone dates its meetings in UTC here.
    const zone = seriesZone(schedule) ?? "UTC";
    return { start, zone, date: localDate(start, zone) };
  }
  const source = occurrenceSource(schedule, io);
  if (choice.date !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(choice.date)) throw new Error(`--date: expected YYYY-MM-DD (got "${choice.date}")`);
    const occurrence = await source.onDate(choice.date);
    if (!occurrence) {
      const next = await source.next(new Date(`${choice.date}T00:00:00Z`));
      const hint = next ? ` (the next one is on ${next.date})` : "";
      throw new Error(`series "${series.id}" has no meeting on ${choice.date}${hint}`);
    }
    return occurrence;
  }
  const next = await source.next(choice.now);
  if (!next) throw new Error(`series "${series.id}" has no upcoming meeting`);
  return next;
}

/** The parts `preview` can show. */
export const PREVIEW_PARTS = ["issue", "doc", "minutes"] as const;
export type PreviewPart = (typeof PREVIEW_PARTS)[number];

const ISSUE_PLACEHOLDER = "https://github.com/OWNER/REPO/issues/NUMBER";

/**
 * Renders what the App would write for one occurrence, as Markdown: the meeting issue, the
 * minutes doc it drafts, or the minutes file `/minutes` would commit (from the agenda alone:
 * a preview has no doc to export). The issue does not exist yet, so its link is a visible
 * stand-in.
 */
export function renderPreview(input: {
  series: SeriesConfig;
  occurrence: Occurrence;
  agenda: Agenda;
  part: PreviewPart;
  templateSource?: string;
}): string {
  if (input.part === "doc") {
    const doc = renderMinutesDoc({ ...input, docUrl: null, issueUrl: ISSUE_PLACEHOLDER });
    return doc.markdown;
  }
  if (input.part === "minutes") {
    return composeMinutes({
      view: input,
      issueUrl: ISSUE_PLACEHOLDER,
      docUrl: null,
      recordingUrl: null,
      exported: null,
      present: [],
    });
  }
  const rendered = renderIssue(
    { series: input.series, occurrence: input.occurrence, agenda: input.agenda, docUrl: null, issueUrl: null },
    input.templateSource,
  );
  // The markers of the sections the App keeps up to date are invisible on GitHub; the preview
  // shows the issue as people read it.
  return `# ${rendered.title}\n\n${stripSectionMarkers(rendered.body).replace(/\s+$/, "")}\n`;
}
