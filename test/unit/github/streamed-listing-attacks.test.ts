import { once } from "node:events";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { getEventListeners } from "node:events";
import { gzipSync } from "node:zlib";
import { Probot, ProbotOctokit } from "probot";
import { describe, expect, it, onTestFinished } from "vitest";
import { nextPageUrl, repositoryPages } from "../../../src/github/installations.js";
import { withRequestPolicy } from "../../../src/github/octokit-class.js";
import { timedFetch, withDeadline } from "../../../src/github/request-deadline.js";
import { streamingFetch } from "../../../src/github/streaming-fetch.js";
import { RepositoryListingError, RepositoryListingScanner } from "../../../src/github/repository-listing-scanner.js";
import { serveLoopback as serve } from "../../helpers/loopback-server.js";
import { memoryLogger, privateKey, ProductionLikeOctokit } from "../../helpers/probot.js";

/** Node's collector, on demand (as `--expose-gc` would give it). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}


/** An installation client of production's policy against `baseUrl`, retries off. */
function client(baseUrl: string, timeoutMs = 20_000) {
  const Octokit = withRequestPolicy(ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }), { timeoutMs });
  return new Octokit({ auth: { token: "ghs_attack" }, baseUrl });
}

function repo(i: number) {
  return { id: i, node_id: `R_${i}`, full_name: `acme/r${i}`, default_branch: "main", archived: false, description: "x".repeat(200) };
}

function page(from: number, to: number, total = to) {
  return JSON.stringify({ total_count: total, repositories: Array.from({ length: to - from }, (_, i) => repo(from + i)) });
}

async function collect(gh: ReturnType<typeof client>) {
  const pages: number[] = [];
  for await (const repos of repositoryPages(gh)) pages.push(repos.length);
  return pages;
}

