import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { lazyRoute, type RouteHandler } from "../../../src/http/lazy-route.js";

const request = (url: string) => ({ url, method: "GET" }) as IncomingMessage;
const response = {} as ServerResponse;

describe("lazyRoute: a route made on the first request under its prefix", () => {
  it("declines other paths without making the route, as the route itself would", async () => {
    let made = 0;
    const route = lazyRoute("/meetings/", async () => {
      made++;
      return () => true;
    });
    expect(await route(request("/ping"), response)).toBe(false);
    expect(await route(request("/api/github/webhooks"), response)).toBe(false);
    // A query string is not part of the path: `/x?/meetings/` is not under the prefix.
    expect(await route(request("/x?/meetings/a"), response)).toBe(false);
    expect(made).toBe(0);
  });

  it("makes the route once, for requests that arrive while it is being made too, and passes each request to it", async () => {
    let made = 0;
    const seen: string[] = [];
    const route = lazyRoute("/meetings/", async () => {
      made++;
      await new Promise((resolve) => setImmediate(resolve));
      return ((req) => (seen.push(req.url!), req.url !== "/meetings/declined")) as RouteHandler;
    });
    const answers = await Promise.all([route(request("/meetings/a/b/c.ics"), response), route(request("/meetings/declined"), response)]);
    expect(answers).toEqual([true, false]);
    expect(await route(request("/meetings/d/e/f.ics?x=1"), response)).toBe(true);
    expect(made).toBe(1);
    expect(seen).toEqual(["/meetings/a/b/c.ics", "/meetings/declined", "/meetings/d/e/f.ics?x=1"]);
  });

  it("a failure to load is the request's error, and the next request tries again", async () => {
    let attempts = 0;
    const route = lazyRoute("/meetings/", async () => {
      attempts++;
      if (attempts === 1) throw new Error("Cannot find module './http/feed-route.js'");
      return () => true;
    });
    await expect(route(request("/meetings/a/b/c.ics"), response)).rejects.toThrow("Cannot find module");
    expect(await route(request("/meetings/a/b/c.ics"), response)).toBe(true);
    expect(attempts).toBe(2);
  });
});
