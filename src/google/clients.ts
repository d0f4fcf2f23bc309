import type { calendar_v3 } from "@googleapis/calendar";
import type { docs_v1 } from "@googleapis/docs";
import type { drive_v3 } from "@googleapis/drive";
import { UNRESTRICTED, type GoogleAllowList } from "./allow-list.js";
import type { GoogleCredentials } from "./credentials.js";
import { GoogleDocsError } from "./errors.js";
import { DEFAULT_RETRY, gaxiosRetryConfig, type RetryPolicy } from "./retry.js";

/** What the App may do: create and share docs (Drive, Docs), read calendars. */
export const GOOGLE_SCOPES = [
  "https://www.googleapis.com/auth/drive",
  "https://www.googleapis.com/auth/documents",
  "https://www.googleapis.com/auth/calendar.readonly",
] as const;

/**
 * Where to send requests instead of Google (a loopback fake in end-to-end tests). Each value
 * is an origin such as `http://127.0.0.1:4010`; paths stay as Google's.
 */
export interface GoogleRootUrls {
  /** `https://oauth2.googleapis.com` (the token exchange). */
  token?: string | undefined;
  /** `https://www.googleapis.com` for `/drive/v3` and `/upload/drive/v3`. */
  drive?: string | undefined;
  /** `https://docs.googleapis.com`. */
  docs?: string | undefined;
  /** `https://www.googleapis.com` for `/calendar/v3`. */
  calendar?: string | undefined;
}

/**
 * Test and demo hook: `WG_MEETINGS_GOOGLE_ROOT_URL` (an origin such as `http://127.0.0.1:4010`)
 * sends every Google request — token exchange, Drive, uploads, Docs, Calendar — to a loopback
 * stand-in instead of Google. Unset in production.
 */
export const GOOGLE_ROOT_URL_ENV = "WG_MEETINGS_GOOGLE_ROOT_URL";

/** The {@link GOOGLE_ROOT_URL_ENV} override as `rootUrls`, or undefined when it is not set. */
export function rootUrlsFromEnv(env: NodeJS.ProcessEnv): GoogleRootUrls | undefined {
  const value = env[GOOGLE_ROOT_URL_ENV]?.trim();
  if (!value) return undefined;
  let origin: string;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    // The token exchange sends a signed assertion: only ever to this machine, never elsewhere.
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error("not loopback");
    origin = url.origin;
  } catch {
    throw new Error(`${GOOGLE_ROOT_URL_ENV}: expected a loopback origin such as http://127.0.0.1:4010 (a test and demo hook)`);
  }
  return { token: origin, drive: origin, docs: origin, calendar: origin };
}

/** Each Google request, the token exchange included, gives up after this long (default). */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface GoogleClientOptions {
  /** Defaults to DEFAULT_RETRY; tests pass tiny delays or an instant `sleep`. */
  retry?: Partial<RetryPolicy> | undefined;
  rootUrls?: GoogleRootUrls | undefined;
  /** Per-request timeout, the token exchange's too (default 30 s); a timeout counts as transient. */
  timeoutMs?: number | undefined;
  /**
   * The operator's allow-list of folders, template docs and calendars. `loadGoogleDocs` and
   * `loadGoogleCalendar` pass `WG_MEETINGS_GOOGLE_ALLOW`'s; default: everything (tests).
   */
  allow?: GoogleAllowList | undefined;
}

/** Authenticated clients for the Google APIs the App uses, sharing one token. */
export interface GoogleClients {
  drive: drive_v3.Drive;
  docs: docs_v1.Docs;
  calendar: calendar_v3.Calendar;
  /** The identity the App acts as: the impersonated user, else the service account. */
  actor: string;
  /** The policy the clients retry with; writes that need care reuse it (retryCreate). */
  retry: RetryPolicy;
  /** What configs may name (see allow-list.ts). */
  allow: GoogleAllowList;
}

/**
 * Creates the Drive, Docs and Calendar clients. The Google packages are imported here, on
 * first use, so an App whose series do not use Google never pays their load time.
 */
