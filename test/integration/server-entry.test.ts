import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { privateKey } from "../helpers/probot.js";

/** A free loopback port (the server under test must be told one: Probot turns 0 into 3000). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const SECRETS = { WEBHOOK_SECRET: "whsec-e2e-5f2a9c", WG_MEETINGS_TICK_SECRET: "tick-secret-81d7c4e0" };

describe("the production entry (lib/server.js)", () => {
  it("serves /ping and the tick route, and never logs the tick's bearer secret or the keys", async ({ onTestFailed, onTestFinished }) => {
    const port = await freePort();
    // GitHub, as far as this test needs it: every call refused at once (a 4xx is not retried).
    const githubPaths: string[] = [];
    const github = createHttpServer((req, res) => {
      githubPaths.push(`${req.method} ${req.url}`);
      res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}');
    });
    await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
    const githubPort = (github.address() as { port: number }).port;
    const child = spawn(process.execPath, ["lib/server.js"], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        APP_ID: "123",
        PRIVATE_KEY: privateKey,
        ...SECRETS,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_FORMAT: "json",
        LOG_LEVEL: "info",
        GHE_HOST: `127.0.0.1:${githubPort}`,
        GHE_PROTOCOL: "http",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    // Also when the safety-net timeout ends the test: say what the server printed, stop it.
    onTestFailed(() => console.error(`lib/server.js printed:\n${output}`));
    onTestFinished(() => void child.kill("SIGKILL"));
    try {
      // Wait for the server to say it listens (or to exit), however long starting takes.
      await new Promise<void>((resolve, reject) => {
        const listening = () => output.includes("Listening on") && resolve();
        child.stdout.on("data", listening);
        child.stderr.on("data", listening);
        child.once("exit", () => reject(new Error(`server did not start:\n${output}`)));
        listening();
      });
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/ping`)).text()).toBe("PONG");
      const tick = await fetch(`${base}/wg-meetings/tick?dry-run=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRETS.WG_MEETINGS_TICK_SECRET}` },
      });
      expect(tick.status).toBe(500);
      expect((await fetch(`${base}/wg-meetings/tick`, { method: "POST" })).status).toBe(401);
      // A fan-out job (docs/deploy.md) runs that one installation: the server goes to GitHub for
      // it (which refuses here), and does not answer 501 (a route without the job's wiring).
      const asked = githubPaths.length;
      const job = await fetch(`${base}/wg-meetings/tick?installation=7&dry-run=1`, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRETS.WG_MEETINGS_TICK_SECRET}` },
      });
      await job.text();
      expect(job.status).not.toBe(501);
      expect(githubPaths.length).toBeGreaterThan(asked);
    } finally {
      // A server that already exited (it failed to start) has no exit event left to wait for.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await exited;
      }
      github.close();
    }

    expect(output).toContain('"authorization":"[redacted]"');
    expect(output).not.toContain(SECRETS.WG_MEETINGS_TICK_SECRET);
    expect(output).not.toContain(SECRETS.WEBHOOK_SECRET);
    expect(output).not.toContain(privateKey.split("\n")[1]!);
  });
});

/** Runs lib/server.js with `env` until it exits by itself; what it printed and its exit code. */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["lib/server.js"], {
    env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: String(await freePort()), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output };
}

describe("the production entry refuses unusable credentials by name, never printing the key", () => {
  it.each([
    ["a PRIVATE_KEY that is not a key", { APP_ID: "123", PRIVATE_KEY: "notakey-0f9e8d7c" }, /PRIVATE_KEY is not a PEM private key/],
    ["a PRIVATE_KEY_PATH that does not exist", { APP_ID: "123", PRIVATE_KEY_PATH: "/missing-wg-meetings.pem" }, /PRIVATE_KEY_PATH: file \/missing-wg-meetings\.pem does not exist/],
  ])("%s: exits 1 and says so", async (_name, env, message) => {
    const { code, output } = await runUntilExit({ ...env, WEBHOOK_SECRET: SECRETS.WEBHOOK_SECRET });
    expect(code).toBe(1);
    expect(output).toMatch(message);
    expect(output).not.toContain("privateKey option is required");
    expect(output).not.toContain("notakey-0f9e8d7c");
    expect(output).not.toContain(SECRETS.WEBHOOK_SECRET);
  });
});

describe("the production entry refuses to start open to forgery or to the network", () => {
  it("no WEBHOOK_SECRET (or a blank one): exits 1, since Probot would verify with its public default", async () => {
    for (const secret of [undefined, "  "]) {
      const env: Record<string, string> = { APP_ID: "123", PRIVATE_KEY: privateKey };
      if (secret !== undefined) env.WEBHOOK_SECRET = secret;
      const { code, output } = await runUntilExit(env);
      expect(code).toBe(1);
      expect(output).toMatch(/WEBHOOK_SECRET is not set/);
      expect(output).not.toContain("Listening on");
    }
  });

  it("Probot's public default secret in production: exits 1", async () => {
    const { code, output } = await runUntilExit({ APP_ID: "123", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "development", NODE_ENV: "production" });
    expect(code).toBe(1);
    expect(output).toMatch(/public default "development"/);
  });

  it("a key path that is a device: named, not read (it would never end)", async () => {
    const { code, output } = await runUntilExit({ APP_ID: "123", PRIVATE_KEY_PATH: "/dev/zero", WEBHOOK_SECRET: SECRETS.WEBHOOK_SECRET });
    expect(code).toBe(1);
    expect(output).toMatch(/PRIVATE_KEY_PATH: file \/dev\/zero is not a regular file/);
  });

  it("setup mode (no credentials) on a host other than loopback: exits 1 instead of serving the .env-writing pages", async () => {
    const { code, output } = await runUntilExit({ HOST: "0.0.0.0", NO_SMEE_SETUP: "true" });
    expect(code).toBe(1);
    expect(output).toMatch(/is not loopback: refusing to serve the registration pages/);
    expect(output).not.toContain("Listening on");
  });
});
