import type { CreatedDoc, DocRequest } from "../minutes-doc/backend.js";
import type { HackmdClient } from "./client.js";
import { HackmdError } from "./errors.js";
import { isInWorkspace } from "./meeting-note.js";
import { renderNoteContent } from "./note-content.js";
import { findMarker, markerIsSlot, NOTE_TAG } from "./note-marker.js";
import { noteUrl } from "./note-url.js";
import { backoffDelay, pause } from "./retry.js";
import type { HackmdNote, HackmdSettings } from "./types.js";

/**
 * At most this many notes with the meeting's title and the App's tag are read when looking
 * for the meeting's note: HackMD allows 100 calls per 5 minutes (and a monthly quota), and
 * with the title in the filter more than one candidate is already rare (another repository's
 * meeting of the same name in the same workspace, or a copy).
 */
export const MAX_CANDIDATES = 5;

/**
 * Finds the occurrence's note by its tag, title and marker, or creates it; then makes sure
 * its read and write permissions are the configured ones. Safe to call again after any
 * failure: the next call finds what the last one created.
 *
 * The caller has checked the allow-list and the settings (hackmd-backend.ts).
 */
export async function ensureNote(client: HackmdClient, settings: HackmdSettings, request: DocRequest): Promise<CreatedDoc> {
  const found = await findNote(client, settings.team, request);
  if (found) {
    await ensurePermissions(client, settings, found);
    return { id: found.id, url: noteUrl(found.id), created: false };
  }
  const note = await createNote(client, settings, request);
  return { id: note.id, url: noteUrl(note.id), created: true };
}

/**
 * The note made for this occurrence in the workspace, if any: the list (one call, no content)
 * narrowed to notes with the App's tag and the request's title, oldest first, then each read
 * until one carries the occurrence's marker. Replicas racing may both have created one (the
 * use case claims creation, so only after a lost claim): the oldest wins.
 */
export async function findNote(client: HackmdClient, team: string | null, request: DocRequest): Promise<HackmdNote | null> {
  const listed = await client.listNotes(team);
  const candidates = listed
    .filter((note) => note.tags.includes(NOTE_TAG) && note.title.trim() === request.title.trim())
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, MAX_CANDIDATES);
  for (const candidate of candidates) {
    const note = await client.getNote(candidate.id);
    if (!markerIsSlot(findMarker(note.content), request.meeting)) continue;
    // The same proof openDoc asks for later: the note is in the workspace (it may have been
    // moved since it was listed; a personal note must be the token's user's own).
    const userPath = team === null && note.teamPath === null ? (await client.me()).userPath : null;
    if (isInWorkspace(note, team, userPath)) return note;
  }
  return null;
}

/**
 * Creates the note. A server error or a timeout may come after HackMD made it, so before each
 * new attempt the App looks again, and what it finds wins.
 */
async function createNote(client: HackmdClient, settings: HackmdSettings, request: DocRequest): Promise<HackmdNote> {
  const { meeting } = request;
  const body = {
    title: request.title,
    content: renderNoteContent(request.title, request.markdown, { repository: meeting.repository, series: meeting.series, start: meeting.start }),
    readPermission: settings.readPermission,
    writePermission: settings.writePermission,
    commentPermission: settings.commentPermission,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.createNote(settings.team, body);
    } catch (error) {
      if (!(error instanceof HackmdError) || !error.mayHaveHappened || attempt >= client.retry.retries) throw error;
      await pause(client.retry, backoffDelay(client.retry, attempt + 1));
      const found = await findNote(client, settings.team, request);
      if (found) return found;
    }
  }
}

/**
 * Sets the note's read and write permissions when they differ from the config (someone
 * changed them, or the config did). HackMD's API reports no comment permission, so that one
 * is set when the note is created only.
 */
async function ensurePermissions(client: HackmdClient, settings: HackmdSettings, note: HackmdNote): Promise<void> {
  if (note.readPermission === settings.readPermission && note.writePermission === settings.writePermission) return;
  await client.updateNote(settings.team, note.id, { readPermission: settings.readPermission, writePermission: settings.writePermission });
}
