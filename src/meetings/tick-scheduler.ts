import type { Log } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { hasCalendarPart, parseDuration, timePartMs } from "../schedule/duration.js";
import type { TickTrigger } from "./tick-summary.js";

/** The variable that sets the server's own tick interval, or turns it off (`off`). */
export const TICK_INTERVAL_ENV = "WG_MEETINGS_TICK_INTERVAL";
/** The interval when the variable is unset or empty. */
export const DEFAULT_TICK_INTERVAL = "PT10M";
/** Every wait is the interval ±10%: replicas started together drift apart instead of ticking in step. */
export const INTERVAL_JITTER = 0.1;
/**
 * The first run comes between half and one and a half times this after start-up (or the
 * interval, if that is shorter): a new installation's meeting opens soon after a deploy, and a
 * rolling restart of many replicas does not make them all tick in the same second.
 */
export const FIRST_RUN_MS = 60_000;

const MIN_INTERVAL_MS = 1_000;
const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface TickInterval {
  /** The setting as written (or the default), for the start-up log line. */
  text: string;
  ms: number;
}

/**
 * Reads WG_MEETINGS_TICK_INTERVAL: unset or empty means every 10 minutes, `off` means no timer
 * (ticks come from outside: a CronJob, Cloud Scheduler, `wg-meetings tick`), anything else must
 * be an ISO 8601 duration of hours, minutes and seconds from PT1S to PT24H (`PT10M`, `PT30S`),
 * the same form as the config's `createBefore`. Throws, naming the variable, on any other value:
 * a typo must stop the server at start-up, not leave it silently never ticking.
 */
export function tickIntervalFromEnv(env: NodeJS.ProcessEnv): TickInterval | null {
  const text = env.WG_MEETINGS_TICK_INTERVAL?.trim() || DEFAULT_TICK_INTERVAL;
  if (text.toLowerCase() === "off") return null;
  const invalid = (why: string) =>
    new Error(
      `${TICK_INTERVAL_ENV}=${JSON.stringify(text.slice(0, 40))} is not valid: ${why}. ` +
        `Use an ISO 8601 duration from PT1S to PT24H, such as ${DEFAULT_TICK_INTERVAL} (the default) or PT30S, ` +
        `or "off" when something outside runs the tick`,
    );
  let duration;
  try {
    duration = parseDuration(text.toUpperCase());
  } catch {
    throw invalid("not an ISO 8601 duration");
  }
  if (hasCalendarPart(duration)) throw invalid("days, weeks, months and years are calendar lengths; write hours (PT24H)");
  const ms = timePartMs(duration);
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) throw invalid("out of range");
  return { text, ms };
}

/** The wait before the first run: FIRST_RUN_MS (or the interval, if shorter) × 0.5 to 1.5. */
export function firstRunDelayMs(intervalMs: number, random: () => number): number {
  return Math.round(Math.min(intervalMs, FIRST_RUN_MS) * (0.5 + random()));
}

/** The wait after a run has finished: the interval ±INTERVAL_JITTER. */
export function nextRunDelayMs(intervalMs: number, random: () => number): number {
  return Math.round(intervalMs * (1 - INTERVAL_JITTER + 2 * INTERVAL_JITTER * random()));
}

export interface Timers {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
}

export interface TickSchedulerOptions {
  intervalMs: number;
  /** One run. The next one is armed only once it has settled, so runs never overlap. */
  run(): Promise<unknown>;
  log: Log;
  /** In [0, 1), for the jitter (default Math.random). */
  random?: () => number;
  /** Default: the global timers, as they are when the scheduler starts. */
  timers?: Timers;
  /** Milliseconds on a monotonic clock, for a failed run's duration (default performance.now). */
  now?: () => number;
}

export interface TickScheduler {
  /** The wait before the first run, in ms. */
  readonly firstRunMs: number;
  /** Clears the pending timer. A run in flight finishes, and arms nothing after it. */
  stop(): void;
}

