import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createTickGate,
  firstRunDelayMs,
  nextRunDelayMs,
  startSelfTick,
  startTickScheduler,
  tickIntervalFromEnv,
  type TickScheduler,
} from "../../../src/meetings/tick-scheduler.js";
import { summarizeTick } from "../../../src/meetings/tick-summary.js";
import type { TickReport } from "../../../src/meetings/tick.js";

/** A Log that keeps every line, for asserting what the scheduler says and how often. */
function recordingLog() {
  const lines: Array<{ level: string; msg: string } & Record<string, unknown>> = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ ...obj, level, msg });
  return { log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

/** A promise the test settles by hand: a run that lasts exactly as long as the test wants. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Random numbers from a list, then the last one forever: jitter the test can predict. */
function sequence(...values: number[]) {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

const MINUTE = 60_000;
const INTERVAL = 10 * MINUTE;

describe("tickIntervalFromEnv (WG_MEETINGS_TICK_INTERVAL)", () => {
  it.each([
    [undefined, { text: "PT10M", ms: INTERVAL }],
    ["", { text: "PT10M", ms: INTERVAL }],
    ["   ", { text: "PT10M", ms: INTERVAL }],
    ["PT5M", { text: "PT5M", ms: 5 * MINUTE }],
    ["pt30s", { text: "pt30s", ms: 30_000 }],
    ["PT1S", { text: "PT1S", ms: 1_000 }],
    ["PT1H30M", { text: "PT1H30M", ms: 90 * MINUTE }],
    ["PT24H", { text: "PT24H", ms: 24 * 60 * MINUTE }],
    ["off", null],
    [" OFF ", null],
  ])("%j → %j", (value, expected) => {
    expect(tickIntervalFromEnv(value === undefined ? {} : { WG_MEETINGS_TICK_INTERVAL: value })).toEqual(expected);
  });

  it.each(["5m", "300", "0", "PT0S", "P1D", "PT0.5S", "PT25H", "-PT5M", "PT", "false", "none", "10 minutes"])(
    "%j stops start-up with a message naming the variable and the forms it takes",
    (value) => {
      expect(() => tickIntervalFromEnv({ WG_MEETINGS_TICK_INTERVAL: value })).toThrow(
        new RegExp(`^WG_MEETINGS_TICK_INTERVAL=${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid: .*PT10M.*"off"`),
      );
    },
  );

  it("never echoes more than 40 characters of a bad value", () => {
    expect(() => tickIntervalFromEnv({ WG_MEETINGS_TICK_INTERVAL: `x${"y".repeat(500)}` })).toThrow(/^WG_MEETINGS_TICK_INTERVAL="xy{39}" is not valid/);
  });
});

describe("jitter", () => {
  it.each([0, 0.25, 0.5, 0.999999])("random %f: the first run comes 30–90 s after start, a later one 9–11 minutes after the last", (r) => {
    const first = firstRunDelayMs(INTERVAL, () => r);
    expect(first).toBe(Math.round(MINUTE * (0.5 + r)));
    expect(first).toBeGreaterThanOrEqual(30_000);
    expect(first).toBeLessThanOrEqual(90_000);
    const next = nextRunDelayMs(INTERVAL, () => r);
    expect(next).toBe(Math.round(INTERVAL * (0.9 + 0.2 * r)));
    expect(next).toBeGreaterThanOrEqual(9 * MINUTE);
    expect(next).toBeLessThanOrEqual(11 * MINUTE);
  });

  it("an interval shorter than a minute starts within half to one and a half intervals", () => {
    expect(firstRunDelayMs(2_000, () => 0)).toBe(1_000);
    expect(firstRunDelayMs(2_000, () => 0.999999)).toBe(3_000);
  });
});

describe("startTickScheduler (fake timers)", () => {
  let scheduler: TickScheduler | null = null;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    scheduler?.stop();
    scheduler = null;
    vi.useRealTimers();
  });

  it("fires shortly after start, then an interval ±10% after each run, with the injected jitter", async () => {
    const { log } = recordingLog();
    const start = Date.now();
    const at: number[] = [];
    // first run: 0.5 + 0.2 → 42 s; then waits of 0.9, 1.1 and 1.0 intervals.
    scheduler = startTickScheduler({ intervalMs: INTERVAL, log, random: sequence(0.2, 0, 0.999999, 0.5), run: async () => void at.push(Date.now() - start) });
    expect(scheduler.firstRunMs).toBe(42_000);

    await vi.advanceTimersByTimeAsync(41_999);
    expect(at).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(at).toEqual([42_000]);
    await vi.advanceTimersByTimeAsync(42_000 + 540_000 + 660_000 + 600_000 - Date.now() + start);
    expect(at).toEqual([42_000, 42_000 + 540_000, 42_000 + 540_000 + 660_000, 42_000 + 540_000 + 660_000 + 600_000]);
    // Every wait stays inside the jitter's bounds.
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(0.9 * INTERVAL);
      expect(gap).toBeLessThanOrEqual(1.1 * INTERVAL);
    }
  });

  it("never overlaps: a run that outlasts the interval delays the next one, and no burst follows it", async () => {
    const { log } = recordingLog();
    const runs: Array<ReturnType<typeof deferred<void>>> = [];
    let active = 0;
    let maxActive = 0;
    scheduler = startTickScheduler({
      intervalMs: INTERVAL,
      log,
      random: () => 0.5,
      run: async () => {
        const run = deferred();
        runs.push(run);
        maxActive = Math.max(maxActive, ++active);
        await run.promise.finally(() => active--);
      },
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(1);
    // The run takes 35 minutes: three and a half intervals pass with nothing new started.
    await vi.advanceTimersByTimeAsync(35 * MINUTE);
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    // One interval after it finished, exactly one more run (not one per missed interval).
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    runs[1]!.resolve();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(runs).toHaveLength(3);
    expect(maxActive).toBe(1);
    expect(vi.getTimerCount()).toBe(0); // run 3 is in flight; nothing else is armed meanwhile
  });

  it("a failed run is logged in one line and does not stop later runs (rejected or thrown)", async () => {
    const { log, lines } = recordingLog();
    let calls = 0;
    scheduler = startTickScheduler({
      intervalMs: INTERVAL,
      log,
      random: () => 0,
      // The faked clock: a failed run's duration does not depend on how fast the machine is.
      now: () => Date.now(),
      run: () => {
        calls++;
        if (calls === 1) return Promise.reject(new Error("GitHub is down"));
        if (calls === 2) throw new Error("thrown before any await");
        return Promise.resolve();
      },
    });
    await vi.advanceTimersByTimeAsync(30_000 + 3 * 0.9 * INTERVAL);
    expect(calls).toBe(4);
    expect(lines).toEqual([
      { level: "error", msg: "tick failed", trigger: "interval", durationMs: 0, err: "GitHub is down" },
      { level: "error", msg: "tick failed", trigger: "interval", durationMs: 0, err: "thrown before any await" },
    ]);
  });

  it("adds no line of its own for a run that succeeded: the run's summary is the one line per run", async () => {
    const { log, lines } = recordingLog();
    let runs = 0;
    scheduler = startTickScheduler({
      intervalMs: INTERVAL,
      log,
      random: () => 0,
      run: async () => log.info({ run: ++runs }, "tick finished"),
    });
    await vi.advanceTimersByTimeAsync(30_000 + 4 * 0.9 * INTERVAL);
    expect(lines.map((line) => `${line.msg} ${line.run}`)).toEqual(["tick finished 1", "tick finished 2", "tick finished 3", "tick finished 4", "tick finished 5"]);
  });

  it("its timer is unref'd: it never keeps a process alive on its own", () => {
    const { log } = recordingLog();
    const handles: Array<ReturnType<typeof setTimeout>> = [];
    scheduler = startTickScheduler({
      intervalMs: INTERVAL,
      log,
      run: async () => {},
      timers: {
        setTimeout: ((callback: () => void, ms: number) => {
          const handle = setTimeout(callback, ms);
          handles.push(handle);
          return handle;
        }) as typeof setTimeout,
        clearTimeout,
      },
    });
    expect(handles).toHaveLength(1);
    expect(handles[0]!.hasRef()).toBe(false);
  });

  it("stop() clears the pending timer, and a run in flight arms nothing after it", async () => {
    const { log } = recordingLog();
    const run = deferred();
    let calls = 0;
    scheduler = startTickScheduler({ intervalMs: INTERVAL, log, random: () => 0, run: () => (calls++, run.promise) });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toBe(1);
    scheduler.stop();
    run.resolve();
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(calls).toBe(1);
    expect(vi.getTimerCount()).toBe(0);

    const idle = startTickScheduler({ intervalMs: INTERVAL, log, run: async () => void calls++ });
    expect(vi.getTimerCount()).toBe(1);
    idle.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("startSelfTick (fake timers)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("off: no timer at all, and one line saying where ticks come from", () => {
    const { log, lines } = recordingLog();
    const run = vi.fn(async () => {});
    expect(startSelfTick({ WG_MEETINGS_TICK_INTERVAL: "off" }, run, log)).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    expect(lines).toEqual([expect.objectContaining({ level: "info", msg: expect.stringMatching(/^self-tick off/) })]);
  });

  it("unset: every 10 minutes, and it says so with the first run's delay", async () => {
    const { log, lines } = recordingLog();
    const run = vi.fn(async () => {});
    const scheduler = startSelfTick({}, run, log, { random: () => 0.5 })!;
    expect(vi.getTimerCount()).toBe(1);
    expect(lines).toEqual([{ level: "info", msg: "self-tick on: the server runs the tick on an interval", interval: "PT10M", jitter: 0.1, firstRunMs: 60_000 }]);
    await vi.advanceTimersByTimeAsync(60_000 + INTERVAL);
    expect(run).toHaveBeenCalledTimes(2);
    scheduler.stop();
  });

  it("a bad value throws before any timer exists", () => {
    const { log } = recordingLog();
    expect(() => startSelfTick({ WG_MEETINGS_TICK_INTERVAL: "5m" }, async () => {}, log)).toThrow(/WG_MEETINGS_TICK_INTERVAL="5m" is not valid/);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("createTickGate", () => {
  it("the interval skips while a tick runs (one line); the route joins the tick in flight", async () => {
    const { log, lines } = recordingLog();
    const run = deferred<string>();
    const triggers: string[] = [];
    const gate = createTickGate((trigger) => (triggers.push(trigger), run.promise), log);

    const byRoute = gate.runOrJoin("route");
    const skipped = gate.runUnlessBusy("interval");
    const joined = gate.runOrJoin("route");
    expect(await skipped).toBeUndefined();
    run.resolve("the report");
    expect(await byRoute).toBe("the report");
    expect(await joined).toBe("the report");
    expect(triggers).toEqual(["route"]);
    expect(lines).toEqual([
      { level: "info", msg: "tick skipped: a tick is still running in this process", trigger: "interval", running: "route" },
      { level: "info", msg: "tick joined: a tick is already running in this process", trigger: "route", running: "route" },
    ]);

    // Settled: the next caller starts a run of its own.
    await gate.runUnlessBusy("interval");
    expect(triggers).toEqual(["route", "interval"]);
  });

  it("a failed or throwing run frees the gate for the next caller", async () => {
    const { log } = recordingLog();
    let calls = 0;
    const gate = createTickGate<string>((): Promise<string> => {
      calls++;
      if (calls === 1) return Promise.reject(new Error("GitHub is down"));
      if (calls === 2) throw new Error("thrown before any await");
      return Promise.resolve("ok");
    }, log);
    await expect(gate.runOrJoin("route")).rejects.toThrow("GitHub is down");
    await expect(gate.runUnlessBusy("interval")).rejects.toThrow("thrown before any await");
    expect(await gate.runOrJoin("route")).toBe("ok");
    expect(calls).toBe(3);
  });
});

describe("summarizeTick: the one line each run logs", () => {
  it("counts every outcome, doc, agenda and alarm, and carries no text from the report", () => {
    const linked = (created: boolean) => ({ status: "linked" as const, docId: "d", url: "https://docs.google.com/document/d/d/edit", created });
    const report: TickReport = {
      now: "2026-12-02T17:00:00.000Z",
      dryRun: false,
      installations: 2,
      suspendedInstallations: 1,
      repositories: 5,
      configured: 3,
      series: [
        { repository: "acme/a", series: "s1", outcome: { action: "created", number: 1, url: "https://github.com/acme/a/issues/1", closedPrevious: [], doc: linked(true) } },
        { repository: "acme/a", series: "s2", outcome: { action: "exists", number: 2, url: "https://github.com/acme/a/issues/2", doc: linked(false), agenda: "updated" } },
        { repository: "acme/b", series: "s3", outcome: { action: "exists", number: 3, url: "https://github.com/acme/b/issues/3", doc: { status: "failed", reason: "Google said no" }, agenda: "unchanged" } },
        { repository: "acme/b", series: "s4", outcome: { action: "claimed-elsewhere", reason: "another run holds the claim" } },
        { repository: "acme/c", series: "s5", outcome: { action: "not-due", next: null, opensAt: null } },
        { repository: "acme/c", series: "s6", outcome: { action: "failed", error: "500: secret-looking text" } },
      ],
      invalidConfigs: [{ repository: "acme/d", errors: [] }],
      alarms: [
        { repository: "acme/c", scope: "series", series: "s6", action: "opened", number: 9 },
        { repository: "acme/d", scope: "config", action: "reopened", number: 8 },
        { repository: "acme/a", scope: "config", action: "closed", number: 7 },
        { repository: "acme/b", scope: "config", action: "updated", number: 6 },
        { repository: "acme/e", scope: "config", action: "failed", error: "403" },
        { repository: "acme/f", scope: "config", action: "unchanged", number: 5 },
      ],
      errors: [{ scope: "acme/e", error: "404: Not Found" }],
    };
    const summary = summarizeTick(report, 1234.4, "interval");
    expect(summary).toEqual({
      trigger: "interval",
      dryRun: false,
      durationMs: 1234,
      installations: 2,
      suspended: 1,
      repositories: 5,
      configured: 3,
      invalidConfigs: 1,
      series: 6,
      created: 1,
      exists: 2,
      claimedElsewhere: 1,
      notDue: 1,
      wouldCreate: 0,
      failed: 1,
      docsCreated: 1,
      docsFailed: 1,
      agendasUpdated: 1,
      alarmsRaised: 2,
      alarmsUpdated: 1,
      alarmsClosed: 1,
      alarmsFailed: 1,
      errors: 1,
    });
    // Numbers and the trigger only: no title, URL, repository or error text reaches the line.
    expect(Object.values(summary).every((value) => typeof value === "number" || typeof value === "boolean" || value === "interval")).toBe(true);
    expect(summarizeTick({ ...report, series: [], alarms: [], errors: [], invalidConfigs: [] }, 0)).not.toHaveProperty("trigger");
  });
});
