import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * End to end: a tiny repository made here with `git init`, served as a bare snapshot the way the
 * dev set's are laid out (`<owner>+<name>/repo`), evaluated by the real command.
 */
const root = mkdtempSync(path.join(tmpdir(), "eval-mapping-"));
const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
    },
  }).trim();

let first = "";
let second = "";

beforeAll(() => {
  const work = path.join(root, "work");
  mkdirSync(path.join(work, "pkg"), { recursive: true });
  git(root, "init", "-q", "-b", "main", work);
  writeFileSync(
    path.join(work, "pkg/parser.go"),
    'package pkg\n\nfunc ParseHeader(b []byte) error {\n\tif len(b) < 4 {\n\t\treturn errors.New("header too short")\n\t}\n\treturn nil\n}\n',
  );
  writeFileSync(
    path.join(work, "pkg/cache.go"),
    "package pkg\n\ntype Cache struct{}\n\nfunc (c *Cache) Evict(key string) {\n\tdelete(c.items, key)\n}\n",
  );
  writeFileSync(
    path.join(work, "pkg/parser_test.go"),
    'package pkg\n\nfunc TestParseHeader() { ParseHeader(nil) /* "header too short" */ }\n',
  );
  git(work, "add", ".");
  git(work, "commit", "-q", "-m", "one");
  first = git(work, "rev-parse", "HEAD");
  writeFileSync(
    path.join(work, "pkg/stats.py"),
    'def eviction_rate(hits, misses):\n    """Share of lookups that evicted."""\n    return misses / (hits + misses)\n',
  );
  // A fix at a module's top level: its gold "function" is the whole-file chunk. The function
  // beside it does not name the constant, so the file chunk is the clear best match (with
  // `return EVICTION_WINDOW_SECONDS` the two tie within 0.1% and the order follows the weights).
  writeFileSync(
    path.join(work, "pkg/limits.py"),
    "EVICTION_WINDOW_SECONDS = 0\n\n\ndef window():\n    return 60\n",
  );
  git(work, "add", ".");
  git(work, "commit", "-q", "-m", "two");
  second = git(work, "rev-parse", "HEAD");
  mkdirSync(path.join(root, "repos", "acme+tiny"), { recursive: true });
  git(root, "clone", "-q", "--bare", work, path.join(root, "repos", "acme+tiny", "repo"));
  const instances = [
    {
      id: "tiny-1",
      repo: "acme/tiny",
      commit: first,
      ticket: {
        subject: "Error: header too short",
        body: 'Parsing a 2-byte `ParseHeader` input fails with "header too short".',
      },
      gold: [{ path: "pkg/parser.go", lines: [5] }],
      meta: { language: "go" },
    },
    {
      id: "tiny-2",
      repo: "acme/tiny",
      commit: second,
      ticket: {
        subject: "eviction_rate divides by zero",
        body: "ZeroDivisionError in eviction_rate when the cache is empty",
      },
      gold: [{ path: "pkg/stats.py", lines: [3] }],
      meta: { language: "python" },
    },
    {
      id: "tiny-4",
      repo: "acme/tiny",
      commit: second,
      ticket: {
        subject: "EVICTION_WINDOW_SECONDS is zero in limits",
        body: "The default `EVICTION_WINDOW_SECONDS` of the limits module should not be zero.",
      },
      gold: [{ path: "pkg/limits.py", lines: [1] }],
      meta: { language: "python" },
    },
    {
      id: "tiny-3",
      repo: "acme/tiny",
      commit: "0000000000000000000000000000000000000000",
      ticket: { subject: "x", body: "y" },
      gold: [{ path: "pkg/cache.go", lines: [6] }],
      meta: { language: "go" },
    },
  ];
  writeFileSync(
    path.join(root, "dev.jsonl"),
    `${instances.map((i) => JSON.stringify(i)).join("\n")}\n`,
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("npm run eval:mapping", () => {
  it("indexes each commit from the bare snapshot, maps, and reports figures and JSON", () => {
    const out = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/eval-mapping.ts",
        "--data",
        path.join(root, "dev.jsonl"),
        "--repos",
        path.join(root, "repos"),
        "--json",
        path.join(root, "out.json"),
      ],
      { encoding: "utf8", cwd: path.resolve(__dirname, "../..") },
    );
    expect(out).toContain("| all | 3 | 100.0% | 100.0% | 1.000 |");
    expect(out).toMatch(/\| go \| 1 \|/);
    expect(out).toMatch(/\| python \| 2 \|/);
    expect(out).toContain("Query latency (wall): p50");
    expect(out).toContain("tiny-3: cannot read commit");
    const json = JSON.parse(readFileSync(path.join(root, "out.json"), "utf8"));
    // tiny-4's only right chunk is its file's top level: a hit only when file chunks count.
    expect(json).toMatchObject({
      n: 3,
      file_top1: 1,
      file_top5: 1,
      file_mrr: 1,
      function_top1: 2 / 3,
      function_top5: 2 / 3,
      function_top1_with_files: 1,
      function_top5_with_files: 1,
    });
    const moduleLevel = json.instances.find((i: { id: string }) => i.id === "tiny-4");
    expect(moduleLevel).toMatchObject({ function_rank: 0, function_rank_with_files: 1 });
    expect(moduleLevel.functions[0]).toMatchObject({ path: "pkg/limits.py", kind: "file" });
    const first = json.instances[0];
    expect(first.files[0]).toMatchObject({ path: "pkg/parser.go" });
    expect(first.functions[0]).toMatchObject({
      path: "pkg/parser.go",
      qname: "ParseHeader",
      start_line: 3,
      end_line: 8,
    });
    expect(first.files[0].confidence).toBeGreaterThan(0);
    expect(first.files.some((f: { path: string }) => f.path.endsWith("_test.go"))).toBe(false);
    // The snapshot is only read: no work tree appeared, HEAD is unchanged.
    expect(git(path.join(root, "repos", "acme+tiny", "repo"), "rev-parse", "HEAD")).toBe(second);
  }, 60_000);

  it("with --repo-vocabulary, learns each instance's table from the commits before its commit", () => {
    const cache = path.join(root, "vocabulary-cache");
    const run = (...extra: string[]) =>
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "scripts/eval-mapping.ts",
          "--data",
          path.join(root, "dev.jsonl"),
          "--repos",
          path.join(root, "repos"),
          "--json",
          path.join(root, "out-vocabulary.json"),
          "--repo-vocabulary-cache",
          cache,
          ...extra,
        ],
        { encoding: "utf8", cwd: path.resolve(__dirname, "../.."), stdio: "pipe" },
      );
    const out = run("--repo-vocabulary", "5");
    expect(out).toContain("Per-repository vocabulary");
    expect(out).toMatch(/\| acme\/tiny \| 3 \| 2 \|/);
    expect(out).toContain("| all | 3 | 100.0% | 100.0% | 1.000 |");
    const json = JSON.parse(readFileSync(path.join(root, "out-vocabulary.json"), "utf8"));
    // tiny-1 sits at the first commit (one commit to read), tiny-2 and tiny-4 at the second
    expect(
      json.repo_vocabulary.instances.map((v: { id: string; commitsRead: number }) => [
        v.id,
        v.commitsRead,
      ]),
    ).toEqual([
      ["tiny-1", 1],
      ["tiny-2", 2],
      ["tiny-4", 2],
    ]);
    expect(existsSync(path.join(cache, "acme+tiny.json"))).toBe(true);
    expect(() => run("--repo-vocabulary", "0")).toThrow(/at least 1/);
  }, 90_000);
});
