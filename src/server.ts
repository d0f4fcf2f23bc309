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
  if (appCredentialsGiven(process.env)) readAppCredentials(process.env);
} catch (error) {
  console.error(`wg-meetings: ${(error as Error).message}`);
  process.exit(1);
}
const log = await createLogger(process.env);
const setupParts = await loadProbotSetupParts();
if (wantsSetup(setupParts, process.env)) {
  await startSetupServer(setupParts, process.env, log);
} else {
  // Every GitHub client Probot builds: creates sent once, every request timed (octokit-class.ts).
  const { githubTimeoutMs } = runLimitsFromEnv(process.env);
  await run(wgMeetings, { log, Octokit: withRequestPolicy(ProbotOctokit, { timeoutMs: githubTimeoutMs }) });
}
