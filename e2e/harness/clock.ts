/**
 * Moves this process's wall clock forward, for everyone in it at once: the App (its tick picks
 * the next meeting by `new Date()`), emulate, the front server and the Google stand-in all run
 * in the demo's process, so tokens, signatures and timestamps stay consistent with each other.
 * Only `Date` moves (`new Date()`, `Date.now()`, `Date()`); timers and `performance.now()` keep
 * real time. Used by the demo to show the next meeting without waiting a day. Code that keeps
 * a reference to `Date.now` (say `options.now ?? Date.now`) keeps real time if it took it before
 * the first advance: a test that moves the clock under such code calls `advanceClock(0)` first.
 */
const RealDate = Date;
let offset = 0;
let installed = false;

/** Advances `Date` by `ms` milliseconds from now on (cumulative). */
export function advanceClock(ms: number): void {
  offset += ms;
  if (installed) return;
  installed = true;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      return Reflect.construct(target, args.length === 0 ? [target.now() + offset] : args, newTarget);
    },
    apply(target) {
      return new target(target.now() + offset).toString();
    },
    get(target, property, receiver) {
      if (property === "now") return () => target.now() + offset;
      return Reflect.get(target, property, receiver);
    },
  });
}

/** Puts `Date` back to real time (the process's clock as it was before any advance). */
export function resetClock(): void {
  offset = 0;
  if (!installed) return;
  installed = false;
  globalThis.Date = RealDate;
}
