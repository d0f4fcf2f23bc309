import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { listConfiguredRepos, nextPageUrl, repositoryPages } from "../../../src/github/installations.js";
import { withRequestPolicy } from "../../../src/github/octokit-class.js";
import { withDeadline } from "../../../src/github/request-deadline.js";
import { RepositoryListingError, RepositoryListingScanner } from "../../../src/github/repository-listing-scanner.js";
import { API, installedRepo, mockToken } from "../../helpers/github.js";
import { createTestProbot, privateKey, ProductionLikeOctokit } from "../../helpers/probot.js";
import { recordUnmatched } from "../../helpers/unmatched.js";

/** Repository `i` of acme: every seventh one archived. */
function repo(i: number) {
  return installedRepo(`acme/r${i}`, { id: i, node_id: `R_${i}`, archived: i % 7 === 0, description: "x".repeat(200) });
}

/** `GET /installation/repositories`, `total` repositories 100 a page; `hold(page)` may delay a page. */
function listing(scope: nock.Scope, total: number, hold: (page: number) => Promise<void> = async () => {}) {
  const pages = Math.ceil(total / 100);
  for (let page = 1; page <= pages; page++) {
    scope
      .get("/installation/repositories")
      .query({ per_page: "100", ...(page > 1 ? { page: String(page) } : {}) })
      .reply(async () => {
        await hold(page);
        const repositories = Array.from({ length: Math.min(100, total - (page - 1) * 100) }, (_, i) => repo((page - 1) * 100 + i));
        const link = page < pages ? { link: `<${API}/installation/repositories?per_page=100&page=${page + 1}>; rel="next"` } : undefined;
        return [200, { total_count: total, repositories }, link];
      });
  }
}

async function client() {
  const { probot } = await createTestProbot();
  mockToken(nock(API), 1);
  return probot.auth(1);
}

describe("repositoryPages", () => {
  it("keeps the four fields the tick reads, from every page", async () => {
    const gh = await client();
    const scope = nock(API);
    listing(scope, 150);
    const pages: unknown[][] = [];
    for await (const page of repositoryPages(gh)) pages.push(page);
    expect(pages.map((page) => page.length)).toEqual([100, 50]);
    const repos = pages.flat();
    expect(repos[149]).toEqual({ fullName: "acme/r149", nodeId: "R_149", defaultBranch: "main", archived: false });
    expect(scope.isDone()).toBe(true);
  });
});

/** An installation client with production's Octokit: retry and throttling on, the App's request policy. */
async function productionClient() {
  const probot = new Probot({ appId: 123, privateKey, Octokit: ProductionLikeOctokit });
  mockToken(nock(API), 1);
  return probot.auth(1);
}

/** A listing page of repositories `from` to `to - 1`, as GitHub sends it. */
function pageBody(total: number, from: number, to: number) {
  return { total_count: total, repositories: Array.from({ length: to - from }, (_, i) => repo(from + i)) };
}

/** The `link` header of a page that has a next one. */
function nextLink(url: string) {
  return { link: `<${url}>; rel="next", <${API}/installation/repositories?per_page=100&page=9>; rel="last"` };
}

async function collect(gh: GitHub) {
  const pages: Array<Array<{ fullName: string }>> = [];
  for await (const page of repositoryPages(gh)) pages.push(page);
  return pages;
}

/** The pages came in these sizes and, together, list acme/r0, acme/r1, … in order. */
function expectPagesInOrder(pages: Array<Array<{ fullName: string }>>, sizes: number[]) {
  expect(pages.map((page) => page.length)).toEqual(sizes);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  expect(pages.flat().map((r) => r.fullName)).toEqual(Array.from({ length: total }, (_, i) => `acme/r${i}`));
}

