import { hasCalendarPart, parseDuration, timePartMs } from "../schedule/duration.js";
import { fanOutFromEnv, type FanOut } from "./fan-out.js";

/**
 * How long the App waits for the outside world, set by the operator in the environment:
 * nothing the App sends can hang a tick, and one slow installation cannot hold up the others.
 */
export interface RunLimits {
  /** One attempt of one GitHub request (WG_MEETINGS_GITHUB_TIMEOUT, default PT20S). */
  githubTimeoutMs: number;
  /** One installation's part of a tick (WG_MEETINGS_INSTALLATION_DEADLINE, default PT5M). */
  installationDeadlineMs: number;
  /** Installations a tick visits at the same time (WG_MEETINGS_TICK_CONCURRENCY, default 4). */
  tickConcurrency: number;
  /**
   * Where a full tick sends one job per installation instead of visiting them itself
   * (WG_MEETINGS_FANOUT_URL, see fan-out.ts); absent when unset.
   */
  fanOut?: FanOut;
}

export const RUN_LIMIT_ENV = {
  githubTimeout: "WG_MEETINGS_GITHUB_TIMEOUT",
  installationDeadline: "WG_MEETINGS_INSTALLATION_DEADLINE",
  tickConcurrency: "WG_MEETINGS_TICK_CONCURRENCY",
} as const;

export const DEFAULT_RUN_LIMITS: RunLimits = { githubTimeoutMs: 20_000, installationDeadlineMs: 5 * 60_000, tickConcurrency: 4 };

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Reads the limits; unset or empty means the default. Durations are ISO 8601 hours, minutes
 * and seconds, as WG_MEETINGS_TICK_INTERVAL: the GitHub timeout from PT1S to PT5M, the
 * installation deadline from PT10S to PT1H; the concurrency is a whole number from 1 to 32;
 * the fan-out as fanOutFromEnv reads it. Throws, naming the variable, on anything else: a typo
 * stops the server at start-up.
 */
export function runLimitsFromEnv(env: NodeJS.ProcessEnv): RunLimits {
  const fanOut = fanOutFromEnv(env);
  return {
    githubTimeoutMs: durationMs(env, RUN_LIMIT_ENV.githubTimeout, DEFAULT_RUN_LIMITS.githubTimeoutMs, SECOND, 5 * MINUTE),
    installationDeadlineMs: durationMs(env, RUN_LIMIT_ENV.installationDeadline, DEFAULT_RUN_LIMITS.installationDeadlineMs, 10 * SECOND, 60 * MINUTE),
    tickConcurrency: wholeNumber(env, RUN_LIMIT_ENV.tickConcurrency, DEFAULT_RUN_LIMITS.tickConcurrency, 1, 32),
    ...(fanOut ? { fanOut } : {}),
  };
}

function durationMs(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const invalid = () =>
    new Error(`${name}=${JSON.stringify(text.slice(0, 40))} is not valid: use an ISO 8601 duration from ${iso(min)} to ${iso(max)}, such as ${iso(fallback)} (the default)`);
  let ms: number;
  try {
    const duration = parseDuration(text.toUpperCase());
    if (hasCalendarPart(duration)) throw invalid();
    ms = timePartMs(duration);
  } catch {
    throw invalid();
  }
  if (ms < min || ms > max) throw invalid();
  return ms;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`${name}=${JSON.stringify(text.slice(0, 40))} is not valid: use a whole number from ${min} to ${max} (default ${fallback})`);
  }
  return value;
}

/** Milliseconds as the shortest ISO 8601 duration (whole seconds). */
function iso(ms: number): string {
  const seconds = Math.round(ms / SECOND);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${s}S` : ""}`;
}
