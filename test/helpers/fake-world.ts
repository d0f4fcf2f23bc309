import nock from "nock";
import { API, installedRepo } from "./github.js";

/**
 * A small stateful GitHub + Google Drive, played through nock, for tests that need state to
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
}

export interface FakeDoc {
  id: string;
  name: string;
  parents: string[];
  appProperties: Record<string, string>;
  content: string;
  permissions: Array<{ id: string; type: string; role: string; emailAddress?: string; domain?: string }>;
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

export interface FakeWorld {
  issues: FakeIssue[];
  pulls: FakePull[];
  /** Files by branch, then path. */
  files: Map<string, Map<string, string>>;
  comments: Array<{ issue: number; body: string }>;
  reactions: Array<{ comment: number; content: string; user: string }>;
  docs: FakeDoc[];
  refs: Map<string, string>;
  /** Method + path prefix of requests seen, in order. */
  log: string[];
  /** Makes the next request matching `method path-prefix` fail with `status` (a crash or an outage). */
  failNext(method: string, pathPrefix: string, status?: number, times?: number): void;
  /** What the agenda search finds (issues and PRs with the label), as GitHub's search nodes. */
  agenda: Array<{ repo: string; number: number; title: string; pr?: boolean }>;
  /** What Drive's export returns for any doc from now on (the chair edited the notes). */
  exportedDoc: string;
  /** Forgets every injected failure: the outage is over. */
  heal(): void;
  /** Removes every interceptor. */
  close(): void;
}

const GOOGLE_DRIVE = "https://www.googleapis.com";
const GOOGLE_TOKEN = "https://oauth2.googleapis.com";
const GOOGLE_DOCS = "https://docs.googleapis.com";

