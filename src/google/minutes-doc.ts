import type { drive_v3 } from "@googleapis/drive";
import { requireAllowed } from "./allow-list.js";
import type { GoogleClients } from "./clients.js";
import { appPropertyValue, KEY_PROPERTY, meetingKey } from "./doc-key.js";
import { errorMentions, readFailure, translateGoogleError, type FailureContext } from "./errors.js";
import { retryCreate } from "./retry.js";
import { ensureShared } from "./share-doc.js";
import type { MinutesDoc, MinutesDocRequest } from "./types.js";

export { appPropertyValue, KEY_PROPERTY } from "./doc-key.js";

/** A native Google Doc; Drive converts an upload to it when asked for this type. */
export const GOOGLE_DOC_MIME = "application/vnd.google-apps.document";

/** The URL people open. */
export function docUrl(id: string): string {
  return `https://docs.google.com/document/d/${encodeURIComponent(id)}/edit`;
}

/** Drive query for the occurrence's doc, quoting the value per Drive's query syntax. */
export function findDocQuery(value: string): string {
  const quoted = value.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
  return `appProperties has { key='${KEY_PROPERTY}' and value='${quoted}' } and trashed = false`;
}

/** The clients ensureMinutesDoc needs (calendar is not one of them). */
export type MinutesDocClients = Pick<GoogleClients, "drive" | "docs" | "actor" | "retry" | "allow">;

/**
 * Finds the occurrence's doc by its key, or creates it (importing the Markdown, or copying the
 * template and filling its `{{placeholders}}`), then makes sure it is shared as configured.
 * Safe to call again after any failure: the next call finds what the last one created and
 * completes what it left (placeholders, sharing).
 *
 * The folder and the template must be on the operator's allow-list for the repository's owner
 * (`WG_MEETINGS_GOOGLE_ALLOW`, see allow-list.ts): otherwise nothing is asked of Google at all.
 *
 * @throws GoogleDocsError whose message says what to fix (`not-allowed` for the allow-list).
 */
export async function ensureMinutesDoc(clients: MinutesDocClients, request: MinutesDocRequest): Promise<MinutesDoc> {
  const { drive, actor } = clients;
  const owner = request.meeting.repository.split("/")[0] ?? "";
  requireAllowed(clients.allow, "folder", request.folderId, owner);
  if (request.templateDocId) requireAllowed(clients.allow, "template", request.templateDocId, owner);
  const value = appPropertyValue(meetingKey(request.meeting));

  let id = await findDoc(drive, value, actor);
  const created = id === null;
  if (id === null) {
    id = request.templateDocId ? await copyTemplate(clients, request, value) : await importMarkdown(clients, request, value);
  }
  // Also on reuse: a run that failed between copy and fill leaves placeholders behind, and
  // replacing again is a no-op once they are gone.
  if (request.templateDocId) await fillPlaceholders(clients, id, request.replacements);
  await ensureShared(drive, id, request.share, actor);
  return { id, url: docUrl(id), created };
}

/**
 * The doc already made for this key, if any. Replicas racing may both have created one; the
 * oldest wins, so every later run settles on the same doc.
 */
async function findDoc(drive: drive_v3.Drive, value: string, actor: string): Promise<string | null> {
  try {
    const { data } = await drive.files.list({
      q: findDocQuery(value),
      supportsAllDrives: true,
      includeItemsFromAllDrives: true,
      corpora: "allDrives",
      orderBy: "createdTime",
      pageSize: 1,
      fields: "files(id)",
    });
    return data.files?.[0]?.id ?? null;
  } catch (error) {
    throw translateGoogleError(error, { actor, action: "look for the meeting's minutes doc" });
  }
}

function fileBody(request: MinutesDocRequest, value: string): drive_v3.Schema$File {
  return { name: request.title, mimeType: GOOGLE_DOC_MIME, parents: [request.folderId], appProperties: { [KEY_PROPERTY]: value } };
}

/** Uploads the Markdown; Drive converts it into a Google Doc (headings, lists, links, tables). */
async function importMarkdown(clients: MinutesDocClients, request: MinutesDocRequest, value: string): Promise<string> {
  const { drive, actor, retry } = clients;
  const context: FailureContext = { actor, action: `create the minutes doc in folder ${request.folderId}`, target: { kind: "folder", id: request.folderId } };
  try {
    return await retryCreate(
      retry,
      async () => {
        const { data } = await drive.files.create({
          requestBody: fileBody(request, value),
          // A fresh string each attempt: the multipart body is a stream and cannot be replayed.
          media: { mimeType: "text/markdown", body: request.markdown },
          supportsAllDrives: true,
          fields: "id",
        });
        return requireId(data.id);
      },
      () => findDoc(drive, value, actor),
    );
  } catch (error) {
    throw translateGoogleError(error, context);
  }
}

/** Copies the template into the folder, tagged with the key. */
async function copyTemplate(clients: MinutesDocClients, request: MinutesDocRequest, value: string): Promise<string> {
  const { drive, actor, retry } = clients;
  const templateId = request.templateDocId!;
  try {
    return await retryCreate(
      retry,
      async () => {
        const { data } = await drive.files.copy({
          fileId: templateId,
          requestBody: fileBody(request, value),
          supportsAllDrives: true,
          fields: "id",
        });
        return requireId(data.id);
      },
      () => findDoc(drive, value, actor),
    );
  } catch (error) {
    throw translateGoogleError(error, copyContext(error, request, actor));
  }
}

/**
 * Drive answers 404 for an id it cannot see, whether folder or template, and names the id in
 * its message; a 403 on copy is about writing into the folder unless it names the template.
 */
function copyContext(error: unknown, request: MinutesDocRequest, actor: string): FailureContext {
  const templateId = request.templateDocId!;
  const { status, reason } = readFailure(error);
  const onTemplate =
    errorMentions(error, templateId) ||
    reason === "cannotCopyFile" ||
    (status === 404 && !errorMentions(error, request.folderId));
  return onTemplate
    ? { actor, action: `copy template doc ${templateId}`, target: { kind: "template", id: templateId } }
    : { actor, action: `create the minutes doc in folder ${request.folderId}`, target: { kind: "folder", id: request.folderId } };
}

/** One replaceAllText per placeholder: `{{name}}` → value, case-sensitive. */
export function placeholderRequests(replacements: Record<string, string>): Array<{ replaceAllText: { containsText: { text: string; matchCase: boolean }; replaceText: string } }> {
  return Object.entries(replacements).map(([name, replaceText]) => ({
    replaceAllText: { containsText: { text: `{{${name}}}`, matchCase: true }, replaceText },
  }));
}

async function fillPlaceholders(clients: MinutesDocClients, documentId: string, replacements: Record<string, string>): Promise<void> {
  const requests = placeholderRequests(replacements);
  if (requests.length === 0) return;
  try {
    await clients.docs.documents.batchUpdate({ documentId, requestBody: { requests } });
  } catch (error) {
    throw translateGoogleError(error, { actor: clients.actor, action: `fill in the placeholders of doc ${documentId}`, target: { kind: "doc", id: documentId } });
  }
}

function requireId(id: string | null | undefined): string {
  if (!id) throw new Error("Google Drive answered without a file id");
  return id;
}
