import { getTransformStream } from "@probot/pino";
import { pino, type Logger } from "pino";

/**
 * Request fields that carry secrets. Probot's server logs every request's headers (pino-http),
 * and the tick route is called with `Authorization: Bearer <WG_MEETINGS_TICK_SECRET>`: without
 * this the secret would be in every tick's log line.
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["proxy-authorization"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
];

/**
 * The server's logger: Probot's own format handling (LOG_FORMAT pretty or json, LOG_LEVEL,
 * LOG_LEVEL_IN_STRING, SENTRY_DSN), plus redaction of secret-bearing request headers.
 */
export async function createLogger(env: NodeJS.ProcessEnv): Promise<Logger> {
  const format = env.LOG_FORMAT === "json" ? "json" : env.LOG_FORMAT === "pretty" ? "pretty" : undefined;
  const transform = await getTransformStream({
    logFormat: format,
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    sentryDsn: env.SENTRY_DSN || undefined,
  });
  // SonicBoom is a writable stream; its types predate the `writable` property.
  transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
  return pino(
    {
      level: env.LOG_LEVEL || "info",
      name: "probot",
      messageKey: env.LOG_MESSAGE_KEY || "msg",
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    transform,
  );
}