describe("repositoryPages through production's Octokit", () => {
  it("sends each page's request with the installation token, through streamingFetch (not the global fetch), asking for gzip or deflate", async () => {
    const gh = await productionClient();
    const globalFetch = vi.spyOn(globalThis, "fetch");
    onTestFinished(() => globalFetch.mockRestore());
    const scope = nock(API, { reqheaders: { authorization: "token ghs_test_1", "accept-encoding": "gzip, deflate" } })
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, pageBody(120, 0, 100), nextLink(`${API}/installation/repositories?per_page=100&page=2`))
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(200, pageBody(120, 100, 120));

    const pages = await collect(gh);

    expect(pages.map((page) => page.length)).toEqual([100, 20]);
    expect(pages[1]![18]).toEqual({ fullName: "acme/r118", nodeId: "R_118", defaultBranch: "main", archived: false });
    expect(pages[1]![19]).toEqual({ fullName: "acme/r119", nodeId: "R_119", defaultBranch: "main", archived: true });
    expect(scope.isDone()).toBe(true);
    // The global fetch sent the token exchange only.
    expect(globalFetch.mock.calls.map(([input, init]) => `${init?.method} ${String(input)}`)).toEqual([`POST ${API}/app/installations/1/access_tokens`]);
  });

  it("a deadline that passes while a page's body is being read ends the listing with its reason", async () => {
    const gh = await productionClient();
    const whole = Buffer.from(JSON.stringify(pageBody(100, 0, 100)));
    let firstChunkRead!: () => void;
    const firstChunkReadByTheScanner = new Promise<void>((resolve) => (firstChunkRead = resolve));
    const write = RepositoryListingScanner.prototype.write;
    const spy = vi.spyOn(RepositoryListingScanner.prototype, "write").mockImplementation(function (this: RepositoryListingScanner, chunk) {
      firstChunkRead();
      return write.call(this, chunk);
    });
    onTestFinished(() => spy.mockRestore());
    // Half the page, then nothing more.
    let sent = false;
    const body = new Readable({
      read() {
        if (!sent) this.push(whole.subarray(0, whole.length >> 1));
        sent = true;
      },
    });
    const scope = nock(API).get("/installation/repositories").query({ per_page: "100" }).reply(200, () => body, { "content-type": "application/json" });
    const deadline = new AbortController();
    const reason = new DOMException("the installation's deadline passed", "TimeoutError");

    const listing = withDeadline(deadline.signal, () => collect(gh)).catch((e: unknown) => e);
    await firstChunkReadByTheScanner;
    deadline.abort(reason);

    expect(await listing).toBe(reason);
    expect(scope.isDone()).toBe(true);
  });

  it("a page answered 502 is asked for again, and the list is complete", async () => {
    const gh = await productionClient();
    const scope = nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, pageBody(150, 0, 100), nextLink(`${API}/installation/repositories?per_page=100&page=2`))
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(502, { message: "Bad Gateway" })
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(200, pageBody(150, 100, 150));

    const pages = await collect(gh);

    expectPagesInOrder(pages, [100, 50]);
    expect(scope.isDone()).toBe(true);
  });

  it("a page whose JSON is cut short three times over rejects with RepositoryListingError, never a shorter list", async () => {
    const gh = await productionClient();
    const whole = JSON.stringify(pageBody(150, 100, 150));
    const scope = nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, pageBody(150, 0, 100), nextLink(`${API}/installation/repositories?per_page=100&page=2`))
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .times(3)
      .reply(200, whole.slice(0, whole.length >> 1), { "content-type": "application/json; charset=utf-8" });

    const pages: number[] = [];
    const error = await (async () => {
      for await (const page of repositoryPages(gh)) pages.push(page.length);
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RepositoryListingError);
    expect(pages).toEqual([100]);
    expect(scope.isDone()).toBe(true);
  });

  it("a gzip page cut short three times over rejects, never a shorter list", async () => {
    const gh = await productionClient();
    const gzipped = gzipSync(JSON.stringify(pageBody(50, 0, 50)));
    const scope = nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .times(3)
      .reply(200, gzipped.subarray(0, gzipped.length >> 1), { "content-encoding": "gzip", "content-type": "application/json; charset=utf-8" });

    await expect(collect(gh)).rejects.toThrow(/unexpected end of file/);
    expect(scope.isDone()).toBe(true);
  });

  it("a page whose body breaks off once is asked for again (Octokit's retry ends at the answer), and the list is complete", async () => {
    const gh = await productionClient();
    const whole = JSON.stringify(pageBody(150, 100, 150));
    const gzipped = gzipSync(whole);
    const scope = nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, pageBody(150, 0, 100), nextLink(`${API}/installation/repositories?per_page=100&page=2`))
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(200, gzipped.subarray(0, gzipped.length >> 1), { "content-encoding": "gzip", "content-type": "application/json; charset=utf-8" })
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(200, whole.slice(0, whole.length >> 1), { "content-type": "application/json; charset=utf-8" })
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(200, whole, { "content-type": "application/json; charset=utf-8" });

    const pages: number[] = [];
    for await (const page of repositoryPages(gh)) pages.push(page.length);

    expect(pages).toEqual([100, 50]);
    expect(scope.isDone()).toBe(true);
  });

  it("a next-page link to another origin is not followed: the listing fails naming that origin, and nothing is sent there", async () => {
    const gh = await productionClient();
    const unmatched = recordUnmatched();
    const scope = nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, pageBody(150, 0, 100), nextLink("https://evil.example/installation/repositories?per_page=100&page=2"));
    const evil = nock("https://evil.example").get(/.*/).optionally().reply(200, pageBody(150, 100, 150));

    const pages: number[] = [];
    const error = await (async () => {
      for await (const page of repositoryPages(gh)) pages.push(page.length);
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/next page is on https:\/\/evil\.example, not https:\/\/api\.github\.com/);
    expect(pages).toEqual([100]);
    expect(scope.isDone()).toBe(true);
    expect(evil.activeMocks()).toHaveLength(1); // still waiting: never asked
    expect(unmatched).toEqual([]);
  });

  it("reads gzip-encoded pages", async () => {
    const gh = await productionClient();
    const gzipped = (body: unknown) => gzipSync(JSON.stringify(body));
    const json = { "content-type": "application/json; charset=utf-8", "content-encoding": "gzip" };
    const scope = nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, gzipped(pageBody(130, 0, 100)), { ...json, ...nextLink(`${API}/installation/repositories?per_page=100&page=2`) })
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      .reply(200, gzipped(pageBody(130, 100, 130)), json);

    const pages = await collect(gh);

    expectPagesInOrder(pages, [100, 30]);
    expect(scope.isDone()).toBe(true);
  });

  it("250 repositories with total_count come in three requests, as pages of 100, 100 and 50", async () => {
    const gh = await productionClient();
    const scope = nock(API);
    listing(scope, 250);

    const pages = await collect(gh);

    expectPagesInOrder(pages, [100, 100, 50]);
    expect(scope.isDone()).toBe(true);
  });

  it("a listing answered with something other than 200 fails", async () => {
    const gh = await productionClient();
    const scope = nock(API).get("/installation/repositories").query({ per_page: "100" }).reply(302, "", { location: `${API}/elsewhere` });

    await expect(collect(gh)).rejects.toThrow(/answered the repository listing with 302/);
    expect(scope.isDone()).toBe(true);
  });

  it("an answer other than 200 fails the listing and its unread body is let go of, not left holding the connection", async () => {
    // As streamingFetch answers: the body a Node stream (its connection is free once it ends or
    // is destroyed); then as the global fetch answers: a web stream.
    const nodeBody = new Readable({ read() {} });
    nodeBody.push("moved");
    let webBodyCancelled = false;
    const webBody = new ReadableStream({ pull() {}, cancel: () => void (webBodyCancelled = true) });
    const bodies: unknown[] = [nodeBody, webBody];
    const fetch: typeof globalThis.fetch = async () => {
      const body = bodies.shift();
      const headers = new Headers({ location: `${API}/elsewhere`, "content-type": "text/plain" });
      if (body instanceof ReadableStream) return new Response(body, { status: 302, headers });
      return { status: 302, statusText: "Found", ok: false, url: "", headers, body, text: async () => "moved" } as unknown as Response;
    };
    const Octokit = withRequestPolicy(ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }));
    const gh = new Octokit({ auth: { token: "ghs_custom" }, request: { fetch } });

    await expect(collect(gh)).rejects.toThrow(/answered the repository listing with 302/);
    expect(nodeBody.destroyed).toBe(true);
    await expect(collect(gh)).rejects.toThrow(/answered the repository listing with 302/);
    expect(webBodyCancelled).toBe(true);
  });

  it("a client built on a fetch of its own keeps sending the listing through it", async () => {
    const sent: Array<{ url: string; authorization: string | null }> = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = String(input);
      sent.push({ url, authorization: new Headers(init?.headers).get("authorization") });
      const page = url.includes("page=2") ? pageBody(101, 100, 101) : pageBody(101, 0, 100);
      const link = url.includes("page=2") ? {} : nextLink(`${API}/installation/repositories?per_page=100&page=2`);
      return new Response(JSON.stringify(page), { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...link } });
    };
    const Octokit = withRequestPolicy(ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }));
    const gh = new Octokit({ auth: { token: "ghs_custom" }, request: { fetch } });
    const unmatched = recordUnmatched();

    const pages = await collect(gh);

    expect(pages.map((page) => page.length)).toEqual([100, 1]);
    expect(sent).toEqual([
      { url: `${API}/installation/repositories?per_page=100`, authorization: "token ghs_custom" },
      { url: `${API}/installation/repositories?per_page=100&page=2`, authorization: "token ghs_custom" },
    ]);
    expect(unmatched).toEqual([]);
  });
});

