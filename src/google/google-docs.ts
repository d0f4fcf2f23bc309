import { GOOGLE_ALLOW_ENV, readGoogleAllowList, type GoogleAllowList } from "./allow-list.js";
import { guardCalendar } from "./calendar.js";
import { createGoogleClients, rootUrlsFromEnv, type GoogleClientOptions } from "./clients.js";
import { readGoogleCredentials } from "./credentials.js";
import { GoogleDocsError } from "./errors.js";
import { exportDocMarkdown } from "./export.js";
import { moveMeetingDoc, openMeetingDoc } from "./meeting-doc.js";
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
 * @throws GoogleDocsError (`not-configured`) when credentials are set but unusable, or the
 *   allow-list (WG_MEETINGS_GOOGLE_ALLOW) is malformed.
 */
export async function loadGoogleDocs(env: NodeJS.ProcessEnv, options?: GoogleClientOptions): Promise<GoogleDocs | null> {
  const credentials = await readGoogleCredentials(env);
  if (!credentials) return null;
  const clients = await createGoogleClients(credentials, { ...withEnvRoots(env, options), allow: options?.allow ?? allowListOf(env) });
  const { drive, actor } = clients;
  return {
    actor,
    allowList: clients.allow,
    ensureMinutesDoc: (request) => ensureMinutesDoc(clients, request),
    openMeetingDoc: (docId, meeting) => openMeetingDoc(drive, docId, meeting, actor),
    exportMarkdown: async (doc) => normalizeExportedMarkdown(await exportDocMarkdown(drive, doc, actor)),
    moveDoc: (doc, to) => moveMeetingDoc(drive, doc, to, actor),
  };
}

/**
 * The Calendar client for `googleCalendar` schedules, with the same credentials; null when
 * none are configured. Loads the Google packages only when called. The client reads only
 * calendars the allow-list names (see listCalendarEvents, calendarForOwner).
 */
export async function loadGoogleCalendar(env: NodeJS.ProcessEnv, options?: GoogleClientOptions): Promise<calendar_v3.Calendar | null> {
  const credentials = await readGoogleCredentials(env);
  if (!credentials) return null;
  const allow = options?.allow ?? allowListOf(env);
  return guardCalendar((await createGoogleClients(credentials, { ...withEnvRoots(env, options), allow })).calendar, allow);
}

/**
 * The env's allow-list. A malformed one is said without its text: the message may reach a
 * public issue, and the entries are other owners' ids. The start-up check
 * (checkGoogleAllowList) names the entry at fault in the App's log.
 */
function allowListOf(env: NodeJS.ProcessEnv): GoogleAllowList {
  try {
    return readGoogleAllowList(env);
  } catch {
    throw new GoogleDocsError("not-configured", `the App's ${GOOGLE_ALLOW_ENV} setting is malformed, so it uses no Google folder, template doc or calendar: the App's operator must fix it`);
  }
}

/** Explicit `rootUrls` win; otherwise the WG_MEETINGS_GOOGLE_ROOT_URL test/demo hook, if set. */
function withEnvRoots(env: NodeJS.ProcessEnv, options: GoogleClientOptions | undefined): GoogleClientOptions | undefined {
  if (options?.rootUrls) return options;
  const rootUrls = rootUrlsFromEnv(env);
  return rootUrls ? { ...options, rootUrls } : options;
}
