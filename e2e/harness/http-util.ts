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
 * keep-alive connections, so nothing outlives the harness.
 */
export async function listenLoopback(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
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
