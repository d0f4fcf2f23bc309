import { randomUUID } from "node:crypto";
import { appendFile, readFile } from "node:fs/promises";
import type { Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { GitHub } from "../github/client.js";
import { describeError } from "../github/errors.js";
import { withRequestPolicy } from "../github/octokit-class.js";
import { gitHubWebUrl } from "../github/web-host.js";
import { loadGoogleCalendar, loadGoogleDocs } from "../google/google-docs.js";
import { configChangedOnDefaultBranch, type PushSummary } from "../handlers/config-pushed.js";
import wgMeetings from "../index.js";
import { runLimitsFromEnv } from "../meetings/run-limits.js";
import { runTick } from "../meetings/tick.js";
import { actionFailed, formatActionSummary, type ActionOutcome, type WriteRecord } from "./action-summary.js";

/** Who `GITHUB_TOKEN` writes as. An App token from actions/create-github-app-token writes as `<slug>[bot]`. */
export const DEFAULT_BOT_LOGIN = "github-actions[bot]";

/** Events that run the tick for the workflow's repository. */
const TICK_EVENTS = new Set(["schedule", "workflow_dispatch"]);
/** Events handed to the App exactly as a webhook would be. */
const APP_EVENTS = new Set(["issue_comment", "pull_request"]);

/**
 * The tick visits "installations"; a token is already scoped to what it may touch, so an
 * Actions run is one pseudo-installation whose `auth` ignores the id.
 */
const TOKEN_SCOPE = 0;

export interface ActionIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  now?: () => Date;
  /** Tests pass an Octokit with retry and throttling off, and an in-memory logger. */
  Octokit?: typeof ProbotOctokit;
  log?: Logger;
}

interface ActionInputs {
  eventName: string;
  eventPath: string;
  repository: string;
  token: string;
  botLogin: string;
  baseUrl: string;
  /** The web host links are written for: the runner's GITHUB_SERVER_URL (see gitHubWebUrl). */
  webUrl: string;
}

/**
 * `wg-meetings action`: one GitHub Actions run. `schedule` and `workflow_dispatch` run the tick
 * for the workflow's repository; `push` does so when `.github/meetings.yml` changed on the
 * default branch; `issue_comment` and `pull_request` go to the App through `probot.receive`,
 * authenticated with the workflow's token instead of the App's key.
 *
 * @returns the exit code: 1 when anything failed (so the run turns red), else 0.
 */
export async function runAction(io: ActionIo): Promise<number> {
  const inputs = readInputs(io.env);
  const limits = runLimitsFromEnv(io.env);
  const payload = await readPayload(inputs.eventPath);
  const probot = new Probot({
    githubToken: inputs.token,
    baseUrl: inputs.baseUrl,
    logLevel: (io.env.LOG_LEVEL as "info" | undefined) ?? "info",
    logFormat: io.env.LOG_FORMAT === "json" ? "json" : "pretty",
    ...(io.log ? { log: io.log } : {}),
    // Creates sent once, every request timed (octokit-class.ts), also over a test's Octokit.
    Octokit: withRequestPolicy(io.Octokit ?? ProbotOctokit, { timeoutMs: limits.githubTimeoutMs }),
  });

  // With a token, probot.auth() and every event's context.octokit are this same client, so
  // hooks on it see every request the run sends.
  const writes: WriteRecord[] = [];
  const gh = await probot.auth();
  recordWrites(gh, writes);

  let outcome: ActionOutcome;
  try {
    outcome = await dispatch(probot, gh, inputs, payload, io);
  } catch (error) {
    outcome = { kind: "failed", event: eventLabel(inputs.eventName, payload), error: describeAll(error) };
  }

  const summary = formatActionSummary(inputs.repository, outcome, writes);
  io.out(summary);
  if (io.env.GITHUB_STEP_SUMMARY) {
    await appendFile(io.env.GITHUB_STEP_SUMMARY, `${summary}\n`).catch((error: Error) =>
      io.err(`wg-meetings action: could not write the step summary: ${error.message}\n`),
    );
  }
  return actionFailed(outcome) ? 1 : 0;
}

