// Guards found by planting bugs by hand in the streamed repository listing (streaming-fetch.ts,
// repository-listing-scanner.ts, installations.ts, request-deadline.ts) and in the benchmarks'
// reading of production's Node flags (bench/production-start.mjs): each test here fails with one
// such bug that the other tests let through.
import { getEventListeners, once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Readable } from "node:stream";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { GitHub } from "../../../src/github/client.js";
import { listConfiguredRepos, nextPageUrl, repositoryPages } from "../../../src/github/installations.js";
import { withRequestPolicy } from "../../../src/github/octokit-class.js";
import { withDeadline } from "../../../src/github/request-deadline.js";
import { RepositoryListingError, RepositoryListingScanner } from "../../../src/github/repository-listing-scanner.js";
import { streamingFetch } from "../../../src/github/streaming-fetch.js";
import { API, installedRepo, mockToken } from "../../helpers/github.js";
import { readBody, serveLoopback } from "../../helpers/loopback-server.js";
import { createTestProbot } from "../../helpers/probot.js";

const serveUrl = async (handler: Parameters<typeof serveLoopback>[0]) => (await serveLoopback(handler)).url;



const PAGE = JSON.stringify({ total_count: 1, repositories: [{ full_name: "acme/a", node_id: "R_a", default_branch: "main", archived: false }] });

describe("streamingFetch: content codings", () => {
  // RFC 9110: content codings are case-insensitive, and x-gzip is gzip.
  it.each([
    ["x-gzip", "x-gzip"],
    ["GZIP in capitals", "GZIP"],
  ])("decompresses an answer sent as %s", async (_name, header) => {
    const url = await serveUrl((_req, res) => res.writeHead(200, { "content-encoding": header, "content-type": "application/json" }).end(gzipSync(PAGE)));
    const response = await streamingFetch(url);
    expect((await readBody(response)).toString("utf8")).toBe(PAGE);
    expect(response.headers.get("content-encoding")).toBeNull();
  });
});

describe("streamingFetch: `ok`", () => {
  it("is true for 200 to 299 only: a 300 is not ok", async () => {
    const url = await serveUrl((req, res) => res.writeHead(Number(req.url!.slice(1))).end());
    for (const [status, ok] of [
      [200, true],
      [299, true],
      [300, false],
      [404, false],
    ] as const) {
      const response = await streamingFetch(`${url}/${status}`);
      await readBody(response);
      expect({ status: response.status, ok: response.ok }).toEqual({ status, ok });
    }
  });
});

