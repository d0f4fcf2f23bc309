import { describe, expect, it } from "vitest";
import { actionFailed, formatActionSummary, type ActionOutcome } from "../../../src/actions/action-summary.js";
import type { TickReport } from "../../../src/meetings/tick.js";

function report(fields: Partial<TickReport> = {}): TickReport {
  return {
    now: "2026-11-30T17:00:00.000Z",
    dryRun: false,
    installations: 1,
    suspendedInstallations: 0,
    repositories: 1,
    configured: 1,
    series: [],
    invalidConfigs: [],
    alarms: [],
    errors: [],
    ...fields,
  };
}

describe("actionFailed", () => {
  it.each<[string, ActionOutcome, boolean]>([
    ["a clean tick", { kind: "tick", trigger: "schedule", report: report() }, false],
    ["a tick with an error", { kind: "tick", trigger: "schedule", report: report({ errors: [{ scope: "o/r", error: "500: boom" }] }) }, true],
    ["a tick with a failed series", { kind: "tick", trigger: "schedule", report: report({ series: [{ repository: "o/r", series: "s", outcome: { action: "failed", error: "x" } }] }) }, true],
    ["a tick with an invalid config", { kind: "tick", trigger: "push", report: report({ invalidConfigs: [{ repository: "o/r", errors: [] }] }) }, true],
    ["a delivered event", { kind: "delivered", event: "issue_comment.created" }, false],
    ["a skipped push", { kind: "skipped", event: "push", why: "…" }, false],
    ["a failure", { kind: "failed", event: "pull_request.closed", error: "x" }, true],
  ])("%s", (_name, outcome, failed) => {
    expect(actionFailed(outcome)).toBe(failed);
  });
});

describe("formatActionSummary", () => {
  it("a tick: one row per series, pipes escaped, then the writes", () => {
    const text = formatActionSummary(
      "o/r",
      {
        kind: "tick",
        trigger: "schedule",
        report: report({
          series: [
            { repository: "o/r", series: "a|b", outcome: { action: "created", number: 3, url: "https://github.com/o/r/issues/3", closedPrevious: [] } },
            { repository: "o/r", series: "c", outcome: { action: "not-due", next: "2026-12-09T16:00:00.000Z", opensAt: "2026-12-07T16:00:00.000Z" } },
          ],
        }),
      },
      [{ method: "POST", path: "/repos/o/r/issues", status: 201 }],
    );
    expect(text).toBe(
      [
        "### wg-meetings: tick (schedule) on o/r: ok",
        "",
        "| Series | Outcome |",
        "| --- | --- |",
        "| a\\|b | opened https://github.com/o/r/issues/3 |",
        "| c | not due: next meeting 2026-12-09T16:00:00.000Z, its issue opens 2026-12-07T16:00:00.000Z |",
        "",
        "Changes sent to GitHub:",
        "- `POST /repos/o/r/issues` → 201",
        "",
      ].join("\n"),
    );
  });

  it("a repository without config says so; an invalid one lists its errors and fails", () => {
    expect(formatActionSummary("o/r", { kind: "tick", trigger: "workflow_dispatch", report: report({ configured: 0 }) }, [])).toContain(
      "No `.github/meetings.yml` in this repository: nothing to do.",
    );
    const invalid = formatActionSummary(
      "o/r",
      {
        kind: "tick",
        trigger: "push",
        report: report({ configured: 0, invalidConfigs: [{ repository: "o/r", errors: [{ path: "x", line: 2, column: 1, message: "x (line 2): unknown key" } as never] }] }),
      },
      [],
    );
    expect(invalid).toContain("### wg-meetings: tick (push) on o/r: failed");
    expect(invalid).toContain("- x (line 2): unknown key");
  });

  it("an invalid config with more errors than it lists says how many more", () => {
    const summary = formatActionSummary(
      "o/r",
      {
        kind: "tick",
        trigger: "push",
        report: report({ configured: 0, invalidConfigs: [{ repository: "o/r", omitted: 1950, errors: [{ path: "x", line: 2, column: 1, message: "x (line 2): unknown key" } as never] }] }),
      },
      [],
    );
    expect(summary).toContain("- x (line 2): unknown key\n- … and 1,950 more errors");
  });

  it("a delivered event with no writes, and a failure", () => {
    expect(formatActionSummary("o/r", { kind: "delivered", event: "issue_comment.created" }, [])).toBe(
      "### wg-meetings: issue_comment.created on o/r: ok\n\nThe event was handled; it asked for no change.\n",
    );
    expect(formatActionSummary("o/r", { kind: "failed", event: "pull_request.closed", error: "500: boom" }, [])).toContain("Error: 500: boom");
  });
});
