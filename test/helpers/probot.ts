import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import wgMeetings from "../../src/index.js";

export const privateKey = readFileSync(new URL("../fixtures/mock-cert.pem", import.meta.url), "utf8");

/** Log lines a test can inspect (parsed pino JSON). */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** A logger that keeps every line in memory, for tests that assert on decisions or scan for secrets. */
export function memoryLogger() {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      const text = chunk.toString();
      raw.push(text);
      for (const line of text.split("\n")) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: pino({ level: "debug" }, stream), lines, raw };
}

/**
 * A Probot instance running the real app, with retries and throttling off (the function
 * form: Probot 14 ignores the object form and every write would wait about a second).
 */
export async function createTestProbot(options: { appId?: number } = {}) {
  const logger = memoryLogger();
  const probot = new Probot({
    appId: options.appId ?? 123,
    privateKey,
    log: logger.log,
    Octokit: ProbotOctokit.defaults((instanceOptions: object) => ({
      ...instanceOptions,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load(wgMeetings);
  return { probot, logs: logger.lines, rawLogs: logger.raw };
}
