import { docUrl as googleDocUrl } from "../google/minutes-doc.js";
import { HACKMD_WEB_URL, noteUrl } from "../hackmd/note-url.js";

/**
 * Which backend's doc a meeting issue's marker names, and where. The marker's `doc` field is
 * one string: a Google Doc's id as it always was, or `hackmd:<note id>` for a HackMD note in
 * the API token's own workspace and `hackmd:<team>/<note id>` for one in a team's. A Google id
 * never holds a colon, so older markers read as Google Docs unchanged; a HackMD id or team path
 * never holds a slash. So a series that switches backend, or moves to another HackMD team,
 * still knows where each meeting's existing doc lives.
 */
export type DocRef = { kind: "google"; id: string } | { kind: "hackmd"; id: string; team: string | null };

const HACKMD_PREFIX = "hackmd:";


/** Reads the marker's `doc` field. */
export function parseDocRef(value: string): DocRef {
  if (!value.startsWith(HACKMD_PREFIX)) return { kind: "google", id: value };
  const rest = value.slice(HACKMD_PREFIX.length);
  const slash = rest.lastIndexOf("/");
  return slash < 0 ? { kind: "hackmd", id: rest, team: null } : { kind: "hackmd", id: rest.slice(slash + 1), team: rest.slice(0, slash) };
}

/** The marker's `doc` field for a backend's doc. */
export function formatDocRef(ref: DocRef): string {
  if (ref.kind === "google") return ref.id;
  return `${HACKMD_PREFIX}${ref.team === null ? "" : `${ref.team}/`}${ref.id}`;
}

/** The address people open for a doc (pure: no client, no config). */
export function docRefUrl(ref: Pick<DocRef, "kind" | "id">): string {
  return ref.kind === "hackmd" ? noteUrl(ref.id) : googleDocUrl(ref.id);
}

/** The address of the doc a marker's `doc` field names. */
export function markerDocUrl(value: string): string {
  return docRefUrl(parseDocRef(value));
}

/**
 * What the minutes doc is called in the issue and the minutes file: "HackMD note" for a note
 * (its URL is always at {@link HACKMD_WEB_URL}), else "Google Doc". Before the doc exists the
 * series' configured backend decides.
 */
export function docName(docUrl: string | null, configured: "none" | "google" | "hackmd"): string {
  const hackmd = docUrl ? docUrl.startsWith(`${HACKMD_WEB_URL}/`) : configured === "hackmd";
  return hackmd ? "HackMD note" : "Google Doc";
}
