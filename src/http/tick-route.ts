import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Log } from "../github/client.js";
import type { TickReport } from "../meetings/tick.js";

/** The path an outside scheduler (CronJob, Actions, Cloud Scheduler, curl) POSTs to. */
export const TICK_PATH = "/wg-meetings/tick";

export interface TickRouteOptions {
  /** The shared bearer secret; when unset the route answers 503 and runs nothing. */
  secret: string | undefined;
  run(options: { dryRun: boolean }): Promise<TickReport>;
  /**
   * One installation's tick, for `?installation=<id>` (a fan-out job, see meetings/fan-out.ts).
   * Without it such a request is answered 501 and runs nothing, never a full tick.
   */
  runInstallation?(installationId: number, options: { dryRun: boolean }): Promise<TickReport>;
  log: Log;
}

/**
 * `POST /wg-meetings/tick` with `Authorization: Bearer <secret>` runs the tick once and
 * answers with its report as JSON. `?dry-run=1` runs it without writing; `?installation=<id>`
 * (digits only) ticks that one installation, as a fan-out job does. A Probot HTTP handler:
 * returns false for requests that are not its own.
 */
export function createTickRoute(options: TickRouteOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== TICK_PATH) return false;

    if (req.method !== "POST") {
      reply(res, 405, { error: "use POST" }, { allow: "POST" });
      return true;
    }
    if (!options.secret) {
      reply(res, 503, { error: "the tick route is disabled: set WG_MEETINGS_TICK_SECRET" });
      return true;
    }
    if (!bearerMatches(req.headers.authorization, options.secret)) {
      options.log.warn({ path: TICK_PATH }, "tick refused: bad or missing bearer token");
      reply(res, 401, { error: "missing or wrong bearer token" }, { "www-authenticate": "Bearer" });
      return true;
    }

    const dryRun = ["1", "true"].includes(url.searchParams.get("dry-run") ?? "");
    const installation = installationParam(url.searchParams);
    if (installation === "invalid") {
      reply(res, 400, { error: "installation must be one installation id: digits only" });
      return true;
    }
    if (installation !== undefined && !options.runInstallation) {
      reply(res, 501, { error: "this server cannot tick one installation" });
      return true;
    }
    try {
      const report = installation !== undefined ? await options.runInstallation!(installation, { dryRun }) : await options.run({ dryRun });
      reply(res, report.errors.length > 0 ? 207 : 200, report);
    } catch (error) {
      options.log.error({ err: (error as Error).message }, "tick failed");
      reply(res, 500, { error: (error as Error).message });
    }
    return true;
  };
}

/** `?installation=`: absent, one positive id of at most 15 digits (a safe integer), or invalid. */
function installationParam(params: URLSearchParams): number | undefined | "invalid" {
  const values = params.getAll("installation");
  if (values.length === 0) return undefined;
  const text = values[0]!;
  if (values.length > 1 || !/^[0-9]{1,15}$/.test(text)) return "invalid";
  const id = Number(text);
  return id > 0 ? id : "invalid";
}

/** Constant-time comparison, so the secret cannot be guessed byte by byte from timings. */
function bearerMatches(header: string | undefined, secret: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}
