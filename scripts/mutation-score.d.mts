// Types of scripts/mutation-score.mjs, for its unit test (test/unit/mutation/).

/** One mutant of Stryker's JSON report, with the fields the checker reads. */
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending" | "Equivalent";
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** Stryker's JSON report (mutation-testing-report-schema), as far as the checker reads it. */
export interface Report {
  files: Record<string, { source?: string; mutants: ReportMutant[] }>;
}

export interface Score {
  total: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  invalid: number;
  ignored: number;
  /** Listed in the checked-in equivalent-mutant list and not detected: out of the score. */
  equivalent: number;
  pending: number;
  detected: number;
  valid: number;
  score: number | null;
}

export interface Targets {
  each?: number | undefined;
  overall?: number | undefined;
}

export function scoreMutants(mutants: ReportMutant[]): Score;
export function scoreReport(report: Report): { modules: Array<Score & { file: string }>; overall: Score };
export function findFailures(scores: { modules: Array<Score & { file: string }>; overall: Score }, targets: Targets): string[];
export function listSurvivors(report: Report): string[];
export function formatScore(score: number | null): string;
export function formatTable(scores: { modules: Array<Score & { file: string }>; overall: Score }): string;
export function parseArgs(argv: string[]): { report: string; each: number | undefined; overall: number | undefined; survivors: boolean; equivalents: string | undefined };
export function main(argv: string[], out?: (line: string) => void): number;

/** One entry of test/mutation/equivalent-mutants.json: one mutant, and why it is equivalent. */
export interface EquivalentMutant {
  file: string;
  mutator: string;
  original: string;
  replacement: string;
  line: string;
  reason: string;
}

export function parseEquivalents(list: unknown): EquivalentMutant[];
export function applyEquivalents(report: Report, equivalents: EquivalentMutant[]): string[];
