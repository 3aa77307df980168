import { stem } from "../code-index/tokenize";
import type { Chunk, TestFileRecord } from "../code-index/types";
import { Bm25fCollection, type FieldParams } from "./bm25f";
import type { ImportsOf } from "./import-graph";

/**
 * Tests as a bridge from a report's prose to the code: a repository's tests describe behaviour in
 * words (`it("keeps the offset west of Greenwich")`, `def test_timezone_offset_negative`), and
 * sit next to the code they exercise. Each test case (a test file's function or method chunks,
 * and its file-level chunk, where a JavaScript `it("…")` block stays) is a document of its prose
 * words, linked to the product files it is named after or imports and to the product functions
 * it calls by name. A report that matches a test's prose lifts what that test exercises
 * (`candidates/tests.ts`).
 */

/** Prose of a test case: its name split into words, its comments, its description strings. */
export const TEST_FIELDS: Record<string, FieldParams> = {
  name: { weight: 2, b: 0.3 },
  doc: { weight: 1, b: 0.6 },
  str: { weight: 1.2, b: 0.6 },
};

/** Weight of each kind of link: the file a test is named after is surely what it exercises. */
export const LINK_WEIGHT = { named: 1, imported: 0.5, called: 0.5 } as const;

export interface TestCase {
  repo: string;
  /** Path of the test file. */
  path: string;
  /** Qualified name of the test chunk (`<file>` for a file's top-level code). */
  name: string;
  /** Product file id → link weight (the strongest link wins). */
  files: Map<number, number>;
  /** Product chunks the test calls by name. */
  chunks: number[];
  /** Weight of each call link: a test calling many functions says less about each. */
  callWeight: number;
  /** The test chunk itself (its prose is what a report is matched against). */
  chunk: Chunk;
}

/** What linking needs of the search index. */
export interface TestLinkContext {
  files: readonly { repo: string; record: { path: string } }[];
  chunks: readonly { file: number; chunk: Chunk }[];
  /** Product files whose module is named so (`SearchIndex.filesNamed`). */
  filesNamed(name: string): number[];
  importsOf: ImportsOf;
}

/**
 * Folder names that say where tests or sources live and nothing about the code under test: left
 * out when comparing a test's folders with those of the files it may be named after.
 */
const TEST_DIRS = new Set([
  "test",
  "tests",
  "__tests__",
  "spec",
  "specs",
  "testing",
  "unit",
  "integration",
  "src",
  "java",
  "kotlin",
  "main",
]);

/**
 * The module a test file is named after, normalised like `SearchIndex.filesNamed` (lower case,
 * no underscores), or undefined when its name says only "test": `foo_test.go`, `test_foo.py`,
 * `foo_test.py`, `foo.test.ts`, `foo.spec.js`, `__tests__/foo.ts`, `FooTest.java`,
 * `FooTests.java`, `TestFoo.java`, `tests/foo.rs`, `test-foo.c` → `foo`; `pkg/tests.py` and
 * `foo/index.test.ts` → the folder (`pkg`, `foo`).
 */
export function testSubject(path: string): string | undefined {
  const segs = path.split("/");
  const file = segs[segs.length - 1] ?? "";
  let base = file.replace(/\.[^.]+$/, "").replace(/\.(test|spec|test-d|tests)$/i, "");
  base = base
    .replace(/([_.-]tests?|[_.-]spec)$/i, "")
    .replace(/^tests?[_.-]/i, "")
    .replace(/(?<=[a-z0-9])(Tests?|IT|TestCase|Spec)$/, "")
    .replace(/^Test(?=[A-Z])/, "");
  if (/^(tests?|spec|index|mod|__init__)?$/i.test(base)) {
    // Named after nothing but "test", or after a folder module: the folder it tests.
    const dirs = segs.slice(0, -1).filter((d) => !TEST_DIRS.has(d.toLowerCase()));
    const folder = dirs[dirs.length - 1];
    return folder ? normalise(folder) : undefined;
  }
  return normalise(base);
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/_/g, "");
}

/** Directory segments of a path that say something (not `test`, `src`, …). */
function dirWords(path: string): Set<string> {
  return new Set(
    path
      .toLowerCase()
      .split("/")
      .slice(0, -1)
      .filter((d) => !TEST_DIRS.has(d)),
  );
}

/**
 * The product files a test file is named after: of the files whose module has the test's
 * subject name, those sharing most folders with the test (a Go `foo_test.go` → `foo.go` beside
 * it; `tests/test_foo.py` → `pkg/foo.py`); none when more than three tie.
 */
