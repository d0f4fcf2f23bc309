import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyEquivalents, findFailures, parseEquivalents, listSurvivors, main, parseArgs, scoreReport, type Report, type ReportMutant } from "../../../scripts/mutation-score.mjs";

/** A mutant of the fixture: status, line and replacement are what the checker reads. */
function mutant(id: string, status: ReportMutant["status"], line = 1, replacement = "true", [from, to] = [5, 21]): ReportMutant {
  return { id, mutatorName: "ConditionalExpression", replacement, status, location: { start: { line, column: from }, end: { line, column: to } } };
}

/** Two modules: a guard at 9 of 10 detected, and a weaker one at 3 of 5, with the other statuses. */
const REPORT: Report = {
  files: {
    "src/b/weak.ts": {
      source: "const a = 1;\nif (ok()) go();\n",
      mutants: [
        mutant("1", "Killed", 2),
        mutant("2", "Killed", 2),
        mutant("3", "Timeout", 2),
        mutant("4", "Survived", 2, "false", [5, 9]),
        mutant("5", "NoCoverage", 1, "0", [11, 12]),
        mutant("6", "CompileError", 2),
        mutant("7", "Ignored", 2),
      ],
    },
    "src/a/guard.ts": {
      source: "if (token === secret) allow();\n",
      mutants: [
        ...Array.from({ length: 8 }, (_, i) => mutant(`g${i}`, "Killed")),
        mutant("g8", "Timeout"),
        mutant("g9", "Survived", 1, "true"),
        mutant("g10", "RuntimeError"),
      ],
    },
  },
};

