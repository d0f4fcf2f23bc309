import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { pino } from "pino";
import Bottleneck from "bottleneck";
import { Probot, ProbotOctokit } from "probot";
import wgMeetings from "../../src/index.js";
import { withRequestPolicy } from "../../src/github/octokit-class.js";

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
 * form: Probot 14 ignores the object form and every write would wait about a second). The
 * App's request policy (creates sent once, timeouts) is on, as everywhere the App runs.
 */
export async function createTestProbot(options: { appId?: number } = {}) {
  const logger = memoryLogger();
  const probot = new Probot({
    appId: options.appId ?? 123,
    privateKey,
    log: logger.log,
    Octokit: withRequestPolicy(
      ProbotOctokit.defaults((instanceOptions: object) => ({
        ...instanceOptions,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
    ),
  });
  await probot.load(wgMeetings);
  return { probot, logs: logger.lines, rawLogs: logger.raw };
}

/**
 * The Octokit class of production (server.ts): Probot's retry and throttling plugins with
 * the options Probot gives them, and the App's request policy. Only the waits are shortened,
 * so a test takes milliseconds: the retry plugin's backoff (`retryAfterBaseValue`, 1 s per
 * unit in production) and the throttling plugin's spacing of writes (1 s, and 3 s for
 * requests that notify) and its rate-limit waits. What is retried, and how often, is unchanged.
 */
export const ProductionLikeOctokit = withRequestPolicy(
  ProbotOctokit.defaults((instanceOptions: { retry?: object; throttle?: object }) => ({
    ...instanceOptions,
    retry: { ...instanceOptions.retry, retryAfterBaseValue: 1 },
    throttle: {
      ...instanceOptions.throttle,
      retryAfterBaseValue: 1,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      search: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    },
  })),
);

/** Like {@link createTestProbot}, with Octokit's retry and throttling on as in production ({@link ProductionLikeOctokit}). */
export async function createProductionLikeProbot(options: { appId?: number } = {}) {
  const logger = memoryLogger();
  const probot = new Probot({ appId: options.appId ?? 123, privateKey, log: logger.log, Octokit: ProductionLikeOctokit });
  await probot.load(wgMeetings);
  return { probot, logs: logger.lines, rawLogs: logger.raw };
}
