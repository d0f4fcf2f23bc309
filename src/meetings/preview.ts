import type { Agenda } from "../agenda/types.js";
import type { MeetingsConfig, SeriesConfig } from "../config/schema.js";
import { nextOccurrence, occurrenceOnDate, scheduleFromConfig } from "../schedule/occurrences.js";
import { parseRepeatingInterval } from "../schedule/repeating-interval.js";
import { localDate } from "../schedule/time-table.js";
import type { Occurrence, Schedule } from "../schedule/types.js";
import { renderIssue } from "../render/templates.js";

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

/** The zone a schedule's wall-clock times belong to. */
export function scheduleZone(schedule: Schedule): string {
  return schedule.kind === "rrule" ? schedule.zone : parseRepeatingInterval(schedule.interval).zone;
}

/**
 * The occurrence to preview: exactly `at` (an instant), the series' meeting on `date`, or
 * else its next meeting after `now`.
 */
export function selectOccurrence(series: SeriesConfig, choice: { at?: string; date?: string; now: Date }): Occurrence {
  const schedule = scheduleFromConfig(series.schedule);
  const zone = scheduleZone(schedule);
  if (choice.at !== undefined) {
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(choice.at) || Number.isNaN(Date.parse(choice.at))) {
      throw new Error(`--at: expected an ISO-8601 instant with a zone, e.g. 2022-07-21T14:00:00Z (got "${choice.at}")`);
    }
    const start = new Date(choice.at);
    return { start, zone, date: localDate(start, zone) };
  }
  if (choice.date !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(choice.date)) throw new Error(`--date: expected YYYY-MM-DD (got "${choice.date}")`);
    const occurrence = occurrenceOnDate(schedule, choice.date);
    if (!occurrence) {
      const next = nextOccurrence(schedule, new Date(`${choice.date}T00:00:00Z`));
      const hint = next ? ` (the next one is on ${next.date})` : "";
      throw new Error(`series "${series.id}" has no meeting on ${choice.date}${hint}`);
    }
    return occurrence;
  }
  const next = nextOccurrence(schedule, choice.now);
  if (!next) throw new Error(`series "${series.id}" has no upcoming meeting`);
  return next;
}

/** Renders what the App would post for one occurrence, as Markdown. */
export function renderPreview(input: {
  series: SeriesConfig;
  occurrence: Occurrence;
  agenda: Agenda;
  part: "issue";
  templateSource?: string;
}): string {
  const rendered = renderIssue(
    { series: input.series, occurrence: input.occurrence, agenda: input.agenda, docUrl: null, issueUrl: null },
    input.templateSource,
  );
  return `# ${rendered.title}\n\n${rendered.body.replace(/\s+$/, "")}\n`;
}
