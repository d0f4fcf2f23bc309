/*
 * Why Node's fetch and not @hackmd/api (measured 2026-12-03, Node 20; 2.7.0 needs Node 22, so
 * 2.5.0): it adds 32 packages (axios, follow-redirects, form-data, …), 4.8 MB, ~110–155 ms and
 * ~20 MB RSS to import, against ~0 for fetch, which Octokit already loads. Worse, in 2.5.0 with
 * its default error wrapping, its retry re-sends a wrapped error's missing config, so a 404, a
 * 429 or a 500 turns into three GETs of the bare base URL and an AxiosError; it ignores
 * Retry-After, would replay a POST (a second note), has no per-call timeout or AbortSignal,
 * follows redirects (the token goes along on the same host), reads bodies of any size, and its
 * timeout and network errors carry `config.headers.Authorization`: a logger serialising them
 * prints the token. nock 14 intercepts both. See the issue 14 report for the numbers.
 */
import { HACKMD_ENV } from "./env.js";
import { currentDeadline } from "../github/request-deadline.js";
import { deadlineError, HackmdError, networkError, quotaError, statusError, timeoutError, unexpectedAnswer, type HackmdAction } from "./errors.js";
import { UNRESTRICTED_HACKMD, type HackmdAllowList } from "./allow-list.js";
import { backoffDelay, DEFAULT_HACKMD_RETRY, pause, requestedWaitMs, type HackmdRetryPolicy } from "./retry.js";
import type { CreateNoteBody, HackmdNote, HackmdNoteSummary, NotePermissionRole, UpdateNoteBody } from "./types.js";

/** HackMD's public API. */
export const HACKMD_API_URL = "https://api.hackmd.io/v1";

/** Each request (answer included) gives up after this long, by default. */
export const DEFAULT_HACKMD_TIMEOUT_MS = 30_000;

/** The most Markdown the App reads from or writes to one note (UTF-8 bytes). */
export const MAX_NOTE_BYTES = 1024 * 1024;

/** One note's answer: its content, JSON-escaped, plus metadata. */
const MAX_NOTE_RESPONSE_BYTES = 2 * MAX_NOTE_BYTES + 64 * 1024;
/** A workspace's list of notes (no content): about 1 KB a note. */
const MAX_LIST_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Anything else, and error bodies (only their `code` is read). */
const MAX_SMALL_RESPONSE_BYTES = 64 * 1024;

/** HackMD note ids and short ids: URL-safe, so they go into paths as they are. */
const NOTE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** True for a string that can be a HackMD note id (anything else never reaches a URL). */
export function isNoteId(value: string): boolean {
  return NOTE_ID.test(value);
}

/** How to reach HackMD; everything but the token has a default. */
export interface HackmdClientOptions {
  /** The API token; kept in a closure, never on an object a logger could print. */
  token: string;
  /** Default {@link HACKMD_API_URL}. */
  apiUrl?: string | undefined;
  /** Per request, the answer's body included (default 30 s). */
  timeoutMs?: number | undefined;
  retry?: Partial<HackmdRetryPolicy> | undefined;
  /** The operator's allow-list (WG_MEETINGS_HACKMD_ALLOW); default: everything (tests). */
  allow?: HackmdAllowList | undefined;
}

/** The HackMD API calls the minutes backend makes, behind one gateway. */
export interface HackmdClient {
  /** The API's base URL, e.g. `https://api.hackmd.io/v1`. */
  readonly apiUrl: string;
  /** The operator's allow-list the backend enforces. */
  readonly allow: HackmdAllowList;
  /** The policy requests retry with; creating a note reuses it (it looks before it tries again). */
  readonly retry: HackmdRetryPolicy;
  /** The token's user (`GET /me`), asked once per client. */
  me(): Promise<{ userPath: string }>;
  /** The notes of a team's workspace, or of the token's own (`team` null); no content. */
  listNotes(team: string | null): Promise<HackmdNoteSummary[]>;
  /** One note with its content, wherever it is (`GET /notes/{noteId}`). */
  getNote(id: string): Promise<HackmdNote>;
  /**
   * Creates a note. A rate limit is retried (nothing was made); a server error or timeout is
   * not (something may have been made): it throws a HackmdError with `mayHaveHappened`.
   */
  createNote(team: string | null, body: CreateNoteBody): Promise<HackmdNote>;
  /** Changes a note's content or read and write permissions (`PATCH`; replaying it changes nothing more). */
  updateNote(team: string | null, id: string, body: UpdateNoteBody): Promise<void>;
}

interface Call extends HackmdAction {
  method: "GET" | "POST" | "PATCH";
  path: string;
  body?: unknown;
  maxBytes: number;
  /** Whether a server error, timeout or lost connection may be retried as it is. */
  replayable: boolean;
}

/**
 * The HackMD API client on Node's fetch: Bearer token, a timeout per request, no redirects,
 * bounded answers, 429 and 5xx retried with bounded backoff honouring Retry-After, and every
 * failure a public-safe {@link HackmdError}.
 *
 * @throws HackmdError (`not-configured`) when the token or the URL cannot be used.
 */
