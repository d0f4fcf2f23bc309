import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The production entry (`node lib/server.js`) as a separate OS process: a replica, exactly as a
 * container runs it, with the environment it is given and nothing else.
 */
export interface ServerProcess {
  name: string;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every JSON line it wrote to stdout, parsed (pino, LOG_FORMAT=json), in order. */
  logs: Array<Record<string, any>>;
  /** Everything it wrote, stdout and stderr, as text. */
  output(): string;
  /** Asks it to stop (SIGINT: Probot closes its server), then kills it if it lingers; resolves once it is gone. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** A label for messages, e.g. "replica-1". */
  name: string;
  /** Absolute path of the entry, e.g. <repo>/lib/server.js. */
  entry: string;
  /** The whole environment (PATH is added); HOST and PORT are set here. */
  env: Record<string, string>;
  /** Safety net for start-up only (default 30 s). */
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
// Whatever happens to the test run, no replica outlives it.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A free loopback port: the server must be told one (Probot turns port 0 into 3000). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Starts the entry on a free loopback port and resolves once it listens. Its working directory is
 * a fresh temporary folder: Probot (and lib/server.js) read a `.env` from the working directory,
 * and one in the repository must not leak in. On a failed start the process is killed.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), `wg-meetings-${options.name}-`));
  const child = spawn(process.execPath, [options.entry], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...options.env, HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => {
    running.delete(child);
    rmSync(cwd, { recursive: true, force: true });
  });

  let text = "";
  let partial = "";
  const logs: Array<Record<string, any>> = [];
  child.stdout!.on("data", (chunk: Buffer) => {
    text += chunk;
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim().startsWith("{")) continue;
      try {
        logs.push(JSON.parse(line));
      } catch {
        // Not a log line (a stack trace, say): kept in output() only.
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill("SIGINT");
    const lingering = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(lingering);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (!logs.some((line) => typeof line.msg === "string" && line.msg.startsWith("Listening on"))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} did not start (exit ${child.exitCode}):\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { name: options.name, url: `http://127.0.0.1:${port}`, logs, output: () => text, stop };
}
