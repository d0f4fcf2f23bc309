import type { MeetingIdentity, MeetingSlot } from "../minutes-doc/backend.js";

/**
 * How a HackMD note says whose minutes it is. HackMD has no private app properties (Drive's
 * `appProperties`), so the note carries two things in its content: the tag {@link NOTE_TAG}
 * in its front-matter, which the App's look-up filters the workspace's list by, and a hidden
 * marker, an HTML comment on a line of its own at the end, naming the meeting:
 *
 *     <!-- wg-meetings-minutes {"repository":"nodejs/security-wg","series":"security-team","start":"2024-10-24T14:00:00.000Z"} -->
 *
 * Anyone who may edit the note can copy the marker elsewhere, so the marker alone is never
 * proof: a note is the meeting's only when it is also in the App's workspace (see meeting-note.ts).
 */

/** The tag every note the App makes carries (HackMD reads tags from the front-matter). */
export const NOTE_TAG = "wg-meetings";

/** What a marker records: the occurrence the note was made for, and the start a `/move` last gave it. */
export interface NoteMarker {
  repository: string;
  series: string;
  /** ISO start of the occurrence the note was created for. */
  start: string;
  /** ISO start the meeting was last moved to, if it was. */
  movedTo?: string | undefined;
}

const PREFIX = "<!-- wg-meetings-minutes ";
const SUFFIX = " -->";
const LINE = /^<!-- wg-meetings-minutes (.*) -->$/;

/**
 * The marker's line. `--` never appears inside it (it would end the HTML comment early and
 * show the rest on the page): JSON may write the second hyphen as `\u002d`, which parses back
 * to the same text.
 */
export function markerLine(marker: NoteMarker): string {
  const data: NoteMarker = { repository: marker.repository, series: marker.series, start: new Date(marker.start).toISOString() };
  if (marker.movedTo !== undefined) data.movedTo = new Date(marker.movedTo).toISOString();
  return `${PREFIX}${JSON.stringify(data).replace(/--/g, "-\\u002d")}${SUFFIX}`;
}

/** True for a line that is a marker (white space around it allowed), even one that no longer parses. */
export function isMarkerLine(line: string): boolean {
  return LINE.test(line.trim());
}

/** The marker a line holds; null when the line is not a well-formed marker. */
export function parseMarkerLine(line: string): NoteMarker | null {
  const match = LINE.exec(line.trim());
  if (!match) return null;
  let data: unknown;
  try {
    data = JSON.parse(match[1]!);
  } catch {
    return null;
  }
  if (typeof data !== "object" || data === null) return null;
  const { repository, series, start, movedTo } = data as Record<string, unknown>;
  if (typeof repository !== "string" || typeof series !== "string" || !isInstant(start)) return null;
  if (movedTo !== undefined && !isInstant(movedTo)) return null;
  return { repository, series, start, movedTo: movedTo as string | undefined };
}

function isInstant(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

/**
 * The note's marker: the last marker line in its content (the App writes it last; a copy
 * pasted above it does not count). Null when there is none.
 */
export function findMarker(content: string): NoteMarker | null {
  const lines = content.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    if (isMarkerLine(lines[i]!)) return parseMarkerLine(lines[i]!);
  }
  return null;
}

/** True when the marker names this occurrence as the one the note was created for. */
export function markerIsSlot(marker: NoteMarker | null, slot: MeetingSlot): boolean {
  return marker !== null && sameMeeting(marker, slot.repository, slot.series) && sameInstant(marker.start, slot.start);
}

/**
 * True when the marker names this meeting: same repository (GitHub's names ignore case), same
 * series, and its creation start or its moved-to start is one of the starts the meeting has had.
 */
export function markerIsMeeting(marker: NoteMarker | null, meeting: MeetingIdentity): boolean {
  if (marker === null || !sameMeeting(marker, meeting.repository, meeting.series)) return false;
  return meeting.starts.some((start) => sameInstant(marker.start, start) || (marker.movedTo !== undefined && sameInstant(marker.movedTo, start)));
}

function sameMeeting(marker: NoteMarker, repository: string, series: string): boolean {
  return marker.repository.toLowerCase() === repository.toLowerCase() && marker.series === series;
}

function sameInstant(a: string, b: string): boolean {
  const time = Date.parse(a);
  return !Number.isNaN(time) && time === Date.parse(b);
}