export function namedAfter(ctx: TestLinkContext, repo: string, path: string): number[] {
  const subject = testSubject(path);
  if (!subject) return [];
  const candidates = ctx.filesNamed(subject).filter((id) => ctx.files[id]?.repo === repo);
  if (candidates.length <= 1) return candidates;
  const mine = dirWords(path);
  let best = -1;
  let picked: number[] = [];
  for (const id of candidates) {
    const theirs = dirWords(ctx.files[id]?.record.path ?? "");
    let shared = 0;
    for (const d of theirs) if (mine.has(d)) shared++;
    // A file in the test's own folder (Go, `__tests__` beside the module) is the closest.
    const dir = (ctx.files[id]?.record.path ?? "").split("/").slice(0, -1).join("/");
    const testDir = path.split("/").slice(0, -1);
    const sameDir =
      dir === testDir.join("/") ||
      (testDir.at(-1) === "__tests__" && dir === testDir.slice(0, -1).join("/"));
    const score = shared + (sameDir ? 100 : 0);
    if (score > best) {
      best = score;
      picked = [id];
    } else if (score === best) picked.push(id);
  }
  return picked.length <= 3 ? picked : [];
}

/**
 * Product definitions by the term an identifier that calls them becomes in a chunk's `id` field
 * (lower case, no underscores, stemmed): names of at least four letters defined in at most three
 * files, so a test calling `run` or `get` links to nothing.
 */
export function callableNames(ctx: TestLinkContext): Map<string, number[]> {
  const byTerm = new Map<string, number[]>();
  ctx.chunks.forEach((c, id) => {
    if (c.chunk.kind === "file" || c.chunk.name.length < 4) return;
    const term = stem(c.chunk.name.toLowerCase().replace(/[_$]+/g, ""));
    const list = byTerm.get(term);
    if (list) list.push(id);
    else byTerm.set(term, [id]);
  });
  for (const [term, ids] of byTerm) {
    if (new Set(ids.map((id) => ctx.chunks[id]?.file)).size > 3) byTerm.delete(term);
  }
  return byTerm;
}

/** The test cases of one test file, each with its links; cases that link nothing are left out. */
export function linkTestFile(
  ctx: TestLinkContext,
  callable: ReadonlyMap<string, number[]>,
  repo: string,
  test: TestFileRecord,
): TestCase[] {
  const fileLinks = new Map<number, number>();
  const put = (links: Map<number, number>, id: number, w: number): void => {
    links.set(id, Math.max(links.get(id) ?? 0, w));
  };
  const imported = [...new Set(ctx.importsOf(repo, test.path, test.imports))];
  // A test importing many modules says less about each (helpers, fixtures, the whole package).
  const importWeight = Math.min(LINK_WEIGHT.imported, (3 * LINK_WEIGHT.imported) / imported.length);
  for (const id of imported) put(fileLinks, id, importWeight);
  for (const id of namedAfter(ctx, repo, test.path)) put(fileLinks, id, LINK_WEIGHT.named);
  const cases: TestCase[] = [];
  for (const chunk of test.chunks) {
    if (chunk.kind === "class" || chunk.kind === "impl" || chunk.kind === "type") continue;
    const files = new Map(fileLinks);
    const chunks: number[] = [];
    const called = new Set<number>();
    for (const term of Object.keys(chunk.fields.id ?? {})) {
      for (const id of callable.get(term) ?? []) {
        chunks.push(id);
        const file = ctx.chunks[id]?.file;
        if (file !== undefined) called.add(file);
      }
    }
    // Like imports: a test calling into many files (helpers, setup) says less about each.
    const calledWeight = Math.min(LINK_WEIGHT.called, (3 * LINK_WEIGHT.called) / called.size);
    for (const file of called) put(files, file, calledWeight);
    if (files.size === 0 && chunks.length === 0) continue;
    chunks.sort((a, b) => a - b);
    const callWeight = Math.min(1, 3 / Math.max(1, chunks.length));
    cases.push({ repo, path: test.path, name: chunk.qname, files, chunks, callWeight, chunk });
  }
  return cases;
}

/** A test case's prose as BM25F fields (name words, comments, strings). */
export function proseFields(chunk: Chunk): Record<string, Record<string, number> | undefined> {
  return { name: chunk.fields.name, doc: chunk.fields.doc, str: chunk.fields.str };
}

/** The collection of test cases' prose, searched like the code itself. */
export function newTestCollection(): Bm25fCollection {
  return new Bm25fCollection(TEST_FIELDS);
}
