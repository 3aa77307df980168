import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chunk } from "@/lib/pipeline/code-index/types";
import { extractFixPairs, placesOf } from "@/lib/pipeline/mapping/training/extract";
import { parseHunks } from "@/lib/pipeline/mapping/training/git-history";

/**
 * A tiny repository made here with `git init`, its history shaped like a real one: a fix, a bot's
 * bump, a test-only change, a sweep over many files, an insertion between functions. Extraction
 * reads its bare clone, as it reads the public snapshots.
 */
const root = mkdtempSync(path.join(tmpdir(), "fix-pairs-"));
const work = path.join(root, "work");
const bare = path.join(root, "repo");
let when = 1_700_000_000;

function git(cwd: string, args: string[], author = "Jane Doe <jane@example.com>"): string {
  const [, name, email] = /^(.*) <(.*)>$/.exec(author) ?? [];
  when += 60;
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
      GIT_AUTHOR_DATE: `${when} +0000`,
      GIT_COMMITTER_DATE: `${when} +0000`,
    },
  }).trim();
}

function commit(files: Record<string, string>, message: string, author?: string): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, p)), { recursive: true });
    writeFileSync(path.join(work, p), text);
  }
  git(work, ["add", "-A"]);
  git(work, ["commit", "-q", "-m", message], author);
  return git(work, ["rev-parse", "HEAD"]);
}

const CONN_V1 = [
  "package conn", // 1
  "", // 2
  "// Conn is a pooled connection.", // 3
  "type Conn struct{ closed bool }", // 4
  "", // 5
  "func (c *Conn) Close() error {", // 6
  "\tc.closed = true", // 7
  "\treturn nil", // 8
  "}", // 9
  "", // 10
  "func Dial(addr string) (*Conn, error) {", // 11
  '\tif addr == "" {', // 12
  '\t\treturn nil, errors.New("empty address")', // 13
  "\t}", // 14
  "\treturn &Conn{}, nil", // 15
  "}", // 16
  "",
].join("\n");

const sha: Record<string, string> = {};