export function createHackmdClient(options: HackmdClientOptions): HackmdClient {
  const token = options.token.trim();
  // A header value with spaces or control characters makes fetch throw an error that quotes it.
  if (!/^[\x21-\x7e]{1,4096}$/.test(token)) {
    throw new HackmdError("not-configured", `${HACKMD_ENV.token} is not a usable API token (it is empty, or holds spaces or control characters)`);
  }
  const apiUrl = checkApiUrl(options.apiUrl ?? HACKMD_API_URL);
  const retry: HackmdRetryPolicy = { ...DEFAULT_HACKMD_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? DEFAULT_HACKMD_TIMEOUT_MS;
  const authorization = `Bearer ${token}`;
  let me: Promise<{ userPath: string }> | undefined;

  async function call(request: Call): Promise<unknown> {
    const url = `${apiUrl}${request.path}`;
    for (let attempt = 0; ; attempt++) {
      // The run's deadline (an installation's part of a tick) ends HackMD calls too, as it ends
      // GitHub's: nothing is asked, or asked again, once it has passed.
      if (currentDeadline()?.aborted) throw deadlineError(request, false);
      const outcome = await attemptOnce(request, url);
      if (outcome.ok) return outcome.value;
      const { error, waitMs } = outcome;
      if (currentDeadline()?.aborted) throw error;
      // Retry when HackMD refused for load (nothing was done), or when replaying is harmless.
      const retryable = error.status === 429 ? waitMs !== undefined : error.mayHaveHappened && request.replayable;
      if (!retryable || attempt >= retry.retries) throw error;
      const delay = waitMs ?? backoffDelay(retry, attempt + 1);
      if (delay > retry.maxDelayMs) throw error;
      await pause(retry, delay);
    }
  }

  type Outcome = { ok: true; value: unknown } | { ok: false; error: HackmdError; waitMs?: number | undefined };

  async function attemptOnce(request: Call, url: string): Promise<Outcome> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const deadline = currentDeadline();
    const signal = deadline ? AbortSignal.any([timeout, deadline]) : timeout;
    const headers: Record<string, string> = { authorization, accept: "application/json", "user-agent": "wg-meetings" };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers["content-type"] = "application/json";
    }
    let response: Response;
    try {
      response = await fetch(url, { method: request.method, headers, body, redirect: "manual", signal });
    } catch (error) {
      return { ok: false, error: fetchFailure(error, request, timeout, deadline) };
    }
    try {
      if (response.status >= 200 && response.status < 300) {
        const text = await readBounded(response, request.maxBytes, request);
        return { ok: true, value: text === "" ? undefined : parseJson(text, request) };
      }
      if (response.status === 429) {
        if (await isQuotaExceeded(response)) return { ok: false, error: quotaError(request) };
        // No wait given: back off as for a server error. A wait too long is not waited out.
        const asked = requestedWaitMs(response.headers);
        return { ok: false, error: statusError(429, request), waitMs: asked ?? backoffDelay(retry, 1) };
      }
      await discard(response);
      return { ok: false, error: statusError(response.status, request) };
    } catch (error) {
      if (error instanceof HackmdError) return { ok: false, error };
      return { ok: false, error: fetchFailure(error, request, timeout, deadline) };
    }
  }

  function fetchFailure(error: unknown, request: Call, timeout: AbortSignal, deadline: AbortSignal | undefined): HackmdError {
    if (deadline?.aborted) return deadlineError(request, true);
    if (timeout.aborted) return timeoutError(request, timeoutMs);
    return networkError(request, systemCode(error));
  }

  return {
    apiUrl,
    allow: options.allow ?? UNRESTRICTED_HACKMD,
    retry,
    me() {
      me ??= call({ method: "GET", path: "/me", action: "read whose API token it is", maxBytes: MAX_LIST_RESPONSE_BYTES, replayable: true })
        .then((data) => {
          const userPath = (data as { userPath?: unknown } | undefined)?.userPath;
          if (typeof userPath !== "string" || userPath === "") throw unexpectedAnswer({ action: "read whose API token it is" }, "no user path");
          return { userPath };
        })
        .catch((error: unknown) => {
          me = undefined;
          throw error;
        });
      return me;
    },
    async listNotes(team) {
      const action = team === null ? "list the notes of the API token's workspace" : `list the notes of HackMD team ${team}`;
      const data = await call({ method: "GET", path: `${workspacePath(team)}/notes`, action, team, maxBytes: MAX_LIST_RESPONSE_BYTES, replayable: true });
      if (!Array.isArray(data)) throw unexpectedAnswer({ action }, "something other than a list of notes");
      return data.map((item) => readSummary(item)).filter((note): note is HackmdNoteSummary => note !== null);
    },
    async getNote(id) {
      const action = `read note ${requireNoteId(id)}`;
      const data = await call({ method: "GET", path: `/notes/${id}`, action, maxBytes: MAX_NOTE_RESPONSE_BYTES, replayable: true });
      return readNote(data, { action });
    },
    async createNote(team, body) {
      const action = team === null ? "create the minutes note in the API token's workspace" : `create the minutes note in HackMD team ${team}`;
      requireSize(body.content, { action });
      const data = await call({ method: "POST", path: `${workspacePath(team)}/notes`, action, team, body, maxBytes: MAX_NOTE_RESPONSE_BYTES, replayable: false });
      // 207 Multi-Status: the note was made but something around it was not; the note is what counts.
      const note = (data as { note?: unknown } | undefined)?.note ?? data;
      return readNote(note, { action });
    },
    async updateNote(team, id, body) {
      const action = `${body.content === undefined ? "set the permissions of" : "update"} note ${requireNoteId(id)}`;
      if (body.content !== undefined) requireSize(body.content, { action });
      await call({ method: "PATCH", path: `${workspacePath(team)}/notes/${id}`, action, team, body, maxBytes: MAX_SMALL_RESPONSE_BYTES, replayable: true });
    },
  };
}