describe("the streamed repository listing under attack", () => {
  it("a body that stalls after its first bytes ends with the attempt's timeout, even when the collector runs meanwhile", async () => {
    const gc = collector();
    const whole = page(0, 100);
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(whole) });
      res.write(whole.slice(0, 1000), () => gc()); // then nothing more
    });
    const pressure = setInterval(gc, 20);
    onTestFinished(() => clearInterval(pressure));

    const error = await collect(client(server.url, 300)).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "TimeoutError" });
    expect(server.requests).toHaveLength(3);
  }, 20_000);

  it("a next link back to a page already read is not followed (a proxy that drops the query string would loop 2,000 pages)", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", link: `<${server.url}/installation/repositories?per_page=100&page=2>; rel="next"` });
      res.end(page(0, 100, 300));
    });

    const pages: number[] = [];
    const error = await (async () => {
      for await (const repos of repositoryPages(client(server.url))) pages.push(repos.length);
    })().catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/next page .*page=2 was read already/);
    expect(pages).toEqual([100, 100]);
    expect(server.requests).toEqual(["GET /installation/repositories?per_page=100", "GET /installation/repositories?per_page=100&page=2"]);
  });

  it("a relative next link is followed on the API's origin, under an Enterprise Server's path prefix too", async () => {
    const server = await serve((req, res) => {
      const second = req.url!.includes("page=2");
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (!second) headers.link = `</api/v3/installation/repositories?per_page=100&page=2>; rel="next"`;
      res.writeHead(200, headers).end(second ? page(100, 150, 150) : page(0, 100, 150));
    });

    expect(await collect(client(`${server.url}/api/v3`))).toEqual([100, 50]);
    expect(server.requests).toEqual(["GET /api/v3/installation/repositories?per_page=100", "GET /api/v3/installation/repositories?per_page=100&page=2"]);
  });

  it.each([
    ["protocol-relative", "//evil.example/installation/repositories?page=2", "http://evil.example"],
    ["another port", "http://127.0.0.1:1/installation/repositories?page=2", "http://127.0.0.1:1"],
    ["backslashed protocol-relative", "\\\\evil.example/installation/repositories?page=2", "http://evil.example"],
    ["another scheme without slashes", "https:evil.example/x", "https://evil.example"],
    ["the API's address as a user", "//127.0.0.1:8080@evil.example/x", "http://evil.example"],
  ])("a %s next link elsewhere is refused", (_name, link, named) => {
    expect(() => nextPageUrl(`<${link}>; rel="next"`, "http://127.0.0.1:8080/api/v3/installation/repositories?per_page=100")).toThrow(`next page is on ${named}, not http://127.0.0.1:8080`);
  });

  it("a page listing more repositories than the 100 asked for is refused as it is read, never held", async () => {
    const server = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(page(0, 101)));
    let kept = 0;
    const write = RepositoryListingScanner.prototype.write;
    RepositoryListingScanner.prototype.write = function (this: RepositoryListingScanner, chunk: Uint8Array) {
      const repos = write.call(this, chunk);
      kept += repos.length;
      return repos;
    };
    onTestFinished(() => void (RepositoryListingScanner.prototype.write = write));

    const error = await collect(client(server.url)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RepositoryListingError);
    expect((error as Error).message).toMatch(/the page lists more than 100 repositories/);
    expect(server.requests).toHaveLength(3); // asked again, as any page that is not a listing
    expect(kept).toBeLessThanOrEqual(300);
  });

  it("a gzip bomb (a small answer decompressing to gigabytes) is read no further than the scanner's 16 MiB, three times", async () => {
    // `{"repositories":[` then 3 GiB of spaces, about 3 MB gzipped; the answer never ends.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, " "), { level: 9 });
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.write(gzipSync('{"repositories":['));
      for (let i = 0; i < 48; i++) res.write(member);
    });
    let scanned = 0;
    const write = RepositoryListingScanner.prototype.write;
    RepositoryListingScanner.prototype.write = function (this: RepositoryListingScanner, chunk: Uint8Array) {
      scanned += chunk.length;
      return write.call(this, chunk);
    };
    onTestFinished(() => void (RepositoryListingScanner.prototype.write = write));

    const error = await collect(client(server.url)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RepositoryListingError);
    expect((error as Error).message).toMatch(/larger than 16777216 bytes/);
    expect(server.requests).toHaveLength(3);
    // Each attempt stopped within a chunk of the cap: the rest was never decompressed.
    expect(scanned).toBeLessThanOrEqual(3 * (16 * 1024 * 1024 + 64 * 1024));
  });

  it("a hundred pages under one deadline leave no abort listener on it", async () => {
    const server = await serve((req, res) => {
      const n = Number(new URL(req.url!, server.url).searchParams.get("page") ?? "1");
      const headers: Record<string, string> = { "content-type": "application/json", "content-encoding": "gzip" };
      if (n < 100) headers.link = `<${server.url}/installation/repositories?per_page=100&page=${n + 1}>; rel="next"`;
      res.writeHead(200, headers).end(gzipSync(page((n - 1) * 10, n * 10, 1000)));
    });
    const deadline = new AbortController();
    const pages = await withDeadline(deadline.signal, () => collect(client(server.url)));
    expect(pages).toHaveLength(100);
    expect(getEventListeners(deadline.signal, "abort")).toHaveLength(0);
  });

  it("a secondary rate limit answered to a page (gzipped, as GitHub sends errors) reaches Octokit's throttling with GitHub's message", async () => {
    const server = await serve((req, res) => {
      if (req.method === "POST") return void res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ token: "ghs_attack", expires_at: "2099-01-01T00:00:00Z" }));
      const body = gzipSync(JSON.stringify({ message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com" }));
      res.writeHead(403, { "content-type": "application/json; charset=utf-8", "content-encoding": "gzip", "retry-after": "60" }).end(body);
    });
    const logger = memoryLogger();
    const probot = new Probot({ appId: 123, privateKey, Octokit: ProductionLikeOctokit, baseUrl: server.url, log: logger.log });
    const gh = await probot.auth(1);

    const error = await collect(gh as never).catch((e: unknown) => e);

    // Probot's throttling options log a secondary limit and do not retry it.
    expect(error).toMatchObject({ name: "HttpError", status: 403, message: expect.stringMatching(/^You have exceeded a secondary rate limit/) });
    expect(logger.lines.map((line) => line.msg)).toContain(`Secondary quota detected for request GET ${server.url}/installation/repositories?per_page=100`);
    expect(logger.raw.join("")).not.toContain("ghs_attack");
    expect(server.requests).toEqual(["POST /app/installations/1/access_tokens", "GET /installation/repositories?per_page=100"]);
  });

  it("an empty content-encoding (a proxy that blanks the header) is read as no encoding", async () => {
    const server = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": "" }).end(page(0, 3)));
    const response = await streamingFetch(server.url);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe(page(0, 3));
  });

  it("an answer encoded twice over (`gzip, gzip`) fails the listing naming the encoding", async () => {
    const server = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip, gzip" }).end(gzipSync(gzipSync(page(0, 3)))));
    await expect(collect(client(server.url))).rejects.toThrow(/unsupported content-encoding gzip, gzip/);
  });

  it("a 200 answered in HTML (a proxy's page) fails the listing without repeating the page's text", async () => {
    const html = "<html><body>Please log in to the corporate proxy: secret-portal-token</body></html>";
    const server = await serve((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
    const error = await collect(client(server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryListingError);
    expect((error as Error).message).not.toContain("secret-portal-token");
    expect(server.requests).toHaveLength(3);
  });

  it("streamingFetch lets go of the request's signal once the body closes, read whole, discarded or read as text", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/gzip") return void res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(page(0, 50)));
      if (req.url === "/moved") return void res.writeHead(302, { location: "/elsewhere" }).end("moved");
      if (req.url === "/error") return void res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway");
      res.writeHead(200).end(page(0, 50));
    });
    const left: Record<string, number> = {};
    for (const path of ["/identity", "/gzip", "/moved", "/error"]) {
      const controller = new AbortController();
      const response = await streamingFetch(`${server.url}${path}`, { signal: controller.signal });
      const body = response.body as unknown as NodeJS.ReadableStream & { closed: boolean; destroy(): void };
      if (path === "/moved") body.destroy();
      else if (path === "/error") await response.text();
      else for await (const _chunk of body as AsyncIterable<Buffer>);
      if (!body.closed) await once(body, "close");
      left[path] = getEventListeners(controller.signal, "abort").length;
    }
    expect(left).toEqual({ "/identity": 0, "/gzip": 0, "/moved": 0, "/error": 0 });
  });

  it("timedFetch's timeout still fires when the collector runs while the transport waits (any request, not only the listing)", async () => {
    const gc = collector();
    let waiting!: () => void;
    const sent = new Promise<void>((resolve) => (waiting = resolve));
    // A transport that answers never, ending only when its signal aborts (as fetch does).
    const silent: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason), { once: true });
        waiting();
      });
    const pending = timedFetch(200, silent)("https://api.github.com/installation/repositories").catch((e: unknown) => e);
    await sent;
    const pressure = setInterval(gc, 10);
    onTestFinished(() => clearInterval(pressure));

    expect(await pending).toMatchObject({ name: "TimeoutError" });
  });
});
