// Mutation testing of the whole of src/ (issue 11's overall target, at least 80%):
// `npm run mutate:all`. Same settings as stryker.config.mjs, its own results file and reports.
import guards from "./stryker.config.mjs";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  ...guards,
  // Every module of src/. server.ts and cli.ts are entry points that start a process; they
  // are mutated too (their mutants survive unless a test imports them).
  mutate: ["src/**/*.ts"],
  incrementalFile: "test/mutation/incremental-all.json",
  htmlReporter: { fileName: "reports/mutation/all/index.html" },
  jsonReporter: { fileName: "reports/mutation/all/mutation.json" },
};
