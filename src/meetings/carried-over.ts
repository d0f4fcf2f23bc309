import type { MeetingIssue } from "../github/meeting-issues.js";
import { readSection } from "../render/sections.js";

/**
 * Agenda items carried over from earlier meetings (issue 13). Nothing is stored: the earlier
 * meeting issues' own agenda sections say what was on their agendas. Only what the App wrote
 * counts: the callers pass the App's own meeting issues (listed by creator), and only the
 * agenda section between its markers is read — never the rest of the body, where people write.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The link of each item in an agenda section as the App renders it: `[#123](URL)`. A title
 * cannot forge one: titles arrive escaped (`\[`), so only a bracket without a backslash
 * before it starts a link here.
 */
const ITEM_LINK = /(?<!\\)\[#\d+\]\((https?:\/\/[^\s()<>]+)\)/g;

/** The item URLs an issue body's agenda section links, exactly as written; empty without the section. */
export function agendaUrls(body: string): Set<string> {
  const section = readSection(body, "agenda");
  const urls = new Set<string>();
  if (section === null) return urls;
  for (const match of section.matchAll(ITEM_LINK)) urls.add(match[1]!);
  return urls;
}

/**
 * For the meeting of `series` starting at `at`: each item URL that was on the agenda of the
 * meeting just before, mapped to the date of the first meeting of the unbroken run of earlier
 * meetings whose agendas had it. An item that left the agenda and came back later starts a new
 * run: it is carried over from where it came back, not from its first appearance long ago.
 *
 * Cancelled meetings are not counted (nothing was discussed). A meeting whose agenda section is
 * gone (a template without one, or edited away) ends every run: what it listed is unknown. Only
 * the meetings in `meetings` are seen, so a run is cut where the listing ends.
 */
export function carriedOver(meetings: readonly MeetingIssue[], series: string, at: string): Map<string, string> {
  const here = Date.parse(at);
  const earlier = meetings
    .filter((meeting) => meeting.marker.series === series && !meeting.marker.cancelled && Date.parse(meeting.marker.at) < here)
    .sort((a, b) => Date.parse(b.marker.at) - Date.parse(a.marker.at));
  const from = new Map<string, string>();
  let running: Set<string> | null = null;
  for (const meeting of earlier) {
    if (!DATE.test(meeting.marker.date)) break;
    const urls = agendaUrls(meeting.body);
    // The first (newest) meeting decides which items run at all; older ones only extend runs.
    const still: Set<string> = running === null ? urls : new Set([...running].filter((url) => urls.has(url)));
    for (const url of still) from.set(url, meeting.marker.date);
    if (still.size === 0) break;
    running = still;
  }
  return from;
}
