import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, listenLoopback, readBody, rejectUnknownKeys, sendJson } from "./http-util.js";
import { textUnderHeading, typeUnderHeading } from "./google-standin.js";

/**
 * A loopback stand-in for HackMD's public API v1 (https://api.hackmd.io/v1), the endpoints the
 * App may call and only those:
 *
 *   GET   /v1/me                                  the token's user and its teams
 *   GET   /v1/notes            POST /v1/notes     the user's own workspace
 *   GET   /v1/notes/:id        PATCH /v1/notes/:id
 *   GET   /v1/teams/:team/notes                   a team workspace the user belongs to
 *   POST  /v1/teams/:team/notes
 *   GET   /v1/teams/:team/notes/:id   PATCH /v1/teams/:team/notes/:id
 *
 * Shapes follow HackMD's OpenAPI description as its own client (`@hackmd/api`, types.gen.ts)
 * carries it: a note is `{ id, title, description, tags, readPermission, writePermission,
 * shortId, publishLink, permalink, teamPath, userPath, publishType, publishedAt,
 * lastChangeUser, createdAt, lastChangedAt, tagsUpdatedAt, titleUpdatedAt }` with times in
 * epoch milliseconds; a single note adds `content`. Lists never carry `content`. Creating
 * answers 201 with the single note; updating answers 202 with an empty body. A note object has
 * no `commentPermission` (HackMD takes it on create only and never returns it): the stand-in
 * keeps it on {@link StandinNote} for the tests to check.
 *
 * What HackMD does with a note's content, modelled here: its title comes from the content's
 * YAML front-matter `title:`, else its first `# ` heading, else the `title` given, else
 * "Untitled"; its tags are the `tags` given, else the front-matter's `tags:`. A person typing
 * into the note (see {@link typeIntoNote}) changes `content` and `lastChangedAt`.
 *
 * Checked on every request: `Authorization: Bearer <token>` (401 otherwise); the team path
 * is one of the user's teams (403 otherwise); body fields and enum values are the API's (400
 * with the field named otherwise, recorded in `rejected`, which a test expects empty); write
 * permission no wider than read permission (422, as HackMD refuses "anyone may edit what only
 * the owner may read").
 */
export type HackmdRole = "owner" | "signed_in" | "guest";
export type HackmdCommentPermission = "disabled" | "forbidden" | "owners" | "signed_in_users" | "everyone";

export interface StandinNote {
  id: string;
  shortId: string;
  title: string;
  description: string;
  tags: string[];
  /** The note's Markdown, front-matter included, as GET answers it. */
  content: string;
  readPermission: HackmdRole;
  writePermission: HackmdRole;
  /** As created (HackMD does not return it; here for the tests). */
  commentPermission: HackmdCommentPermission;
  /** The team workspace it is in, or null for a user's own workspace. */
  teamPath: string | null;
  /** The user whose workspace it is in, or null for a team note. */
  userPath: string | null;
  permalink: string | null;
  /** The HackMD user who made it (the token's, or someone else's for seeded foreign notes). */
  ownerUserPath: string;
  createdAt: number;
  lastChangedAt: number;
  tagsUpdatedAt: number | null;
  titleUpdatedAt: number | null;
}

/** One request the stand-in answered, for assertions (`METHOD path`, status). */
export interface HackmdRequest {
  method: string;
  path: string;
  status: number;
  /** The parsed JSON body of a POST or PATCH, else undefined. */
  body?: unknown;
}