async function dispatch(
  probot: Probot,
  gh: GitHub,
  inputs: ActionInputs,
  payload: Record<string, unknown>,
  io: ActionIo,
): Promise<ActionOutcome> {
  const { eventName } = inputs;
  const tick = (trigger: string, dryRun: boolean): Promise<ActionOutcome> =>
    runTick(
      {
        auth: async () => gh,
        log: probot.log,
        botLogin: async () => inputs.botLogin,
        google: () => loadGoogleDocs(io.env),
        hackmd: async () => (await import("../hackmd/load-hackmd.js")).loadHackmd(io.env),
        chat: async () => (await import("../chat/load-chat.js")).loadChat(io.env),
        calendar: () => loadGoogleCalendar(io.env),
        webUrl: inputs.webUrl,
        limits: runLimitsFromEnv(io.env),
      },
      { now: io.now?.() ?? new Date(), installationId: TOKEN_SCOPE, repository: inputs.repository, dryRun },
    ).then((report) => {
      // The pseudo-installation means nothing to a reader: name the repository instead.
      for (const error of report.errors) if (error.scope === `installation ${TOKEN_SCOPE}`) error.scope = inputs.repository;
      return { kind: "tick", trigger, report };
    });

  if (TICK_EVENTS.has(eventName)) return tick(eventName, isDryRun(io.env, payload));

  if (eventName === "push") {
    // The App's own push handler is installation-scoped (App webhooks carry `installation`,
    // Actions payloads do not), so the same decision is taken here and the same tick runs.
    if (!configChangedOnDefaultBranch(payload as unknown as PushSummary)) {
      return { kind: "skipped", event: "push", why: "The push did not change `.github/meetings.yml` on the default branch." };
    }
    return tick("push", isDryRun(io.env, payload));
  }

  if (APP_EVENTS.has(eventName)) {
    await probot.load(wgMeetings, {
      cwd: process.cwd(),
      // No HTTP server in a workflow: the tick route is not registered.
      addHandler: () => {
        throw new Error("No server instance");
      },
      botLogin: inputs.botLogin,
    });
    const id = io.env.GITHUB_RUN_ID ? `actions-${io.env.GITHUB_RUN_ID}-${io.env.GITHUB_RUN_ATTEMPT ?? "1"}` : randomUUID();
    // A token run is no installation: without the key, the App's installation-wide follow-ups
    // (the deferred agenda refresh) stay out of a one-shot process.
    const { installation: _installation, ...delivered } = payload;
    await probot.receive({ id, name: eventName as "issue_comment", payload: delivered as never });
    return { kind: "delivered", event: eventLabel(eventName, payload) };
  }

  return {
    kind: "failed",
    event: eventName,
    error: `wg-meetings does not handle "${eventName}" events in Actions; use schedule, workflow_dispatch, push, issue_comment or pull_request`,
  };
}

function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const missing = ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_TOKEN"].filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    const hint = missing.includes("GITHUB_TOKEN") ? " (pass it to the step: `env: GITHUB_TOKEN: ${{ github.token }}`)" : "";
    throw new Error(`missing ${missing.join(", ")}${hint}; this command runs inside a GitHub Actions workflow`);
  }
  const repository = env.GITHUB_REPOSITORY!.trim();
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) throw new Error(`GITHUB_REPOSITORY: expected owner/name, got "${repository}"`);
  return {
    eventName: env.GITHUB_EVENT_NAME!.trim(),
    eventPath: env.GITHUB_EVENT_PATH!.trim(),
    repository,
    token: env.GITHUB_TOKEN!.trim(),
    botLogin: env.WG_MEETINGS_BOT_LOGIN?.trim() || DEFAULT_BOT_LOGIN,
    baseUrl: env.GITHUB_API_URL?.trim() || "https://api.github.com",
    // Read here so that a bad value fails the run before anything is written.
    webUrl: gitHubWebUrl(env),
  };
}

async function readPayload(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`GITHUB_EVENT_PATH: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const payload: unknown = JSON.parse(text);
    if (payload && typeof payload === "object" && !Array.isArray(payload)) return payload as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`GITHUB_EVENT_PATH: ${path} is not a JSON object`);
}

/** `workflow_dispatch` input `dry-run`, or WG_MEETINGS_DRY_RUN=true. */
function isDryRun(env: NodeJS.ProcessEnv, payload: Record<string, unknown>): boolean {
  const inputs = payload.inputs as Record<string, unknown> | undefined;
  const input = inputs?.["dry-run"];
  return input === true || input === "true" || env.WG_MEETINGS_DRY_RUN === "true";
}

function eventLabel(name: string, payload: Record<string, unknown>): string {
  return typeof payload.action === "string" ? `${name}.${payload.action}` : name;
}

/** Records each request that changed something (GraphQL is only used to read). */
function recordWrites(gh: GitHub, writes: WriteRecord[]): void {
  const record = (options: unknown, status: number) => {
    // Hooks see the route template (`/repos/{owner}/…`); parse it into the real URL.
    const { method, url } = gh.request.endpoint.parse(options as Parameters<typeof gh.request.endpoint.parse>[0]);
    if (method === "GET" || method === "HEAD" || /\/graphql$/.test(url)) return;
    writes.push({ method, path: new URL(url).pathname, status });
  };
  gh.hook.after("request", (response, options) => record(options, response.status));
  gh.hook.error("request", (error, options) => {
    record(options, (error as { status?: number }).status ?? 0);
    throw error;
  });
}

/** Probot rejects with an AggregateError holding each handler's error. */
function describeAll(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map((e) => describeError(e)).join("; ");
  return describeError(error);
}
