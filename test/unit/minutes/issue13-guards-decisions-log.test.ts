import { describe, expect, it } from "vitest";
import { type DecisionsLogEntry, writeDecisionsLog } from "../../../src/minutes/decisions-log.js";

/**
 * A re-run of `/minutes` replaces its meeting's entry in the decisions log, from its start
 * marker to its own end marker: an end marker of another meeting pasted inside it (people
 * move entries around by hand) does not cut the entry short and leave half of it behind.
 */
const entry = (date: string, texts: string[]): DecisionsLogEntry => ({
  series: "wg",
  date,
  title: `WG Meeting ${date}`,
  minutesPath: `meetings/${date}.md`,
  logPath: "meetings/decisions.md",
  decisions: texts.map((text) => ({ text, anchor: null })),
});

describe("a re-run's entry in a log edited by hand", () => {
  it("replaces the whole entry up to its own end marker, even with another meeting's end marker inside it", () => {
    const current = [
      "# Decisions",
      "",
      '<!-- wg-meetings:decisions {"series":"wg","date":"2026-11-25"} -->',
      "## [WG Meeting 2026-11-25](2026-11-25.md)",
      "",
      "* the first version ([minutes](2026-11-25.md))",
      '<!-- wg-meetings:decisions-end {"series":"wg","date":"2026-11-18"} -->',
      "* a decision taken out of the doc since ([minutes](2026-11-25.md))",
      '<!-- wg-meetings:decisions-end {"series":"wg","date":"2026-11-25"} -->',
      "",
      "## Older decisions",
      "",
      "* kept as written",
      "",
    ].join("\n");

    expect(writeDecisionsLog(current, entry("2026-11-25", ["the second version"]))).toBe(
      [
        "# Decisions",
        "",
        '<!-- wg-meetings:decisions {"series":"wg","date":"2026-11-25"} -->',
        "## [WG Meeting 2026-11-25](2026-11-25.md)",
        "",
        "* the second version ([minutes](2026-11-25.md))",
        '<!-- wg-meetings:decisions-end {"series":"wg","date":"2026-11-25"} -->',
        "",
        "## Older decisions",
        "",
        "* kept as written",
        "",
      ].join("\n"),
    );
  });
});
