import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Reads a request body completely. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Answers with JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/** A request a stand-in refuses, with the reason in the body (and thrown back to the handler). */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface LoopbackServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1, port 0 (the OS picks a free one). `close` also ends
 * keep-alive connections, so nothing outlives the harness. Each answered request for which
 * `fromTheApp` holds notifies {@link activity}, once its answer is sent (the state it changed
 * is visible by then).
 */
export async function listenLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
  fromTheApp: (req: IncomingMessage) => boolean = () => false,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    if (fromTheApp(req)) res.once("finish", () => activity.notify());
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `stand-in failure: ${(error as Error).message}` });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Rejects any key of `value` not in `allowed`, naming it: the stand-ins accept only shapes the real API knows. */
export function rejectUnknownKeys(what: string, value: object, allowed: readonly string[]): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new HttpError(400, `${what}: unknown field(s) ${unknown.join(", ")}`);
}

/**
 * What `waitFor` wakes up on: the App did something on loopback (answered a webhook, or made a
 * request to the front server or the Google stand-in). Every effect the tests wait for is one
 * of those, so a condition is re-checked when something happened, not on a clock. One signal
 * per process: a stray wake-up only costs one more check.
 */
export class ActivitySignal {
  #count = 0;
  readonly #waiters = new Set<() => void>();

  /** How many times something happened so far; pass it to {@link since}. */
  get count(): number {
    return this.#count;
  }

  notify(): void {
    this.#count++;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /**
   * Resolves once something happened after `seen` (at once if it already did), or after
   * `recheckMs` so a condition is re-checked now and then anyway (a safety net for a change
   * that did not pass through the stand-ins, not a budget anything depends on).
   */
  since(seen: number, recheckMs: number): Promise<void> {
    if (this.#count > seen) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, recheckMs);
      this.#waiters.add(wake);
    });
  }
}

/** The one activity signal of this process's harness. */
export const activity = new ActivitySignal();
