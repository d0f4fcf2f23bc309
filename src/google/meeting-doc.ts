import type { drive_v3 } from "@googleapis/drive";
import { appPropertyValue, KEY_PROPERTY, meetingKey, MOVED_PROPERTY, parseMeetingKey, storedKeyIs } from "./doc-key.js";
import { GoogleDocsError, translateGoogleError } from "./errors.js";
import type { MeetingIdentity } from "./types.js";

/**
 * The doc id in a meeting issue's marker is text anyone who may edit the issue can change. So
 * before the App reads or writes a doc it did not just find by its own key, it asks Drive for
 * the doc's `appProperties` and goes on only when they say the App made the doc for this
 * meeting: same repository, same series, and one of the starts the meeting has had.
 * {@link openMeetingDoc} is that check, and {@link MeetingDoc} the only way past it.
 */

/** Why a doc is not the meeting's, for the App's logs (never for a public reply). */
export type DocMismatch =
  /** The doc carries no key of the App's: made by hand, or by another Google project. */
  | { part: "no-key" }
  /** The doc's key names another repository, series or start (`found`: that key). */
  | { part: "repository" | "series" | "occurrence"; found: string }
  /** The key is stored hashed (long names), so which part differs cannot be told. */
  | { part: "unknown" };

/**
 * A doc is not the meeting's. The message is public-safe; `mismatch` (what the doc's key says
 * instead, possibly another group's repository) is for logs only.
 */
export class DocMismatchError extends GoogleDocsError {
  readonly mismatch: DocMismatch;

  constructor(mismatch: DocMismatch) {
    super("not-this-meeting", "the doc linked from this issue does not belong to this meeting");
    this.mismatch = mismatch;
  }
}

const ISSUE: unique symbol = Symbol("MeetingDoc");

/**
 * A doc checked to belong to a meeting. Only {@link openMeetingDoc} makes one (the constructor
 * needs a module-private token), and the gateway's export and rename take nothing else, so no
 * use case can skip the check.
 */
export class MeetingDoc {
  readonly #checked = true;
  readonly id: string;
  readonly meeting: MeetingIdentity;

  constructor(token: typeof ISSUE, id: string, meeting: MeetingIdentity) {
    if (token !== ISSUE) throw new Error("a MeetingDoc comes from openMeetingDoc only");
    this.id = id;
    this.meeting = meeting;
  }

  /** True for a handle {@link openMeetingDoc} made (a cast or a copied object is not one). */
  static isChecked(value: unknown): value is MeetingDoc {
    return typeof value === "object" && value !== null && #checked in value;
  }
}

/** Throws unless `doc` is a real handle: the types already say so, this holds at run time too. */
export function requireChecked(doc: MeetingDoc): MeetingDoc {
  if (!MeetingDoc.isChecked(doc)) throw new Error("refusing a doc that openMeetingDoc did not check");
  return doc;
}

/**
 * Whether a doc's `appProperties` say it is the meeting's; null when they do, else why not.
 * The doc matches when its creation key or its last-moved-to key is the key of one of the
 * meeting's starts: `/move` records the new start in the doc, and the marker remembers the
 * scheduled start it left (`movedFrom`), so the meeting's own doc is recognised after any
 * number of moves.
 */
export function docMismatch(properties: Record<string, string> | null | undefined, meeting: MeetingIdentity): DocMismatch | null {
  const created = properties?.[KEY_PROPERTY];
  const moved = properties?.[MOVED_PROPERTY];
  for (const start of meeting.starts) {
    const slot = { repository: meeting.repository, series: meeting.series, start };
    if (storedKeyIs(created, slot, KEY_PROPERTY) || storedKeyIs(moved, slot, MOVED_PROPERTY)) return null;
  }
  if (!created && !moved) return { part: "no-key" };
  const found = [created, moved].find((value): value is string => Boolean(value && parseMeetingKey(value)));
  const stored = found ? parseMeetingKey(found) : null;
  if (!found || !stored) return { part: "unknown" };
  if (stored.repository.toLowerCase() !== meeting.repository.toLowerCase()) return { part: "repository", found };
  if (stored.series !== meeting.series) return { part: "series", found };
  return { part: "occurrence", found };
}

/**
 * Reads the doc's `appProperties` (one `files.get`) and returns a checked handle if the doc is
 * the meeting's.
 *
 * @throws DocMismatchError when it is not; GoogleDocsError when Drive cannot be asked.
 */
export async function openMeetingDoc(drive: drive_v3.Drive, docId: string, meeting: MeetingIdentity, actor: string): Promise<MeetingDoc> {
  let properties: Record<string, string> | null | undefined;
  try {
    const { data } = await drive.files.get({ fileId: docId, supportsAllDrives: true, fields: "appProperties" });
    properties = data.appProperties as Record<string, string> | null | undefined;
  } catch (error) {
    throw translateGoogleError(error, { actor, action: "read whose minutes doc it is", target: { kind: "doc", id: docId } });
  }
  const mismatch = docMismatch(properties, meeting);
  if (mismatch) throw new DocMismatchError(mismatch);
  return new MeetingDoc(ISSUE, docId, meeting);
}

/**
 * Gives a checked doc a moved meeting's title, and records the new start under
 * `wgMeetingsMovedTo` in the same request, so the doc is still recognised once the marker
 * forgets the start it had before.
 */
export async function moveMeetingDoc(drive: drive_v3.Drive, doc: MeetingDoc, to: { title: string; start: string }, actor: string): Promise<void> {
  const { id, meeting } = requireChecked(doc);
  const key = meetingKey({ repository: meeting.repository, series: meeting.series, start: to.start });
  try {
    await drive.files.update({
      fileId: id,
      supportsAllDrives: true,
      fields: "id",
      requestBody: { name: to.title, appProperties: { [MOVED_PROPERTY]: appPropertyValue(key, MOVED_PROPERTY) } },
    });
  } catch (error) {
    throw translateGoogleError(error, { actor, action: "rename the minutes doc", target: { kind: "doc", id } });
  }
}
