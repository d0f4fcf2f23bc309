import { deflateSync, gzipSync } from "node:zlib";
import { RequestError } from "@octokit/request-error";
import { Octokit } from "@octokit/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { streamingFetch } from "../../../src/github/streaming-fetch.js";
import { readBody, serveLoopback as serve } from "../../helpers/loopback-server.js";


/** About 300 KB of JSON, several chunks on the wire whatever the encoding. */
const PAYLOAD = Buffer.from(JSON.stringify({ repositories: Array.from({ length: 1500 }, (_, i) => ({ full_name: `acme/r${i}`, description: "d".repeat(150) })) }));

describe("streamingFetch", () => {
  it("a gzip, a deflate and an identity answer come out of `body` as the same bytes", async () => {
    const server = await serve((req, res) => {
      const encoding = req.url!.slice(1);
      const bytes = encoding === "gzip" ? gzipSync(PAYLOAD) : encoding === "deflate" ? deflateSync(PAYLOAD) : PAYLOAD;
      res.writeHead(200, { "content-type": "application/json", "content-length": bytes.length, ...(encoding === "identity" ? {} : { "content-encoding": encoding }) });
      res.end(bytes);
    });
    for (const encoding of ["gzip", "deflate", "identity"]) {
      const response = await streamingFetch(`${server.url}/${encoding}`);
      expect(response.status).toBe(200);
      expect(response.ok).toBe(true);
      // The decompressed body no longer has the encoding or the length of the bytes sent.
      expect(response.headers.get("content-encoding")).toBeNull();
      if (encoding !== "identity") expect(response.headers.get("content-length")).toBeNull();
      const body = await readBody(response);
      expect(body.equals(PAYLOAD)).toBe(true);
    }
    expect(server.seen.map((request) => request.url)).toEqual(["/gzip", "/deflate", "/identity"]);
  });

  it("asks for gzip or deflate unless the caller named an encoding, and sends the caller's headers as given", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const headers = { authorization: "token ghs_secret", "user-agent": "wg-meetings-test/1.0", accept: "application/vnd.github+json" };
    await readBody(await streamingFetch(`${server.url}/repos?per_page=100`, { headers }));
    await readBody(await streamingFetch(`${server.url}/plain`, { headers: { "Accept-Encoding": "identity" } }));

    const [first, second] = server.seen;
    expect(first).toMatchObject({ method: "GET", url: "/repos?per_page=100" });
    expect(first!.headers).toMatchObject({ ...headers, "accept-encoding": "gzip, deflate" });
    expect(second!.headers["accept-encoding"]).toBe("identity");
  });

  it("reads an error answer with text() and json(), and Octokit turns it into a RequestError with GitHub's message", async () => {
    const notFound = { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
    const server = await serve((_req, res) => {
      const bytes = gzipSync(JSON.stringify(notFound));
      res.writeHead(404, { "content-type": "application/json; charset=utf-8", "content-encoding": "gzip" });
      res.end(bytes);
    });
    const asText = await streamingFetch(`${server.url}/a`);
    expect(asText.ok).toBe(false);
    expect(asText.status).toBe(404);
    expect(asText.statusText).toBe("Not Found");
    expect(await asText.text()).toBe(JSON.stringify(notFound));
    expect(await (await streamingFetch(`${server.url}/b`)).json()).toEqual(notFound);

    const octokit = new Octokit({ baseUrl: server.url, request: { fetch: streamingFetch } });
    const error = await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "gone" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ status: 404, message: "Not Found - https://docs.github.com/rest", response: { data: notFound } });
    expect(server.seen.at(-1)).toMatchObject({ method: "GET", url: "/repos/acme/gone" });
  });

  it("refuses to read an answer over 1 MB through text()", async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, "x");
    const server = await serve((_req, res) => {
      res.writeHead(500, { "content-type": "text/plain", "content-length": big.length });
      res.end(big);
    });
    const response = await streamingFetch(server.url);
    await expect(response.text()).rejects.toThrow(/larger than 1048576 bytes/);
    const again = await streamingFetch(server.url);
    await expect(again.arrayBuffer()).rejects.toBeInstanceOf(RangeError);
  });

  it("reads an answer of exactly 1 MB through text()", async () => {
    const limit = Buffer.alloc(1024 * 1024, "y");
    const server = await serve((_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(limit)));
    const response = await streamingFetch(server.url);
    expect((await response.text()).length).toBe(limit.length);
  });

  it("refuses a request other than GET before anything is sent", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    await expect(streamingFetch(`${server.url}/issues`, { method: "POST", body: "{}" })).rejects.toThrow(/GET requests only, not POST/);
    await expect(streamingFetch(`${server.url}/issues`, { method: "delete" })).rejects.toThrow(/not DELETE/);
    // A GET sent afterwards is the only request the server ever saw.
    await readBody(await streamingFetch(`${server.url}/after`));
    expect(server.seen.map((request) => `${request.method} ${request.url}`)).toEqual(["GET /after"]);
  });

  it("refuses a protocol other than http and https", async () => {
    await expect(streamingFetch("file:///etc/passwd")).rejects.toThrow(/unsupported protocol file:/);
  });

  it("rejects an answer in an encoding it cannot read (br), and the connection is closed", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "br", "content-type": "application/json" });
      res.write("\x0b\x02\x80");
    });
    await expect(streamingFetch(server.url)).rejects.toThrow(/unsupported content-encoding br/);
    await server.seen[0]!.closed;
  });

  it("a 304 and a 204 have no body to trip on: empty text, a body that ends, Octokit's usual answers", async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.url!.startsWith("/not-modified") ? 304 : 204, { etag: '"abc"' });
      res.end();
    });
    const notModified = await streamingFetch(`${server.url}/not-modified`);
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe('"abc"');
    expect(await notModified.text()).toBe("");
    const noContent = await streamingFetch(`${server.url}/no-content`);
    expect(noContent.status).toBe(204);
    expect((await readBody(noContent)).length).toBe(0);

    const octokit = new Octokit({ baseUrl: server.url, request: { fetch: streamingFetch } });
    await expect(octokit.request("GET /not-modified")).rejects.toMatchObject({ name: "HttpError", status: 304 });
    await expect(octokit.request("GET /no-content")).resolves.toMatchObject({ status: 204, data: "" });
  });

  it("hands a redirect back instead of following it", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/moved") res.writeHead(302, { location: "/elsewhere" }).end();
      else res.end("{}");
    });
    const response = await streamingFetch(`${server.url}/moved`);
    expect(response.status).toBe(302);
    expect(response.ok).toBe(false);
    expect(response.redirected).toBe(false);
    expect(response.headers.get("location")).toBe("/elsewhere");
    await readBody(response);
    expect(server.seen.map((request) => request.url)).toEqual(["/moved"]);
  });

  it("rejects with the signal's reason when it aborts before the answer, and closes the connection", async () => {
    const server = await serve(() => {}); // never answers
    const controller = new AbortController();
    const reason = new DOMException("The operation timed out.", "TimeoutError");
    const pending = streamingFetch(server.url, { signal: controller.signal });
    const arrived = await server.arrived();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await arrived.closed;
  });

  it("rejects with the reason of a signal aborted before it is called, sending nothing", async () => {
    const server = await serve((_req, res) => res.end("{}"));
    const reason = new DOMException("The operation timed out.", "TimeoutError");
    await expect(streamingFetch(server.url, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await readBody(await streamingFetch(`${server.url}/after`));
    expect(server.seen.map((request) => request.url)).toEqual(["/after"]);
  });

  for (const encoding of ["identity", "gzip"] as const) {
    it(`a signal aborted while the body is read (${encoding}) makes the reader throw its reason, and the connection is closed`, async () => {
      const bytes = encoding === "gzip" ? gzipSync(PAYLOAD) : PAYLOAD;
      const server = await serve((_req, res) => {
        res.writeHead(200, { "content-length": bytes.length, ...(encoding === "gzip" ? { "content-encoding": "gzip" } : {}) });
        res.write(bytes.subarray(0, bytes.length >> 1)); // half, then nothing more
      });
      const controller = new AbortController();
      const reason = new DOMException("The operation timed out.", "TimeoutError");
      const response = await streamingFetch(server.url, { signal: controller.signal });
      const read = (async () => {
        let received = 0;
        for await (const chunk of response.body as unknown as AsyncIterable<Buffer>) {
          received += chunk.length;
          if (!controller.signal.aborted) controller.abort(reason); // after the first chunk came
        }
        return received;
      })();
      await expect(read).rejects.toBe(reason);
      await server.seen[0]!.closed;
    });
  }

  it("a gzip body cut short by the server closing the connection makes the reader throw, never a short body", async () => {
    const bytes = gzipSync(PAYLOAD);
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" }); // chunked
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
    });
    const response = await streamingFetch(server.url);
    await expect(readBody(response)).rejects.toThrow();
  });

  it("a gzip stream that ends early inside a complete HTTP answer makes the reader throw", async () => {
    const bytes = gzipSync(PAYLOAD);
    const cut = bytes.subarray(0, bytes.length >> 1);
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-length": cut.length });
      res.end(cut);
    });
    const response = await streamingFetch(server.url);
    await expect(readBody(response)).rejects.toThrow(/unexpected end of file/);
  });

  it("a gzip body that breaks before anyone reads it is kept for its reader, not thrown at the process", async () => {
    const whole = gzipSync(JSON.stringify({ repositories: [{ full_name: "acme/a" }] }));
    const cut = whole.subarray(0, whole.length - 6);
    const server = await serve((_req, res) => res.writeHead(200, { "content-encoding": "gzip", "content-length": cut.length }).end(cut));
    const uncaught: unknown[] = [];
    let thrown = () => {};
    const onUncaught = (error: unknown) => {
      uncaught.push(error);
      thrown();
    };
    process.on("uncaughtException", onUncaught);
    onTestFinished(() => void process.off("uncaughtException", onUncaught));

    const response = await streamingFetch(server.url);
    // Not read yet (as when Octokit's hooks are still running): the small body is decompressed
    // whole, and the gzip stream breaks, before the reader starts. An error nobody listens for
    // is thrown at the process instead of the stream closing.
    const body = response.body as unknown as NodeJS.ReadableStream;
    await new Promise<void>((resolve) => {
      body.once("close", () => resolve());
      thrown = resolve;
    });

    expect(uncaught).toEqual([]);
    await expect(readBody(response)).rejects.toThrow(/unexpected end of file/);
  });

  it("an identity body shorter than its content-length makes the reader throw", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": PAYLOAD.length });
      res.write(PAYLOAD.subarray(0, PAYLOAD.length >> 1), () => res.socket?.destroy());
    });
    const response = await streamingFetch(server.url);
    await expect(readBody(response)).rejects.toThrow();
  });
});
