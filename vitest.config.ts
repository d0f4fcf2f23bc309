import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    // Probot's logger is noisy at info level; tests assert on state, not logs.
    env: { LOG_LEVEL: "fatal" },
    // Tests wait for events, never for an amount of time: a timeout is only a safety net for a
    // test that hangs. Vitest's 5 s default is a wall-clock budget that a busy machine (two
    // suites on two cores, a CI neighbour) exceeds without anything being wrong, so it is
    // generous here, for the e2e files (real servers, RSA signing) and every other file alike.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
