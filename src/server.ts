import { existsSync } from "node:fs";
import { run } from "probot";
import wgMeetings from "./index.js";
import { createLogger } from "./logging/create-logger.js";

/**
 * The production entry (`npm start`, the Docker image): Probot's own server, with a logger
 * that redacts secret-bearing request headers. Probot reads `.env` itself; it is read here
 * first as well so that LOG_LEVEL and LOG_FORMAT set there apply to the logger.
 */
if (existsSync(".env")) process.loadEnvFile(".env");
await run(wgMeetings, { log: await createLogger(process.env) });
