import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    // Probot's logger is noisy at info level; tests assert on state, not logs.
    env: { LOG_LEVEL: "fatal" },
  },
});
