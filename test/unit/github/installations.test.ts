import nock from "nock";
import { describe, expect, it } from "vitest";
import { listConfiguredRepos, repositoryPages } from "../../../src/github/installations.js";
import { API, installedRepo, mockToken } from "../../helpers/github.js";
import { createTestProbot } from "../../helpers/probot.js";

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
