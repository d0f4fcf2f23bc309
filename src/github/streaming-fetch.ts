import { globalAgent as httpGlobalAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { globalAgent as httpsGlobalAgent, request as httpsRequest } from "node:https";
import { pipeline, type Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";

/**
 * A `fetch` for GET requests whose answer is read as a stream of bytes, sent with Node's
 * `http`/`https` modules instead of the global fetch (undici).
 *
 * Why: the repository listing is read 100 repositories (about 0.5 MB of JSON) per request, up
 * to hundreds of requests per tick. Measured on Node 20 against a loopback server gzipping the
 * pages as GitHub does, reading 100 such pages raised a process's peak RSS by 26–33 MB through
 * the global fetch, and by 8–9 MB through `http` plus zlib with the scanner reading the bytes
 * (the "App's listing alone" and "bare global fetch" rows of `node bench/tick-scale.mjs`).
 * Everything else the App sends keeps using the global fetch.
 *
 * It is a `fetch` so that it goes through Octokit like every other request: the App's auth,
 * retry, throttling, timeout and deadline all apply (see listing's use in installations.ts).
 * It speaks only what that needs: GET, gzip/deflate answers, no redirects (a 3xx answer is
 * handed back as it is), the request's `signal` (which also ends a body still being read). Its
 * answer's `body` is a Node stream (see toResponse).
 */
export const streamingFetch: typeof globalThis.fetch = (input, init) => {
  const method = (init?.method ?? "GET").toUpperCase();
  if (method !== "GET") return Promise.reject(new TypeError(`streamingFetch sends GET requests only, not ${method}`));
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.protocol !== "https:" && url.protocol !== "http:") return Promise.reject(new TypeError(`streamingFetch: unsupported protocol ${url.protocol}`));
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
  headers["accept-encoding"] ??= "gzip, deflate";
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);

  return new Promise<Response>((resolve, reject) => {
    const https = url.protocol === "https:";
    // Node's global agents keep connections alive (and unreferenced while idle, so a CLI run
    // still exits), as the global fetch does.
    const request = (https ? httpsRequest : httpRequest)(url, { method, headers, agent: https ? httpsGlobalAgent : httpGlobalAgent });
    let body: Readable | undefined;
    const abort = () => {
      const reason = signal?.reason instanceof Error ? signal.reason : new DOMException("This operation was aborted", "AbortError");
      // Once the answer has come, its reader gets the signal's reason (a timeout stays a
      // timeout); before, the request's promise does.
      body?.destroy(reason);
      request.destroy(reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
    const settled = () => signal?.removeEventListener("abort", abort);
    request.on("error", (error) => {
      settled();
      reject(error);
    });
    request.on("response", (response) => {
      try {
        const answer = toResponse(response, settled);
        body = answer.body as unknown as Readable;
        resolve(answer);
      } catch (error) {
        response.destroy();
        settled();
        reject(error);
      }
    });
    request.end();
  });
};

/** Most bytes `text()`/`arrayBuffer()` read of an answer (error answers are small). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * The answer as Octokit reads a `Response`: status, headers, `body`, and `text()`/`json()`/
 * `arrayBuffer()` for error answers. `body` is the decompressed Node stream itself (async
 * iterable of byte chunks), not a web stream: wrapping it in one (`Readable.toWeb`) took back
 * most of the memory this transport saves (peak RSS +27 MB instead of +8 MB for 100 pages).
 */
function toResponse(response: IncomingMessage, done: () => void): Response {
  const status = response.statusCode ?? 0;
  const headers = new Headers();
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) headers.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
  // An empty value (a proxy that blanks the header) says no more than no header.
  const encoding = response.headers["content-encoding"]?.trim().toLowerCase() || "identity";
  let body: Readable = response;
  if (encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate") {
    // `pipeline` passes an error either way (a broken gzip stream, a request ended by its
    // signal) to the decompressed stream, so the reader sees it instead of a short body.
    body = pipeline(response, encoding === "deflate" ? createInflate() : createGunzip(), () => {});
    // The error stays on the stream for its reader (`for await` throws it even when it starts
    // afterwards). Without a listener here, a body that breaks before the reader starts (a small
    // page decompressed whole while Octokit's hooks still run, once `pipeline` has let go of the
    // stream) would have its error thrown at the process.
    body.on("error", () => {});
    headers.delete("content-encoding");
    headers.delete("content-length");
  } else if (encoding !== "identity") {
    throw new TypeError(`streamingFetch: unsupported content-encoding ${encoding}`);
  }
  body.once("close", done);
  const bytes = async (): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      length += chunk.length;
      // Leaving the loop by the throw ends the stream (an async iterator destroys it on return).
      if (length > MAX_BUFFERED_BYTES) throw new RangeError(`streamingFetch: the answer is larger than ${MAX_BUFFERED_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  };
  const text = async () => (await bytes()).toString("utf8");
  const streamed = {
    status,
    statusText: response.statusMessage ?? "",
    ok: status >= 200 && status < 300,
    redirected: false,
    url: "",
    headers,
    body,
    text,
    json: async () => JSON.parse(await text()) as unknown,
    arrayBuffer: async () => {
      const buffer = await bytes();
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    },
  };
  // Octokit reads only the members above (fetch-wrapper.js in @octokit/request).
  return streamed as unknown as Response;
}
