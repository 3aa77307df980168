import { existsSync, readFileSync } from "node:fs";

export interface SuiteCount {
  passed: number;
  failed: number;
  skipped: number;
}

const ZERO: SuiteCount = { passed: 0, failed: 0, skipped: 0 };

/** Counts from Vitest's JSON reporter. A run that crashed before writing it counts as one failure. */
export function vitestCounts(file: string, exitCode: number): SuiteCount {
  if (!existsSync(file)) return { ...ZERO, failed: exitCode === 0 ? 0 : 1 };
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: Array<{ status: string; assertionResults: unknown[] }>;
  };
  // A file that fails to load has no assertions but a failed status: count it, never lose it.
  const brokenFiles = (r.testResults ?? []).filter(
    (t) => t.status === "failed" && t.assertionResults.length === 0,
  ).length;
  const failed = r.numFailedTests + brokenFiles;
  return {
    passed: r.numPassedTests,
    failed: failed === 0 && exitCode !== 0 ? 1 : failed,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

/** Counts from Playwright's JSON reporter. */
export function playwrightCounts(file: string, exitCode: number): SuiteCount {
  if (!existsSync(file)) return { ...ZERO, failed: exitCode === 0 ? 0 : 1 };
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    errors?: unknown[];
  };
  const failed = r.stats.unexpected + (r.errors?.length ?? 0);
  return {
    passed: r.stats.expected + r.stats.flaky,
    failed: failed === 0 && exitCode !== 0 ? 1 : failed,
    skipped: r.stats.skipped,
  };
}