describe("nextPageUrl", () => {
  const origin = "https://api.github.com";
  it.each([
    ["no header", undefined, undefined],
    ["no next link", `<${origin}/installation/repositories?page=1>; rel="prev"`, undefined],
    ["next among others", `<${origin}/x?page=1>; rel="prev", <${origin}/x?page=3>; rel="next"`, `${origin}/x?page=3`],
  ])("%s", (_name, link, expected) => {
    expect(nextPageUrl(link, origin)).toBe(expected);
  });

  it.each([
    ["another host", "https://evil.example/x?page=2", "https://evil.example"],
    ["another scheme", "http://api.github.com/x?page=2", "http://api.github.com"],
    ["another port", "https://api.github.com:8443/x?page=2", "https://api.github.com:8443"],
    ["a user before the host", "https://api.github.com@evil.example/x", "https://evil.example"],
  ])("refuses a next link to %s", (_name, url, named) => {
    expect(() => nextPageUrl(`<${url}>; rel="next"`, origin)).toThrow(`next page is on ${named}, not ${origin}`);
  });
});

describe("listConfiguredRepos", () => {
  it("one listing request per 100 repositories and one config query per 100 unarchived ones, each query sent while the next page loads", async () => {
    const gh = await client();
    const scope = nock(API);
    const queries: string[][] = [];
    let firstQuery!: () => void;
    const firstQuerySent = new Promise<void>((resolve) => (firstQuery = resolve));
    // Page 3 is answered only once the first config query has arrived: a listing that waited
    // for every page before discovering would never finish.
    listing(scope, 250, (page) => (page === 3 ? firstQuerySent : Promise.resolve()));
    scope
      .post("/graphql", (body: { query: string; variables: { ids: string[]; expression: string } }) => {
        expect(body.variables.expression).toBe("HEAD:.github/meetings.yml");
        return true;
      })
      .times(3)
      .reply((_uri, body) => {
        const ids = (body as { variables: { ids: string[] } }).variables.ids;
        queries.push(ids);
        firstQuery();
        // Every tenth repository has a config.
        const nodes = ids.map((id) => ({ nameWithOwner: `acme/r${id.slice(2)}`, config: Number(id.slice(2)) % 10 === 0 ? { text: `# ${id}` } : null }));
        return [200, { data: { nodes } }];
      });

    const found = await listConfiguredRepos(gh);

    const unarchived = Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 7 !== 0);
    expect(queries.map((ids) => ids.length)).toEqual([100, 100, unarchived.length - 200]);
    expect(queries.flat()).toEqual(unarchived.map((i) => `R_${i}`));
    expect(found.listed).toBe(250);
    const configured = unarchived.filter((i) => i % 10 === 0);
    expect(found.repos.map((r) => r.fullName)).toEqual(configured.map((i) => `acme/r${i}`));
    expect(found.texts.get("acme/r10")).toBe("# R_10");
    expect(scope.isDone()).toBe(true);
  });

  it("a failed config query fails the listing (the installation's error), after the page in flight", async () => {
    const gh = await client();
    const scope = nock(API);
    listing(scope, 150);
    scope.post("/graphql").reply(502, { message: "Bad Gateway" }).post("/graphql").optionally().reply(200, { data: { nodes: [] } });
    await expect(listConfiguredRepos(gh)).rejects.toMatchObject({ status: 502 });
  });
});
