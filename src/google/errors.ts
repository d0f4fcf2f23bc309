import { MinutesDocError } from "../minutes-doc/backend.js";
import type { GoogleFailureKind } from "./types.js";

/**
 * A failed Google call, in words fit for a public issue comment. Built from the status and
 * Google's short `reason` code only: never from headers (tokens), request bodies or raw
 * response bodies, and it carries no `cause`, so a logger serialising it cannot reach them.
 * A MinutesDocError, so the use cases handle it like any minutes backend's failure.
 */
export class GoogleDocsError extends MinutesDocError {
  override readonly name: string = "GoogleDocsError";
  /** Google's machine-readable reason (`insufficientFilePermissions`, `invalid_grant`, …). */
  readonly reason: string | undefined;

  constructor(kind: GoogleFailureKind, message: string, status?: number, reason?: string) {
    super(kind, message, status);
    this.reason = reason;
  }
}

/** What the App was doing when a call failed; names what the operator must share or fix. */
export interface FailureContext {
  /** The service account or impersonated user the App acts as. */
  actor: string;
  /** E.g. "create the minutes doc", completing "Google … to <action>". */
  action: string;
  /** The Drive item the call was about. */
  target?: { kind: "folder" | "template" | "doc"; id: string } | undefined;
}

/** The parts of a failed Google call the App may look at (a structural view of GaxiosError). */
export interface GoogleFailure {
  status: number | undefined;
  reason: string | undefined;
  /** Network-level code (ECONNRESET, TimeoutError) when there was no response. */
  code: string | undefined;
  /** The OAuth token endpoint's answer (`{ error: "invalid_grant" }`), not an API's. */
  isTokenError: boolean;
}

interface GaxiosLike {
  status?: unknown;
  code?: unknown;
  config?: { url?: unknown };
  response?: { status?: unknown; data?: unknown };
}

/** Reads status, reason and network code from whatever gaxios threw. */
export function readFailure(error: unknown): GoogleFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as GaxiosLike;
  const status = typeof e.response?.status === "number" ? e.response.status : typeof e.status === "number" ? e.status : undefined;
  const data = parseBody(e.response?.data);
  const body = (typeof data === "object" && data !== null ? data : {}) as { error?: unknown };
  let reason: string | undefined;
  let isTokenError = String(e.config?.url ?? "").includes("oauth2.googleapis.com/token");
  if (typeof body.error === "string") {
    // OAuth errors are `{ error: "invalid_grant", error_description }`.
    reason = body.error;
    isTokenError = true;
  } else if (typeof body.error === "object" && body.error !== null) {
    const apiError = body.error as { errors?: Array<{ reason?: unknown }>; details?: Array<{ reason?: unknown }>; status?: unknown };
    const candidates = [apiError.errors?.[0]?.reason, apiError.details?.find((d) => typeof d.reason === "string")?.reason, apiError.status];
    reason = candidates.find((c): c is string => typeof c === "string");
  }
  const code = typeof e.code === "string" ? e.code : undefined;
  return { status, reason: reason ? safeToken(reason) : undefined, code, isTokenError };
}

/** Errors were thrown as text (responseType: "text"): the JSON error body is still in there. */
function parseBody(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Google's reason codes are identifiers; anything else is dropped rather than echoed. */
function safeToken(value: string): string | undefined {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : undefined;
}

const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED"]);

/** Google refused for load (429, or Drive's 403 rate-limit reasons): nothing was done, retrying is safe. */
export function isRateLimited(failure: GoogleFailure): boolean {
  return failure.status === 429 || (failure.status === 403 && failure.reason !== undefined && RATE_LIMIT_REASONS.has(failure.reason));
}

/** Worth another try later: rate limits, timeouts, server errors and lost connections. */
export function isTransient(failure: GoogleFailure): boolean {
  if (isRateLimited(failure)) return true;
  if (failure.status === undefined) return failure.code !== undefined && failure.code !== "AbortError";
  return failure.status === 408 || failure.status >= 500;
}

/**
 * Translates whatever a Google call threw into a GoogleDocsError whose message tells the
 * operator what to do (share folder X with <actor>, enable the API, try again later).
 */
export function translateGoogleError(error: unknown, context: FailureContext): GoogleDocsError {
  if (error instanceof GoogleDocsError) return error;
  const failure = readFailure(error);
  const { status, reason } = failure;
  const { actor, action, target } = context;
  const detail = [status, reason].filter((part) => part !== undefined).join(" ");
  const said = detail ? ` (${detail})` : "";

  if (failure.isTokenError || status === 401) {
    const delegation = reason === "unauthorized_client" ? "; for GOOGLE_IMPERSONATE, grant the service account domain-wide delegation for the Drive, Docs and Calendar scopes" : "";
    return new GoogleDocsError("forbidden", `Google refused the App's service-account credentials for ${actor}${said}: check the key${delegation}`, status, reason);
  }
  if (isTransient(failure)) {
    const what = status === undefined ? `could not be reached (${failure.code ?? "no response"})` : `is unavailable${said}`;
    return new GoogleDocsError("unavailable", `Google ${what} when trying to ${action}; the next run tries again`, status, reason);
  }
  if (status === 403) {
    if (reason === "storageQuotaExceeded") {
      return new GoogleDocsError(
        "forbidden",
        `Google Drive would not let ${actor} own a new file${target?.kind === "folder" ? ` in folder ${target.id}` : ""}${said}: service accounts have no storage of their own, so use a folder in a shared drive, or set GOOGLE_IMPERSONATE to a Workspace user`,
        status,
        reason,
      );
    }
    if (reason === "exportSizeLimitExceeded") {
      return new GoogleDocsError("failed", `${target ? `doc ${target.id}` : "the doc"} is too large to export as Markdown (Drive exports at most 10 MB)`, status, reason);
    }
    if (reason === "accessNotConfigured" || reason === "SERVICE_DISABLED") {
      return new GoogleDocsError("forbidden", `a Google API the App needs (Drive, Docs) is not enabled in the service account's Cloud project${said}: enable it there`, status, reason);
    }
    return new GoogleDocsError("forbidden", `Google refused to ${action}${said}: ${shareHint(target, actor)}`, status, reason);
  }
  if (status === 404) {
    const what = target ? `${targetName(target)} was not found` : "what it asked for was not found";
    return new GoogleDocsError("not-found", `Google could not ${action}: ${what}; check the id, and ${shareHint(target, actor)}`, status, reason);
  }
  return new GoogleDocsError("failed", `Google could not ${action}${said || " (unexpected error)"}`, status, reason);
}

function targetName(target: NonNullable<FailureContext["target"]>): string {
  return target.kind === "folder" ? `Drive folder ${target.id}` : target.kind === "template" ? `template doc ${target.id}` : `doc ${target.id}`;
}

function shareHint(target: FailureContext["target"], actor: string): string {
  if (!target) return `make sure ${actor} has access`;
  if (target.kind === "folder") return `share folder ${target.id} with ${actor} as Editor (Content manager in a shared drive)`;
  if (target.kind === "template") return `share template doc ${target.id} with ${actor} as Viewer`;
  return `share doc ${target.id} with ${actor} as Editor`;
}

/**
 * True when Google's error message names `id` (Drive says `File not found: <id>.`), to tell
 * which of two ids a copy failed on. The message is only searched, never repeated.
 */
export function errorMentions(error: unknown, id: string): boolean {
  const data = parseBody((error as GaxiosLike | undefined)?.response?.data);
  const message = (data as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === "string" && message.includes(id);
}