describe("scripts/mutation-score.mjs", () => {
  it("scores each module as detected (killed or timed out) over valid (detected, survived, not covered)", () => {
    const { modules } = scoreReport(REPORT);
    expect(modules.map((m) => [m.file, m.score])).toEqual([
      ["src/a/guard.ts", 90],
      ["src/b/weak.ts", 60],
    ]);
  });

  it("leaves mutants that do not compile, crash, or are disabled with a reason out of the score", () => {
    const weak = scoreReport(REPORT).modules.find((m) => m.file === "src/b/weak.ts")!;
    expect(weak).toMatchObject({ killed: 2, timeout: 1, survived: 1, noCoverage: 1, invalid: 1, ignored: 1, valid: 5, total: 7 });
  });

  it("scores all modules together over all their mutants, not as an average of percentages", () => {
    expect(scoreReport(REPORT).overall.score).toBeCloseTo((12 / 15) * 100);
  });

  it("fails a module below --each, names it, and passes one exactly on the target", () => {
    const scores = scoreReport(REPORT);
    expect(findFailures(scores, { each: 90 })).toEqual(["src/b/weak.ts: 60.0% < 90%"]);
    expect(findFailures(scores, { each: 60 })).toEqual([]);
  });

  it("fails the whole below --overall, whatever the modules score", () => {
    const scores = scoreReport(REPORT);
    expect(findFailures(scores, { overall: 81 })).toEqual(["overall: 80.0% < 81%"]);
    expect(findFailures(scores, { overall: 80 })).toEqual([]);
  });

  it("never passes a score by rounding up: 89.99% is below 90", () => {
    const mutants = [...Array.from({ length: 8999 }, (_, i) => mutant(`k${i}`, "Killed")), ...Array.from({ length: 1001 }, (_, i) => mutant(`s${i}`, "Survived"))];
    const scores = scoreReport({ files: { "src/x.ts": { mutants } } });
    expect(findFailures(scores, { each: 90 })).toEqual(["src/x.ts: 89.9% < 90%"]);
  });

  it("a module with no valid mutant has nothing to score and fails no target", () => {
    const scores = scoreReport({ files: { "src/x.ts": { mutants: [mutant("1", "CompileError"), mutant("2", "Ignored")] } } });
    expect(scores.modules[0]!.score).toBeNull();
    expect(findFailures(scores, { each: 90, overall: 80 })).toEqual([]);
  });

  it("fails a report of an unfinished run (pending mutants) and an empty report", () => {
    expect(findFailures(scoreReport({ files: { "src/x.ts": { mutants: [mutant("1", "Killed"), mutant("2", "Pending")] } } }), {})).toEqual([
      "1 mutants were never run (status Pending)",
    ]);
    expect(findFailures(scoreReport({ files: {} }), {})).toEqual(["the report holds no mutant"]);
  });

  it("lists each survivor and uncovered mutant with its place, the code it replaced and the replacement", () => {
    expect(listSurvivors(REPORT)).toEqual([
      "src/a/guard.ts:1:5 ConditionalExpression: token === secret -> true",
      "src/b/weak.ts:1:11 ConditionalExpression: 1 -> 0 (no test runs this code)",
      "src/b/weak.ts:2:5 ConditionalExpression: ok() -> false",
    ]);
  });

  it("refuses what is not a report, and command lines it cannot read", () => {
    expect(() => scoreReport({} as Report)).toThrow("not a mutation-testing report");
    expect(() => parseArgs([])).toThrow("usage");
    expect(() => parseArgs(["r.json", "--each", "ninety"])).toThrow("--each needs a percentage");
    expect(() => parseArgs(["r.json", "--each", "101"])).toThrow("--each needs a percentage");
    expect(() => parseArgs(["r.json", "--strict"])).toThrow("unknown option --strict");
    expect(parseArgs(["r.json", "--each", "90", "--overall", "80", "--survivors"])).toEqual({ report: "r.json", each: 90, overall: 80, survivors: true, equivalents: undefined });
    expect(parseArgs(["r.json", "--equivalents", "eq.json"]).equivalents).toBe("eq.json");
    expect(() => parseArgs(["r.json", "--equivalents"])).toThrow("--equivalents needs the list's path");
  });

  describe("main", () => {
    const dir = mkdtempSync(join(tmpdir(), "mutation-score-"));
    const file = join(dir, "mutation.json");
    writeFileSync(file, JSON.stringify(REPORT));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("prints a row per module and the total, and exits 1 when a target is missed", () => {
      const lines: string[] = [];
      expect(main([file, "--each", "90"], (line) => lines.push(line))).toBe(1);
      const text = lines.join("\n");
      expect(text).toMatch(/^src\/a\/guard\.ts\s+90\.0%\s+8\s+1\s+1\s+0\s+1\s+0\s+0$/m);
      expect(text).toMatch(/^src\/b\/weak\.ts\s+60\.0%\s+2\s+1\s+1\s+1\s+1\s+1\s+0$/m);
      expect(text).toMatch(/^all modules\s+80\.0%/m);
      expect(text).toContain("mutation score below target (each module >= 90%):\n  src/b/weak.ts: 60.0% < 90%");
    });

    it("exits 0 when every target is met, and 2 when the report cannot be read", () => {
      const lines: string[] = [];
      expect(main([file, "--overall", "80", "--survivors"], (line) => lines.push(line))).toBe(0);
      expect(lines.join("\n")).toContain("3 mutants not detected:");
      expect(main([join(dir, "missing.json")], () => {})).toBe(2);
    });
  });

  describe("the checked-in list of equivalent mutants", () => {
    /** The guard's survivor g9 (line 1, columns 5-21: "token === secret" -> "true"), listed. */
    const entry = {
      file: "src/a/guard.ts",
      mutator: "ConditionalExpression",
      original: "token === secret",
      replacement: "true",
      line: "if (token === secret) allow();",
      reason: "an example reason",
    };
    /** The report with the guard's killed mutants (killed, timed out, invalid) made different ("false") from the survivor. */
    const fresh = (): Report => {
      const report = JSON.parse(JSON.stringify(REPORT)) as Report;
      for (const m of report.files["src/a/guard.ts"]!.mutants) if (m.status !== "Survived") m.replacement = "false";
      return report;
    };

    it("takes a listed surviving mutant out of the score, one mutant at a time, and counts it", () => {
      const report = fresh();
      expect(applyEquivalents(report, [entry])).toEqual([]);
      const guard = scoreReport(report).modules.find((m) => m.file === "src/a/guard.ts")!;
      expect(guard).toMatchObject({ survived: 0, equivalent: 1, valid: 9, score: 100 });
      // The killed mutants on the same line, with the same mutator, stay in the score.
      expect(guard.killed).toBe(8);
    });

    it("fails an entry whose mutant a test detects: it was never equivalent", () => {
      const report = fresh();
      report.files["src/a/guard.ts"]!.mutants[9]!.status = "Killed";
      expect(applyEquivalents(report, [entry])).toEqual([
        "listed as equivalent but a test detects it (Killed): src/a/guard.ts ConditionalExpression: token === secret -> true",
      ]);
    });

    it("fails a stale entry (the code changed), but not one for a module this run did not mutate", () => {
      const report = fresh();
      expect(applyEquivalents(report, [{ ...entry, line: "if (token == secret) allow();" }])).toEqual([
        "listed as equivalent but no such mutant: src/a/guard.ts ConditionalExpression: token === secret -> true",
      ]);
      expect(applyEquivalents(report, [{ ...entry, file: "src/elsewhere.ts" }])).toEqual([]);
    });

    it("refuses an entry without a reason, and a list that is not an array", () => {
      expect(() => parseEquivalents([{ ...entry, reason: " " }])).toThrow('equivalent mutant [0]: "reason" must be a non-empty string');
      expect(() => parseEquivalents({})).toThrow("must be a JSON array");
      expect(parseEquivalents([entry])).toEqual([entry]);
    });

    it("main applies the list: the score rises only by the listed mutant, and a bad entry fails the run", () => {
      const dir = mkdtempSync(join(tmpdir(), "mutation-equivalents-"));
      try {
        const reportFile = join(dir, "mutation.json");
        writeFileSync(reportFile, JSON.stringify(fresh()));
        const good = join(dir, "good.json");
        writeFileSync(good, JSON.stringify([entry]));
        const lines: string[] = [];
        expect(main([reportFile, "--equivalents", good, "--overall", "80"], (line) => lines.push(line))).toBe(0);
        expect(lines.join("\n")).toMatch(/^src\/a\/guard\.ts\s+100\.0%\s+8\s+1\s+0\s+0\s+1\s+0\s+1$/m);
        const bad = join(dir, "bad.json");
        writeFileSync(bad, JSON.stringify([{ ...entry, original: "token !== secret" }]));
        const out: string[] = [];
        expect(main([reportFile, "--equivalents", bad], (line) => out.push(line))).toBe(1);
        expect(out.join("\n")).toContain("listed as equivalent but no such mutant");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
