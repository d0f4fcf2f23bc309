import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

// The suite as Stryker runs it (stryker.config.mjs): everything vitest.config.ts runs except
// the tests that exercise the build instead of src/. Stryker mutates a copy of src/ in its
// sandbox; a test that starts the compiled lib/ or bin/ (or `npm pack`) in another process
// runs code no mutant is ever in, so it cannot kill one. In the sandbox such tests also fail
// before any mutant is tried (lib/ loaded from the sandbox copy does not start there), and a
// failing first run stops Stryker. Excluding them lowers no score: they detect nothing here.
const RUN_THE_BUILD = [
  "test/e2e/**", // real servers from lib/ and the e2e harness compiled to node_modules/.cache
  "test/integration/server-entry.test.ts", // node lib/server.js
  "test/integration/setup-page.test.ts", // node lib/server.js without credentials
  "test/integration/startup-modules.test.ts", // node lib/server.js with a loader hook
  "test/integration/action-entry.test.ts", // the action's step: bash running bin/wg-meetings.js
  "test/integration/npm-pack.test.ts", // npm pack of a copy of the tree
  "test/integration/issue9-pack-contents.test.ts", // npm pack --dry-run
  "test/adversarial/issue9-npm-pack-leftover.test.ts", // npm pack
  "test/adversarial/issue9-key-file-device.test.ts", // lib/github/app-credentials.js in a child
  "test/adversarial/issue9-setup-ghe-host.test.ts", // node lib/server.js
  "test/adversarial/issue9-setup-page-hostile.test.ts", // node lib/server.js
  "test/adversarial/issue9-webhook-secret.test.ts", // node lib/server.js
  // Its tests of src/index.ts's self-tick run in-process, but two start lib/server.js and a
  // Probot server loading lib/index.js; vitest cannot leave out single tests for Stryker, so
  // the file goes, and mutants only it would kill count as survivors.
  "test/integration/self-tick.test.ts",
];

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...RUN_THE_BUILD, "**/node_modules/**"],
    },
  }),
);
