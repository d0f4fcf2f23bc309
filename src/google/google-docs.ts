import { createGoogleClients, rootUrlsFromEnv, type GoogleClientOptions } from "./clients.js";
import { readGoogleCredentials } from "./credentials.js";
import { translateGoogleError } from "./errors.js";
import { exportDocMarkdown } from "./export.js";
import { ensureMinutesDoc } from "./minutes-doc.js";
import { normalizeExportedMarkdown } from "./normalize-exported-markdown.js";
import type { GoogleDocs } from "./types.js";
import type { calendar_v3 } from "@googleapis/calendar";

/** What to set to give the App Google access (for messages). */
export const GOOGLE_NOT_CONFIGURED_HINT = "set GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_CREDENTIALS_JSON";

/**
 * The App's Google gateway: reads the credentials from `env` and creates the clients (loading
 * the Google packages only now).
 *
 * @returns null when no credentials are configured (GOOGLE_CREDENTIALS_JSON and
 *   GOOGLE_APPLICATION_CREDENTIALS unset), so callers can say Google is not set up.
 * @throws GoogleDocsError (`not-configured`) when credentials are set but unusable.
 */
export async function loadGoogleDocs(env: NodeJS.ProcessEnv, options?: GoogleClientOptions): Promise<GoogleDocs | null> {
  const credentials = await readGoogleCredentials(env);
  if (!credentials) return null;
  const clients = await createGoogleClients(credentials, withEnvRoots(env, options));
  return {
    actor: clients.actor,
    ensureMinutesDoc: (request) => ensureMinutesDoc(clients, request),
    exportMarkdown: async (docId) => normalizeExportedMarkdown(await exportDocMarkdown(clients.drive, docId, clients.actor)),
    renameDoc: async (docId, title) => {
      try {
        await clients.drive.files.update({ fileId: docId, supportsAllDrives: true, fields: "id", requestBody: { name: title } });
      } catch (error) {
        throw translateGoogleError(error, { actor: clients.actor, action: "rename the minutes doc", target: { kind: "doc", id: docId } });
      }
    },
  };
}

/**
 * The Calendar client for `googleCalendar` schedules, with the same credentials; null when
 * none are configured. Loads the Google packages only when called.
 */
export async function loadGoogleCalendar(env: NodeJS.ProcessEnv, options?: GoogleClientOptions): Promise<calendar_v3.Calendar | null> {
  const credentials = await readGoogleCredentials(env);
  if (!credentials) return null;
  return (await createGoogleClients(credentials, withEnvRoots(env, options))).calendar;
}

/** Explicit `rootUrls` win; otherwise the WG_MEETINGS_GOOGLE_ROOT_URL test/demo hook, if set. */
function withEnvRoots(env: NodeJS.ProcessEnv, options: GoogleClientOptions | undefined): GoogleClientOptions | undefined {
  if (options?.rootUrls) return options;
  const rootUrls = rootUrlsFromEnv(env);
  return rootUrls ? { ...options, rootUrls } : options;
}
