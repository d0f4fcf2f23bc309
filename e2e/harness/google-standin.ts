import { createPublicKey, createVerify, randomBytes, type KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { docs_v1 } from "@googleapis/docs";
import type { drive_v3 } from "@googleapis/drive";
import { HttpError, listenLoopback, readBody, rejectUnknownKeys, sendJson } from "./http-util.js";

/**
 * A loopback stand-in for the Google endpoints the App calls (and only those): the service
 * account's token exchange, Drive `files.list` (the appProperties query), `files.get` (a doc's
 * appProperties, checked before the App uses a doc), multipart import of
 * Markdown as a Google Doc, `files.copy`, `permissions.list/create`, `files.export` as
 * `text/markdown`, and Docs `documents:batchUpdate` (replaceAllText).
 *
 * Request shapes are checked against the googleapis typings: every accepted body field and query
 * parameter is listed below as `keyof` the generated type (a typo does not compile), and anything
 * else is refused with 400, as a contract test would. Bearer tokens must be ones it issued for a
 * JWT signed with the configured service-account key.
 */
export interface StandinDoc {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  appProperties: Record<string, string>;
  /**
   * The doc's text, as `files.export` as text/markdown returns it. People's typing goes through
   * {@link typeUnderHeading}, which edits it where a person would put the cursor.
   */
  markdown: string;
  permissions: drive_v3.Schema$Permission[];
  createdTime: string;
}

export interface GoogleStandin {
  /** The origin to give the App as WG_MEETINGS_GOOGLE_ROOT_URL. */
  url: string;
  docs: Map<string, StandinDoc>;
  /** Every request, `METHOD path` (no query), in order. */
  requests: string[];
  /** Requests refused for their shape (should stay empty). */
  rejected: string[];
  close(): Promise<void>;
}

const GOOGLE_DOC = "application/vnd.google-apps.document";

// Body fields the App may send, per googleapis' types.
const FILE_FIELDS = ["name", "mimeType", "parents", "appProperties", "description"] as const satisfies readonly (keyof drive_v3.Schema$File)[];
const PERMISSION_FIELDS = ["type", "role", "emailAddress", "domain", "allowFileDiscovery", "expirationTime"] as const satisfies readonly (keyof drive_v3.Schema$Permission)[];
const BATCH_FIELDS = ["requests", "writeControl"] as const satisfies readonly (keyof docs_v1.Schema$BatchUpdateDocumentRequest)[];
const REQUEST_KINDS = ["replaceAllText"] as const satisfies readonly (keyof docs_v1.Schema$Request)[];
const REPLACE_FIELDS = ["containsText", "replaceText", "tabsCriteria"] as const satisfies readonly (keyof docs_v1.Schema$ReplaceAllTextRequest)[];
const CONTAINS_FIELDS = ["text", "matchCase", "searchByRegex"] as const satisfies readonly (keyof docs_v1.Schema$SubstringMatchCriteria)[];

// Query parameters, per googleapis' Params types (StandardParameters included).
const STANDARD = ["alt", "fields", "key", "prettyPrint", "quotaUser", "uploadType", "upload_protocol", "callback", "access_token", "$.xgafv", "oauth_token", "userIp"] as const;
const LIST_PARAMS = [...STANDARD, "q", "supportsAllDrives", "includeItemsFromAllDrives", "corpora", "orderBy", "pageSize", "pageToken", "spaces", "driveId"] as const satisfies readonly (keyof drive_v3.Params$Resource$Files$List | (typeof STANDARD)[number])[];
const CREATE_PARAMS = [...STANDARD, "supportsAllDrives", "ignoreDefaultVisibility", "keepRevisionForever", "ocrLanguage", "useContentAsIndexableText"] as const satisfies readonly (keyof drive_v3.Params$Resource$Files$Create | (typeof STANDARD)[number])[];
const COPY_PARAMS = [...STANDARD, "supportsAllDrives", "ignoreDefaultVisibility", "keepRevisionForever", "ocrLanguage", "includeLabels", "enforceSingleParent"] as const satisfies readonly (keyof drive_v3.Params$Resource$Files$Copy | (typeof STANDARD)[number])[];
const GET_PARAMS = [...STANDARD, "supportsAllDrives", "acknowledgeAbuse", "includeLabels", "includePermissionsForView", "supportsTeamDrives"] as const satisfies readonly (keyof drive_v3.Params$Resource$Files$Get | (typeof STANDARD)[number])[];
const EXPORT_PARAMS = [...STANDARD, "mimeType"] as const satisfies readonly (keyof drive_v3.Params$Resource$Files$Export | (typeof STANDARD)[number])[];
const PERM_LIST_PARAMS = [...STANDARD, "supportsAllDrives", "pageSize", "pageToken", "useDomainAdminAccess", "includePermissionsForView"] as const satisfies readonly (keyof drive_v3.Params$Resource$Permissions$List | (typeof STANDARD)[number])[];
const PERM_CREATE_PARAMS = [...STANDARD, "supportsAllDrives", "sendNotificationEmail", "emailMessage", "transferOwnership", "moveToNewOwnersRoot", "useDomainAdminAccess", "enforceExpansiveAccess"] as const satisfies readonly (keyof drive_v3.Params$Resource$Permissions$Create | (typeof STANDARD)[number])[];

const ROLES = ["owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"];
const TYPES = ["user", "group", "domain", "anyone"];

export async function startGoogleStandin(options: { serviceAccount: string; publicKey: KeyObject | string }): Promise<GoogleStandin> {
  const publicKey = typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
  const tokens = new Set<string>();
  const docs = new Map<string, StandinDoc>();
  const requests: string[] = [];
  const rejected: string[] = [];
  let nextId = 1;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://standin");
    const method = req.method ?? "GET";
    const path = url.pathname;
    requests.push(`${method} ${path}`);
    const body = await readBody(req);
    try {
      if (method === "POST" && path === "/token") return tokenExchange(res, body);
      requireToken(req);
      const query = Object.fromEntries(url.searchParams);
      let m: RegExpExecArray | null;
      if (method === "GET" && path === "/drive/v3/files") {
        rejectUnknownKeys("files.list parameters", query, LIST_PARAMS);
        return sendJson(res, 200, { files: listFiles(query["q"] ?? "").map((doc) => ({ id: doc.id, name: doc.name })) });
      }
      if (method === "POST" && path === "/upload/drive/v3/files") {
        rejectUnknownKeys("files.create parameters", query, CREATE_PARAMS);
        if (query["uploadType"] !== "multipart") throw new HttpError(400, "only uploadType=multipart is served");
        const { metadata, media, mediaType } = parseMultipart(req.headers["content-type"] ?? "", body);
        const file = checkFile(metadata);
        if (file.mimeType !== GOOGLE_DOC || mediaType !== "text/markdown") {
          throw new HttpError(400, `expected a text/markdown upload converted to ${GOOGLE_DOC}, got ${mediaType} → ${file.mimeType}`);
        }
        return sendJson(res, 200, fileResponse(addDoc(file, media), query["fields"]));
      }
      if (method === "POST" && (m = /^\/drive\/v3\/files\/([^/]+)\/copy$/.exec(path))) {
        rejectUnknownKeys("files.copy parameters", query, COPY_PARAMS);
        const source = findDoc(m[1]!);
        const file = checkFile(parseJson(body));
        return sendJson(res, 200, fileResponse(addDoc({ mimeType: source.mimeType, ...file }, source.markdown), query["fields"]));
      }
      if (method === "GET" && (m = /^\/drive\/v3\/files\/([^/]+)$/.exec(path))) {
        rejectUnknownKeys("files.get parameters", query, GET_PARAMS);
        return sendJson(res, 200, fileResponse(findDoc(decodeURIComponent(m[1]!)), query["fields"]));
      }
      if (method === "GET" && (m = /^\/drive\/v3\/files\/([^/]+)\/export$/.exec(path))) {
        rejectUnknownKeys("files.export parameters", query, EXPORT_PARAMS);
        const doc = findDoc(m[1]!);
        if (query["mimeType"] !== "text/markdown") throw new HttpError(400, `export as ${query["mimeType"]} is not served (text/markdown only)`);
        res.writeHead(200, { "content-type": "text/markdown; charset=utf-8" });
        res.end(doc.markdown);
        return;
      }
      if ((m = /^\/drive\/v3\/files\/([^/]+)\/permissions$/.exec(path))) {
        const doc = findDoc(m[1]!);
        if (method === "GET") {
          rejectUnknownKeys("permissions.list parameters", query, PERM_LIST_PARAMS);
          return sendJson(res, 200, { kind: "drive#permissionList", permissions: doc.permissions });
        }
        if (method === "POST") {
          rejectUnknownKeys("permissions.create parameters", query, PERM_CREATE_PARAMS);
          const permission = parseJson(body) as drive_v3.Schema$Permission;
          rejectUnknownKeys("Permission", permission, PERMISSION_FIELDS);
          if (!ROLES.includes(permission.role ?? "") || !TYPES.includes(permission.type ?? "")) {
            throw new HttpError(400, `invalid permission role/type ${permission.role}/${permission.type}`);
          }
          if ((permission.type === "anyone" || permission.type === "domain") && query["sendNotificationEmail"] !== undefined) {
            throw new HttpError(400, "sendNotificationEmail is only valid for users and groups");
          }
          const created = { id: `perm${doc.permissions.length + 1}`, kind: "drive#permission", ...permission };
          doc.permissions.push(created);
          return sendJson(res, 200, { id: created.id });
        }
      }
      if (method === "POST" && (m = /^\/v1\/documents\/([^/:]+):batchUpdate$/.exec(path))) {
        const doc = findDoc(decodeURIComponent(m[1]!));
        const request = parseJson(body) as docs_v1.Schema$BatchUpdateDocumentRequest;
        rejectUnknownKeys("BatchUpdateDocumentRequest", request, BATCH_FIELDS);
        const replies: docs_v1.Schema$Response[] = [];
        for (const one of request.requests ?? []) {
          rejectUnknownKeys("Request", one, REQUEST_KINDS);
          const replace = one.replaceAllText!;
          rejectUnknownKeys("ReplaceAllTextRequest", replace, REPLACE_FIELDS);
          rejectUnknownKeys("SubstringMatchCriteria", replace.containsText ?? {}, CONTAINS_FIELDS);
          const text = replace.containsText?.text ?? "";
          const occurrences = text ? doc.markdown.split(text).length - 1 : 0;
          if (text) doc.markdown = doc.markdown.split(text).join(replace.replaceText ?? "");
          replies.push({ replaceAllText: { occurrencesChanged: occurrences } });
        }
        return sendJson(res, 200, { documentId: doc.id, replies });
      }
      throw new HttpError(404, `the Google stand-in does not serve ${method} ${path}`);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 400) rejected.push(`${method} ${path}: ${error.message}`);
      sendJson(res, error.status, { error: { code: error.status, message: error.message, errors: [{ reason: error.status === 404 ? "notFound" : "badRequest", message: error.message }] } });
    }
  };

  function tokenExchange(res: ServerResponse, body: Buffer): void {
    const form = new URLSearchParams(body.toString("utf8"));
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") throw new HttpError(400, "unsupported grant_type");
    const [head, claims, signature] = (form.get("assertion") ?? "").split(".");
    if (!head || !claims || !signature) throw new HttpError(400, "assertion is not a JWT");
    const valid = createVerify("RSA-SHA256").update(`${head}.${claims}`).verify(publicKey, Buffer.from(signature, "base64url"));
    const payload = JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { iss?: string; scope?: string };
    if (!valid || payload.iss !== options.serviceAccount) {
      sendJson(res, 400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
      return;
    }
    const token = `ya29.standin-${randomBytes(8).toString("hex")}`;
    tokens.add(token);
    sendJson(res, 200, { access_token: token, expires_in: 3600, token_type: "Bearer" });
  }

  function requireToken(req: IncomingMessage): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token || !tokens.has(token)) throw new HttpError(401, "Request had invalid authentication credentials.");
  }

  function findDoc(id: string): StandinDoc {
    const doc = docs.get(id);
    if (!doc) throw new HttpError(404, `File not found: ${id}.`);
    return doc;
  }

  function checkFile(value: unknown): drive_v3.Schema$File {
    if (typeof value !== "object" || value === null) throw new HttpError(400, "File: expected a JSON object");
    rejectUnknownKeys("File", value, FILE_FIELDS);
    return value as drive_v3.Schema$File;
  }

  function addDoc(file: drive_v3.Schema$File, markdown: string): StandinDoc {
    const doc: StandinDoc = {
      id: `doc-${nextId++}-${randomBytes(4).toString("hex")}`,
      name: file.name ?? "Untitled",
      mimeType: file.mimeType ?? GOOGLE_DOC,
      parents: file.parents ?? [],
      appProperties: (file.appProperties as Record<string, string> | undefined) ?? {},
      markdown,
      permissions: [],
      createdTime: new Date().toISOString(),
    };
    docs.set(doc.id, doc);
    return doc;
  }

  /** Only the query the App sends: `appProperties has { key='K' and value='V' } and trashed = false`. */
  function listFiles(q: string): StandinDoc[] {
    const match = /^appProperties has \{ key='((?:[^'\\]|\\.)*)' and value='((?:[^'\\]|\\.)*)' \} and trashed = false$/.exec(q);
    if (!match) throw new HttpError(400, `files.list q not understood by the stand-in: ${q}`);
    const unquote = (s: string) => s.replace(/\\(.)/g, "$1");
    const [key, value] = [unquote(match[1]!), unquote(match[2]!)];
    return [...docs.values()].filter((doc) => doc.appProperties[key] === value).sort((a, b) => a.createdTime.localeCompare(b.createdTime));
  }

  // Only the App calls Google (tests read and type into `docs` directly).
  const server = await listenLoopback(handle, () => true);
  return { url: server.url, docs, requests, rejected, close: server.close };
}

