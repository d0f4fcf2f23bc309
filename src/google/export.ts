import type { drive_v3 } from "@googleapis/drive";
import { translateGoogleError } from "./errors.js";
import { requireChecked, type MeetingDoc } from "./meeting-doc.js";

/** Drive refuses to export files larger than this (403 exportSizeLimitExceeded). */
export const EXPORT_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Exports a Google Doc as Markdown, exactly as Drive produces it (normalise it with
 * normalizeExportedMarkdown before committing it). Only a doc checked to be the meeting's
 * (openMeetingDoc): its text goes into a pull request.
 *
 * @param actor named in messages about sharing, e.g. when the doc is not shared with the App.
 * @throws GoogleDocsError; `failed` with a clear message when the doc exceeds Drive's 10 MB export limit.
 */
export async function exportDocMarkdown(drive: drive_v3.Drive, doc: MeetingDoc, actor = "the App"): Promise<string> {
  const docId = requireChecked(doc).id;
  try {
    const { data } = await drive.files.export({ fileId: docId, mimeType: "text/markdown" }, { responseType: "text" });
    // The typings say `unknown`; with responseType "text" it is the body as a string.
    return typeof data === "string" ? data : String(data ?? "");
  } catch (error) {
    throw translateGoogleError(error, { actor, action: `export doc ${docId} as Markdown`, target: { kind: "doc", id: docId } });
  }
}