function workspacePath(team: string | null): string {
  return team === null ? "" : `/teams/${encodeURIComponent(team)}`;
}

function requireNoteId(id: string): string {
  if (!isNoteId(id)) throw new HackmdError("not-found", "the HackMD note id is not one HackMD makes (letters, digits, - and _)");
  return id;
}

function requireSize(content: string, context: HackmdAction): void {
  if (Buffer.byteLength(content, "utf8") > MAX_NOTE_BYTES) {
    throw new HackmdError("failed", `the note is larger than the App writes (1 MB of Markdown), so the App did not ${context.action}`);
  }
}

/**
 * The API URL: https, or http to this machine (tests, the demo's stand-in). No query or
 * fragment; a trailing slash is dropped so paths join cleanly.
 */
function checkApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw notConfiguredUrl();
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (!(url.protocol === "https:" || (url.protocol === "http:" && loopback)) || url.search || url.hash || url.username || url.password) {
    throw notConfiguredUrl();
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function notConfiguredUrl(): HackmdError {
  return new HackmdError("not-configured", `${HACKMD_ENV.apiUrl} must be an https URL such as ${HACKMD_API_URL} (or http to 127.0.0.1 or localhost for a stand-in)`);
}

/** Reads the body, refusing more than `maxBytes` (by Content-Length when given, else as it arrives). */
async function readBounded(response: Response, maxBytes: number, context: HackmdAction): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await discard(response);
    throw tooLarge(context);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(context);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(context: HackmdAction): HackmdError {
  return new HackmdError("failed", `HackMD's answer was larger than the App reads (notes up to 1 MB of Markdown) when asked to ${context.action}`);
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** HackMD says `{ error: { code: "quota_exceeded" } }` when the month's quota is used up. */
async function isQuotaExceeded(response: Response): Promise<boolean> {
  let text: string;
  try {
    text = await readBounded(response, MAX_SMALL_RESPONSE_BYTES, { action: "read a rate limit answer" });
  } catch {
    return false;
  }
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return body?.error?.code === "quota_exceeded";
  } catch {
    return false;
  }
}

function parseJson(text: string, context: HackmdAction): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw unexpectedAnswer(context, "something other than JSON");
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`…: from the error or its cause, and only when it looks like such a code. */
function systemCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{1,31}$/.test(code) ? code : undefined;
}

const ROLES = new Set<string>(["owner", "signed_in", "guest"]);

function readSummary(value: unknown): HackmdNoteSummary | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v["id"] !== "string") return null;
  return {
    id: v["id"],
    title: typeof v["title"] === "string" ? v["title"] : "",
    tags: Array.isArray(v["tags"]) ? v["tags"].filter((tag): tag is string => typeof tag === "string") : [],
    createdAt: typeof v["createdAt"] === "number" ? v["createdAt"] : typeof v["createdAt"] === "string" ? Date.parse(v["createdAt"]) || 0 : 0,
    teamPath: typeof v["teamPath"] === "string" && v["teamPath"] !== "" ? v["teamPath"] : null,
    userPath: typeof v["userPath"] === "string" && v["userPath"] !== "" ? v["userPath"] : null,
    readPermission: role(v["readPermission"]),
    writePermission: role(v["writePermission"]),
  };
}

/** An unknown role reads as the most restrictive one, so a differing config corrects it. */
function role(value: unknown): NotePermissionRole {
  return typeof value === "string" && ROLES.has(value) ? (value as NotePermissionRole) : "owner";
}

function readNote(value: unknown, context: HackmdAction): HackmdNote {
  const summary = readSummary(value);
  const content = (value as { content?: unknown } | null | undefined)?.content;
  if (summary === null || typeof content !== "string") throw unexpectedAnswer(context, "no note id or content");
  if (Buffer.byteLength(content, "utf8") > MAX_NOTE_BYTES) {
    throw new HackmdError("failed", `note ${summary.id} is larger than the App reads (1 MB of Markdown)`);
  }
  return { ...summary, content };
}
