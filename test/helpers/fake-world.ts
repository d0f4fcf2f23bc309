import nock from "nock";
import { API, installedRepo } from "./github.js";

/**
 * A small stateful GitHub + Google Drive (+ HackMD, when asked for), played through nock, for tests that need state to
 * persist between runs: crash a run at any request, run again, and look at what exists.
 * Only the endpoints the App uses are served; anything else fails the test (nock has no match).
 */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  user: string;
  /** GitHub's `state_reason`: `reopened` once someone reopened it. */
  stateReason?: string | null;
}

export interface FakeDoc {
  id: string;
  name: string;
  parents: string[];
  appProperties: Record<string, string>;
  content: string;
  permissions: Array<{ id: string; type: string; role: string; emailAddress?: string; domain?: string }>;
}

/**
 * A HackMD note as HackMD's API v1 keeps it. Its title and tags follow the content like
 * HackMD's do: front-matter `title:` / `tags:`, else the first `# ` heading for the title.
 */
export interface FakeNote {
  id: string;
  shortId: string;
  title: string;
  tags: string[];
  content: string;
  readPermission: string;
  writePermission: string;
  /** As created (HackMD takes it on create and never returns it). */
  commentPermission: string;
  /** The team workspace it is in, or null for a user's own workspace. */
  teamPath: string | null;
  userPath: string | null;
  createdAt: number;
  lastChangedAt: number;
}

export interface FakePull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: "open" | "closed";
  merged_at: string | null;
  labels: string[];
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

/**
 * How a request fails, as seen from the App:
 * - `500`: GitHub or Google answers 500 and did nothing;
 * - `429`: a rate limit, with `Retry-After: 1` (GitHub's secondary-limit message, Google's
 *   `rateLimitExceeded`), nothing done;
 * - `reset-before`: the connection drops before the request is processed;
 * - `reset-after`: the request is processed (the work is done), then the connection drops, so
 *   the answer is lost;
 * - `hang`: the request is never answered (until the client gives up).
 */
export type FaultKind = "500" | "429" | "reset-before" | "reset-after" | "hang";

export interface FakeWorld {
  issues: FakeIssue[];
  pulls: FakePull[];
  /** Files by branch, then path. */
  files: Map<string, Map<string, string>>;
  comments: FakeComment[];
  reactions: Array<{ id: number; comment: number; content: string; user: string; created_at: string }>;
  docs: FakeDoc[];
  /** HackMD's notes (served only with the `hackmd` option). */
  notes: FakeNote[];
  /** Every HackMD request the world answered, with its JSON body (POST, PATCH), in order. */
  hackmdRequests: Array<{ method: string; path: string; body?: unknown }>;
  refs: Map<string, string>;
  /** Method + path prefix of requests seen, in order (every host: GitHub, Google's token, Drive). */
  log: string[];
  /** Makes the next request matching `method path-prefix` fail with `status` (a crash or an outage). */
  failNext(method: string, pathPrefix: string, status?: number, times?: number): void;
  /**
   * Makes request number `index` (0-based, counted over every request this world answers, in
   * `log` order) fail once in the way `kind` says. See {@link FaultKind}.
   */
  faultAt(index: number, kind: FaultKind): void;
  /** The faults injected so far: which request (`log` line) got which. */
  faults: Array<{ index: number; kind: FaultKind; request: string }>;
  /** What the agenda search finds (issues and PRs with the label), as GitHub's search nodes. */
  agenda: Array<{ repo: string; number: number; title: string; pr?: boolean }>;
  /** What Drive's export returns for any doc from now on (the chair edited the notes). */
  exportedDoc: string;
  /** Forgets every injected failure: the outage is over. */
  heal(): void;
  /** Removes every interceptor. */
  close(): void;
}

/** What a route answers: status, body, and headers if any. */
type Reply = [number, unknown] | [number, unknown, Record<string, string>];

