import type { Log } from "../github/client.js";
import { TICK_PATH } from "../http/tick-route.js";
import type { TickReport } from "./tick.js";

/**
 * The installation fan-out: replicas share a tick by sending one job per installation through
 * the Kubernetes Service in front of them. The full tick (the self-tick of any replica, a
 * CronJob's `POST /wg-meetings/tick`, `wg-meetings tick`) lists the installations and sends
 * `POST /wg-meetings/tick?installation=<id>` to the Service for each one, a few at a time; the
 * Service spreads the jobs over the replicas, and each job ticks one installation within its
 * deadline and answers with its part of the report. The claim refs keep every meeting opened
 * once if two replicas ever tick the same installation (a retried job, an overlapping run).
 * See docs/deploy.md for why this and not a queue.
 */

/** The Service (or any URL that reaches the replicas' tick route); unset: no fan-out. */
export const FANOUT_URL_ENV = "WG_MEETINGS_FANOUT_URL";
/** Jobs in flight at once from one full tick (default 8). */
export const FANOUT_CONCURRENCY_ENV = "WG_MEETINGS_FANOUT_CONCURRENCY";
/** The tick route's bearer secret, which the jobs carry too. */
const TICK_SECRET_ENV = "WG_MEETINGS_TICK_SECRET";

export const DEFAULT_FANOUT_CONCURRENCY = 8;

export interface FanOut {
  /** Where jobs go: the tick route's URL is this with /wg-meetings/tick appended to its path. */
  url: URL;
  /** The bearer secret of the tick route (never logged). */
  secret: string;
  /** Jobs in flight at once. */
  concurrency: number;
}

/**
 * Reads WG_MEETINGS_FANOUT_URL (an http or https URL without credentials, query or fragment),
 * WG_MEETINGS_FANOUT_CONCURRENCY (a whole number from 1 to 256, default 8) and the tick
 * secret the jobs are sent with; null when the URL is unset or empty. Throws, naming the
 * variable, on a bad value or a missing secret: a typo stops the server at start-up.
 */
export function fanOutFromEnv(env: NodeJS.ProcessEnv): FanOut | null {
  const text = env[FANOUT_URL_ENV]?.trim();
  if (!text) return null;
  const invalid = (why: string) => new Error(`${FANOUT_URL_ENV}=${JSON.stringify(text.slice(0, 80))} is not valid: ${why}, such as http://wg-meetings.my-namespace.svc`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid("use an http or https URL");
  if (url.username || url.password) throw invalid("leave credentials out (the jobs carry the tick secret)");
  if (url.search || url.hash) throw invalid("leave out the query and fragment");
  const secret = env[TICK_SECRET_ENV]?.trim();
  if (!secret) throw new Error(`${FANOUT_URL_ENV} is set but ${TICK_SECRET_ENV} is not: the jobs authenticate with the tick route's secret`);

  const concurrencyText = env[FANOUT_CONCURRENCY_ENV]?.trim();
  let concurrency = DEFAULT_FANOUT_CONCURRENCY;
  if (concurrencyText) {
    concurrency = Number(concurrencyText);
    if (!/^\d+$/.test(concurrencyText) || concurrency < 1 || concurrency > 256) {
      throw new Error(`${FANOUT_CONCURRENCY_ENV}=${JSON.stringify(concurrencyText.slice(0, 40))} is not valid: use a whole number from 1 to 256 (default ${DEFAULT_FANOUT_CONCURRENCY})`);
    }
  }
  // The secret stays out of logs and JSON: not enumerable.
  const fanOut = { url, concurrency } as FanOut;
  Object.defineProperty(fanOut, "secret", { value: secret, enumerable: false });
  return fanOut;
}

/** The URL one installation's job is sent to. */
export function jobUrl(fanOut: Pick<FanOut, "url">, installationId: number): URL {
  const url = new URL(fanOut.url);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${TICK_PATH}`;
  url.search = `?installation=${installationId}`;
  return url;
}

/** An installation's part of a report, as a job answers it. */
export type JobReport = Pick<TickReport, "repositories" | "configured" | "series" | "invalidConfigs" | "alarms" | "errors">;

export type JobOutcome = { status: "done"; report: JobReport; attempts: number } | { status: "failed"; error: string; attempts: number };

export interface SendJobOptions {
  /** How long one attempt may take: the installation's deadline and a margin for the way there and back. */
  timeoutMs: number;
  log: Log;
  /** Waits before the second and third attempt (default 1 s and 4 s). */
  retryDelaysMs?: readonly number[];
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Answers worth sending again: nobody ran the job (the Service or a replica was busy, going away, or failed before it got to work). */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Sends one installation's job and waits for its answer: a 200 or 207 carries the
 * installation's report. A refused connection, a reset, 429, 500, 502, 503 or 504 is sent
 * again after a pause (the Service then picks a replica afresh); a job that runs is harmless to
 * run twice (the claim refs). An attempt that outlasts `timeoutMs` is not repeated: the job has
 * its own deadline, and the next tick carries on. Never throws.
 */
export async function sendInstallationJob(fanOut: FanOut, installationId: number, options: SendJobOptions): Promise<JobOutcome> {
  const delays = options.retryDelaysMs ?? [1000, 4000];
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const url = jobUrl(fanOut, installationId);
  let lastError = "";
  for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
    if (attempt > 1) await sleep(delays[attempt - 2]!);
    let status: number;
    let text: string;
    try {
      const response = await send(url, {
        method: "POST",
        headers: { authorization: `Bearer ${fanOut.secret}`, accept: "application/json" },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") {
        return { status: "failed", error: `the job did not answer within ${Math.round(options.timeoutMs / 1000)} s`, attempts: attempt };
      }
      lastError = `could not reach ${url.origin}: ${describeCause(error)}`;
      options.log.warn({ installation: installationId, attempt, err: lastError }, "fan-out job not delivered");
      continue;
    }
    if (status === 200 || status === 207) {
      const report = parseJobReport(text);
      if (report) return { status: "done", report, attempts: attempt };
      return { status: "failed", error: `the job answered ${status} with a body that is not a tick report`, attempts: attempt };
    }
    lastError = `the job answered ${status}${errorText(text)}`;
    if (!RETRY_STATUSES.has(status)) return { status: "failed", error: lastError, attempts: attempt };
    options.log.warn({ installation: installationId, attempt, status }, "fan-out job refused");
  }
  return { status: "failed", error: lastError, attempts: delays.length + 1 };
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The route's own error text (`{"error": …}`), short, when there is one. */
function errorText(text: string): string {
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === "string" ? `: ${error.slice(0, 200)}` : "";
  } catch {
    return "";
  }
}

function parseJobReport(text: string): JobReport | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const report = value as Partial<JobReport> | null;
  if (!report || typeof report !== "object") return null;
  const arrays = [report.series, report.invalidConfigs, report.alarms, report.errors];
  if (!arrays.every(Array.isArray) || typeof report.repositories !== "number" || typeof report.configured !== "number") return null;
  return report as JobReport;
}