export interface HackmdStandin {
  /** The API base to give the App as WG_MEETINGS_HACKMD_API_URL: `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** The API token the stand-in accepts (HACKMD_API_TOKEN). */
  token: string;
  /** The token's user (`GET /me`). */
  user: { id: string; name: string; userPath: string };
  /** The team workspaces the user belongs to, by path. */
  teams: string[];
  notes: Map<string, StandinNote>;
  /** Every request, in order. */
  requests: HackmdRequest[];
  /** Requests refused for their shape (should stay empty). */
  rejected: string[];
  /**
   * Puts a note into the stand-in as if someone made it in HackMD (not through the App): in a
   * team (`teamPath`) or a user's workspace (`userPath`, default another user's). For tests of
   * "a note the App did not make" and "a note in another workspace".
   */
  seedNote(note: { content: string; title?: string; tags?: string[]; teamPath?: string | null; userPath?: string; readPermission?: HackmdRole; writePermission?: HackmdRole }): StandinNote;
  /**
   * The next `times` requests matching `method` and `path` (a regular expression on the path
   * under /v1) are answered `status` (a 429 carries HackMD's rate-limit headers), before
   * anything else is checked. For retry, backoff and failure-notice tests. With `afterDoing`,
   * the request is carried out first and only its answer is replaced (HackMD made the note,
   * the App never heard): for "look before creating again" tests.
   */
  failNext(method: string, path: RegExp, status: number, times?: number, options?: { afterDoing?: boolean }): void;
  /**
   * A note's address for people: `<origin>/<id>`, where the stand-in serves the note as
   * HackMD's web UI serves `https://hackmd.io/<id>` (what the App links when its API URL is
   * the stand-in's).
   */
  noteUrl(id: string): string;
  close(): Promise<void>;
}