const GOOGLE_DRIVE = "https://www.googleapis.com";
const GOOGLE_TOKEN = "https://oauth2.googleapis.com";
const GOOGLE_DOCS = "https://docs.googleapis.com";
/** HackMD's real API host; the App's requests go to `/v1/…` there. */
export const HACKMD_API = "https://api.hackmd.io";
/** The HackMD API token the fake world accepts (give it as HACKMD_API_TOKEN). */
export const FAKE_HACKMD_TOKEN = "hmd-fake-token";

export function fakeWorld(options: {
  repo: string;
  installationId: number;
  config: string;
  bot?: string;
  /** Repository roles by login, for the permission check (default: none). */
  roles?: Record<string, string>;
  /** Markdown that Drive's export returns for any doc. */
  exportedDoc?: string;
  /** Also serve the App's installation listing and config discovery (a full tick, not one scoped to the repository). */
  fullTick?: boolean;
  /** Also serve Drive's `files.get` of the world's docs (their `appProperties`), through the fault machinery. */
  driveMetadata?: boolean;
  /** The time GitHub stamps reactions and comments with (default: the clock, read per request). */
  clock?: () => Date;
  /**
   * Also serve HackMD's API v1 at its real host: `GET /me`, the user's notes (`/notes`) and the
   * teams' (`/teams/:team/notes`), list, create, read and update; bearer FAKE_HACKMD_TOKEN.
   */
  hackmd?: { userPath?: string; teams?: string[] };
}): FakeWorld {
  const bot = options.bot ?? "wg-meetings[bot]";
  const [owner, name] = options.repo.split("/") as [string, string];
  const base = `/repos/${owner}/${name}`;
  const commits = new Map<string, { parents: string[]; date: string }>();
  const failures: Array<{ method: string; prefix: string; status: number; times: number }> = [];
  let nextCommit = 1;
  let nextDoc = 1;
  let nextPermission = 1;
  let nextComment = 5000;
  let nextReaction = 1;
  let served = 0;
  const planned = new Map<number, FaultKind>();
  const stamp = () => (options.clock?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");

  const world: FakeWorld = {
    issues: [],
    pulls: [],
    files: new Map([["main", new Map()]]),
    comments: [],
    reactions: [],
    agenda: [],
    exportedDoc: options.exportedDoc ?? "# (empty doc)\n",
    docs: [],
    notes: [],
    hackmdRequests: [],
    refs: new Map(),
    log: [],
    faults: [],
    failNext(method, pathPrefix, status = 500, times = 1) {
      failures.push({ method, prefix: pathPrefix, status, times });
    },
    faultAt(index, kind) {
      planned.set(index, kind);
    },
    heal() {
      failures.length = 0;
      planned.clear();
    },
    close() {
      nock.cleanAll();
    },
  };

  /**
   * Wraps a reply so the request log and injected failures apply to every route. `host` says
   * whose error bodies a fault answers with.
   */
  function route(method: string, handler: (path: string, body: any, query: URLSearchParams) => Reply, host: "github" | "google" | "hackmd" = "github") {
    return async function (this: { req?: { headers: Record<string, string | string[] | undefined> } } | undefined, uri: string, body: unknown): Promise<Reply> {
      if (host === "hackmd") {
        const json = typeof body === "string" ? (body.startsWith("{") ? JSON.parse(body) : undefined) : body;
        const request = { method, path: decodeURIComponent(uri).split("?")[0]!, ...(json !== undefined && json !== "" ? { body: json } : {}) };
        world.hackmdRequests.push(request);
        if (this?.req?.headers["authorization"] !== `Bearer ${FAKE_HACKMD_TOKEN}`) {
          world.log.push(`${method} ${request.path} (no token)`);
          return [401, { error: "Unauthorized" }];
        }
      }
      const path = decodeURIComponent(uri);
      const index = served++;
      world.log.push(`${method} ${path.split("?")[0]}`);
      const planned_ = planned.get(index);
      if (planned_) {
        planned.delete(index);
        world.faults.push({ index, kind: planned_, request: world.log.at(-1)! });
      }
      const failure = failures.find((f) => f.method === method && path.startsWith(f.prefix) && f.times > 0);
      if (failure && !planned_) {
        failure.times--;
        return [failure.status, { message: "injected failure" }];
      }
      // Query values are read from the raw URI: decoding first would turn a %23 into a fragment.
      const query = new URL(uri, "https://fake.invalid").searchParams;
      const run = () => handler(path, typeof body === "string" && body.startsWith("{") ? JSON.parse(body) : body, query);
      switch (planned_) {
        case undefined:
          return run();
        case "500":
          return host === "github"
            ? [500, { message: "Server Error" }]
            : host === "hackmd"
              ? [500, { error: "Internal Server Error" }]
              : [500, { error: { code: 500, message: "Internal Error", errors: [{ reason: "backendError" }] } }];
        case "429":
          return host === "github"
            ? [429, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "1" }]
            : host === "hackmd"
              ? [429, { error: "Too Many Requests" }, { "retry-after": "1", "x-ratelimit-userlimit": "2000", "x-ratelimit-userremaining": "0" }]
              : [429, { error: { code: 429, message: "Rate Limit Exceeded", errors: [{ reason: "rateLimitExceeded" }] } }, { "retry-after": "1" }];
        case "reset-before":
          throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        case "reset-after":
          run();
          throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        case "hang":
          return new Promise<Reply>(() => {});
      }
    };
  }

  const issueJson = (issue: FakeIssue) => ({
    number: issue.number,
    html_url: `https://github.com/${options.repo}/issues/${issue.number}`,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.stateReason ?? null,
    labels: issue.labels.map((label) => ({ name: label })),
    user: { login: issue.user, type: "Bot" },
  });

  const gh = nock(API).persist();
  gh.get("/app").reply(route("GET", () => [200, { slug: bot.replace("[bot]", "") }]));
  gh.post(`/app/installations/${options.installationId}/access_tokens`).reply(
    route("POST", () => [201, { token: "ghs_fake", expires_at: "2099-01-01T00:00:00Z" }]),
  );
  gh.get(base).reply(route("GET", () => [200, installedRepo(options.repo)]));
  if (options.fullTick) {
    gh.get("/app/installations").query(true).reply(
      route("GET", () => [200, [{ id: options.installationId, account: { login: owner }, suspended_at: null }]]),
    );
    gh.get("/installation/repositories").query(true).reply(
      route("GET", () => [200, { total_count: 1, repositories: [installedRepo(options.repo)] }]),
    );
  }
  gh.get(`${base}/contents/.github%2Fmeetings.yml`).reply(
    route("GET", () => [200, { type: "file", encoding: "base64", content: Buffer.from(options.config).toString("base64") }]),
  );
  gh.get(`${base}/issues`).query(true).reply(
    route("GET", (_path, _body, query) => {
      const creator = query.get("creator");
      const list = world.issues.filter((issue) => !creator || issue.user === creator).reverse();
      return [200, list.map(issueJson)];
    }),
  );
  gh.post("/graphql").reply(
    route("POST", (_path, body) => {
      if (/\bquery DiscoverMeetingConfigs\b/.test(body?.query ?? "")) {
        return [200, { data: { nodes: [{ nameWithOwner: options.repo, config: { text: options.config } }] } }];
      }
      const nodes = world.agenda.map((item) => ({
        __typename: item.pr ? "PullRequest" : "Issue",
        number: item.number,
        title: item.title,
        url: `https://github.com/${item.repo}/${item.pr ? "pull" : "issues"}/${item.number}`,
        repository: { nameWithOwner: item.repo, isPrivate: false },
      }));
      const search = { issueCount: nodes.length, pageInfo: { hasNextPage: false, endCursor: null }, nodes };
      return [200, { data: { search, rateLimit: { cost: 1, remaining: 4999 } } }];
    }),
  );
  gh.get(/\/branches\/[^/]+$/).reply(route("GET", () => [200, { commit: { sha: "head", commit: { tree: { sha: "tree" } } } }]));
  gh.post(`${base}/git/commits`).reply(
    route("POST", (_path, body) => {
      const sha = `c${nextCommit++}`;
      commits.set(sha, { parents: body.parents, date: body.author.date });
      return [201, { sha }];
    }),
  );
  gh.post(`${base}/git/refs`).reply(
    route("POST", (_path, body) => {
      if (body.ref.startsWith("refs/heads/")) {
        const branch = body.ref.slice("refs/heads/".length);
        if (world.files.has(branch)) return [422, { message: "Reference already exists" }];
        world.files.set(branch, new Map(world.files.get("main")));
        return [201, { ref: body.ref, object: { sha: body.sha } }];
      }
      if (world.refs.has(body.ref)) return [422, { message: "Reference already exists" }];
      world.refs.set(body.ref, body.sha);
      return [201, { ref: body.ref, object: { sha: body.sha } }];
    }),
  );
  gh.get(/\/git\/ref\//).reply(
    route("GET", (path) => {
      const ref = `refs/${path.split("/git/ref/")[1]}`;
      if (ref.startsWith("refs/heads/")) {
        const branch = ref.slice("refs/heads/".length);
        return world.files.has(branch) ? [200, { ref, object: { sha: `tip-${branch}` } }] : [404, { message: "Not Found" }];
      }
      const sha = world.refs.get(ref);
      return sha ? [200, { ref, object: { sha } }] : [404, { message: "Not Found" }];
    }),
  );
  gh.get(/\/git\/commits\//).reply(
    route("GET", (path) => {
      const sha = path.split("/git/commits/")[1]!;
      const commit = commits.get(sha);
      return commit ? [200, { sha, author: { date: commit.date } }] : [404, { message: "Not Found" }];
    }),
  );
  gh.patch(/\/git\/refs\//).reply(
    route("PATCH", (path, body) => {
      const ref = `refs/${path.split("/git/refs/")[1]}`;
      const current = world.refs.get(ref);
      if (!current) return [422, { message: "Reference does not exist" }];
      if (!commits.get(body.sha)?.parents.includes(current)) return [422, { message: "Update is not a fast forward" }];
      world.refs.set(ref, body.sha);
      return [200, { ref, object: { sha: body.sha } }];
    }),
  );
  gh.post(`${base}/issues`).reply(
    route("POST", (_path, body) => {
      const issue: FakeIssue = {
        number: world.issues.length + 1,
        title: body.title,
        body: body.body,
        state: "open",
        labels: body.labels ?? [],
        user: bot,
      };
      world.issues.push(issue);
      return [201, issueJson(issue)];
    }),
  );
  gh.get(/\/issues\/\d+$/).reply(
    route("GET", (path) => {
      const issue = world.issues.find((candidate) => candidate.number === Number(path.split("/").pop()));
      return issue ? [200, issueJson(issue)] : [404, { message: "Not Found" }];
    }),
  );
  gh.patch(/\/issues\/\d+$/).reply(
    route("PATCH", (path, body) => {
      const issue = world.issues.find((candidate) => candidate.number === Number(path.split("/").pop()));
      if (!issue) return [404, { message: "Not Found" }];
      if (typeof body.body === "string") issue.body = body.body;
      if (typeof body.title === "string") issue.title = body.title;
      if (body.state === "closed") issue.stateReason = body.state_reason ?? "completed";
      if (body.state === "open" && issue.state === "closed") issue.stateReason = "reopened";
      if (body.state) issue.state = body.state;
      return [200, issueJson(issue)];
    }),
  );

  gh.get(/\/collaborators\/[^/]+\/permission$/).reply(
    route("GET", (path) => {
      const login = path.split("/collaborators/")[1]!.split("/")[0]!;
      const role = options.roles?.[login];
      return role ? [200, { permission: role, role_name: role }] : [404, { message: "Not Found" }];
    }),
  );
  gh.get(/\/issues\/comments\/\d+\/reactions/).query(true).reply(
    route("GET", (path) => {
      const comment = Number(path.split("/comments/")[1]!.split("/")[0]);
      const list = world.reactions
        .filter((r) => r.comment === comment)
        .map((r) => ({ id: r.id, content: r.content, user: { login: r.user }, created_at: r.created_at }));
      return [200, list];
    }),
  );
  // Like GitHub: 201 when the reaction is made, 200 (and the same reaction) when it was there.
  gh.post(/\/issues\/comments\/\d+\/reactions/).reply(
    route("POST", (path, body) => {
      const comment = Number(path.split("/comments/")[1]!.split("/")[0]);
      const existing = world.reactions.find((r) => r.comment === comment && r.content === body.content && r.user === bot);
      const json = (r: FakeWorld["reactions"][number]) => ({ id: r.id, content: r.content, user: { login: r.user }, created_at: r.created_at });
      if (existing) return [200, json(existing)];
      const reaction = { id: nextReaction++, comment, content: body.content, user: bot, created_at: stamp() };
      world.reactions.push(reaction);
      return [201, json(reaction)];
    }),
  );
  gh.get(/\/issues\/\d+\/reactions/).query(true).reply(route("GET", () => [200, []]));
  gh.post(/\/issues\/\d+\/comments$/).reply(
    route("POST", (path, body) => {
      const at = stamp();
      const comment: FakeComment = { id: nextComment++, issue: Number(path.split("/issues/")[1]!.split("/")[0]), body: body.body, user: bot, created_at: at, updated_at: at };
      world.comments.push(comment);
      return [201, { id: comment.id, body: comment.body, user: { login: bot, type: "Bot" }, created_at: at }];
    }),
  );
  gh.get(/\/issues\/\d+\/comments/).query(true).reply(
    route("GET", (path, _body, query) => {
      const issue = Number(path.split("/issues/")[1]!.split("/")[0]);
      const since = query.get("since");
      const list = world.comments.filter((c) => c.issue === issue && (!since || c.updated_at >= since));
      return [200, list.map((c) => ({ id: c.id, body: c.body, user: { login: c.user, type: c.user.endsWith("[bot]") ? "Bot" : "User" }, created_at: c.created_at, updated_at: c.updated_at }))];
    }),
  );
  gh.get(`${base}/pulls`).query(true).reply(
    route("GET", (_path, _body, query) => {
      const head = (query.get("head") ?? "").split(":")[1];
      const list = world.pulls.filter((pull) => pull.head === head).reverse().slice(0, 1);
      return [200, list.map((pull) => ({ ...pull, labels: pull.labels.map((name) => ({ name })), html_url: `https://github.com/${options.repo}/pull/${pull.number}` }))];
    }),
  );
  gh.post(`${base}/pulls`).reply(
    route("POST", (_path, body) => {
      if (world.pulls.some((pull) => pull.head === body.head && pull.state === "open")) {
        return [422, { message: "Validation Failed", errors: [{ message: `A pull request already exists for ${owner}:${body.head}.` }] }];
      }
      const number = 100 + world.pulls.length;
      world.pulls.push({ number, head: body.head, base: body.base, title: body.title, body: body.body, state: "open", merged_at: null, labels: [] });
      return [201, { number, html_url: `https://github.com/${options.repo}/pull/${number}` }];
    }),
  );
  gh.patch(/\/pulls\/\d+$/).reply(
    route("PATCH", (path, body) => {
      const pull = world.pulls.find((candidate) => candidate.number === Number(path.split("/").pop()));
      if (!pull) return [404, { message: "Not Found" }];
      Object.assign(pull, body);
      return [200, pull];
    }),
  );
  gh.post(/\/issues\/\d+\/labels$/).reply(
    route("POST", (path, body) => {
      const pull = world.pulls.find((candidate) => candidate.number === Number(path.split("/issues/")[1]!.split("/")[0]));
      for (const label of body.labels ?? []) if (pull && !pull.labels.includes(label)) pull.labels.push(label);
      return [200, (pull?.labels ?? []).map((name) => ({ name }))];
    }),
  );
  gh.post(/\/pulls\/\d+\/requested_reviewers$/).reply(route("POST", () => [201, {}]));
  gh.get(/\/contents\/meetings/).query(true).reply(
    route("GET", (path, _body, query) => {
      const file = path.split("/contents/")[1]!.split("?")[0]!;
      const content = world.files.get(query.get("ref") ?? "main")?.get(file);
      return content === undefined
        ? [404, { message: "Not Found" }]
        : [200, { type: "file", sha: `sha-${content.length}`, content: Buffer.from(content).toString("base64") }];
    }),
  );
  gh.put(/\/contents\/meetings/).reply(
    route("PUT", (path, body) => {
      const file = path.split("/contents/")[1]!;
      const branch = world.files.get(body.branch);
      if (!branch) return [404, { message: "Branch not found" }];
      const existing = branch.get(file);
      if (existing !== undefined && body.sha !== `sha-${existing.length}`) {
        return [409, { message: `${file} does not match ${body.sha ?? "(no sha)"}` }];
      }
      branch.set(file, Buffer.from(body.content, "base64").toString("utf8"));
      return [201, { content: { path: file } }];
    }),
  );

  nock(GOOGLE_TOKEN)
    .persist()
    .post("/token")
    .reply(route("POST", () => [200, { access_token: "ya29.fake", expires_in: 3600, token_type: "Bearer" }], "google"));

  const drive = nock(GOOGLE_DRIVE).persist();
  drive.get("/drive/v3/files").query(true).reply(
    route("GET", (_path, _body, query) => {
      const q = query.get("q") ?? "";
      const value = /value='((?:[^'\\]|\\.)*)'/.exec(q)?.[1]?.replace(/\\(.)/g, "$1");
      const files = world.docs.filter((doc) => value !== undefined && Object.values(doc.appProperties).includes(value));
      return [200, { files: files.map((doc) => ({ id: doc.id, name: doc.name })) }];
    }, "google"),
  );
  drive.post("/upload/drive/v3/files").query(true).reply(
    route("POST", (_path, body) => {
      const text = String(body);
      const metadata = JSON.parse(/\{[\s\S]*?\}\s*\r?\n--/.exec(text)?.[0].replace(/--$/, "") ?? "{}");
      const content = text.split(/\r?\n\r?\n/).slice(2).join("\n\n").replace(/\r?\n--[^\n]*--\s*$/, "");
      const doc: FakeDoc = {
        id: `DOC${nextDoc++}`,
        name: metadata.name,
        parents: metadata.parents ?? [],
        appProperties: metadata.appProperties ?? {},
        content,
        permissions: [],
      };
      world.docs.push(doc);
      return [200, { id: doc.id, name: doc.name }];
    }, "google"),
  );
  drive.patch(/\/drive\/v3\/files\/[^/?]+/).query(true).reply(
    route("PATCH", (path, body) => {
      const doc = world.docs.find((candidate) => path.includes(`/files/${candidate.id}`));
      if (!doc) return [404, { error: { code: 404, message: "File not found" } }];
      if (typeof body.name === "string") doc.name = body.name;
      // Drive merges appProperties key by key.
      if (body.appProperties) Object.assign(doc.appProperties, body.appProperties);
      return [200, { id: doc.id }];
    }, "google"),
  );
  drive.get(/\/drive\/v3\/files\/[^/]+\/export/).query(true).reply(
    route("GET", () => [200, world.exportedDoc], "google"),
  );
  drive.get(/\/drive\/v3\/files\/[^/]+\/permissions/).query(true).reply(
    route("GET", (path) => {
      const doc = world.docs.find((candidate) => path.includes(`/files/${candidate.id}/`));
      return doc ? [200, { permissions: doc.permissions }] : [404, { error: { code: 404, message: "File not found" } }];
    }, "google"),
  );
  drive.post(/\/drive\/v3\/files\/[^/]+\/permissions/).query(true).reply(
    route("POST", (path, body) => {
      const doc = world.docs.find((candidate) => path.includes(`/files/${candidate.id}/`));
      if (!doc) return [404, { error: { code: 404, message: "File not found" } }];
      // Drive is not trusted to fold a repeated grant into the first: each create adds one.
      const permission = { id: `P${nextPermission++}`, ...body };
      doc.permissions.push(permission);
      return [200, permission];
    }, "google"),
  );
  if (options.driveMetadata) {
    // files.get: a doc's appProperties, with only the fields asked for.
    drive.get(/^\/drive\/v3\/files\/[^/?]+(\?.*)?$/).reply(
      route("GET", (path, _body, query) => {
        const id = path.split("?")[0]!.split("/").pop()!;
        const doc = world.docs.find((candidate) => candidate.id === id);
        if (!doc) return [404, { error: { code: 404, message: `File not found: ${id}.`, errors: [{ reason: "notFound" }] } }];
        const fields = (query.get("fields") ?? "id,name").split(",").map((field) => field.trim());
        const full: Record<string, unknown> = { id: doc.id, name: doc.name, parents: doc.parents, appProperties: doc.appProperties };
        return [200, Object.fromEntries(Object.entries(full).filter(([key]) => fields.includes(key)))];
      }, "google"),
    );
  }
  nock(GOOGLE_DOCS).persist();
  if (options.hackmd) serveHackmd(options.hackmd);
  return world;

  /** HackMD's API v1, as its OpenAPI description and `@hackmd/api` shape the answers. */
  function serveHackmd(hackmd: { userPath?: string; teams?: string[] }): void {
    // HackMD's user paths are ids, not names.
    const userPath = hackmd.userPath ?? "Bk8aWmZ1Sgm2cVb0Hq0Xyz";
    const teams = hackmd.teams ?? [];
    let nextNote = 1;
    const api = nock(HACKMD_API).persist();
    const summary = (note: FakeNote) => ({
      id: note.id,
      title: note.title,
      description: "",
      tags: [...note.tags],
      readPermission: note.readPermission,
      writePermission: note.writePermission,
      shortId: note.shortId,
      publishLink: `https://hackmd.io/@${note.teamPath ?? note.userPath}/${note.shortId}`,
      permalink: null,
      teamPath: note.teamPath,
      userPath: note.userPath,
      publishType: "view",
      publishedAt: null,
      lastChangeUser: { name: "WG Meetings bot", userPath, photo: "https://hackmd.io/images/avatar.png", biography: null },
      createdAt: note.createdAt,
      lastChangedAt: note.lastChangedAt,
      tagsUpdatedAt: null,
      titleUpdatedAt: null,
    });
    const single = (note: FakeNote) => ({ ...summary(note), content: note.content });
    /** The workspace a path names: null for the user's own, the team's path, or undefined (not a member). */
    const workspace = (path: string): string | null | undefined => {
      const team = /^\/v1\/teams\/([^/]+)\/notes/.exec(path)?.[1];
      if (team === undefined) return null;
      return teams.includes(team) ? team : undefined;
    };
    const inWorkspace = (note: FakeNote, team: string | null) => (team === null ? note.teamPath === null && note.userPath === userPath : note.teamPath === team);
    const find = (path: string): FakeNote | undefined => {
      const id = path.split("?")[0]!.split("/").pop()!;
      const team = workspace(path);
      const note = world.notes.find((candidate) => candidate.id === id || candidate.shortId === id);
      if (!note || team === undefined) return undefined;
      // Under /teams/:team only that team's notes; /notes/:id reads any note the token may read.
      if (/\/teams\//.test(path)) return note.teamPath === team ? note : undefined;
      return inWorkspace(note, null) || (note.teamPath !== null && teams.includes(note.teamPath)) || note.readPermission !== "owner" ? note : undefined;
    };
    const derive = (note: FakeNote, title: string | undefined, tags: string[] | undefined) => {
      const front = hackmdFrontMatter(note.content);
      note.title = front.title ?? firstHeading(note.content) ?? title ?? (note.title || "Untitled");
      note.tags = tags ?? front.tags ?? note.tags;
    };

    api.get("/v1/me").reply(
      route("GET", () => [200, { id: "4f1c6f0e-0000-4000-8000-000000000001", name: "WG Meetings bot", email: null, userPath, photo: "https://hackmd.io/images/avatar.png", upgraded: false, teams: teams.map((path) => ({ id: `team-${path}`, ownerId: null, name: path, logo: "", path, description: null, visibility: "public", upgraded: false, createdAt: 1_600_000_000_000 })) }], "hackmd"),
    );
    api.get(/^\/v1\/(teams\/[^/]+\/)?notes(\?.*)?$/).reply(
      route("GET", (path) => {
        const team = workspace(path);
        if (team === undefined) return [403, { error: "Forbidden" }];
        return [200, world.notes.filter((note) => inWorkspace(note, team)).map(summary)];
      }, "hackmd"),
    );
    api.post(/^\/v1\/(teams\/[^/]+\/)?notes$/).reply(
      route("POST", (path, body) => {
        const team = workspace(path);
        if (team === undefined) return [403, { error: "Forbidden" }];
        const now = Date.now();
        const note: FakeNote = {
          id: `note${String(nextNote).padStart(3, "0")}AbCdEfGhIjKlMn`,
          shortId: `S${nextNote++}xYz`,
          title: "",
          tags: [],
          content: body.content ?? "",
          readPermission: body.readPermission ?? "guest",
          writePermission: body.writePermission ?? "signed_in",
          commentPermission: body.commentPermission ?? "signed_in_users",
          teamPath: team,
          userPath: team === null ? userPath : null,
          createdAt: now,
          lastChangedAt: now,
        };
        derive(note, body.title, body.tags);
        world.notes.push(note);
        return [201, single(note)];
      }, "hackmd"),
    );
    api.get(/^\/v1\/(teams\/[^/]+\/)?notes\/[^/?]+(\?.*)?$/).reply(
      route("GET", (path) => {
        const note = find(path);
        return note ? [200, single(note)] : [404, { error: "Not Found" }];
      }, "hackmd"),
    );
    api.patch(/^\/v1\/(teams\/[^/]+\/)?notes\/[^/?]+$/).reply(
      route("PATCH", (path, body) => {
        const note = find(path);
        if (!note) return [404, { error: "Not Found" }];
        if (typeof body.content === "string") note.content = body.content;
        if (typeof body.readPermission === "string") note.readPermission = body.readPermission;
        if (typeof body.writePermission === "string") note.writePermission = body.writePermission;
        derive(note, typeof body.title === "string" ? body.title : undefined, Array.isArray(body.tags) ? body.tags : undefined);
        note.lastChangedAt = Date.now();
        return [202, ""];
      }, "hackmd"),
    );
  }
}

