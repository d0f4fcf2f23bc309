import type { Agenda } from "../agenda/types.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { searchAgenda } from "../github/search-agenda.js";
import { docUrl } from "../google/minutes-doc.js";
import { readSection, replaceSection } from "../render/sections.js";
import { renderIssue } from "../render/templates.js";
import { scheduleFromConfig, seriesZone } from "../schedule/occurrences.js";
import type { Occurrence } from "../schedule/types.js";
import type { MeetingMarker } from "../state/meeting-marker.js";

export type RefreshResult =
  | { action: "updated" | "unchanged"; items: number }
  | { action: "skipped"; why: string };

export interface RefreshInput {
  gh: GitHub;
  repo: RepoRef;
  series: SeriesConfig;
  issue: { number: number; state: "open" | "closed"; marker: MeetingMarker };
  now: Date;
  log: Log;
  /** A template file from the repository, when `issue.template` names one. */
  templateSource?: string | undefined;
  /** An agenda already gathered for this series in this run, and when its search began. */
  agenda?: Agenda;
  searchedAt?: Date;
  /** The App's public URL, for calendar feed links. */
  publicUrl?: URL | null;
}

/** The occurrence a meeting issue stands for, from its marker (moved meetings included). */
export function markerOccurrence(series: SeriesConfig, marker: MeetingMarker): Occurrence {
  // Markers written before they recorded their zone fall back to the series' own zone.
  const zone = marker.zone ?? seriesZone(scheduleFromConfig(series.schedule)) ?? "UTC";
  return { start: new Date(marker.at), zone, date: marker.date };
}

/**
 * Brings the agenda section of an open meeting issue up to date: one search, and one edit only
 * if the section changed. Only the text between the agenda markers is replaced — never what
 * people wrote — and nothing is touched once the meeting has started or the issue is closed.
 *
 * The section is rebuilt from a complete search each time rather than patched item by item,
 * so concurrent refreshes cannot lose an item for good: the last write holds a whole list, and
 * the next refresh (the tick runs regularly) repairs a write that raced an older search.
 */
export async function refreshAgenda(input: RefreshInput): Promise<RefreshResult> {
  const { gh, repo, series, issue, log } = input;
  const occurrence = markerOccurrence(series, issue.marker);
  if (issue.state !== "open") return { action: "skipped", why: "the meeting issue is closed" };
  if (input.now >= occurrence.start) return { action: "skipped", why: "the meeting has started" };

  // When this run's search began: a list written by a run that searched later is fresher.
  const searchedAt = input.agenda && input.searchedAt ? input.searchedAt : new Date();
  const agenda =
    input.agenda ?? (await searchAgenda((query, variables) => gh.graphql(query, variables), series.agenda, log)).agenda;
  const rendered = renderIssue(
    {
      series,
      occurrence,
      agenda,
      docUrl: issue.marker.doc ? docUrl(issue.marker.doc) : null,
      issueUrl: null,
      repository: repo,
      publicUrl: input.publicUrl ?? null,
    },
    input.templateSource,
  );
  const section = readSection(rendered.body, "agenda");
  if (section === null) return { action: "skipped", why: "the issue template has no agenda section" };

  // Re-read right before writing: an edit made since the issue was listed is kept.
  const { data } = await gh.rest.issues.get({ ...repo, issue_number: issue.number });
  const body = data.body ?? "";
  const current = readSection(body, "agenda");
  if (current === null) return { action: "skipped", why: "the issue has no agenda markers (edited away)" };
  const written = readStamp(current);
  if (withoutStamp(current) === section) return { action: "unchanged", items: agenda.count };
  if (written && written > searchedAt) {
    // Another run searched after this one and already wrote its (fresher) list.
    return { action: "skipped", why: "a fresher agenda was written meanwhile" };
  }
  const stamped = `${section}${stampOf(searchedAt)}`;
  await gh.rest.issues.update({ ...repo, issue_number: issue.number, body: replaceSection(body, "agenda", stamped) });
  log.info({ repo: `${repo.owner}/${repo.repo}`, issue: issue.number, items: agenda.count }, "agenda updated");
  return { action: "updated", items: agenda.count };
}

/**
 * The agenda section records, invisibly, when the search behind it began, so a run whose
 * search is older never overwrites a fresher list (two refreshes racing: the later search wins,
 * whichever writes last).
 */
const STAMP = /<!-- searched (\d{4}-\d{2}-\d{2}T[\d:.]+Z) -->$/;

function stampOf(date: Date): string {
  return `<!-- searched ${date.toISOString()} -->`;
}

function readStamp(section: string): Date | null {
  const match = STAMP.exec(section);
  return match?.[1] ? new Date(match[1]) : null;
}

function withoutStamp(section: string): string {
  return section.replace(STAMP, "");
}