describe("streamingFetch: the request's signal", () => {
  // A signal that outlives the request (a run's deadline) must not keep each answer's request
  // and body alive through its abort listener, nor end them after they are done.
  for (const encoding of ["identity", "gzip"] as const) {
    it(`lets go of the signal once the answer's body (${encoding}) has been read and closed`, async () => {
      const url = await serveUrl((_req, res) => {
        res.writeHead(200, encoding === "gzip" ? { "content-encoding": "gzip" } : {});
        res.end(encoding === "gzip" ? gzipSync(PAGE) : PAGE);
      });
      const controller = new AbortController();
      const response = await streamingFetch(url, { signal: controller.signal });
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      expect((await readBody(response)).toString("utf8")).toBe(PAGE);
      const body = response.body as unknown as Readable;
      if (!body.closed) await once(body, "close");
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    });
  }

  it("lets go of the signal when the request fails", async () => {
    const url = await serveUrl((req) => req.socket.destroy());
    const controller = new AbortController();
    await expect(streamingFetch(url, { signal: controller.signal })).rejects.toThrow();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("lets go of the signal when the answer is refused (an encoding it cannot read)", async () => {
    const url = await serveUrl((_req, res) => res.writeHead(200, { "content-encoding": "br" }).end("x"));
    const controller = new AbortController();
    await expect(streamingFetch(url, { signal: controller.signal })).rejects.toThrow(/unsupported content-encoding br/);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

const encoder = new TextEncoder();
const REPO = JSON.stringify({ full_name: "acme/widgets", node_id: "R_1", default_branch: "main", archived: false });

/** What the scanner makes of `page`, fed whole: its summary, or the error it threw. */
function scanned(page: string) {
  const scanner = new RepositoryListingScanner();
  try {
    const repos = scanner.write(encoder.encode(page));
    return { repos, summary: scanner.end() };
  } catch (error) {
    return { error };
  }
}

describe("RepositoryListingScanner: what JSON.parse refuses, it refuses too", () => {
  it("every raw control character in a string, up to U+001F", () => {
    for (const code of [0x00, 0x1e, 0x1f]) {
      const page = `{"repositories": [], "description": "a${String.fromCharCode(code)}b"}`;
      expect(() => JSON.parse(page)).toThrow(SyntaxError);
      expect(scanned(page).error).toBeInstanceOf(RepositoryListingError);
    }
    expect(scanned('{"repositories": [], "description": "a\u007fb"}').summary).toEqual({ totalCount: undefined, repositories: 0 });
  });

  it("a bracket closed by the other kind", () => {
    for (const page of [`{"repositories": [${REPO}}]`, `{"repositories": [${REPO}], "owner": {"a": 1]}`, `{"x": [1}, "repositories": []}`]) {
      expect(() => JSON.parse(page)).toThrow(SyntaxError);
      expect(scanned(page).error).toBeInstanceOf(RepositoryListingError);
    }
  });
});

describe("RepositoryListingScanner: total_count", () => {
  it("is undefined unless it is a number", () => {
    for (const value of ['"5"', "null", "true"]) {
      expect(scanned(`{"total_count": ${value}, "repositories": []}`).summary).toEqual({ totalCount: undefined, repositories: 0 });
    }
    expect(scanned('{"total_count": 5, "repositories": []}').summary).toEqual({ totalCount: 5, repositories: 0 });
  });
});

describe("nextPageUrl: the link's order", () => {
  it("follows rel=\"next\" wherever it stands among the links, never rel=\"last\" or \"first\"", () => {
    const origin = "https://api.github.com";
    const link = `<${origin}/installation/repositories?page=1>; rel="first", <${origin}/installation/repositories?page=9>; rel="last", <${origin}/installation/repositories?page=3>; rel="next"`;
    expect(nextPageUrl(link, origin)).toBe(`${origin}/installation/repositories?page=3`);
    expect(nextPageUrl(`<${origin}/x?page=9>; rel="last"`, origin)).toBeUndefined();
  });
});

/** A client on a fetch of its own (as a test's stand-in is): `answer` gives each request's answer. */
function clientOn(answer: (url: string) => Response) {
  const urls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    urls.push(String(input));
    return answer(String(input));
  };
  const Octokit = withRequestPolicy(ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }));
  return { gh: new Octokit({ auth: { token: "ghs_custom" }, request: { fetch } }) as GitHub, urls };
}

/**
 * A stand-in for the installation client answering every listing page at once, empty, with a
 * next link unless it is page `last` (through Octokit, 2,000 pages take half a minute).
 */
function pagedClient(last: number) {
  const urls: string[] = [];
  const first = `${API}/installation/repositories?per_page=100`;
  // As the listing calls it: the route, then the page's whole URL among the options.
  const request = async (_route: string, { url }: { url: string }) => {
    urls.push(url);
    const page = Number(new URL(url).searchParams.get("page") ?? "1");
    const link = page < last ? `<${API}/installation/repositories?per_page=100&page=${page + 1}>; rel="next"` : undefined;
    return { status: 200, headers: { link }, data: [encoder.encode('{"total_count": 0, "repositories": []}')] };
  };
  const gh = { request: Object.assign(request, { endpoint: Object.assign(() => ({ url: first }), { DEFAULTS: {} }) }) };
  return { gh: gh as unknown as GitHub, urls };
}

async function pagesOf(gh: GitHub): Promise<number> {
  let pages = 0;
  for await (const _page of repositoryPages(gh)) pages++;
  return pages;
}

describe("repositoryPages: at most 2,000 pages", () => {
  it("reads a listing of exactly 2,000 pages whole", async () => {
    const { gh, urls } = pagedClient(2_000);
    expect(await pagesOf(gh)).toBe(2_000);
    expect(urls).toHaveLength(2_000);
  });

  it("stops a listing that links on past 2,000 pages before asking for page 2,001", async () => {
    const { gh, urls } = pagedClient(2_001);
    await expect(pagesOf(gh)).rejects.toThrow("the repository listing has more than 2000 pages; stopped");
    expect(urls).toHaveLength(2_000);
    expect(urls.at(-1)).toBe(`${API}/installation/repositories?per_page=100&page=2000`);
  });
});

describe("repositoryPages: the run's deadline", () => {
  it("a page whose body breaks once the run's deadline has passed is not asked for again: the break is the listing's error", async () => {
    const deadline = new AbortController();
    const broken = new TypeError("terminated");
    const half = encoder.encode(`{"total_count": 1, "repositories": [${REPO.slice(0, 20)}`);
    const { gh, urls } = clientOn(() => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (!sent) {
            sent = true;
            controller.enqueue(half);
            return;
          }
          // The connection breaks as the deadline passes.
          deadline.abort(new DOMException("the installation's deadline passed", "TimeoutError"));
          controller.error(broken);
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
    });

    const error = await withDeadline(deadline.signal, () => pagesOf(gh)).catch((e: unknown) => e);

    expect(error).toBe(broken);
    expect(urls).toEqual([`${API}/installation/repositories?per_page=100`]);
  });
});

describe("listConfiguredRepos: a full batch goes at once", () => {
  it("100 unarchived repositories on a page are sent for discovery before the next page is asked for, and the last full batch is awaited", async () => {
    const { probot } = await createTestProbot();
    mockToken(nock(API), 1);
    const gh = await probot.auth(1);
    let firstQuery!: () => void;
    const firstQuerySent = new Promise<void>((resolve) => (firstQuery = resolve));
    // The first query is answered only once the second page has been read whole: the second
    // batch is then sent while the first is still in flight, and must still be waited for.
    let secondPageRead!: () => void;
    const secondPageReadWhole = new Promise<void>((resolve) => (secondPageRead = resolve));
    const end = RepositoryListingScanner.prototype.end;
    let pagesRead = 0;
    const spy = vi.spyOn(RepositoryListingScanner.prototype, "end").mockImplementation(function (this: RepositoryListingScanner) {
      const summary = end.call(this);
      if (++pagesRead === 2) secondPageRead();
      return summary;
    });
    onTestFinished(() => spy.mockRestore());
    let queries = 0;
    const repos = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => installedRepo(`acme/r${from + i}`, { node_id: `R_${from + i}` }));
    const scope = nock(API)
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, { total_count: 200, repositories: repos(0, 100) }, { link: `<${API}/installation/repositories?per_page=100&page=2>; rel="next"` })
      .get("/installation/repositories")
      .query({ per_page: "100", page: "2" })
      // Answered once the first batch's query has arrived: a listing that held a full batch
      // back until the next page came would wait forever.
      .reply(async () => {
        await firstQuerySent;
        return [200, { total_count: 200, repositories: repos(100, 200) }];
      })
      .post("/graphql")
      .times(2)
      .reply(async (_uri, body) => {
        firstQuery();
        if (++queries === 1) await secondPageReadWhole;
        const ids = (body as { variables: { ids: string[] } }).variables.ids;
        return [200, { data: { nodes: ids.map((id) => ({ nameWithOwner: `acme/r${id.slice(2)}`, config: id === "R_120" ? { text: "# r120" } : null })) } }];
      });

    const found = await listConfiguredRepos(gh);

    // The second batch (the second page, 100 again) is sent from the loop like the first: its
    // answer is in the result.
    expect(found.listed).toBe(200);
    expect(found.repos.map((r) => r.fullName)).toEqual(["acme/r120"]);
    expect(scope.isDone()).toBe(true);
  });
});

