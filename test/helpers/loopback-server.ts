import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { onTestFinished } from "vitest";

/** What the loopback server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Settles when the request's connection closes. */
  closed: Promise<void>;
}

/**
 * A loopback HTTP server answering with `handler`, closed (connections and all) when the test
 * finishes. `seen` lists every request that reached it, `requests` the same as "METHOD url"
 * lines; `arrived` settles with the next one.
 */
export async function serveLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: SeenRequest[] = [];
  const requests: string[] = [];
  let waiting: Array<(request: SeenRequest) => void> = [];
  const server = createServer((req, res) => {
    // The client's side ending the connection may reach the server as a reset (an "error"
    // before "close"): only the close matters here.
    const closed = new Promise<void>((resolve) => req.socket.once("close", () => resolve()));
    const request: SeenRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, closed };
    seen.push(request);
    requests.push(`${request.method} ${request.url}`);
    for (const resolve of waiting.splice(0)) resolve(request);
    handler(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as { port: number };
  waiting = [];
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    requests,
    arrived: () => new Promise<SeenRequest>((resolve) => waiting.push(resolve)),
  };
}

/** Every byte of an answer's `body`, the Node stream streamingFetch hands back. */
export async function readBody(response: Response): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