beforeAll(() => {
  git(root, ["init", "-q", "-b", "main", work]);
  sha.initial = commit({ "conn/conn.go": CONN_V1, "README.md": "# conn\n" }, "Initial commit");
  sha.fix = commit(
    {
      "conn/conn.go": CONN_V1.replace(
        "\tc.closed = true\n",
        "\tif c.closed {\n\t\treturn ErrClosed\n\t}\n\tc.closed = true\n",
      ),
      "conn/conn_test.go": "package conn\n\nfunc TestCloseTwice() {}\n",
    },
    "Return ErrClosed when a connection is closed twice\n\nA second Close used to succeed silently.\n\nSigned-off-by: Jane Doe <jane@example.com>",
  );
  sha.bump = commit(
    { "conn/conn.go": `${CONN_V1.replace("\tc.closed = true\n", "\tc.closed = true // v2\n")}` },
    "Bump golang.org/x/net from 0.1.0 to 0.2.0",
    "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
  );
  sha.testOnly = commit(
    { "conn/conn_test.go": "package conn\n\nfunc TestCloseTwice() { _ = 1 }\n" },
    "Cover closing twice in the tests",
  );
  const sweep: Record<string, string> = {};
  for (let i = 0; i < 16; i++) sweep[`gen/f${i}.go`] = `package gen\n\nfunc F${i}() {}\n`;
  sha.sweep = commit(sweep, "Add sixteen generated helpers for the wire format");
  sha.insert = commit(
    {
      "conn/conn.go": `${CONN_V1.replace("\tc.closed = true\n", "\tc.closed = true // v2\n")}\nfunc Ping() {}\n`,
    },
    "Add Ping so callers can probe a dialled address",
  );
  git(root, ["clone", "-q", "--bare", work, bare]);
  mkdirSync(path.join(root, "mirrors", "acme+conn"), { recursive: true });
  git(root, ["clone", "-q", "--bare", work, path.join(root, "mirrors", "acme+conn", "repo")]);
  mkdirSync(path.join(root, "mirrors", "BurntSushi+ripgrep"), { recursive: true });
  git(root, [
    "clone",
    "-q",
    "--bare",
    work,
    path.join(root, "mirrors", "BurntSushi+ripgrep", "repo"),
  ]);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("parseHunks", () => {
  it("reads removed lines and insertion points of the parent version", () => {
    const patch = [
      "diff --git a/x.go b/x.go",
      "index 1..2 100644",
      "--- a/x.go",
      "+++ b/x.go",
      "@@ -7 +7,4 @@ func (c *Conn) Close() error {",
      "-\tc.closed = true",
      "+\tif c.closed {",
      "@@ -20,0 +24,2 @@",
      "+\tx := 1",
      "@@ -30,2 +35,0 @@",
      "--- a/not-a-header", // a removed line that starts with `-- `
      "-\ty := 2",
      "diff --git a/new.go b/new.go",
      "--- /dev/null",
      "+++ b/new.go",
      "@@ -0,0 +1 @@",
      "+package x",
    ].join("\n");
    const hunks = parseHunks(patch);
    expect([...hunks.keys()]).toEqual(["x.go"]);
    expect(hunks.get("x.go")).toEqual({ removed: [7, 30, 31], inserted: [20] });
  });
});

describe("placesOf", () => {
  const chunk = (name: string, kind: Chunk["kind"], start: number, end: number): Chunk => ({
    name,
    qname: name,
    kind,
    startLine: start,
    endLine: end,
    parent: kind === "file" ? -1 : 0,
    fields: { id: { [name.toLowerCase()]: 1 } },
  });
  const chunks = [
    chunk("<file>", "file", 1, 30),
    chunk("Outer", "class", 3, 20),
    chunk("inner", "method", 5, 10),
  ];

  it("maps a changed line to its innermost chunk, once per chunk, in file order", () => {
    const places = placesOf("src/outer.go", chunks, { removed: [8, 6, 15, 25], inserted: [] });
    expect(places.map((p) => p.name)).toEqual([null, "Outer", "inner"]);
    expect(places[2]?.terms).toEqual(["inner", "outer", "src"]);
  });

  it("leaves out test code kept inside a source file", () => {
    const withTests = [
      chunk("<file>", "file", 1, 40),
      chunk("parse", "function", 2, 10),
      { ...chunk("tests", "module", 20, 40), qname: "tests" },
      { ...chunk("empty_input", "function", 22, 30), qname: "tests::empty_input" },
    ];
    const places = placesOf("src/lib.rs", withTests, { removed: [5, 21, 25], inserted: [] });
    expect(places.map((p) => p.name)).toEqual(["parse"]);
  });

  it("counts an insertion only inside a function, class or type", () => {
    expect(placesOf("a.go", chunks, { removed: [], inserted: [25] })).toEqual([]);
    expect(placesOf("a.go", chunks, { removed: [], inserted: [9] }).map((p) => p.name)).toEqual([
      "inner",
    ]);
  });
});

describe("extractFixPairs", () => {
  it("pairs a fix's cleaned message with the parent version of the function it changed", async () => {
    const { pairs, stats } = await extractFixPairs(bare, "acme/conn");
    expect(stats.head).toBe(sha.insert);
    expect(stats.commitsRead).toBe(6);
    expect(pairs.map((p) => p.source)).toEqual([`acme/conn@${sha.insert}`, `acme/conn@${sha.fix}`]);
    const fix = pairs[1];
    expect(fix?.text).toBe(
      "Return ErrClosed when a connection is closed twice\n\nA second Close used to succeed silently.",
    );
    // The test file is left out; the place is the method of the parent version.
    expect(fix?.code.map((c) => [c.path, c.name])).toEqual([["conn/conn.go", "Conn.Close"]]);
    expect(fix?.code[0]?.terms).toEqual(expect.arrayContaining(["clos", "conn"]));
    expect(fix?.code[0]?.terms).not.toContain("dial");
    // Code appended after a function's last line counts for that function, as gold lines do.
    expect(pairs[0]?.code.map((c) => c.name)).toEqual(["Dial"]);
    expect(stats.skipped).toEqual({
      bot: 1,
      root: 1,
      "no-source": 1,
      "too-many-files": 1,
    });
    expect(stats.pairs).toBe(2);
    expect(stats.languages).toEqual({ go: 2 });
  });

  it("gives the same pairs on every run", async () => {
    const a = await extractFixPairs(bare, "acme/conn");
    const b = await extractFixPairs(bare, "acme/conn");
    expect(JSON.stringify(b.pairs)).toBe(JSON.stringify(a.pairs));
  });

  it("skips a commit whose parent blob the snapshot lacks, and goes on", async () => {
    const partial = path.join(root, "partial.git");
    git(root, ["clone", "-q", "--bare", "--no-local", work, partial]);
    // Unpack so one object can be removed, as a size-capped snapshot leaves its largest out.
    const blob = git(partial, ["rev-parse", `${sha.initial}:conn/conn.go`]);
    const packs = path.join(partial, "objects", "pack");
    for (const pack of readdirSync(packs).filter((f) => f.endsWith(".pack"))) {
      const bytes = readFileSync(path.join(packs, pack));
      rmSync(path.join(packs, pack));
      rmSync(path.join(packs, pack.replace(/\.pack$/, ".idx")));
      execFileSync("git", ["--git-dir", partial, "unpack-objects", "-q"], { input: bytes });
    }
    rmSync(path.join(partial, "objects", blob.slice(0, 2), blob.slice(2)));
    const { pairs, stats } = await extractFixPairs(partial, "acme/conn");
    expect(pairs.map((p) => p.source)).toEqual([`acme/conn@${sha.insert}`]);
    expect(stats.skipped.unreadable).toBe(1);
  });

  it("walks back from a given commit and stops at the commit limit", async () => {
    const { pairs, stats } = await extractFixPairs(bare, "acme/conn", {
      rev: sha.fix,
      maxCommits: 1,
    });
    expect(stats.commitsRead).toBe(1);
    expect(pairs.map((p) => p.source)).toEqual([`acme/conn@${sha.fix}`]);
  });
});

describe("npm run train:pairs", () => {
  it("writes each repository's pairs and manifest entry, and refuses a benchmark repository", () => {
    const out = path.join(root, "corpus");
    const run = () =>
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "scripts/extract-fix-pairs.ts",
          "--repos",
          path.join(root, "mirrors"),
          "--out",
          out,
          "--repo",
          "acme/conn,BurntSushi/ripgrep",
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
    expect(run()).toMatch(/acme\/conn: 2 pairs from 6 commits/);
    const lines = readFileSync(path.join(out, "pairs", "acme+conn.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(lines.map((l) => JSON.parse(l).source)).toEqual([
      `acme/conn@${sha.insert}`,
      `acme/conn@${sha.fix}`,
    ]);
    expect(existsSync(path.join(out, "pairs", "BurntSushi+ripgrep.jsonl"))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(Object.keys(manifest)).toEqual(["acme/conn"]);
    expect(manifest["acme/conn"]).toMatchObject({
      language: "go",
      head: sha.insert,
      commitsRead: 6,
      pairs: 2,
      maxCommits: 1500,
    });
    // Deterministic: a second run writes the same bytes.
    const before = readFileSync(path.join(out, "pairs", "acme+conn.jsonl"), "utf8");
    run();
    expect(readFileSync(path.join(out, "pairs", "acme+conn.jsonl"), "utf8")).toBe(before);
    // Two runs of the real command (tsx start-up included) on 2 shared cores.
  }, 90_000);
});
