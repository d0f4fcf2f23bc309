/**
 * HackMD's side of the minutes backend: the settings a series gives (`minutes.hackmd`) and
 * the parts of HackMD's API v1 answers the App reads. Field names are HackMD's own.
 */

/** Who may read or write a note, as HackMD's API spells it. */
export type NotePermissionRole = "owner" | "signed_in" | "guest";

/** Who may comment on a note, as HackMD's API spells it. */
export type CommentPermission = "disabled" | "forbidden" | "owners" | "signed_in_users" | "everyone";

/**
 * HackMD team paths: letters, digits, `_`, `-` and `.`, at most 64, not only dots. The path
 * goes into request URLs; `minutes.hackmd.team` and the allow-list both hold to it.
 */
export const HACKMD_TEAM_PATH = /^(?!\.+$)[A-Za-z0-9_.-]{1,64}$/;

/** The roles, most restrictive first (a note's write role may not be wider than its read role). */
export const NOTE_PERMISSION_ROLES: readonly NotePermissionRole[] = ["owner", "signed_in", "guest"];

/** A series' HackMD settings (`minutes.hackmd`). */
export interface HackmdSettings {
  /** The team workspace's path (`https://hackmd.io/team/<path>`); null: the API token's own workspace. */
  team: string | null;
  readPermission: NotePermissionRole;
  writePermission: NotePermissionRole;
  commentPermission: CommentPermission;
}

/** The defaults `minutes.hackmd` documents: anyone reads, signed-in users write and comment. */
export const DEFAULT_HACKMD_SETTINGS: Readonly<HackmdSettings> = Object.freeze({
  team: null,
  readPermission: "guest",
  writePermission: "signed_in",
  commentPermission: "signed_in_users",
});

/** A note in a list (`GET /notes`, `GET /teams/{teamPath}/notes`): no content. */
export interface HackmdNoteSummary {
  id: string;
  title: string;
  tags: string[];
  /** Milliseconds since the epoch. */
  createdAt: number;
  teamPath: string | null;
  userPath: string | null;
  readPermission: NotePermissionRole;
  writePermission: NotePermissionRole;
}

/** One note (`GET /notes/{noteId}`), with its Markdown. */
export interface HackmdNote extends HackmdNoteSummary {
  content: string;
}

/** The body of `POST /notes` and `POST /teams/{teamPath}/notes`. */
export interface CreateNoteBody {
  title: string;
  content: string;
  readPermission: NotePermissionRole;
  writePermission: NotePermissionRole;
  commentPermission: CommentPermission;
}

/** The body of `PATCH /notes/{noteId}` and `PATCH /teams/{teamPath}/notes/{noteId}`. */
export interface UpdateNoteBody {
  content?: string;
  readPermission?: NotePermissionRole;
  writePermission?: NotePermissionRole;
}

