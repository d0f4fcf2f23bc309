// A loopback stand-in for the GitHub API, for the tick benchmarks (bench/tick-scale.mjs). It
// serves only what a tick with nothing due reads: the App (`GET /app`), its installations, their
// tokens, each installation's repositories (full, GitHub-sized repository objects, 100 a page,
// with Link headers), the GraphQL config discovery, and config contents. Every answer waits
// `latencyMs` first, as a real round trip would. It counts requests by kind and the most in
// flight at once. Paths under `/api/v3` (GitHub Enterprise Server, how `lib/server.js` is
// pointed at it with GHE_HOST) are served the same.
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";

/**
 * @typedef {object} Layout
 * @property {number} installations how many installations the App has
 * @property {(installationId: number) => number} repos how many repositories an installation has
 * @property {(installationId: number, index: number) => boolean} configured whether repository `index` has `.github/meetings.yml`
 * @property {string} config the config text every configured repository holds
 */

/** A repository object with the fields and size (about 5 KB of JSON) GitHub lists. */
function repository(installationId, index) {
  const owner = `org-${installationId}`;
  const name = `repo-${index}`;
  const full = `${owner}/${name}`;
  const api = `https://api.github.com/repos/${full}`;
  const user = `https://api.github.com/users/${owner}`;
  return {
    id: installationId * 1_000_000 + index,
    node_id: `R_${installationId}_${index}`,
    name,
    full_name: full,
    private: index % 3 === 0,
    owner: {
      login: owner, id: installationId, node_id: `O_${installationId}`, avatar_url: `https://avatars.githubusercontent.com/u/${installationId}?v=4`,
      gravatar_id: "", url: user, html_url: `https://github.com/${owner}`, followers_url: `${user}/followers`,
      following_url: `${user}/following{/other_user}`, gists_url: `${user}/gists{/gist_id}`, starred_url: `${user}/starred{/owner}{/repo}`,
      subscriptions_url: `${user}/subscriptions`, organizations_url: `${user}/orgs`, repos_url: `${user}/repos`, events_url: `${user}/events{/privacy}`,
      received_events_url: `${user}/received_events`, type: "Organization", user_view_type: "public", site_admin: false,
    },
    html_url: `https://github.com/${full}`,
    description: `Repository ${index} of ${owner}, with a description of a realistic length for an organisation's project.`,
    fork: false, url: api, forks_url: `${api}/forks`, keys_url: `${api}/keys{/key_id}`, collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`, hooks_url: `${api}/hooks`, issue_events_url: `${api}/issues/events{/number}`, events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`, branches_url: `${api}/branches{/branch}`, tags_url: `${api}/tags`, blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`, git_refs_url: `${api}/git/refs{/sha}`, trees_url: `${api}/git/trees{/sha}`, statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`, stargazers_url: `${api}/stargazers`, contributors_url: `${api}/contributors`, subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`, commits_url: `${api}/commits{/sha}`, git_commits_url: `${api}/git/commits{/sha}`, comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`, contents_url: `${api}/contents/{+path}`, compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`, archive_url: `${api}/{archive_format}{/ref}`, downloads_url: `${api}/downloads`, issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`, milestones_url: `${api}/milestones{/number}`, notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`, releases_url: `${api}/releases{/id}`, deployments_url: `${api}/deployments`,
    created_at: "2019-03-04T10:11:12Z", updated_at: "2026-11-30T08:09:10Z", pushed_at: "2026-12-01T07:08:09Z",
    git_url: `git://github.com/${full}.git`, ssh_url: `git@github.com:${full}.git`, clone_url: `https://github.com/${full}.git`, svn_url: `https://github.com/${full}`,
    homepage: `https://${owner}.example.org/${name}`, size: 1234 + index, stargazers_count: index % 97, watchers_count: index % 97, language: "TypeScript",
    has_issues: true, has_projects: true, has_downloads: true, has_wiki: false, has_pages: false, has_discussions: false, forks_count: index % 13,
    mirror_url: null, archived: false, disabled: false, open_issues_count: index % 31,
    license: { key: "mit", name: "MIT License", spdx_id: "MIT", url: "https://api.github.com/licenses/mit", node_id: "MDc6TGljZW5zZTEz" },
    allow_forking: true, is_template: false, web_commit_signoff_required: false, topics: ["working-group", "meetings", "automation"],
    visibility: index % 3 === 0 ? "private" : "public", forks: index % 13, open_issues: index % 31, watchers: index % 97, default_branch: "main",
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
  };
}

/**
 * Starts the fake on a free loopback port.
 *
 * @param {{ latencyMs: number, layout: Layout }} options
 */