export function fakeWorld(options: {
  repo: string;
  installationId: number;
  config: string;
  bot?: string;
  /** Repository roles by login, for the permission check (default: none). */
  roles?: Record<string, string>;
  /** Markdown that Drive's export returns for any doc. */
  exportedDoc?: string;
}): FakeWorld {
  const bot = options.bot ?? "wg-meetings[bot]";
  const [owner, name] = options.repo.split("/") as [string, string];
  const base = `/repos/${owner}/${name}`;
  const commits = new Map<string, { parents: string[]; date: string }>();
  const failures: Array<{ method: string; prefix: string; status: number; times: number }> = [];
  let nextCommit = 1;
  let nextDoc = 1;
  let nextPermission = 1;

  const world: FakeWorld = {
    issues: [],
    pulls: [],
    files: new Map([["main", new Map()]]),
    comments: [],
    reactions: [],
    agenda: [],
    exportedDoc: options.exportedDoc ?? "# (empty doc)\n",
    docs: [],
    refs: new Map(),
    log: [],
    failNext(method, pathPrefix, status = 500, times = 1) {
      failures.push({ method, prefix: pathPrefix, status, times });
    },
    heal() {
      failures.length = 0;
    },
    close() {
      nock.cleanAll();
    },
  };

  /** Wraps a reply so injected failures and the request log apply to every route. */
  function route(method: string, handler: (path: string, body: any, query: URLSearchParams) => [number, unknown]) {
    return function (this: { req: { path: string } }, uri: string, body: unknown): [number, unknown] {
      const path = decodeURIComponent(uri);
      world.log.push(`${method} ${path.split("?")[0]}`);
      const failure = failures.find((f) => f.method === method && path.startsWith(f.prefix) && f.times > 0);
      if (failure) {
        failure.times--;
        return [failure.status, { message: "injected failure" }];
      }
      // Query values are read from the raw URI: decoding first would turn a %23 into a fragment.
      const query = new URL(uri, "https://fake.invalid").searchParams;
      return handler(path, typeof body === "string" && body.startsWith("{") ? JSON.parse(body) : body, query);
    };
  }

  const issueJson = (issue: FakeIssue) => ({
    number: issue.number,
    html_url: `https://github.com/${options.repo}/issues/${issue.number}`,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((label) => ({ name: label })),
    user: { login: issue.user, type: "Bot" },
  });

  const gh = nock(API).persist();
  gh.get("/app").reply(route("GET", () => [200, { slug: bot.replace("[bot]", "") }]));
  gh.post(`/app/installations/${options.installationId}/access_tokens`).reply(
    route("POST", () => [201, { token: "ghs_fake", expires_at: "2099-01-01T00:00:00Z" }]),
  );
  gh.get(base).reply(route("GET", () => [200, installedRepo(options.repo)]));
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
    route("POST", () => {
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
  gh.get(`${base}/branches/main`).reply(route("GET", () => [200, { commit: { sha: "head", commit: { tree: { sha: "tree" } } } }]));
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
      const list = world.reactions.filter((r) => r.comment === comment).map((r) => ({ content: r.content, user: { login: r.user } }));
      return [200, list];
    }),
  );
  gh.post(/\/issues\/comments\/\d+\/reactions/).reply(
    route("POST", (path, body) => {
      const comment = Number(path.split("/comments/")[1]!.split("/")[0]);
      if (!world.reactions.some((r) => r.comment === comment && r.content === body.content && r.user === bot)) {
        world.reactions.push({ comment, content: body.content, user: bot });
      }
      return [201, { content: body.content }];
    }),
  );
  gh.get(/\/issues\/\d+\/reactions/).query(true).reply(route("GET", () => [200, []]));
  gh.post(/\/issues\/\d+\/comments$/).reply(
    route("POST", (path, body) => {
      world.comments.push({ issue: Number(path.split("/issues/")[1]!.split("/")[0]), body: body.body });
      return [201, { id: world.comments.length }];
    }),
  );
  gh.get(/\/issues\/\d+\/comments/).query(true).reply(
    route("GET", (path) => {
      const issue = Number(path.split("/issues/")[1]!.split("/")[0]);
      return [200, world.comments.filter((c) => c.issue === issue).map((c, i) => ({ id: i + 1, body: c.body }))];
    }),
  );
  gh.get(`${base}/pulls`).query(true).reply(
    route("GET", (_path, _body, query) => {
      const head = (query.get("head") ?? "").split(":")[1];
      const list = world.pulls.filter((pull) => pull.head === head).reverse().slice(0, 1);
      return [200, list.map((pull) => ({ ...pull, html_url: `https://github.com/${options.repo}/pull/${pull.number}` }))];
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
  gh.post(/\/issues\/\d+\/labels$/).reply(route("POST", () => [200, []]));
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
    .reply(route("POST", () => [200, { access_token: "ya29.fake", expires_in: 3600, token_type: "Bearer" }]));

  const drive = nock(GOOGLE_DRIVE).persist();
  drive.get("/drive/v3/files").query(true).reply(
    route("GET", (_path, _body, query) => {
      const q = query.get("q") ?? "";
      const value = /value='((?:[^'\\]|\\.)*)'/.exec(q)?.[1]?.replace(/\\(.)/g, "$1");
      const files = world.docs.filter((doc) => value !== undefined && Object.values(doc.appProperties).includes(value));
      return [200, { files: files.map((doc) => ({ id: doc.id, name: doc.name })) }];
    }),
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
    }),
  );
  drive.patch(/\/drive\/v3\/files\/[^/?]+/).query(true).reply(
    route("PATCH", (path, body) => {
      const doc = world.docs.find((candidate) => path.includes(`/files/${candidate.id}`));
      if (!doc) return [404, { error: { code: 404, message: "File not found" } }];
      if (typeof body.name === "string") doc.name = body.name;
      return [200, { id: doc.id }];
    }),
  );
  drive.get(/\/drive\/v3\/files\/[^/]+\/export/).query(true).reply(
    route("GET", () => [200, world.exportedDoc]),
  );
  drive.get(/\/drive\/v3\/files\/[^/]+\/permissions/).query(true).reply(
    route("GET", (path) => {
      const doc = world.docs.find((candidate) => path.includes(`/files/${candidate.id}/`));
      return doc ? [200, { permissions: doc.permissions }] : [404, { error: { code: 404, message: "File not found" } }];
    }),
  );
  drive.post(/\/drive\/v3\/files\/[^/]+\/permissions/).query(true).reply(
    route("POST", (path, body) => {
      const doc = world.docs.find((candidate) => path.includes(`/files/${candidate.id}/`));
      if (!doc) return [404, { error: { code: 404, message: "File not found" } }];
      const permission = { id: `P${nextPermission++}`, ...body };
      doc.permissions.push(permission);
      return [200, permission];
    }),
  );
  nock(GOOGLE_DOCS).persist();
  return world;
}
