import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

// The suite as Stryker runs it (stryker.config.mjs): everything vitest.config.ts runs, except the
// end-to-end folder. Its tests start the compiled lib/ and the e2e harness (built by
// `npm run build:e2e` into node_modules/.cache) as separate processes, so they exercise the
// build, never the mutated copy of src/ in Stryker's sandbox: they cannot kill a mutant, and
// without that harness they fail Stryker's first, unmutated run. Tests elsewhere that also start
// lib/ in a child process stay (they import src/ too); `npm run mutate` builds lib/ first.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ["test/e2e/**", "**/node_modules/**"],
    },
  }),
);
