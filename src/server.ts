import { existsSync } from "node:fs";
import { ProbotOctokit, run } from "probot";
import wgMeetings from "./index.js";
import { withRequestPolicy } from "./github/octokit-class.js";
import { appCredentialsGiven, readAppCredentials } from "./github/app-credentials.js";
import { loadProbotSetupParts, startSetupServer, wantsSetup } from "./http/setup-page.js";
import { createLogger } from "./logging/create-logger.js";
import { runLimitsFromEnv } from "./meetings/run-limits.js";

/**
 * The production entry (`npm start`, the Docker image): Probot's own server, with a logger
 * that redacts secret-bearing request headers. Probot reads `.env` itself; it is read here
 * first as well so that LOG_LEVEL and LOG_FORMAT set there apply to the logger.
 *
 * Without the App's credentials (and not in production) this is Probot's setup mode, started
 * here rather than by `run` so that the registration page escapes the manifest it posts
 * (see http/setup-page.ts). Both modes log through the same redacting logger.
 */
if (existsSync(".env")) process.loadEnvFile(".env");
// Setup mode (no credentials at all) is Probot's; once any is set, all must be usable, and a
// mistake is named (never the key) instead of Probot's "privateKey option is required".
try {
  if (appCredentialsGiven(process.env)) {
    readAppCredentials(process.env);
    // Without it Probot verifies signatures with its public default, so anyone could forge events.
    if (!process.env.WEBHOOK_SECRET?.trim()) throw new Error("WEBHOOK_SECRET is not set: webhooks could be forged; set it to the App's webhook secret");
    if (process.env.NODE_ENV === "production" && process.env.WEBHOOK_SECRET.trim() === "development") {
      throw new Error('WEBHOOK_SECRET is Probot\'s public default "development": set the App\'s own webhook secret');
    }
  }
} catch (error) {
  console.error(`wg-meetings: ${(error as Error).message}`);
  process.exit(1);
}
const log = await createLogger(process.env);
const setupParts = await loadProbotSetupParts();
if (wantsSetup(setupParts, process.env)) {
  // The setup pages write .env (the App's key) for whoever registers: only on this machine,
  // unless the operator says otherwise.
  if (!isLoopbackHost(process.env.HOST) && process.env.WG_MEETINGS_SETUP !== "1") {
    console.error(`wg-meetings: no APP_ID and private key, and HOST=${JSON.stringify(process.env.HOST)} is not loopback: refusing to serve the registration pages (they write .env) to the network; register with HOST unset or 127.0.0.1, or set WG_MEETINGS_SETUP=1`);
    process.exit(1);
  }
  await startSetupServer(setupParts, process.env, log);
} else {
  // Every GitHub client Probot builds: creates sent once, every request timed (octokit-class.ts).
  const { githubTimeoutMs } = runLimitsFromEnv(process.env);
  await run(wgMeetings, { log, Octokit: withRequestPolicy(ProbotOctokit, { timeoutMs: githubTimeoutMs }) });
}

/** Probot binds `localhost` when HOST is unset. */
function isLoopbackHost(host: string | undefined): boolean {
  const value = host?.trim().toLowerCase();
  return !value || value === "localhost" || value === "::1" || value === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(value);
}
