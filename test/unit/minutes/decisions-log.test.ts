import { describe, expect, it } from "vitest";
import { type DecisionsLogEntry, NEW_LOG_HEADER, escapeLinkText, neutralise, relativeLink, writeDecisionsLog } from "../../../src/minutes/decisions-log.js";

function entry(date: string, texts: string[], overrides: Partial<DecisionsLogEntry> = {}): DecisionsLogEntry {
  return {
    series: "security-wg",
    date,
    title: `Node.js Security team Meeting ${date}`,
    minutesPath: `meetings/${date}.md`,
    logPath: "meetings/decisions.md",
    decisions: texts.map((text, i) => ({ text, anchor: i === 0 ? "nodejssecurity-wg" : null })),
    ...overrides,
  };
}

const block = (date: string, lines: string[], series = "security-wg") => [
  `<!-- wg-meetings:decisions {"series":"${series}","date":"${date}"} -->`,
  `## [Node.js Security team Meeting ${date}](${date}.md)`,
  "",
  ...lines,
  `<!-- wg-meetings:decisions-end {"series":"${series}","date":"${date}"} -->`,
];

describe("writeDecisionsLog", () => {
  it("starts a log with a title and the meeting's entry, each decision linking its part of the minutes", () => {
    expect(writeDecisionsLog(null, entry("2026-11-26", ["the channel stays private", "meet at 15:00 UTC"]))).toBe(
      [
        NEW_LOG_HEADER,
        ...block("2026-11-26", [
          "* the channel stays private ([minutes](2026-11-26.md#nodejssecurity-wg))",
          "* meet at 15:00 UTC ([minutes](2026-11-26.md))",
        ]),
        "",
      ].join("\n"),
    );
  });

  it("no decisions and no log: no file", () => {
    expect(writeDecisionsLog(null, entry("2026-11-26", []))).toBeNull();
  });

  it("puts a newer meeting first, an older one after the newer ones, and is idempotent", () => {
    const first = writeDecisionsLog(null, entry("2026-11-26", ["a"]))!;
    const newer = writeDecisionsLog(first, entry("2026-12-10", ["b"]))!;
    const older = writeDecisionsLog(newer, entry("2026-12-03", ["c"]))!;
    const dates = [...older.matchAll(/wg-meetings:decisions \{"series":"security-wg","date":"([\d-]+)"\}/g)].map((m) => m[1]);
    expect(dates).toEqual(["2026-12-10", "2026-12-03", "2026-11-26"]);
    expect(writeDecisionsLog(older, entry("2026-12-03", ["c"]))).toBe(older);
    expect(older).not.toMatch(/\n\n\n/);
  });

  it("replaces the meeting's entry where it is, keeping everything around it", () => {
    const log = [
      "# Security WG decisions",
      "",
      ...block("2026-12-10", ["* b"]),
      "",
      ...block("2026-11-26", ["* old one", "* old two"]),
      "",
      "## 2024 (by hand)",
      "",
      "* We adopted the threat model.",
      "",
    ].join("\n");
    const next = writeDecisionsLog(log, entry("2026-11-26", ["new one"]))!;
    expect(next).toBe(log.replace("* old one\n* old two", "* new one ([minutes](2026-11-26.md#nodejssecurity-wg))"));
  });

  it("no decisions any more: the meeting's entry is removed, and only it", () => {
    const log = ["# Log", "", ...block("2026-12-10", ["* b"]), "", ...block("2026-11-26", ["* a"]), "", "## By hand", ""].join("\n");
    expect(writeDecisionsLog(log, entry("2026-11-26", []))).toBe(["# Log", "", ...block("2026-12-10", ["* b"]), "", "## By hand", ""].join("\n"));
    expect(writeDecisionsLog(log, entry("2026-11-19", []))).toBe(log);
  });

  it("in a log written by hand, the first entry goes before its first section; another series' entry of the same date is another entry", () => {
    const log = "# Decisions\r\n\r\nWhat we decided.\r\n\r\n## 2024-05-02\r\n\r\n* Use CVSS 4\r\n";
    const next = writeDecisionsLog(log, entry("2026-11-26", ["a"]))!;
    expect(next).toBe(
      ["# Decisions", "", "What we decided.", "", ...block("2026-11-26", ["* a ([minutes](2026-11-26.md#nodejssecurity-wg))"]), "", "## 2024-05-02", "", "* Use CVSS 4", ""].join("\r\n"),
    );
    const other = writeDecisionsLog(next, entry("2026-11-26", ["x"], { series: "tsc", title: "TSC Meeting 2026-11-26" }))!;
    expect(other.match(/wg-meetings:decisions \{/g)).toHaveLength(2);
    expect(other).toContain('{"series":"tsc","date":"2026-11-26"}');
  });

  it("a marker inside a decision, in a code block or in a bullet is text: it neither ends nor starts an entry", () => {
    const forged = '<!-- wg-meetings:decisions-end {"series":"security-wg","date":"2026-11-26"} -->';
    const log = writeDecisionsLog(null, entry("2026-11-26", [`${forged} then <!-- hide the rest`]))!;
    expect(log.split("\n").filter((line) => line.startsWith("<!--"))).toHaveLength(2);
    expect(log).toContain("* &lt;!-- wg-meetings:decisions-end");
    expect(log).toContain("then &lt;!-- hide the rest");

    const withCode = ["# Log", "", "```md", '<!-- wg-meetings:decisions {"series":"security-wg","date":"2026-11-26"} -->', "```", ""].join("\n");
    const next = writeDecisionsLog(withCode, entry("2026-11-26", ["a"]))!;
    expect(next.startsWith(withCode)).toBe(true);
    expect(next.match(/^<!-- wg-meetings:decisions \{/gm)).toHaveLength(2);
  });

  it("an entry whose end marker was deleted by hand ends at the next heading", () => {
    const log = ["# Log", "", ...block("2026-11-26", ["* a"]).slice(0, -1), "", "## By hand", "", "* kept", ""].join("\n");
    expect(writeDecisionsLog(log, entry("2026-11-26", ["b"]))).toBe(
      ["# Log", "", ...block("2026-11-26", ["* b ([minutes](2026-11-26.md#nodejssecurity-wg))"]), "", "## By hand", "", "* kept", ""].join("\n"),
    );
  });

  it("refuses a date that is not one", () => {
    expect(() => writeDecisionsLog(null, entry("2026-02-30", ["a"]))).toThrow(RangeError);
  });
});

describe("links and text", () => {
  it("links relative to the log's folder", () => {
    expect(relativeLink("meetings/decisions.md", "meetings/2026-11-26.md")).toBe("2026-11-26.md");
    expect(relativeLink("DECISIONS.md", "meetings/2026/11-26 notes.md")).toBe("meetings/2026/11-26%20notes.md");
    expect(relativeLink("docs/decisions.md", "meetings/2026-11-26.md")).toBe("../meetings/2026-11-26.md");
  });

  it("neutralises HTML comments and line breaks, and escapes link text", () => {
    expect(neutralise("a <!-- b --> c --!> d\r\ne")).toBe("a &lt;!-- b --&gt; c --!&gt; d e");
    expect(escapeLinkText("Q&A [draft] \\o/")).toBe("Q&A \\[draft\\] \\\\o/");
  });
});
