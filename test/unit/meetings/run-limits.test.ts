import { describe, expect, it } from "vitest";
import { DEFAULT_RUN_LIMITS, runLimitsFromEnv } from "../../../src/meetings/run-limits.js";

describe("runLimitsFromEnv", () => {
  it("unset or empty: the defaults (20 s per GitHub attempt, 5 min per installation, 4 at a time)", () => {
    expect(runLimitsFromEnv({})).toEqual({ githubTimeoutMs: 20_000, installationDeadlineMs: 300_000, tickConcurrency: 4 });
    expect(runLimitsFromEnv({ WG_MEETINGS_GITHUB_TIMEOUT: " ", WG_MEETINGS_TICK_CONCURRENCY: "" })).toEqual(DEFAULT_RUN_LIMITS);
  });

  it("reads ISO 8601 durations and a whole number", () => {
    expect(
      runLimitsFromEnv({ WG_MEETINGS_GITHUB_TIMEOUT: "pt45s", WG_MEETINGS_INSTALLATION_DEADLINE: "PT1M30S", WG_MEETINGS_TICK_CONCURRENCY: "8" }),
    ).toEqual({ githubTimeoutMs: 45_000, installationDeadlineMs: 90_000, tickConcurrency: 8 });
  });

  it.each([
    ["WG_MEETINGS_GITHUB_TIMEOUT", "20", "from PT1S to PT5M, such as PT20S"],
    ["WG_MEETINGS_GITHUB_TIMEOUT", "PT0S", "from PT1S to PT5M"],
    ["WG_MEETINGS_GITHUB_TIMEOUT", "PT10M", "from PT1S to PT5M"],
    ["WG_MEETINGS_INSTALLATION_DEADLINE", "P1D", "from PT10S to PT1H, such as PT5M"],
    ["WG_MEETINGS_INSTALLATION_DEADLINE", "PT5S", "from PT10S to PT1H"],
    ["WG_MEETINGS_TICK_CONCURRENCY", "0", "from 1 to 32 (default 4)"],
    ["WG_MEETINGS_TICK_CONCURRENCY", "2.5", "from 1 to 32"],
    ["WG_MEETINGS_TICK_CONCURRENCY", "100", "from 1 to 32"],
  ])("%s=%s stops start-up, naming the variable", (name, value, says) => {
    expect(() => runLimitsFromEnv({ [name]: value })).toThrow(`${name}="${value}" is not valid`);
    expect(() => runLimitsFromEnv({ [name]: value })).toThrow(says);
  });
});
