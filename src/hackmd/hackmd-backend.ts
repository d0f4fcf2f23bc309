import type { CheckedDoc, MeetingIdentity, MinutesBackend } from "../minutes-doc/backend.js";
import { requireWorkspaceAllowed } from "./allow-list.js";
import type { HackmdClient } from "./client.js";
import { ensureNote } from "./ensure-note.js";
import { HackmdError } from "./errors.js";
import { NoteMismatchError, openMeetingNote, requireChecked, type MeetingNote } from "./meeting-note.js";
import { movedNoteContent, noteMarkdown } from "./note-content.js";
import { findMarker } from "./note-marker.js";
import { hackmdSettingsProblem } from "./permissions.js";
import type { HackmdSettings } from "./types.js";

/**
 * The HackMD minutes backend for one series: `settings` is its `minutes.hackmd`, `owner` the
 * GitHub owner of the repository its meetings are in (for the operator's allow-list). Every
 * call first checks that the allow-list names the workspace for the owner and that the
 * settings are ones HackMD takes: a refusal asks nothing of HackMD.
 *
 * @example
 * const client = await loadHackmd(process.env);
 * if (client) await hackmdBackend(client, series.minutes.hackmd, "nodejs").ensureDoc(request);
 */
export function hackmdBackend(client: HackmdClient, settings: HackmdSettings, owner: string): MinutesBackend {
  const preflight = (): void => {
    requireWorkspaceAllowed(client.allow, settings.team, owner);
    const problem = hackmdSettingsProblem(settings);
    if (problem) throw new HackmdError("failed", problem);
  };
  /** A handle for this series' workspace (a config changed since it was opened does not count). */
  const checked = (doc: CheckedDoc): MeetingNote => {
    const note = requireChecked(doc);
    if ((note.team?.toLowerCase() ?? null) !== (settings.team?.toLowerCase() ?? null)) throw new NoteMismatchError({ part: "workspace", found: note.team ?? "" });
    return note;
  };
  return {
    kind: "hackmd",
    async ensureDoc(request) {
      preflight();
      return ensureNote(client, settings, request);
    },
    async openDoc(id: string, meeting: MeetingIdentity) {
      preflight();
      return openMeetingNote(client, settings.team, id, meeting);
    },
    async exportMarkdown(doc) {
      preflight();
      // The note as read by openDoc, moments ago: reading it again would spend a call of the quota.
      return noteMarkdown(checked(doc).note.content);
    },
    async moveDoc(doc, to) {
      preflight();
      const handle = checked(doc);
      // Read again right before writing, so an edit made since openDoc is kept, and check again.
      const fresh = await openMeetingNote(client, handle.team, handle.id, handle.meeting);
      const marker = findMarker(fresh.note.content)!;
      const content = movedNoteContent(fresh.note.content, fresh.note.title, to, marker);
      await client.updateNote(handle.team, handle.id, { content });
    },
  };
}
