import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadChat } from "../../../src/chat/load-chat.js";
import { chatEnv, chatError, recordedSleeps, SLACK_SECRET } from "./fixtures.js";

/**
 * The same paths through Node's real fetch (undici) and a real socket, not an interceptor:
 * WG_MEETINGS_CHAT_ROOT_URL sends the requests to a loopback server the test starts.
 */
const servers: Server[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ root: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const SLACK_PATH = `/services/T0ACME123/B0WGBOT45/${SLACK_SECRET}`;

describe("chat posts over a real socket", () => {
  it("a redirect is answered, not followed: the Location is never requested", async () => {
    const elsewhere = await serve((_, res) => res.end("ok"));
    const hook = await serve((_, res) => {
      res.writeHead(307, { location: `${elsewhere.root}/collect` });
      res.end();
    });
    const error = await chatError(loadChat({ ...chatEnv(), WG_MEETINGS_CHAT_ROOT_URL: hook.root })!.send("acme-slack", "acme", { text: "hi" }));
    expect([error.kind, error.status]).toEqual(["failed", 307]);
    expect(hook.requests).toEqual([`POST ${SLACK_PATH}`]);
    expect(elsewhere.requests).toEqual([]);
  });

  it("a server that never answers is given up on after the timeout", async () => {
    const hook = await serve(() => {
      // Never answers.
    });
    const error = await chatError(loadChat({ ...chatEnv(), WG_MEETINGS_CHAT_ROOT_URL: hook.root }, { timeoutMs: 200 })!.send("acme-slack", "acme", { text: "hi" }));
    expect([error.kind, error.mayHavePosted]).toEqual(["unavailable", true]);
    expect(error.message).toBe(`Slack did not answer within 200 ms for chat destination "acme-slack"; the next run tries again`);
    expect(hook.requests).toHaveLength(1);
  });

  it("an endless answer body is read only up to its bound", async () => {
    let written = 0;
    const hook = await serve((_, res) => {
      res.writeHead(400, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "x");
      // Writes as long as the client reads; stops when the client goes away.
      const pump = (): void => {
        while (!res.destroyed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const error = await chatError(loadChat({ ...chatEnv(), WG_MEETINGS_CHAT_ROOT_URL: hook.root }, recordedSleeps())!.send("acme-slack", "acme", { text: "hi" }));
    expect([error.kind, error.status]).toEqual(["rejected", 400]);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("a refused connection is tried again (nothing can have been posted), then `unavailable`", async () => {
    const hook = await serve(() => undefined);
    const root = hook.root;
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const { sleep, waits } = recordedSleeps();
    const error = await chatError(loadChat({ ...chatEnv(), WG_MEETINGS_CHAT_ROOT_URL: root }, { sleep })!.send("acme-slack", "acme", { text: "hi" }));
    expect([error.kind, error.mayHavePosted]).toEqual(["unavailable", false]);
    expect(waits).toEqual([1000, 2000]);
  });
});