export async function createGoogleClients(credentials: GoogleCredentials, options: GoogleClientOptions = {}): Promise<GoogleClients> {
  const [driveApi, docsApi, calendarApi] = await Promise.all([
    import("@googleapis/drive"),
    import("@googleapis/docs"),
    import("@googleapis/calendar"),
  ]);
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };

  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One JWT client for all three APIs: the token is fetched once and cached. The token exchange
  // is the auth client's own request (the API calls' `timeout` does not reach it): its transport
  // gets the same timeout, or a token endpoint that never answers would hold the run for ever.
  const auth = new driveApi.auth.JWT({
    email: credentials.clientEmail,
    key: credentials.privateKey,
    keyId: credentials.privateKeyId,
    scopes: [...GOOGLE_SCOPES],
    subject: credentials.impersonate,
    transporterOptions: { timeout },
  });
  if (options.rootUrls) redirect(auth.transporter.interceptors.request, options.rootUrls);
  sayTokenTimeout(auth.transporter.interceptors.response, options.rootUrls?.token, timeout);

  const shared = { auth, retryConfig: gaxiosRetryConfig(retry), timeout };
  return {
    drive: driveApi.drive({ version: "v3", ...shared }),
    docs: docsApi.docs({ version: "v1", ...shared }),
    calendar: calendarApi.calendar({ version: "v3", ...shared }),
    actor: credentials.impersonate ?? credentials.clientEmail,
    retry,
    allow: options.allow ?? UNRESTRICTED,
  };
}

interface InterceptorSet<T> {
  add(interceptor: { resolved?: (value: T) => Promise<T>; rejected?: (error: unknown) => unknown }): unknown;
}

const TOKEN_ORIGIN = "https://oauth2.googleapis.com";

/**
 * A token exchange that timed out fails with words: gaxios reports it as a bare "The operation
 * was aborted" from the token URL, which would read as Google refusing the App's key. The
 * message says the token service did not answer in time, which the alarms count as temporary.
 */
function sayTokenTimeout<T>(interceptors: InterceptorSet<T>, redirectedTo: string | undefined, timeoutMs: number): void {
  interceptors.add({
    rejected: (error) => {
      const failed = (typeof error === "object" && error !== null ? error : {}) as {
        response?: unknown;
        name?: unknown;
        code?: unknown;
        error?: { name?: unknown };
        config?: { url?: unknown; method?: unknown };
      };
      let url: URL | null = null;
      try {
        url = new URL(String(failed.config?.url));
      } catch {
        url = null;
      }
      const isToken = url !== null && url.pathname === "/token" && (url.origin === TOKEN_ORIGIN || (redirectedTo !== undefined && url.origin === new URL(redirectedTo).origin));
      const aborted = failed.name === "AbortError" || failed.code === "TimeoutError" || failed.error?.name === "AbortError" || failed.error?.name === "TimeoutError";
      if (isToken && aborted && failed.response === undefined) {
        throw new GoogleDocsError("unavailable", `Google's token service (oauth2.googleapis.com) did not answer within ${durationText(timeoutMs)}; the next run tries again`);
      }
      throw error;
    },
  });
}

function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/**
 * Rewrites Google's origins on the auth client's transport, the one place every request
 * passes: the generated clients build upload URLs from a fixed root and the token URL is
 * hard-coded, so their `rootUrl` option alone would miss both.
 */
function redirect<T extends { url: URL | string }>(interceptors: InterceptorSet<T>, roots: GoogleRootUrls): void {
  const rules: Array<[origin: string, pathPrefixes: string[], to: string | undefined]> = [
    ["https://oauth2.googleapis.com", ["/"], roots.token],
    ["https://www.googleapis.com", ["/drive/", "/upload/drive/"], roots.drive],
    ["https://www.googleapis.com", ["/calendar/"], roots.calendar],
    ["https://docs.googleapis.com", ["/"], roots.docs],
  ];
  interceptors.add({
    resolved: async (config) => {
      const url = new URL(String(config.url));
      for (const [origin, prefixes, to] of rules) {
        if (to && url.origin === origin && prefixes.some((p) => url.pathname.startsWith(p))) {
          config.url = new URL(url.pathname + url.search, to);
          return config;
        }
      }
      return config;
    },
  });
}