export async function startFakeGitHub({ latencyMs, layout }) {
  /** @type {Record<string, number>} */
  let counts = {};
  let inFlight = 0;
  let maxInFlight = 0;
  const pages = new Map();
  const zipped = new Map();

  const count = (kind) => void (counts[kind] = (counts[kind] ?? 0) + 1);

  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        answer(req, res, body);
      }, latencyMs);
    });
  });

  /** As GitHub does, a client that accepts gzip gets it (every Node fetch does). */
  function send(res, status, json, headers = {}, gzip = false) {
    const text = typeof json === "string" ? json : JSON.stringify(json);
    const body = gzip && text.length > 1024 ? (zipped.get(text) ?? gzipSync(text)) : Buffer.from(text);
    if (gzip && text.length > 1024 && layout.cachePages) zipped.set(text, body);
    const encoding = body.length < Buffer.byteLength(text) ? { "content-encoding": "gzip" } : {};
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": body.length, ...encoding, ...headers });
    res.end(body);
  }

  function answer(req, res, body) {
    const url = new URL(req.url ?? "/", "http://fake");
    const prefix = url.pathname.startsWith("/api/v3/") ? "/api/v3" : "";
    // GitHub Enterprise Server's GraphQL endpoint is /api/graphql, beside /api/v3.
    const path = url.pathname === "/api/graphql" ? "/graphql" : url.pathname.slice(prefix.length);
    const base = `http://${req.headers.host}${prefix}`;
    const page = Number(url.searchParams.get("page") ?? 1);
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const installation = Number(/^token ghs_(\d+)$/.exec(req.headers.authorization ?? "")?.[1] ?? 0);

    if (req.method === "GET" && path === "/app") {
      count("GET /app");
      return send(res, 200, { id: 1, slug: "wg-meetings", name: "wg-meetings", owner: { login: "bench" } });
    }
    if (req.method === "GET" && path === "/app/installations") {
      count("GET /app/installations");
      const from = (page - 1) * perPage;
      const ids = Array.from({ length: Math.max(0, Math.min(perPage, layout.installations - from)) }, (_, i) => from + i + 1);
      const next = from + perPage < layout.installations ? { link: `<${base}/app/installations?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      return send(res, 200, ids.map((id) => ({ id, account: { login: `org-${id}`, type: "Organization" }, suspended_at: null, repository_selection: "all" })), next);
    }
    const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (req.method === "POST" && token) {
      count("POST access_tokens");
      const expires = new Date(Date.now() + 3600_000).toISOString();
      return send(res, 201, { token: `ghs_${token[1]}`, expires_at: expires, permissions: { issues: "write", contents: "write", metadata: "read" }, repository_selection: "all" });
    }
    if (req.method === "GET" && path === "/installation/repositories") {
      count("GET /installation/repositories");
      const total = layout.repos(installation);
      const key = `${installation}/${page}/${perPage}`;
      let text = pages.get(key);
      if (!text) {
        const from = (page - 1) * perPage;
        const repositories = Array.from({ length: Math.max(0, Math.min(perPage, total - from)) }, (_, i) => repository(installation, from + i));
        text = JSON.stringify({ total_count: total, repository_selection: "all", repositories });
        if (layout.cachePages) pages.set(key, text);
      }
      const next = page * perPage < total ? { link: `<${base}/installation/repositories?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      return send(res, 200, text, next, /\bgzip\b/.test(req.headers["accept-encoding"] ?? ""));
    }
    if (req.method === "POST" && path === "/graphql") {
      const { query, variables } = JSON.parse(body || "{}");
      if (/query DiscoverMeetingConfigs\b/.test(query ?? "")) {
        count("POST /graphql (config discovery)");
        const nodes = (variables?.ids ?? []).map((id) => {
          const [, inst, index] = /^R_(\d+)_(\d+)$/.exec(id) ?? [];
          if (!inst) return null;
          const has = layout.configured(Number(inst), Number(index));
          return { nameWithOwner: `org-${inst}/repo-${index}`, config: has ? { text: layout.config } : null };
        });
        return send(res, 200, { data: { nodes } });
      }
      count("POST /graphql (other)");
      return send(res, 200, { data: {} });
    }
    const contents = /^\/repos\/org-(\d+)\/repo-(\d+)\/contents\/(.+)$/.exec(path);
    if (req.method === "GET" && contents) {
      count("GET contents");
      const [, inst, index, file] = contents;
      if (decodeURIComponent(file) === ".github/meetings.yml" && layout.configured(Number(inst), Number(index))) {
        const content = Buffer.from(layout.config).toString("base64");
        return send(res, 200, { type: "file", encoding: "base64", path: ".github/meetings.yml", name: "meetings.yml", sha: "0".repeat(40), size: layout.config.length, content });
      }
      return send(res, 404, { message: "Not Found" });
    }
    count(`other: ${req.method} ${path.replace(/\d+/g, ":n")}`);
    return send(res, 404, { message: "Not Found" });
  }

  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    /** Requests by kind since the last reset, and the most in flight at once. */
    take() {
      const taken = { counts, maxInFlight };
      counts = {};
      maxInFlight = 0;
      return taken;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve(undefined)); }),
  };
}
