/**
 * Coalesces bursts of agenda-changing events (ten labels in a minute) into one run per
 * installation: a run starts once events have stopped for `quietMs`, or at the latest
 * `maxWaitMs` after the first of them. This is an optimisation only: the tick refreshes every
 * open meeting's agenda anyway, so a run lost with its process is repaired by the next tick.
 */
export interface RefreshQueueOptions {
  quietMs: number;
  maxWaitMs: number;
  run: (installationId: number) => Promise<void>;
  onError: (installationId: number, error: unknown) => void;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

interface Pending {
  first: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Every run started in this process and not finished yet, whichever queue started it. The App
 * keeps its queue to itself; tests drive the quiet period with fake timers and then await
 * {@link RefreshQueue.idle} instead of waiting for real time to pass.
 */
const inFlight = new Set<Promise<void>>();

export class RefreshQueue {
  readonly #options: RefreshQueueOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #running = new Map<number, Promise<void>>();

  constructor(options: RefreshQueueOptions) {
    this.#options = options;
  }

  /** Notes an event for an installation; (re)starts its quiet period. */
  push(installationId: number, now = Date.now()): void {
    const timers = this.#options.timers ?? { setTimeout, clearTimeout };
    const pending = this.#pending.get(installationId);
    if (pending) timers.clearTimeout(pending.timer);
    const first = pending?.first ?? now;
    const wait = Math.max(0, Math.min(this.#options.quietMs, first + this.#options.maxWaitMs - now));
    const timer = timers.setTimeout(() => this.#fire(installationId), wait);
    // A pending refresh must not keep a process (a CLI, a test) alive.
    if (typeof timer === "object" && timer && "unref" in timer) timer.unref();
    this.#pending.set(installationId, { first, timer });
  }

  /** Runs that are due or in flight, for tests and graceful shutdown. */
  async drain(): Promise<void> {
    await Promise.all(this.#running.values());
  }

  /**
   * Resolves once no run of any queue in this process is in flight, including runs chained
   * behind one another. Pending quiet periods are not runs yet: a test advances its (fake)
   * timers past them first.
   */
  static async idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all(inFlight);
  }

  #fire(installationId: number): void {
    this.#pending.delete(installationId);
    // One run per installation at a time; a burst arriving meanwhile schedules the next one.
    const previous = this.#running.get(installationId) ?? Promise.resolve();
    const next = previous
      .then(() => this.#options.run(installationId))
      .catch((error: unknown) => this.#options.onError(installationId, error))
      .finally(() => {
        if (this.#running.get(installationId) === next) this.#running.delete(installationId);
        inFlight.delete(next);
      });
    this.#running.set(installationId, next);
    inFlight.add(next);
  }
}

/** The parts of an `issues` / `pull_request` event that decide whether an agenda may change. */
export interface ItemEvent {
  action: string;
  labels: string[];
  titleChanged: boolean;
}

/**
 * Whether an issue or PR event can change some meeting's agenda: (un)labelling, or closing,
 * reopening or retitling an item that carries a label. Unlabelled items cannot be on any agenda.
 */
export function mayChangeAgenda(event: ItemEvent): boolean {
  switch (event.action) {
    case "labeled":
    case "unlabeled":
      return true;
    case "closed":
    case "reopened":
      return event.labels.length > 0;
    case "edited":
      return event.titleChanged && event.labels.length > 0;
    default:
      return false;
  }
}