// The benchmarks start the App with the flags production starts it with (bench/production-start.mjs).
const ROOT = join(import.meta.dirname, "..", "..", "..");
const { imageNodeFlags, nodeFlagsFromArgs, npmStartNodeFlags } = (await import(pathToFileURL(join(ROOT, "bench", "production-start.mjs")).href)) as {
  nodeFlagsFromArgs: (root: string, args: string[], nodeVersion: string) => { flags: string[]; source: string; given: boolean };
  imageNodeFlags: (root: string) => string[];
  npmStartNodeFlags: (root: string) => string[] | undefined;
};

/** A scratch checkout holding only the given files, removed when the test finishes. */
function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wg-streamed-listing-guards-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("nodeFlagsFromArgs", () => {
  it("an empty --node-flags= runs the App with no flags, and says so", () => {
    expect(nodeFlagsFromArgs(ROOT, ["--node-flags="], "v24.0.0")).toEqual({ flags: [], source: "--node-flags", given: true });
    expect(nodeFlagsFromArgs(ROOT, ["--node-flags=  --expose-gc  "], "v24.0.0")).toEqual({ flags: ["--expose-gc"], source: "--node-flags", given: true });
  });
});

describe("imageNodeFlags", () => {
  it("stops the bench when the Dockerfile has two CMDs (Docker would run the last one)", () => {
    const root = checkout({ Dockerfile: 'FROM node:24 AS build\nCMD ["node", "--inspect", "lib/server.js"]\nFROM node:24\nCMD ["node", "--max-semi-space-size=4", "lib/server.js"]\n' });
    expect(() => imageNodeFlags(root)).toThrow(/expected one CMD/);
  });

  it("stops the bench when the CMD runs lib/server.js with something other than node", () => {
    expect(() => imageNodeFlags(checkout({ Dockerfile: 'FROM oven/bun\nCMD ["bun", "--smol", "lib/server.js"]\n' }))).toThrow(/expected one CMD/);
  });
});

describe("npmStartNodeFlags", () => {
  const start = (script: string) => checkout({ "package.json": JSON.stringify({ scripts: { start: script } }) });
  it("is undefined when npm start runs node on something other than lib/server.js", () => {
    expect(npmStartNodeFlags(start("node --max-semi-space-size=4 lib/cli.js"))).toBeUndefined();
  });

  it("reads a script with spaces around it", () => {
    expect(npmStartNodeFlags(start("  node --max-semi-space-size=4 lib/server.js "))).toEqual(["--max-semi-space-size=4"]);
  });
});

describe("nodeFlagsFromArgs: the argument itself", () => {
  it("takes --node-flags= only as an argument of its own, not inside another one's value", () => {
    expect(nodeFlagsFromArgs(ROOT, ["--label=--node-flags=--expose-gc"], "v24.0.0")).toEqual({ flags: imageNodeFlags(ROOT), source: "as the image's CMD", given: false });
  });
});
