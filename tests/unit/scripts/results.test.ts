import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { playwrightCounts, vitestCounts } from "@/scripts/lib/results";

const dir = mkdtempSync(path.join(tmpdir(), "results-"));
const write = (name: string, body: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
};

describe("suite results", () => {
  it("names each failed Vitest test and each file that failed to load, colours stripped", () => {
    const file = write("vitest.json", {
      numPassedTests: 2,
      numFailedTests: 1,
      numPendingTests: 0,
      numTodoTests: 1,
      testResults: [
        {
          name: path.join(process.cwd(), "tests/unit/a.test.ts"),
          status: "failed",
          assertionResults: [
            { fullName: "a works", status: "passed" },
            {
              fullName: "a fails",
              status: "failed",
              failureMessages: ["\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at x"],
            },
          ],
        },
        {
          name: path.join(process.cwd(), "tests/unit/b.test.ts"),
          status: "failed",
          message: "\nSyntaxError: Unexpected token",
          assertionResults: [],
        },
      ],
    });
    expect(vitestCounts(file, 1)).toEqual({
      passed: 2,
      failed: 2,
      skipped: 1,
      failures: [
        "tests/unit/a.test.ts › a fails: AssertionError: expected 1 to be 2",
        "tests/unit/b.test.ts: SyntaxError: Unexpected token",
      ],
      slowest: expect.any(Array),
    });
  });

  it("names each unexpected Playwright test inside nested suites, and global errors", () => {
    const file = write("pw.json", {
      stats: { expected: 3, unexpected: 1, flaky: 1, skipped: 0 },
      errors: [{ message: "Error: webServer failed" }],
      suites: [
        {
          file: "team.spec.ts",
          specs: [
            { title: "ok", file: "team.spec.ts", tests: [{ status: "expected", results: [] }] },
          ],
          suites: [
            {
              specs: [
                {
                  title: "invites",
                  file: "team.spec.ts",
                  tests: [
                    {
                      status: "unexpected",
                      results: [
                        { error: { message: "first try" } },
                        { error: { message: "Timeout 5000ms" } },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(playwrightCounts(file, 1)).toEqual({
      passed: 4,
      failed: 2,
      skipped: 0,
      failures: ["team.spec.ts › invites: Timeout 5000ms", "error: Error: webServer failed"],
      slowest: expect.any(Array),
    });
  });

  it("lists the slowest files, longest first, a spec's retries and nested suites summed", () => {
    const files = Array.from({ length: 7 }, (_, i) => ({
      name: path.join(process.cwd(), `tests/unit/f${i}.test.ts`),
      status: "passed",
      startTime: 1_000,
      endTime: 1_000 + (i + 1) * 500,
      assertionResults: [],
    }));
    const v = write("slow.json", {
      numPassedTests: 7,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: files,
    });
    expect(vitestCounts(v, 0).slowest).toEqual([
      ["tests/unit/f6.test.ts", 3.5],
      ["tests/unit/f5.test.ts", 3],
      ["tests/unit/f4.test.ts", 2.5],
      ["tests/unit/f3.test.ts", 2],
      ["tests/unit/f2.test.ts", 1.5],
    ]);
    const pw = write("pw-slow.json", {
      stats: { expected: 2, unexpected: 0, flaky: 1, skipped: 0 },
      suites: [
        {
          file: "a.spec.ts",
          specs: [
            {
              title: "x",
              file: "a.spec.ts",
              tests: [{ status: "flaky", results: [{ duration: 4_000 }, { duration: 3_000 }] }],
            },
          ],
          suites: [
            {
              specs: [
                {
                  title: "y",
                  file: "a.spec.ts",
                  tests: [{ status: "expected", results: [{ duration: 500 }] }],
                },
              ],
            },
          ],
        },
        {
          file: "b.spec.ts",
          specs: [
            {
              title: "z",
              file: "b.spec.ts",
              tests: [{ status: "expected", results: [{ duration: 9_000 }] }],
            },
          ],
        },
      ],
    });
    expect(playwrightCounts(pw, 0).slowest).toEqual([
      ["b.spec.ts", 9],
      ["a.spec.ts", 7.5],
    ]);
  });

  it("counts a run that wrote no report and exited non-zero as one failure", () => {
    expect(vitestCounts(path.join(dir, "missing.json"), 1)).toMatchObject({ failed: 1 });
  });

  it("names a run whose tests all passed but which exited non-zero (an unhandled error)", () => {
    const file = write("unhandled.json", {
      numPassedTests: 3,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [],
    });
    expect(vitestCounts(file, 1)).toMatchObject({
      passed: 3,
      failed: 1,
      failures: ["exit code 1 with no failed test (an unhandled error? see above)"],
    });
  });
});
