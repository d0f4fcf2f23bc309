import type { CheckedDoc, MeetingIdentity } from "../minutes-doc/backend.js";
import { isNoteId, type HackmdClient } from "./client.js";
import { HackmdError } from "./errors.js";
import { findMarker, markerIsMeeting, type NoteMarker } from "./note-marker.js";
import type { HackmdNote, HackmdNoteSummary } from "./types.js";

/**
 * The note id in a meeting issue's marker is text anyone who may edit the issue can change,
 * and the note's own marker is text anyone who may edit the note can copy. So before the App
 * reads or writes a note it did not just find itself, it reads the note and goes on only when
 * both hold: the note is in the App's workspace (the configured team, or the API token's own
 * workspace) and its marker names this meeting. {@link openMeetingNote} is that check, and
 * {@link MeetingNote} the only way past it.
 */

/** Why a note is not the meeting's, for the App's logs (never for a public reply). */
export type NoteMismatch =
  /** The id is not one HackMD makes; nothing was asked. */
  | { part: "id" }
  /** The note is in another workspace (`found`: its team or user path). */
  | { part: "workspace"; found: string }
  /** The note carries no marker of the App's. */
  | { part: "no-marker" }
  /** The marker names another repository, series or start (`found`: what it names). */
  | { part: "repository" | "series" | "occurrence"; found: string };

/** A note is not the meeting's. The message is public-safe; `mismatch` is for logs only. */
export class NoteMismatchError extends HackmdError {
  readonly mismatch: NoteMismatch;

  constructor(mismatch: NoteMismatch) {
    super("not-this-meeting", "the HackMD note linked from this issue does not belong to this meeting");
    this.mismatch = mismatch;
  }
}

const ISSUE: unique symbol = Symbol("MeetingNote");

/**
 * A note checked to belong to a meeting. Only {@link openMeetingNote} makes one (the
 * constructor needs a module-private token), and the backend's export and move take nothing
 * else. It keeps the note as read (private, so logging the handle prints no minutes).
 */
export class MeetingNote implements CheckedDoc {
  readonly #checked = true;
  readonly #note: HackmdNote;
  readonly id: string;
  readonly meeting: MeetingIdentity;
  /** The workspace the note was found in: a team's path, or null for the token's own. */
  readonly team: string | null;

  constructor(token: typeof ISSUE, note: HackmdNote, meeting: MeetingIdentity, team: string | null) {
    if (token !== ISSUE) throw new Error("a MeetingNote comes from openMeetingNote only");
    this.#note = note;
    this.id = note.id;
    this.meeting = meeting;
    this.team = team;
  }

  /** The note as it was read when checked. */
  get note(): HackmdNote {
    return this.#note;
  }

  /** True for a handle {@link openMeetingNote} made (a cast, a copy or Google's handle is not one). */
  static isChecked(value: unknown): value is MeetingNote {
    return typeof value === "object" && value !== null && #checked in value;
  }
}

/** Throws unless `doc` is a handle this backend made: the types cannot say so across backends. */
export function requireChecked(doc: CheckedDoc): MeetingNote {
  if (!MeetingNote.isChecked(doc)) throw new Error("refusing a doc that the HackMD backend's openDoc did not check");
  return doc;
}

/**
 * Whether a note is the meeting's; null when it is, else why not. `userPath` is the API
 * token's user's, needed only when `team` is null.
 */
export function noteMismatch(note: HackmdNote, meeting: MeetingIdentity, team: string | null, userPath: string | null): NoteMismatch | null {
  if (!isInWorkspace(note, team, userPath)) return { part: "workspace", found: note.teamPath ?? note.userPath ?? "" };
  const marker = findMarker(note.content);
  if (markerIsMeeting(marker, meeting)) return null;
  return markerMismatch(marker, meeting);
}

/**
 * True when the note is in the workspace: the team's (its path compared without case, as
 * HackMD's URLs do), or, with `team` null, no team's and the token's user's (`userPath`).
 */
export function isInWorkspace(note: HackmdNoteSummary, team: string | null, userPath: string | null): boolean {
  if (team !== null) return note.teamPath?.toLowerCase() === team.toLowerCase();
  return note.teamPath === null && userPath !== null && note.userPath === userPath;
}

function markerMismatch(marker: NoteMarker | null, meeting: MeetingIdentity): NoteMismatch {
  if (marker === null) return { part: "no-marker" };
  const found = `${marker.repository}#${marker.series}@${marker.movedTo ?? marker.start}`;
  if (marker.repository.toLowerCase() !== meeting.repository.toLowerCase()) return { part: "repository", found };
  if (marker.series !== meeting.series) return { part: "series", found };
  return { part: "occurrence", found };
}

/**
 * Reads the note (one `GET /notes/{id}`, and `GET /me` once per client for the token's own
 * workspace) and returns a checked handle if it is the meeting's.
 *
 * @throws NoteMismatchError when it is not; HackmdError when HackMD cannot be asked.
 */
export async function openMeetingNote(client: HackmdClient, team: string | null, id: string, meeting: MeetingIdentity): Promise<MeetingNote> {
  if (!isNoteId(id)) throw new NoteMismatchError({ part: "id" });
  const note = await client.getNote(id);
  // Only the token's own workspace needs to know whose it is; a team note is told by its path.
  const userPath = team === null && note.teamPath === null ? (await client.me()).userPath : null;
  const mismatch = noteMismatch(note, meeting, team, userPath);
  if (mismatch) throw new NoteMismatchError(mismatch);
  return new MeetingNote(ISSUE, note, meeting, team);
}