/** A note's front-matter `title:` and `tags:` (the two keys HackMD reads), when it opens with one. */
export function hackmdFrontMatter(content: string): { title?: string; tags?: string[] } {
  const block = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(content)?.[1];
  if (block === undefined) return {};
  const unquote = (value: string) => value.trim().replace(/^(["'])(.*)\1$/, "$2");
  const found: { title?: string; tags?: string[] } = {};
  const title = /^title:[ \t]*(.+)$/m.exec(block)?.[1];
  if (title !== undefined && unquote(title)) found.title = unquote(title);
  const tags = /^tags:[ \t]*(.*)$/m.exec(block);
  if (tags) {
    const value = tags[1]!.trim();
    if (value) found.tags = value.replace(/^\[|\]$/g, "").split(",").map(unquote).filter(Boolean);
    else {
      const items: string[] = [];
      for (const line of block.slice(tags.index + tags[0].length).split(/\r?\n/).slice(1)) {
        const item = /^[ \t]*-[ \t]+(.+)$/.exec(line);
        if (!item) break;
        items.push(unquote(item[1]!));
      }
      found.tags = items;
    }
  }
  return found;
}

/** The first level-one heading outside the front-matter, as HackMD takes a note's title from it. */
function firstHeading(content: string): string | undefined {
  const body = content.replace(/^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/, "");
  for (const line of body.split(/\r?\n/)) {
    const match = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}
