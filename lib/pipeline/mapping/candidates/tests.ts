import type { QuerySignals } from "../signals";
import type { CandidateSet } from "./candidate-set";

/** Test cases considered per query: the best-matching ones carry the evidence. */
const TOP_CASES = 200;

/**
 * Test evidence: the report's words scored against the prose of the repository's tests (their
 * names, comments and description strings, `test-links.ts`), and each matching test's score
 * carried to the product files it is named after, imports or calls (times the link's weight)
 * and to the functions it calls. Divided by the best direct word match of a chunk (test cases
 * are chunk-sized), capped at 2, so the feature says how well the tests' words fit beside what
 * the code's own words do; a file gets its best test's value, not a sum, so a hub exercised by
 * every test is not lifted by their number. Files and functions reached only through tests
 * become candidates too.
 */
export function addTests(set: CandidateSet, signals: QuerySignals, maxChunk: number): void {
  const { index } = set;
  if (index.testCases.length === 0) return;
  const scores = index.testCollection.score(signals.terms);
  if (scores.size === 0) return;
  const top = [...scores]
    .map(([id, s]) => ({ id, score: s.total }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, TOP_CASES);
  const scale = Math.max(maxChunk, 1e-9);
  for (const { id, score } of top) {
    const test = index.testCases[id];
    if (!test) continue;
    const v = Math.min(2, score / scale);
    const what = `${test.name === "<file>" ? "tests" : test.name} in ${test.path}`;
    for (const [file, w] of test.files) {
      const c = set.file(file);
      if (v * w > c.x.tests) {
        c.x.tests = v * w;
        c.notes.tests = [what];
      }
    }
    for (const chunk of test.chunks) {
      const c = set.chunk(chunk);
      if (v * test.callWeight > c.x.tests) {
        c.x.tests = v * test.callWeight;
        c.notes.tests = [what];
      }
    }
  }
}
