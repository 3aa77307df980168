import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

export interface SuiteCount {
  passed: number;
  failed: number;
  skipped: number;
  /** "file › test: first line of the error", so a CI log names what failed without the full output. */
  failures?: string[];
  /** The files that took longest, seconds each, longest first (where CI time goes). */
  slowest?: Array<[string, number]>;
}

const SLOWEST = 5;

function topFiles(seconds: Map<string, number>): Array<[string, number]> {
  return [...seconds].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
}

const ZERO: SuiteCount = { passed: 0, failed: 0, skipped: 0 };

const firstLine = (text: string | undefined) =>
  stripVTControlCharacters(text ?? "")
    .split("\n")
    .find((l) => l.trim()) ?? "";

/** A run that failed with no failed test (an unhandled error, a crash) still names something. */
function withExitCode(failures: string[], failed: number, exitCode: number): string[] {
  return failed === 0 && exitCode !== 0
    ? [...failures, `exit code ${exitCode} with no failed test (an unhandled error? see above)`]
    : failures;
}

/** Counts from Vitest's JSON reporter. A run that crashed before writing it counts as one failure. */
export function vitestCounts(file: string, exitCode: number): SuiteCount {
  if (!existsSync(file)) return { ...ZERO, failed: exitCode === 0 ? 0 : 1 };
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: Array<{
      name: string;
      status: string;
      message?: string;
      startTime?: number;
      endTime?: number;
      assertionResults: Array<{ fullName: string; status: string; failureMessages?: string[] }>;
    }>;
  };
  const root = process.cwd();
  const failures = (r.testResults ?? []).flatMap((f) => {
    const file = path.relative(root, f.name);
    const tests = f.assertionResults
      .filter((t) => t.status === "failed")
      .map((t) => `${file} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    return tests.length || f.status !== "failed" ? tests : [`${file}: ${firstLine(f.message)}`];
  });
  // A file that fails to load has no assertions but a failed status: count it, never lose it.
  const brokenFiles = (r.testResults ?? []).filter(
    (t) => t.status === "failed" && t.assertionResults.length === 0,
  ).length;
  const failed = r.numFailedTests + brokenFiles;
  const seconds = new Map(
    (r.testResults ?? []).map((f) => [
      path.relative(root, f.name),
      ((f.endTime ?? 0) - (f.startTime ?? 0)) / 1000,
    ]),
  );
  return {
    passed: r.numPassedTests,
    failed: failed === 0 && exitCode !== 0 ? 1 : failed,
    skipped: r.numPendingTests + r.numTodoTests,
    failures: withExitCode(failures, failed, exitCode),
    slowest: topFiles(seconds),
  };
}

/** Counts from Playwright's JSON reporter. */
export function playwrightCounts(file: string, exitCode: number): SuiteCount {
  if (!existsSync(file)) return { ...ZERO, failed: exitCode === 0 ? 0 : 1 };
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    errors?: Array<{ message?: string }>;
    suites?: PlaywrightSuite[];
  };
  const failures = [
    ...(r.suites ?? []).flatMap((s) => playwrightFailures(s)),
    ...(r.suites ?? [])
      .flatMap((s) => playwrightFailures(s, "flaky"))
      .map((f) => `flaky, passed on retry: ${f}`),
    ...(r.errors ?? []).map((e) => `error: ${firstLine(e.message)}`),
  ];
  const failed = r.stats.unexpected + (r.errors?.length ?? 0);
  const seconds = new Map<string, number>();
  for (const s of r.suites ?? []) playwrightSeconds(s, seconds);
  return {
    passed: r.stats.expected + r.stats.flaky,
    failed: failed === 0 && exitCode !== 0 ? 1 : failed,
    skipped: r.stats.skipped,
    failures: withExitCode(failures, failed, exitCode),
    slowest: topFiles(seconds),
  };
}

interface PlaywrightSuite {
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: Array<{
    title: string;
    file: string;
    tests: Array<{
      status: string;
      results: Array<{ duration?: number; error?: { message?: string } }>;
    }>;
  }>;
}

function playwrightFailures(
  suite: PlaywrightSuite,
  status: "unexpected" | "flaky" = "unexpected",
): string[] {
  const own = (suite.specs ?? []).flatMap((spec) =>
    spec.tests
      .filter((t) => t.status === status)
      .map((t) => `${spec.file} › ${spec.title}: ${firstLine(t.results.at(-1)?.error?.message)}`),
  );
  return [...own, ...(suite.suites ?? []).flatMap((s) => playwrightFailures(s, status))];
}

/** Seconds each spec file's tests ran, retries included (workers run files side by side). */
function playwrightSeconds(suite: PlaywrightSuite, into: Map<string, number>): void {
  for (const spec of suite.specs ?? []) {
    const ms = spec.tests.flatMap((t) => t.results).reduce((a, r) => a + (r.duration ?? 0), 0);
    into.set(spec.file, (into.get(spec.file) ?? 0) + ms / 1000);
  }
  for (const s of suite.suites ?? []) playwrightSeconds(s, into);
}