/**
 * Runs `run` shortly after start, then again an interval (±10%) after each run has finished.
 *
 * Chained rather than on a fixed beat: a run that outlasts the interval delays the next one
 * instead of overlapping it or queueing a burst behind it, and the wait between two runs stays
 * an interval however long the walk over the installations takes. A failed run is logged (one
 * `tick failed` line) and the next one is armed as usual. The timer is unref'd: it never keeps
 * a process alive on its own (a stopped server, a CLI, a test).
 */
export function startTickScheduler(options: TickSchedulerOptions): TickScheduler {
  const { intervalMs, log } = options;
  const random = options.random ?? Math.random;
  const timers = options.timers ?? { setTimeout, clearTimeout };
  const now = options.now ?? (() => performance.now());
  let handle: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const arm = (ms: number) => {
    handle = timers.setTimeout(() => void fire(), ms);
    if (typeof handle === "object" && handle && "unref" in handle) handle.unref();
  };
  const fire = async () => {
    handle = undefined;
    const started = now();
    try {
      await options.run();
    } catch (error) {
      log.error({ trigger: "interval", durationMs: Math.round(now() - started), err: describeError(error) }, "tick failed");
    }
    if (!stopped) arm(nextRunDelayMs(intervalMs, random));
  };

  const firstRunMs = firstRunDelayMs(intervalMs, random);
  arm(firstRunMs);
  return {
    firstRunMs,
    stop() {
      stopped = true;
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
    },
  };
}

/**
 * Starts the server's own tick as WG_MEETINGS_TICK_INTERVAL says (throws on a bad value) and
 * logs what it decided; null when the setting is `off`.
 */
export function startSelfTick(
  env: NodeJS.ProcessEnv,
  run: () => Promise<unknown>,
  log: Log,
  overrides: Pick<TickSchedulerOptions, "random" | "timers" | "now"> = {},
): TickScheduler | null {
  const interval = tickIntervalFromEnv(env);
  if (!interval) {
    log.info({ [TICK_INTERVAL_ENV]: "off" }, "self-tick off: the tick runs only when something outside calls it");
    return null;
  }
  const scheduler = startTickScheduler({ ...overrides, intervalMs: interval.ms, run, log });
  log.info(
    { interval: interval.text, jitter: INTERVAL_JITTER, firstRunMs: scheduler.firstRunMs },
    "self-tick on: the server runs the tick on an interval",
  );
  return scheduler;
}

/** The two ways into a full tick (every installation) that share one run per process. */
export interface TickGate<R> {
  /**
   * The interval's way: starts a run unless one is in flight, else logs one `tick skipped` line
   * and resolves to undefined. The running one covers the same ground, a moment earlier.
   */
  runUnlessBusy(trigger: TickTrigger): Promise<R | undefined>;
  /**
   * The tick route's way: the caller (a CronJob, curl) gets a report either way, so it joins a
   * run in flight instead of walking every installation a second time at once.
   */
  runOrJoin(trigger: TickTrigger): Promise<R>;
}

/**
 * One full tick at a time in this process. Only full, writing ticks go through it: a dry run
 * writes nothing and must report what it would do, and the installation, config-push and agenda
 * ticks are scoped to one installation or repository and carry a change that a full run in
 * flight may already have walked past; skipping or joining them would lose it until the next
 * interval. Overlapping with those is safe: the claim refs let one run open a meeting.
 */
export function createTickGate<R>(run: (trigger: TickTrigger) => Promise<R>, log: Log): TickGate<R> {
  let current: { trigger: TickTrigger; promise: Promise<R> } | undefined;
  const start = (trigger: TickTrigger): Promise<R> => {
    // An async wrapper turns a synchronous throw into a rejection, so `current` is always cleared.
    const promise = (async () => run(trigger))();
    current = { trigger, promise };
    const clear = () => {
      if (current?.promise === promise) current = undefined;
    };
    promise.then(clear, clear);
    return promise;
  };
  return {
    async runUnlessBusy(trigger) {
      if (current) {
        log.info({ trigger, running: current.trigger }, "tick skipped: a tick is still running in this process");
        return undefined;
      }
      return start(trigger);
    },
    runOrJoin(trigger) {
      if (current) {
        log.info({ trigger, running: current.trigger }, "tick joined: a tick is already running in this process");
        return current.promise;
      }
      return start(trigger);
    },
  };
}
