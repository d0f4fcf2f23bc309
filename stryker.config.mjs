// Mutation testing of the modules that guard users (issue 11): `npm run mutate`.
// docs/testing.md explains the choices; stryker.all.config.mjs reuses this for the whole of src/.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
// Stryker imports "typescript" for its checker and its tsconfig step; TypeScript 7 has no
// JavaScript API, so this points those imports (in this process) at TypeScript 5.9.
import "./scripts/mutation-typescript-5.mjs";

const TYPESCRIPT_5 = fileURLToPath(new URL("./scripts/mutation-typescript-5.mjs", import.meta.url));

/**
 * The lines of src/index.ts that hold the close-on-merge guards: the `pull_request.closed`
 * handler, found by its text so that edits elsewhere in the file do not move the range.
 */
function mergeGuardLines() {
  const lines = readFileSync(new URL("./src/index.ts", import.meta.url), "utf8").split("\n");
  const start = lines.findIndex((line) => line.includes('app.on("pull_request.closed"'));
  const end = lines.findIndex((line, i) => i > start && line === "  });");
  if (start < 0 || end < 0) throw new Error("stryker.config.mjs: the pull_request.closed handler is no longer in src/index.ts");
  return `src/index.ts:${start + 1}-${end + 1}`;
}

/** The modules that guard users (issue 11); each must score at least 90%. */
export const GUARD_MODULES = [
  "src/http/tick-route.ts",
  "src/logging/create-logger.ts",
  "src/github/permissions.ts",
  "src/github/claims.ts",
  "src/github/command-claims.ts",
  "src/state/*.ts",
  "src/meetings/chair-command.ts",
  "src/commands/*.ts",
  "src/meetings/close-meeting.ts",
  mergeGuardLines(),
  "src/meetings/open-meeting.ts",
  "src/minutes/minutes-path.ts",
  "src/schedule/rrule-expand.ts",
  "src/schedule/due.ts",
  "src/schedule/duration.ts",
  "src/schedule/wall-clock.ts",
  "src/schedule/fetch-feed.ts",
  "src/schedule/public-address.ts",
  "src/schedule/feed-url.ts",
  "src/agenda/escape-title.ts",
  "src/agenda/group-agenda.ts",
  "src/agenda/search-query.ts",
  "src/config/schema.ts",
];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  mutate: GUARD_MODULES,
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts" },
  // Each mutant runs only the tests that executed its code in the first, unmutated run.
  coverageAnalysis: "perTest",
  // A mutant that also runs while modules load (a test calls the code at its top level or in a
  // beforeAll) is run against the tests that cover it, like any other. One that runs ONLY while
  // modules load (the config schema's zod objects are built on import) would need the whole
  // suite, reloaded, for each mutant: about 5 minutes each here. Those are left out of the run
  // and the score, and scripts/mutation-score.mjs prints how many there are per module.
  ignoreStatic: true,
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  checkerNodeArgs: ["--import", TYPESCRIPT_5],
  // Results are kept here (committed) and reused: a mutant is run again only when its code or
  // the tests that cover it changed.
  incremental: true,
  incrementalFile: "test/mutation/incremental-guards.json",
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/guards/index.html" },
  jsonReporter: { fileName: "reports/mutation/guards/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // The score is checked per module by scripts/mutation-score.mjs, not by Stryker's one total.
  thresholds: { high: 90, low: 80, break: null },
  // 2 cores: one vitest per core. The checker shares them.
  concurrency: 2,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // What the sandbox needs: not the build output of other runs or old reports.
  ignorePatterns: ["reports", "test-results", "coverage", ".stryker-tmp", "npm-shrinkwrap.json"],
  // Added to 1.5 × the covering tests' own time before a mutant counts as a timeout (an endless loop):
  // generous, as the machine is shared; a slow test is not a detected mutant.
  timeoutMS: 15_000,
  // The first, unmutated run of the suite with coverage: about 5 minutes alone, longer on a
  // shared machine (Stryker's default gives up at 5).
  dryRunTimeoutMinutes: 40,
};
