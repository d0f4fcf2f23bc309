import { request as httpRequest, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FeedLookup } from "../../src/calendar-feed/lookup-repo.js";
import { createFeedRoute } from "../../src/http/feed-route.js";
import { memoryLogger } from "../helpers/probot.js";

/**
 * Issue 13, remaining guards: a feed URL whose repository is only dots gets the feed route's
 * one 404, the same as any unknown feed, before the route asks GitHub anything (the repository
 * listing is the first GitHub request of any feed).
 */
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A request with the path sent exactly as written (fetch would resolve `..` before sending). */
function raw(base: string, path: string): Promise<{ status: number; body: string; type: string | undefined }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: res.headers["content-type"] }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("issue 13: the calendar feed of a repository named only with dots", () => {
  it("/meetings/acme/<dots>/x.ics gets the same 404 as an unknown feed, without listing the installation's repositories", async () => {
    const lookup: FeedLookup = { listRepos: vi.fn(async () => []), loadRepo: vi.fn(async () => null) };
    const route = createFeedRoute({ lookup, io: { fetchText: () => Promise.reject(new Error("no I/O")), calendar: () => Promise.reject(new Error("no I/O")) }, now: () => new Date("2026-12-01T12:00:00Z"), log: memoryLogger().log });
    server = createServer(async (req, res) => {
      if (!(await route(req, res))) res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const answers = [];
    for (const name of [".", "..", "...", "...."]) answers.push(await raw(base, `/meetings/acme/${name}/x.ics`));
    expect(lookup.listRepos).not.toHaveBeenCalled();

    const unknown = await raw(base, "/meetings/acme/no-such-repo/x.ics");
    expect(unknown.status).toBe(404);
    for (const answer of answers) expect(answer).toEqual(unknown);
  });
});
