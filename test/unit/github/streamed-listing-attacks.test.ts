import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ProbotOctokit } from "probot";
import { describe, expect, it, onTestFinished } from "vitest";
import { repositoryPages } from "../../../src/github/installations.js";
import { withRequestPolicy } from "../../../src/github/octokit-class.js";

/** Node's collector, on demand (as `--expose-gc` would give it). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** A loopback server answering with `handler`, closed with its connections when the test ends. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests };
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
});
