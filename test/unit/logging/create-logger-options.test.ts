import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * What the production logger asks of Probot's log formatting (@probot/pino): the format, the
 * level as a string, and Sentry, straight from the environment. Recorded at the boundary, since
 * Sentry itself cannot be loaded without the network (Probot fetches it on demand).
 */
const seen = vi.hoisted(() => [] as Array<Record<string, unknown>>);
vi.mock("@probot/pino", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@probot/pino")>();
  return {
    ...actual,
    getTransformStream: async (options: Record<string, unknown>) => {
      seen.push(options);
      return actual.getTransformStream({ ...options, sentryDsn: undefined });
    },
  };
});
const { createLogger } = await import("../../../src/logging/create-logger.js");

afterEach(() => {
  seen.length = 0;
});

describe("createLogger's Probot formatting options", () => {
  it.each([
    [{}, { logFormat: undefined, logLevelInString: false, sentryDsn: undefined }],
    [{ LOG_FORMAT: "json" }, { logFormat: "json", logLevelInString: false, sentryDsn: undefined }],
    [{ LOG_FORMAT: "pretty" }, { logFormat: "pretty", logLevelInString: false, sentryDsn: undefined }],
    [{ LOG_FORMAT: "xml" }, { logFormat: undefined, logLevelInString: false, sentryDsn: undefined }],
    [{ LOG_LEVEL_IN_STRING: "true" }, { logFormat: undefined, logLevelInString: true, sentryDsn: undefined }],
    [{ SENTRY_DSN: "https://key@sentry.example/1" }, { logFormat: undefined, logLevelInString: false, sentryDsn: "https://key@sentry.example/1" }],
    // An empty SENTRY_DSN (a blank line in .env) is no Sentry at all.
    [{ SENTRY_DSN: "" }, { logFormat: undefined, logLevelInString: false, sentryDsn: undefined }],
  ])("%j → %j", async (env, options) => {
    const destination = await import("pino").then(({ pino }) => vi.spyOn(pino, "destination").mockImplementation(() => process.stderr as never));
    await createLogger(env as NodeJS.ProcessEnv);
    destination.mockRestore();
    expect(seen).toEqual([options]);
  });
});
