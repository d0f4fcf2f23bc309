import type { IncomingMessage, ServerResponse } from "node:http";

/** A Probot HTTP handler (`addHandler`): true when it answered the request. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * A route whose code is loaded on the first request under `prefix`, so that start-up does not
 * load what only that route needs (the calendar feed's schedules, templates and iCalendar
 * parser). Requests outside the prefix are declined without loading anything, as the route
 * itself declines them. The route is made once and kept; a failure to load or make it is the
 * request's error (Probot answers 500 and logs it), and the next request tries again.
 */
export function lazyRoute(prefix: string, create: () => Promise<RouteHandler>): RouteHandler {
  let route: Promise<RouteHandler> | undefined;
  return async (req, res) => {
    const path = (req.url ?? "").split("?", 1)[0] ?? "";
    if (!path.startsWith(prefix)) return false;
    route ??= create().catch((error: unknown) => {
      route = undefined;
      throw error;
    });
    return (await route)(req, res);
  };
}