const ROLES = ["owner", "signed_in", "guest"] as const;
const COMMENT_PERMISSIONS = ["disabled", "forbidden", "owners", "signed_in_users", "everyone"] as const;
const SUGGEST_PERMISSIONS = ["disabled", "forbidden", "owners", "signed_in_users"] as const;
// Body fields per HackMD's OpenAPI (CreateNoteData / UpdateNoteData, user and team alike).
const CREATE_FIELDS = [
  "title",
  "content",
  "description",
  "tags",
  "readPermission",
  "writePermission",
  "commentPermission",
  "suggestEditPermission",
  "noteFeatures",
  "permalink",
  "parentFolderId",
  "origin",
] as const;
const UPDATE_FIELDS = ["title", "content", "description", "tags", "readPermission", "writePermission", "permalink", "parentFolderId"] as const;
const OPENNESS: Record<HackmdRole, number> = { owner: 0, signed_in: 1, guest: 2 };

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
function randomId(length: number): string {
  return [...randomBytes(length)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join("");
}

export interface HackmdStandinOptions {
  /** The token to accept (default: a fresh random one). */
  token?: string;
  /** The token's user path (default `wg-meetings-bot`). */
  userPath?: string;
  /** Teams the user belongs to (default none). */
  teams?: string[];
}

export async function startHackmdStandin(options: HackmdStandinOptions = {}): Promise<HackmdStandin> {
  const token = options.token ?? `hmd-standin-${randomBytes(16).toString("hex")}`;
  const user = { id: randomUuid(), name: "WG Meetings bot", userPath: options.userPath ?? "wg-meetings-bot" };
  const teams = [...(options.teams ?? [])];
  const notes = new Map<string, StandinNote>();
  const requests: HackmdRequest[] = [];
  const rejected: string[] = [];
  const failures: Array<{ method: string; path: RegExp; status: number; left: number; afterDoing: boolean }> = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://standin");
    const method = req.method ?? "GET";
    const raw = await readBody(req);
    const record: HackmdRequest = { method, path: url.pathname, status: 0 };
    requests.push(record);
    // Set when the request is carried out but its answer is lost (failNext with afterDoing).
    let lost: number | undefined;
    const answer = (done: number, result?: unknown, extra: Record<string, string> = {}) => {
      const failed = lost !== undefined && done < 300;
      const status = failed ? lost! : done;
      const body = failed ? { error: "Bad Gateway" } : result;
      const headers = failed ? {} : extra;
      record.status = status;
      if (body === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else sendJson(res, status, body, headers);
    };
    try {
      let web: RegExpExecArray | null;
      if (method === "GET" && (web = /^\/([A-Za-z0-9_-]+)(\/download)?$/.exec(url.pathname))) return webPage(res, record, web[1]!, web[2] !== undefined);
      if (!url.pathname.startsWith("/v1/")) throw new HttpError(404, `the HackMD stand-in serves /v1 and note pages only, not ${url.pathname}`);
      const path = url.pathname.slice(3);
      const failure = failures.find((f) => f.left > 0 && f.method === method && f.path.test(path));
      if (failure?.afterDoing) {
        failure.left--;
        lost = failure.status;
      } else if (failure) {
        failure.left--;
        const reset = String(Math.ceil(Date.now() / 1000) + 60);
        const headers: Record<string, string> =
          failure.status === 429 ? { "x-ratelimit-userlimit": "2000", "x-ratelimit-userremaining": "0", "x-ratelimit-userreset": reset, "retry-after": "1" } : {};
        return answer(failure.status, { error: failure.status === 429 ? "Too Many Requests" : "Internal Server Error" }, headers);
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (bearer !== token) throw new HttpError(401, "Unauthorized");
      const body = method === "POST" || method === "PATCH" ? parseBody(req, raw) : undefined;
      if (body !== undefined) record.body = body;
      let m: RegExpExecArray | null;

      if (method === "GET" && path === "/me") {
        return answer(200, { id: user.id, name: user.name, email: null, userPath: user.userPath, photo: "https://hackmd.io/images/avatar.png", upgraded: false, teams: teams.map(teamObject) });
      }
      if (path === "/notes") {
        if (method === "GET") return answer(200, inWorkspace(null).map(noteType));
        if (method === "POST") return answer(201, singleNote(create(body, null)));
      }
      if ((m = /^\/notes\/([^/]+)$/.exec(path))) {
        const note = findNote(decodeURIComponent(m[1]!));
        if (method === "GET") return getNote(req, note, answer);
        if (method === "PATCH") {
          if (!canWrite(note)) throw new HttpError(403, "Forbidden");
          update(note, body);
          return answer(202);
        }
      }
      if ((m = /^\/teams\/([^/]+)\/notes$/.exec(path))) {
        const team = member(decodeURIComponent(m[1]!));
        if (method === "GET") return answer(200, inWorkspace(team).map(noteType));
        if (method === "POST") return answer(201, singleNote(create(body, team)));
      }
      if ((m = /^\/teams\/([^/]+)\/notes\/([^/]+)$/.exec(path))) {
        const team = member(decodeURIComponent(m[1]!));
        const note = findNote(decodeURIComponent(m[2]!));
        if (note.teamPath !== team) throw new HttpError(404, "Not Found");
        if (method === "GET") return getNote(req, note, answer);
        if (method === "PATCH") {
          update(note, body);
          return answer(202);
        }
      }
      throw new HttpError(404, `the HackMD stand-in does not serve ${method} ${url.pathname}`);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 400 || error.status === 422) rejected.push(`${method} ${url.pathname}: ${error.message}`);
      if (error.status === 422) return answer(422, { message: "Validation Failed", details: { request: { message: error.message } } });
      answer(error.status, error.status === 400 ? { message: error.message } : { error: error.message });
    }
  };

  /**
   * What a browser gets at a note's address (the App links `<origin>/<id>`, as HackMD's web
   * UI serves `https://hackmd.io/<id>`): the note, when anyone may read it. `/download` is its
   * Markdown, as HackMD's download link gives it.
   */
  function webPage(res: ServerResponse, record: HackmdRequest, id: string, download: boolean): void {
    const note = notes.get(id);
    record.status = note && note.readPermission === "guest" ? 200 : 404;
    if (record.status === 404) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("Not Found");
      return;
    }
    if (download) {
      res.writeHead(200, { "content-type": "text/markdown; charset=utf-8" });
      res.end(note!.content);
      return;
    }
    const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>${escape(note!.title)} - HackMD (stand-in)</title><pre>${escape(note!.content)}</pre>\n`);
  }

  function teamObject(path: string) {
    return { id: uuidFrom(path), ownerId: null, name: path, logo: "", path, description: null, visibility: "public", upgraded: false, createdAt: 1_600_000_000_000 };
  }

  function member(team: string): string {
    if (!teams.includes(team)) throw new HttpError(403, "Forbidden");
    return team;
  }

  function findNote(id: string): StandinNote {
    const note = notes.get(id) ?? [...notes.values()].find((candidate) => candidate.shortId === id);
    if (!note || !canRead(note)) throw new HttpError(404, "Not Found");
    return note;
  }

  function inWorkspaceOf(note: StandinNote): boolean {
    return note.teamPath !== null ? teams.includes(note.teamPath) : note.userPath === user.userPath;
  }

  function canRead(note: StandinNote): boolean {
    return inWorkspaceOf(note) || note.readPermission !== "owner";
  }

  function canWrite(note: StandinNote): boolean {
    return inWorkspaceOf(note) || note.writePermission !== "owner";
  }

  function inWorkspace(team: string | null): StandinNote[] {
    return [...notes.values()]
      .filter((note) => (team === null ? note.teamPath === null && note.userPath === user.userPath : note.teamPath === team))
      .sort((a, b) => b.lastChangedAt - a.lastChangedAt);
  }

  function getNote(req: IncomingMessage, note: StandinNote, answer: (status: number, body?: unknown, headers?: Record<string, string>) => void): void {
    const etag = `W/"${createHash("sha1").update(`${note.lastChangedAt}:${note.content}`).digest("hex")}"`;
    if (req.headers["if-none-match"] === etag) return answer(304, undefined, { etag });
    answer(200, singleNote(note), { etag });
  }

  function create(body: unknown, team: string | null): StandinNote {
    const fields = typeof body === "string" ? { content: body } : checkObject("CreateNote", body, CREATE_FIELDS);
    const read = role("readPermission", fields["readPermission"], "guest");
    const write = role("writePermission", fields["writePermission"], "signed_in");
    widerWrite(read, write);
    const comment = oneOf("commentPermission", fields["commentPermission"], COMMENT_PERMISSIONS, "signed_in_users");
    oneOf("suggestEditPermission", fields["suggestEditPermission"], SUGGEST_PERMISSIONS, "disabled");
    const now = Date.now();
    const note: StandinNote = {
      id: randomId(22),
      shortId: `S${randomId(8)}`,
      title: "",
      description: stringField("description", fields["description"]) ?? "",
      tags: [],
      content: stringField("content", fields["content"]) ?? "",
      readPermission: read,
      writePermission: write,
      commentPermission: comment,
      teamPath: team,
      userPath: team === null ? user.userPath : null,
      permalink: stringField("permalink", fields["permalink"]) ?? null,
      ownerUserPath: user.userPath,
      createdAt: now,
      lastChangedAt: now,
      tagsUpdatedAt: null,
      titleUpdatedAt: null,
    };
    stringField("parentFolderId", fields["parentFolderId"]);
    stringField("origin", fields["origin"]);
    applyText(note, stringField("title", fields["title"]), tagsField(fields["tags"]));
    notes.set(note.id, note);
    return note;
  }

  function update(note: StandinNote, body: unknown): void {
    const fields = checkObject("UpdateNote", body, UPDATE_FIELDS);
    const read = fields["readPermission"] === undefined ? note.readPermission : role("readPermission", fields["readPermission"], note.readPermission);
    const write = fields["writePermission"] === undefined ? note.writePermission : role("writePermission", fields["writePermission"], note.writePermission);
    widerWrite(read, write);
    const content = stringField("content", fields["content"]);
    const title = stringField("title", fields["title"]);
    const tags = tagsField(fields["tags"]);
    const description = fields["description"] === null ? "" : stringField("description", fields["description"]);
    stringField("parentFolderId", fields["parentFolderId"] ?? undefined);
    const permalink = stringField("permalink", fields["permalink"]);
    note.readPermission = read;
    note.writePermission = write;
    if (content !== undefined) note.content = content;
    if (description !== undefined) note.description = description;
    if (permalink !== undefined) note.permalink = permalink;
    applyText(note, title, tags);
    note.lastChangedAt = Date.now();
  }

  /** Title and tags as HackMD derives them (see the file's comment). */
  function applyText(note: StandinNote, title: string | undefined, tags: string[] | undefined): void {
    const front = frontMatter(note.content);
    const derived = front.title ?? firstH1(note.content) ?? title ?? (note.title || "Untitled");
    if (derived !== note.title) {
      note.title = derived;
      note.titleUpdatedAt = Date.now();
    }
    const nextTags = tags ?? front.tags ?? note.tags;
    if (JSON.stringify(nextTags) !== JSON.stringify(note.tags)) {
      note.tags = nextTags;
      note.tagsUpdatedAt = Date.now();
    }
  }

  function role(field: string, value: unknown, fallback: HackmdRole): HackmdRole {
    return oneOf(field, value, ROLES, fallback);
  }

  function widerWrite(read: HackmdRole, write: HackmdRole): void {
    if (OPENNESS[write] > OPENNESS[read]) throw new HttpError(422, `writePermission ${write} is wider than readPermission ${read}`);
  }

  const noteType = (note: StandinNote) => ({
    id: note.id,
    title: note.title,
    description: note.description,
    tags: [...note.tags],
    readPermission: note.readPermission,
    writePermission: note.writePermission,
    shortId: note.shortId,
    publishLink: `https://hackmd.io/@${note.teamPath ?? note.userPath}/${note.permalink ?? note.shortId}`,
    permalink: note.permalink,
    teamPath: note.teamPath,
    userPath: note.userPath,
    publishType: "view",
    publishedAt: null,
    lastChangeUser: { name: note.ownerUserPath, userPath: note.ownerUserPath, photo: "https://hackmd.io/images/avatar.png", biography: null },
    createdAt: note.createdAt,
    lastChangedAt: note.lastChangedAt,
    tagsUpdatedAt: note.tagsUpdatedAt,
    titleUpdatedAt: note.titleUpdatedAt,
  });
  const singleNote = (note: StandinNote) => ({ ...noteType(note), content: note.content });

  // Every API request on this server is the App's (tests edit `notes` directly; note pages are people's).
  const server = await listenLoopback(handle, (req) => (req.url ?? "").startsWith("/v1/"));
  return {
    url: `${server.url}/v1`,
    token,
    user,
    teams,
    notes,
    requests,
    rejected,
    seedNote(seed) {
      const now = Date.now();
      const teamPath = seed.teamPath ?? null;
      const userPath = teamPath === null ? (seed.userPath ?? "someone-else") : null;
      const note: StandinNote = {
        id: randomId(22),
        shortId: `S${randomId(8)}`,
        title: "",
        description: "",
        tags: [],
        content: seed.content,
        readPermission: seed.readPermission ?? "guest",
        writePermission: seed.writePermission ?? "signed_in",
        commentPermission: "signed_in_users",
        teamPath,
        userPath,
        permalink: null,
        ownerUserPath: userPath ?? "someone-else",
        createdAt: now,
        lastChangedAt: now,
        tagsUpdatedAt: null,
        titleUpdatedAt: null,
      };
      applyText(note, seed.title, seed.tags);
      notes.set(note.id, note);
      return note;
    },
    failNext(method, path, status, times = 1, options = {}) {
      failures.push({ method, path, status, left: times, afterDoing: options.afterDoing ?? false });
    },
    noteUrl: (id) => `${server.url}/${id}`,
    close: server.close,
  };
}

