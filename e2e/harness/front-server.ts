import type { IncomingMessage, ServerResponse } from "node:http";
import { schema as publishedSchema } from "@octokit/graphql-schema";
import { buildClientSchema, graphql, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { activity, HttpError, listenLoopback, readBody, sendJson } from "./http-util.js";

/**
 * The front server: what Probot's GitHub Enterprise settings (`baseUrl`, GHE_HOST + GHE_PROTOCOL)
 * talk to, with emulate behind it.
 *
 * - `/api/v3/*` is proxied to emulate (which serves at its root); `link` headers are rewritten
 *   so pagination stays on this server.
 * - `POST /api/graphql` executes the App's documents against GitHub's published schema
 *   (`@octokit/graphql-schema`), with resolvers over emulate's REST state.
 * - Shims for what emulate 0.12.2 lacks (see SHIMS).
 * - `POST /hooks/app` relays emulate's signed webhook deliveries, byte for byte, to the App
 *   (emulate reads the App's webhook URL from its seed, before the App's port is known), and
 *   records them so a test can redeliver one.
 */
export const SHIMS = [
  "POST /api/graphql: search(type: ISSUE) over emulate's REST search, honouring is:public/is:private (emulate ignores them); nodes(ids:) → Repository.object(expression: \"REF:path\") → Blob.text; rateLimit",
  "GET /installation/repositories: emulate has no such route (installation resolved from the token it minted; repos via /search/repositories)",
  "reactions on issues and issue comments (create, list with ?content=): emulate has none",
  "GET /repos/:o/:r/branches/:b: emulate's branch lacks commit.commit.tree; added from /commits/:sha",
  "PUT /repos/:o/:r/pulls/:n/merge with an empty body: emulate answers 400 (GitHub accepts); sent as {}",
  "GET /repos/:o/:r/issues/:n/comments?since=: emulate ignores since; the shim reads every page from emulate and keeps the comments updated at or after it (GitHub's filter), then pages them as asked",
  "GET /repos/:o/:r/assignees/:login (can this user be assigned?): emulate has no such route; 204 for a member of the owning org or a collaborator with triage or more, else 404, after the caller's issues read (checked by emulate)",
] as const;

export interface Delivery {
  event: string;
  id: string;
  headers: Record<string, string>;
  body: string;
  /**
   * The App's answer, once the App is done with the delivery: 0 while in flight (or when
   * unreachable), 503 while deliveries are held. Probot answers 202 "still processing" when
   * its handlers take over 9 s; the relay then waits for them (see `settleDelivery`) and
   * records 200, or 500 if one failed, as Probot would have answered had it waited.
   */
  status: number;
}

export interface AppRequest {
  method: string;
  path: string;
  status: number;
}

export interface Reaction {
  id: number;
  content: string;
  user: { login: string; type: "User" | "Bot" };
  created_at: string;
}

export interface FrontServer {
  url: string;
  /** The base URL Probot uses for REST (`<url>/api/v3`). */
  apiUrl: string;
  /** Every webhook emulate delivered, with the App's HTTP answer. */
  deliveries: Delivery[];
  /** Reactions by `owner/repo/issues/N` or `owner/repo/comments/ID`. */
  reactions: Map<string, Reaction[]>;
  /**
   * Every REST and GraphQL request the App made (its JWT and installation tokens), in the order
   * they were answered: what a step cost. The path is under /api/v3 (query included) or /api/graphql.
   */
  appRequests: AppRequest[];
  /** Where emulate listens (set once it started). */
  setEmulateUrl(url: string): void;
  /** Where deliveries go: the App's webhook URL (set once the App listens). */
  setWebhookTarget(url: string): void;
  /**
   * While true, deliveries are recorded but not relayed (answered 503): the App is unreachable,
   * as when GitHub's delivery fails. Later ticks must make good what was missed.
   */
  holdDeliveries: boolean;
  /** Posts a recorded delivery again, exactly as emulate sent it; resolves to the App's status (see `Delivery.status`). */
  redeliver(delivery: Delivery): Promise<number>;
  /**
   * Resolves once the App finished with a delivery (by id), to 200, or 500 if a handler failed.
   * Set by the world, which sees the App's handlers; without it a 202 stays 202.
   */
  settleDelivery?: (id: string) => Promise<number>;
  /** The installation tokens emulate minted for the App (secrets, for log scans). */
  mintedTokens(): string[];
  /** Lets the shims know who a token is (seeded user tokens). */
  registerUserToken(token: string, login: string): void;
  close(): Promise<void>;
}

const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

let cachedSchema: GraphQLSchema | undefined;
function githubSchema(): GraphQLSchema {
  // The introspection JSON: buildSchema(schema.idl) fails on a field defined twice.
  return (cachedSchema ??= buildClientSchema(publishedSchema.json as unknown as IntrospectionQuery));
}

export async function startFrontServer(options: {
  bot: { login: string };
  /** A seeded org owner's token, for the shims' own reads of state the caller may not see (who may be assigned). */
  inspectorToken: string;
}): Promise<FrontServer> {
  // emulate starts after this server (its seed needs our webhook URL): set by setEmulateUrl.
  let emulateOrigin = "";
  let emulate = "";
  const schema = githubSchema();
  const deliveries: Delivery[] = [];
  const reactions = new Map<string, Reaction[]>();
  const installationByToken = new Map<string, number>();
  const userByToken = new Map<string, string>();
  let webhookTarget: string | undefined;
  let nextReaction = 1;
  let self = "";

  async function emulateFetch(method: string, path: string, auth: string | undefined, body?: Buffer | string, accept?: string): Promise<Response> {
    return fetch(emulate + path, {
      method,
      headers: {
        ...(auth ? { authorization: auth } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        accept: accept ?? "application/vnd.github+json",
      },
      ...(body !== undefined ? { body } : {}),
    });
  }

  async function emulateJson<T>(path: string, auth: string | undefined): Promise<{ status: number; data: T }> {
    const response = await emulateFetch("GET", path, auth);
    return { status: response.status, data: (await response.json()) as T };
  }

  /** Who a token acts as: the App's bot for the installation tokens it minted, else a seeded user. */
  function actor(auth: string | undefined): Reaction["user"] {
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth ?? "")?.[1] ?? "";
    if (installationByToken.has(token)) return { login: options.bot.login, type: "Bot" };
    const login = userByToken.get(token);
    if (!login) throw new HttpError(401, "Bad credentials");
    return { login, type: "User" };
  }

  async function proxy(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const method = req.method ?? "GET";
    const auth = req.headers.authorization;
    let sent: Buffer | string | undefined = body.length > 0 ? body : undefined;
    if (method === "PUT" && /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/merge$/.test(path) && sent === undefined) sent = "{}";
    const response = await emulateFetch(method, path, auth, sent, req.headers.accept);
    const text = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "etag", "last-modified", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-github-request-id"]) {
      const value = response.headers.get(name);
      if (value) headers[name] = value;
    }
    const link = response.headers.get("link");
    if (link) headers["link"] = link.split(emulateOrigin).join(`${self}/api/v3`).split(emulate).join(`${self}/api/v3`);

    const tokenExchange = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method === "POST" && tokenExchange && response.status === 201) {
      const minted = JSON.parse(text.toString("utf8")) as { token: string };
      installationByToken.set(minted.token, Number(tokenExchange[1]));
    }
    res.writeHead(response.status, headers);
    res.end(text);
  }

  async function installationRepositories(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const auth = req.headers.authorization;
    const token = /^token\s+(.+)$/i.exec(auth ?? "")?.[1] ?? "";
    const installationId = installationByToken.get(token);
    if (installationId === undefined) throw new HttpError(403, "You must authenticate with an installation access token to list repositories for an installation.");
    const meta = await emulateJson<{ installation_tokens: Array<{ installation: { id: number }; account: { login: string; type: string } }> }>("/_emulate/installation-tokens", undefined);
    const owner = meta.data.installation_tokens.find((t) => t.installation.id === installationId)?.account;
    if (!owner) throw new HttpError(404, "installation not found");
    const qualifier = owner.type === "Organization" ? `org:${owner.login}` : `user:${owner.login}`;
    const repositories: unknown[] = [];
    for (let page = 1; ; page++) {
      const { data } = await emulateJson<{ total_count: number; items: unknown[] }>(`/search/repositories?q=${encodeURIComponent(qualifier)}&per_page=100&page=${page}`, auth);
      repositories.push(...data.items);
      if (data.items.length < 100) break;
    }
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const pageNo = Number(url.searchParams.get("page") ?? 1);
    const slice = repositories.slice((pageNo - 1) * perPage, pageNo * perPage);
    const headers: Record<string, string> = {};
    if (pageNo * perPage < repositories.length) headers["link"] = `<${self}/api/v3/installation/repositories?per_page=${perPage}&page=${pageNo + 1}>; rel="next"`;
    sendJson(res, 200, { total_count: repositories.length, repository_selection: "all", repositories: slice }, headers);
  }

  async function reactionRoute(req: IncomingMessage, res: ServerResponse, key: string, existsPath: string, url: URL, body: Buffer): Promise<void> {
    const auth = req.headers.authorization;
    // The reacted-to issue or comment must exist (and be visible) in emulate.
    const target = await emulateFetch("GET", existsPath, auth);
    if (target.status !== 200) throw new HttpError(target.status, "Not Found");
    const list = reactions.get(key) ?? [];
    if (req.method === "POST") {
      const { content } = JSON.parse(body.toString("utf8") || "{}") as { content?: string };
      if (!content || !REACTIONS.includes(content)) throw new HttpError(422, `content must be one of ${REACTIONS.join(", ")}`);
      const user = actor(auth);
      const existing = list.find((r) => r.content === content && r.user.login === user.login);
      if (existing) return sendJson(res, 200, existing);
      const created: Reaction = { id: nextReaction++, content, user, created_at: new Date().toISOString() };
      reactions.set(key, [...list, created]);
      return sendJson(res, 201, created);
    }
    const content = url.searchParams.get("content");
    return sendJson(res, 200, list.filter((r) => !content || r.content === content));
  }

  /**
   * GitHub's "check if a user can be assigned": 204 when the user may be assigned issues in the
   * repository (anyone with write access and the owning organization's members, who at least
   * read its repositories; here also triage, which may assign), 404 otherwise or when no such
   * user exists. GitHub asks the caller for issues (or pull requests) read, as listing issues
   * does: emulate checks that on the listing, with the caller's own token.
   */
  async function assigneeRoute(req: IncomingMessage, res: ServerResponse, owner: string, repo: string, login: string): Promise<void> {
    const allowed = await emulateFetch("GET", `/repos/${owner}/${repo}/issues?per_page=1`, req.headers.authorization);
    if (allowed.status !== 200) throw new HttpError(allowed.status, ((await allowed.json()) as { message?: string }).message ?? "Not Found");
    // emulate answers "admin" for a member of the owning org, and the collaborator's role otherwise.
    const { status, data } = await emulateJson<{ permission?: string }>(`/repos/${owner}/${repo}/collaborators/${encodeURIComponent(login)}/permission`, `token ${options.inspectorToken}`);
    const assignable = status === 200 && ["admin", "maintain", "push", "write", "triage"].includes(data.permission ?? "");
    if (!assignable) throw new HttpError(404, "Not Found");
    res.writeHead(204).end();
  }

  /**
   * An issue's comments updated at or after `since` (GitHub's filter, by instant, not by text),
   * paged as asked with GitHub's `link` header. emulate does the permission checks and ordering
   * (oldest first) on its own pages, read whole with the caller's token.
   */
  async function commentsSinceRoute(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const since = Date.parse(url.searchParams.get("since") ?? "");
    if (Number.isNaN(since)) throw new HttpError(422, "Invalid value for parameter 'since': expected an ISO 8601 timestamp");
    const all: Array<{ updated_at: string }> = [];
    for (let page = 1; ; page++) {
      const response = await emulateFetch("GET", `${path}?per_page=100&page=${page}`, req.headers.authorization);
      const data = (await response.json()) as Array<{ updated_at: string }> | { message?: string };
      if (response.status !== 200 || !Array.isArray(data)) throw new HttpError(response.status, (data as { message?: string }).message ?? "emulate refused the listing");
      all.push(...data);
      if (data.length < 100) break;
    }
    const kept = all.filter((comment) => Date.parse(comment.updated_at) >= since);
    const perPage = Math.min(Math.max(Number(url.searchParams.get("per_page") ?? 30) || 30, 1), 100);
    const pageNo = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
    const headers: Record<string, string> = {};
    const last = Math.max(1, Math.ceil(kept.length / perPage));
    const link = (page: number, rel: string) => {
      const target = new URL(`${self}/api/v3${path}`);
      target.searchParams.set("since", url.searchParams.get("since")!);
      target.searchParams.set("per_page", String(perPage));
      target.searchParams.set("page", String(page));
      return `<${target}>; rel="${rel}"`;
    };
    const links = [...(pageNo < last ? [link(pageNo + 1, "next"), link(last, "last")] : []), ...(pageNo > 1 ? [link(1, "first"), link(pageNo - 1, "prev")] : [])];
    if (links.length > 0) headers["link"] = links.join(", ");
    sendJson(res, 200, kept.slice((pageNo - 1) * perPage, pageNo * perPage), headers);
  }

  async function graphqlRoute(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const auth = req.headers.authorization;
    const { query, variables } = JSON.parse(body.toString("utf8")) as { query: string; variables?: Record<string, unknown> };
    const repoCache = new Map<string, Promise<{ private: boolean } | null>>();
    const repoPrivacy = (fullName: string) => {
      let found = repoCache.get(fullName);
      if (!found) {
        found = emulateJson<{ private: boolean }>(`/repos/${fullName}`, auth).then((r) => (r.status === 200 ? r.data : null));
        repoCache.set(fullName, found);
      }
      return found;
    };
    const root = {
      rateLimit: () => ({ cost: 1, limit: 5000, remaining: 4999, used: 1, nodeCount: 0, resetAt: new Date(Date.now() + 3600_000).toISOString() }),
      search: async (args: { query: string; type: string; first?: number; after?: string }) => {
        if (args.type !== "ISSUE") throw new Error(`the front server only serves search(type: ISSUE), not ${args.type}`);
        const tokens: string[] = args.query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
        const visibility = tokens.includes("is:public") ? "public" : tokens.includes("is:private") ? "private" : "any";
        const rest = tokens.filter((t) => t !== "is:public" && t !== "is:private").join(" ");
        const items: Array<{ number: number; title: string; html_url: string; repository_url: string; pull_request?: unknown }> = [];
        for (let page = 1; ; page++) {
          const { status, data } = await emulateJson<{ items: typeof items; message?: string }>(`/search/issues?q=${encodeURIComponent(rest)}&per_page=100&page=${page}`, auth);
          if (status !== 200) throw new Error(`search failed: ${status} ${data.message ?? ""}`);
          items.push(...data.items);
          if (data.items.length < 100) break;
        }
        const nodes = [];
        for (const item of items) {
          const nameWithOwner = item.repository_url.replace(/^.*\/repos\//, "");
          const repo = await repoPrivacy(nameWithOwner);
          if (!repo) continue;
          if ((visibility === "public" && repo.private) || (visibility === "private" && !repo.private)) continue;
          nodes.push({
            __typename: item.pull_request ? "PullRequest" : "Issue",
            number: item.number,
            title: item.title,
            url: item.html_url,
            repository: { nameWithOwner, isPrivate: repo.private },
          });
        }
        const offset = args.after ? Number(Buffer.from(args.after, "base64").toString("utf8").replace("cursor:", "")) : 0;
        const first = Math.min(args.first ?? 100, 100);
        const slice = nodes.slice(offset, offset + first);
        const end = offset + slice.length;
        return {
          issueCount: nodes.length,
          nodes: slice,
          pageInfo: {
            hasNextPage: end < nodes.length,
            hasPreviousPage: offset > 0,
            endCursor: slice.length > 0 ? Buffer.from(`cursor:${end}`).toString("base64") : null,
            startCursor: slice.length > 0 ? Buffer.from(`cursor:${offset}`).toString("base64") : null,
          },
        };
      },
      nodes: async (args: { ids: string[] }) =>
        Promise.all(
          args.ids.map(async (id) => {
            // emulate's node ids are base64("0:Repository<id>").
            const decoded = /^0:Repository(\d+)$/.exec(Buffer.from(id, "base64").toString("utf8"));
            if (!decoded) return null;
            const { status, data } = await emulateJson<{ full_name: string; private: boolean; default_branch: string }>(`/repositories/${decoded[1]}`, auth);
            if (status !== 200) return null;
            return {
              __typename: "Repository",
              id,
              nameWithOwner: data.full_name,
              isPrivate: data.private,
              object: async ({ expression }: { expression: string }) => {
                const at = expression.indexOf(":");
                const ref = expression.slice(0, at);
                const path = expression.slice(at + 1);
                const refQuery = ref && ref !== "HEAD" ? `?ref=${encodeURIComponent(ref)}` : "";
                const file = await emulateJson<{ type?: string; content?: string }>(`/repos/${data.full_name}/contents/${path.split("/").map(encodeURIComponent).join("/")}${refQuery}`, auth);
                if (file.status !== 200 || file.data.type !== "file") return null;
                return { __typename: "Blob", text: Buffer.from(file.data.content ?? "", "base64").toString("utf8") };
              },
            };
          }),
        ),
    };
    const result = await graphql({ schema, source: query, variableValues: variables ?? {}, rootValue: root });
    sendJson(res, 200, result);
  }

  async function relay(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith("x-github") || name.startsWith("x-hub") || name === "content-type" || name === "user-agent") headers[name] = String(value);
    }
    const delivery: Delivery = { event: headers["x-github-event"] ?? "", id: headers["x-github-delivery"] ?? "", headers, body: body.toString("utf8"), status: 0 };
    deliveries.push(delivery);
    delivery.status = front.holdDeliveries ? 503 : await post(delivery);
    res.writeHead(delivery.status === 0 ? 502 : delivery.status).end();
  }

  /** Posts a delivery to the App; resolves to its answer once the App is done with it (see Delivery.status). */
  async function post(delivery: Delivery): Promise<number> {
    if (!webhookTarget) return 0;
    let status: number;
    try {
      const response = await fetch(webhookTarget, { method: "POST", headers: delivery.headers, body: delivery.body });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      return 0;
    }
    return status === 202 && front.settleDelivery ? front.settleDelivery(delivery.id) : status;
  }

  // The App's requests (its JWT, its installation tokens) and emulate's deliveries, which the
  // relay answers once the App did: what waitFor wakes up on. People's requests (the tests'
  // own reads with a seeded token) are not the App doing something.
  const fromTheApp = (req: IncomingMessage) => !userByToken.has(/^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "");
  const appRequests: AppRequest[] = [];
  const server = await listenLoopback(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://front");
    const body = await readBody(req);
    const method = req.method ?? "GET";
    if (url.pathname.startsWith("/api/") && fromTheApp(req)) {
      res.once("finish", () => appRequests.push({ method, path: `${url.pathname}${url.search}`, status: res.statusCode }));
    }
    try {
      if (method === "POST" && url.pathname === "/hooks/app") return await relay(req, res, body);
      if (method === "POST" && url.pathname === "/api/graphql") return await graphqlRoute(req, res, body);
      if (!url.pathname.startsWith("/api/v3/")) throw new HttpError(404, `the front server serves /api/v3, /api/graphql and /hooks/app, not ${url.pathname}`);
      const path = url.pathname.slice("/api/v3".length);
      let m: RegExpExecArray | null;
      if (method === "GET" && path === "/installation/repositories") return await installationRepositories(req, res, url);
      if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/.exec(path))) {
        return await reactionRoute(req, res, `${m[1]}/${m[2]}/comments/${m[3]}`, `/repos/${m[1]}/${m[2]}/issues/comments/${m[3]}`, url, body);
      }
      if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/reactions$/.exec(path))) {
        return await reactionRoute(req, res, `${m[1]}/${m[2]}/issues/${m[3]}`, `/repos/${m[1]}/${m[2]}/issues/${m[3]}`, url, body);
      }
      if (method === "GET" && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(path) && url.searchParams.has("since")) return await commentsSinceRoute(req, res, path, url);
      if (method === "GET" && (m = /^\/repos\/([^/]+)\/([^/]+)\/assignees\/([^/]+)$/.exec(path))) return await assigneeRoute(req, res, m[1]!, m[2]!, decodeURIComponent(m[3]!));
      if (method === "GET" && (m = /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)$/.exec(path)) && !path.endsWith("/protection")) {
        const branch = await emulateJson<{ commit?: { sha: string; commit?: unknown } }>(path, req.headers.authorization);
        if (branch.status === 200 && branch.data.commit && !branch.data.commit.commit) {
          const full = await emulateJson<{ commit: unknown }>(`/repos/${m[1]}/${m[2]}/commits/${branch.data.commit.sha}`, req.headers.authorization);
          branch.data.commit.commit = full.data.commit;
        }
        return sendJson(res, branch.status, branch.data);
      }
      return await proxy(req, res, path + url.search, body);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendJson(res, error.status, { message: error.message });
    }
  }, fromTheApp);
  self = server.url;

  const front: FrontServer = {
    holdDeliveries: false,
    url: server.url,
    apiUrl: `${server.url}/api/v3`,
    deliveries,
    reactions,
    appRequests,
    setEmulateUrl: (url) => {
      emulateOrigin = url;
      emulate = url.replace("//localhost:", "//127.0.0.1:");
    },
    setWebhookTarget: (url) => {
      webhookTarget = url;
    },
    redeliver: async (delivery) => {
      const status = await post(delivery);
      activity.notify();
      return status;
    },
    mintedTokens: () => [...installationByToken.keys()],
    registerUserToken: (token, login) => {
      userByToken.set(token, login);
    },
    close: server.close,
  };
  return front;
}
