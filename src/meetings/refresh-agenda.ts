import type { Agenda } from "../agenda/types.js";
import type { SeriesConfig } from "../config/schema.js";
import type { GitHub, Log, RepoRef } from "../github/client.js";
import { searchAgenda } from "../github/search-agenda.js";
import { markerDocUrl } from "../minutes-doc/doc-ref.js";
import { readSection, replaceSection } from "../render/sections.js";
import { renderIssue } from "../render/templates.js";
import { scheduleFromConfig, seriesZone } from "../schedule/occurrences.js";
import type { Occurrence } from "../schedule/types.js";
import type { MeetingMarker } from "../state/meeting-marker.js";
import type { FollowUp } from "../render/types.js";

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
  /**
   * What earlier meetings left for this one (follow-up.ts): the agenda marks items carried over
   * from them, and the open action items section is brought up to date in the same edit. Without
   * it, no item is marked and the action items are left as they are.
   */
  followUp?: FollowUp | undefined;
}

/** The occurrence a meeting issue stands for, from its marker (moved meetings included). */
export function markerOccurrence(series: SeriesConfig, marker: MeetingMarker): Occurrence {
  // Markers written before they recorded their zone fall back to the series' own zone.
  const zone = marker.zone ?? seriesZone(scheduleFromConfig(series.schedule)) ?? "UTC";
  return { start: new Date(marker.at), zone, date: marker.date };
}

/**
 * Brings the agenda section (and, given `followUp` with action items, the open action items
 * section) of an open meeting issue up to date: one search, and one edit only if a section changed. Only the text between the agenda markers is replaced — never what
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
      docUrl: issue.marker.doc ? markerDocUrl(issue.marker.doc) : null,
      issueUrl: null,
      repository: repo,
      publicUrl: input.publicUrl ?? null,
      followUp: input.followUp ?? null,
    },
    input.templateSource,
  );
  const section = readSection(rendered.body, "agenda");
  // The action items are rewritten only when they were read (a failed listing leaves them be).
  const actions = input.followUp?.openActionItems ? readSection(rendered.body, "actions") : null;
  if (section === null && actions === null) return { action: "skipped", why: "the issue template has no agenda section" };

  // Re-read right before writing: an edit made since the issue was listed is kept.
  const { data } = await gh.rest.issues.get({ ...repo, issue_number: issue.number });
  const body = data.body ?? "";
  const agendaEdit = section === null ? { skipped: "the issue template has no agenda section" } : agendaChange(body, section, searchedAt);
  let next = "body" in agendaEdit ? agendaEdit.body : body;
  const currentActions = readSection(body, "actions");
  const actionsChanged = actions !== null && currentActions !== null && currentActions !== actions;
  if (actionsChanged) next = replaceSection(next, "actions", actions);

  if (next === body) {
    if ("skipped" in agendaEdit) return { action: "skipped", why: agendaEdit.skipped };
    return { action: "unchanged", items: agenda.count };
  }
  await gh.rest.issues.update({ ...repo, issue_number: issue.number, body: next });
  const ctx = { repo: `${repo.owner}/${repo.repo}`, issue: issue.number };
  if ("body" in agendaEdit) log.info({ ...ctx, items: agenda.count }, "agenda updated");
  if (actionsChanged) log.info({ ...ctx, actionItems: input.followUp?.openActionItems?.total ?? 0 }, "open action items updated");
  return { action: "updated", items: agenda.count };
}

/**
 * The body with its agenda section replaced by `section` (stamped), or why it stays: the
 * section is gone, already says this, or holds a list from a later search.
 */
function agendaChange(body: string, section: string, searchedAt: Date): { body: string } | { skipped: string } | { same: true } {
  const current = readSection(body, "agenda");
  if (current === null) return { skipped: "the issue has no agenda markers (edited away)" };
  if (withoutStamp(current) === section) return { same: true };
  const written = readStamp(current);
  // Another run searched after this one and already wrote its (fresher) list.
  if (written && written > searchedAt) return { skipped: "a fresher agenda was written meanwhile" };
  return { body: replaceSection(body, "agenda", `${section}${stampOf(searchedAt)}`) };
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