/** The text of an ATX heading line, without its `#`s and a bold wrapper (`## **Present**`); null for other lines. */
function headingOf(line: string): string | null {
  const match = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
  return match?.[1] === undefined ? null : match[1].replace(/^\*\*(.*)\*\*$/, "$1").trim();
}

/** The `* (notes)` bullet the minutes-doc template leaves under each item for people to type over. */
const NOTES_PROMPT = /^[ \t]*[*+-][ \t]+\\?\(notes\\?\)[ \t]*$/i;

/**
 * Where the lines under a heading are: from after the one heading whose text starts with
 * `heading` up to the next heading of any level. Fails unless exactly one heading matches, so
 * a demo or test never types (or looks) in the wrong place.
 */
function sectionRange(lines: readonly string[], heading: string): { start: number; end: number } {
  const matches = lines.flatMap((line, index) => (headingOf(line)?.startsWith(heading) ? [index] : []));
  if (matches.length !== 1) throw new Error(`expected one heading starting with "${heading}", found ${matches.length}`);
  const start = matches[0]! + 1;
  const next = lines.findIndex((line, index) => index >= start && headingOf(line) !== null);
  return { start, end: next === -1 ? lines.length : next };
}

/**
 * Types lines into a doc the way a note taker does: under the heading whose text starts with
 * `heading` (e.g. an agenda item's title), over the item's `(notes)` prompt while it is still
 * there, else after what is already written under the heading. The stand-in keeps a doc as
 * the Markdown its export returns, so this is the edit a person's typing makes to that export.
 */