/**
 * Types lines into a note the way a note taker does in HackMD's editor: under the heading
 * whose text starts with `heading`, over the `(notes)` prompt while it is there (see
 * google-standin.ts's {@link typeUnderHeading}); the note's `lastChangedAt` moves.
 */
export function typeIntoNote(note: StandinNote, heading: string, typed: readonly string[]): void {
  // A person types in the note's text, above the hidden comments that end it (the App's
  // marker): keep those last, as HackMD's editor shows them after the last section.
  const lines = note.content.split("\n");
  let end = lines.length;
  while (end > 0 && (lines[end - 1]!.trim() === "" || /^<!--.*-->$/.test(lines[end - 1]!.trim()))) end--;
  const text = { markdown: lines.slice(0, end).join("\n") };
  typeUnderHeading(text, heading, typed);
  const tail = lines.slice(end);
  note.content = tail.length > 0 ? `${text.markdown.replace(/\n*$/, "")}\n\n${tail.join("\n").replace(/^\n+/, "")}` : text.markdown;
  note.lastChangedAt = Date.now();
}

/** The text under the one heading of a note that starts with `heading`, trimmed. */
export function noteTextUnder(note: StandinNote, heading: string): string {
  return textUnderHeading(note.content, heading);
}

/** A note's YAML front-matter `title:` and `tags:` (the two keys HackMD reads), when it opens with one. */
export function frontMatter(content: string): { title?: string; tags?: string[] } {
  const block = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(content)?.[1];
  if (block === undefined) return {};
  const found: { title?: string; tags?: string[] } = {};
  const unquote = (value: string) => value.trim().replace(/^(["'])(.*)\1$/, "$2");
  const title = /^title:[ \t]*(.+)$/m.exec(block)?.[1];
  if (title !== undefined && unquote(title)) found.title = unquote(title);
  const inline = /^tags:[ \t]*(.*)$/m.exec(block);
  if (inline) {
    const value = inline[1]!.trim();
    if (value.startsWith("[")) {
      found.tags = value.replace(/^\[|\]$/g, "").split(",").map(unquote).filter(Boolean);
    } else if (value) {
      found.tags = value.split(",").map(unquote).filter(Boolean);
    } else {
      // A YAML list on the following lines: `  - tag`.
      const after = block.slice(inline.index + inline[0].length).split(/\r?\n/).slice(1);
      const items: string[] = [];
      for (const line of after) {
        const item = /^[ \t]*-[ \t]+(.+)$/.exec(line);
        if (!item) break;
        items.push(unquote(item[1]!));
      }
      found.tags = items;
    }
  }
  return found;
}

/** The text of the first level-one ATX heading outside the front-matter and fenced code, if any. */
function firstH1(content: string): string | undefined {
  const body = content.replace(/^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, "");
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^ {0,3}(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const match = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = String(req.headers["content-type"] ?? "");
  const text = raw.toString("utf8");
  if (type.startsWith("text/")) return text;
  if (!type.startsWith("application/json")) throw new HttpError(400, `expected application/json, got ${type || "no content-type"}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "body is not JSON");
  }
}

function checkObject(what: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new HttpError(400, `${what}: expected a JSON object`);
  rejectUnknownKeys(what, value, allowed);
  return value as Record<string, unknown>;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !allowed.includes(value as T)) throw new HttpError(400, `${field}: ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
  return value as T;
}

function stringField(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new HttpError(400, `${field}: expected a string`);
  return value;
}

function tagsField(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== "string")) throw new HttpError(400, "tags: expected an array of strings");
  return [...(value as string[])];
}

function randomUuid(): string {
  return uuidFrom(randomBytes(16).toString("hex"));
}

function uuidFrom(seed: string): string {
  const hex = createHash("sha1").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