export function typeUnderHeading(doc: Pick<StandinDoc, "markdown">, heading: string, typed: readonly string[]): void {
  const lines = doc.markdown.split("\n");
  const { start, end } = sectionRange(lines, heading);
  const prompt = lines.findIndex((line, index) => index >= start && index < end && NOTES_PROMPT.test(line));
  if (prompt !== -1) {
    lines.splice(prompt, 1, ...typed);
  } else {
    let at = end;
    while (at > start && lines[at - 1]!.trim() === "") at--;
    // A heading with nothing under it yet gets a blank line first, and the next heading keeps
    // one before it, as the export writes them.
    const block = at === start ? ["", ...typed] : [...typed];
    if (at < lines.length && lines[at]!.trim() !== "") block.push("");
    lines.splice(at, 0, ...block);
  }
  doc.markdown = lines.join("\n");
}

/** The text under the one heading that starts with `heading`, trimmed (for checks on docs and minutes files). */
export function textUnderHeading(markdown: string, heading: string): string {
  const lines = markdown.split(/\r?\n/);
  const { start, end } = sectionRange(lines, heading);
  return lines.slice(start, end).join("\n").trim();
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "body is not JSON");
  }
}

function fileResponse(doc: StandinDoc, fields: string | undefined): Partial<drive_v3.Schema$File> {
  const full: drive_v3.Schema$File = { kind: "drive#file", id: doc.id, name: doc.name, mimeType: doc.mimeType, parents: doc.parents, appProperties: doc.appProperties };
  if (!fields) return full;
  const wanted = fields.split(",").map((f) => f.trim());
  return Object.fromEntries(Object.entries(full).filter(([key]) => wanted.includes(key)));
}

/** A `multipart/related` upload: the File metadata (JSON), then the media. */
function parseMultipart(contentType: string, body: Buffer): { metadata: unknown; media: string; mediaType: string } {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!contentType.startsWith("multipart/related") || !boundary) throw new HttpError(400, `expected multipart/related, got ${contentType}`);
  const parts = body
    .toString("utf8")
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const at = part.indexOf("\r\n\r\n");
      const headers = part.slice(0, at).toLowerCase();
      const type = /content-type:\s*([^\r\n;]+)/.exec(headers)?.[1]?.trim() ?? "";
      return { type, content: part.slice(at + 4).replace(/\r\n$/, "") };
    });
  const [meta, media] = parts;
  if (parts.length !== 2 || !meta || !media || !meta.type.startsWith("application/json")) throw new HttpError(400, "expected two parts: JSON metadata, then media");
  return { metadata: parseJson(Buffer.from(meta.content)), media: media.content, mediaType: media.type };
}
