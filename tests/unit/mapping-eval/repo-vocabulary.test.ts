import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "@/lib/pipeline/code-index/builder";
import { gitSourceFiles } from "@/lib/pipeline/code-index/git-source";
import { tokenize } from "@/lib/pipeline/code-index/tokenize";
import type { BridgeTable } from "@/lib/pipeline/mapping/vocabulary/types";
import {
  ancestorWindow,
  parseLogPatches,
  RepoHistory,
  readCommits,
  repoVocabulary,
} from "@/lib/pipeline/mapping-eval/repo-vocabulary";

/**
 * The evaluation's per-repository vocabulary reads only the history before an instance's commit:
 * a repository made here has two fixes before the instance's commit, the instance's own fix
 * after it, and a side branch that never reached it; only the first two may teach the table
 * anything. (Two, because a commit that only adds files is no fix, and one pair alone teaches
 * nothing: every word of it goes with every term.)
 */
const root = mkdtempSync(path.join(tmpdir(), "repo-vocabulary-"));
const work = path.join(root, "work");
const bare = path.join(root, "repo");
let when = 1_700_000_000;

function git(cwd: string, args: string[]): string {
  when += 60;
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Jane Doe",
      GIT_AUTHOR_EMAIL: "jane@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
      GIT_AUTHOR_DATE: `${when} +0000`,
      GIT_COMMITTER_DATE: `${when} +0000`,
    },
  }).trim();
}

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
  writeFileSync(path.join(work, rel), text);
}

function commit(message: string): string {
  git(work, ["add", "-A"]);
  git(work, ["commit", "-q", "-m", message]);
  return git(work, ["rev-parse", "HEAD"]);
}

const CLOCK_V1 =
  "package clock\n\nfunc LocalDayStart(t int) int {\n\treturn t - t%86400\n}\n\nfunc UtcOffset(zone string) int {\n\treturn 0\n}\n";
const CLOCK_V2 =
  'package clock\n\nfunc LocalDayStart(t int) int {\n\treturn t - t%86400 + UtcOffset("local")\n}\n\nfunc UtcOffset(zone string) int {\n\treturn 0\n}\n';
const STAMP_V1 = "package clock\n\nfunc PadMinutes(m int) string {\n\treturn fmt.Sprint(m)\n}\n";
const STAMP_V2 =
  'package clock\n\nfunc PadMinutes(m int) string {\n\treturn fmt.Sprintf("%02d", m)\n}\n';
const CLOCK_V3 =
  'package clock\n\nfunc LocalDayStart(t int) int {\n\treturn t - t%86400 + UtcOffset("local")\n}\n\nfunc UtcOffset(zone string) int {\n\tif zone == "" {\n\t\treturn 0\n\t}\n\treturn 3600\n}\n';

let initial = "";
let otherFix = "";
let earlierFix = "";
let instance = "";
let sideFix = "";
let laterFix = "";

beforeAll(() => {
  git(root, ["init", "-q", "-b", "main", work]);
  write("clock/clock.go", CLOCK_V1);
  write("README.md", "# clock\n");
  write("clock/stamp.go", STAMP_V1);
  initial = commit("Initial import of the clock package");
  write("clock/stamp.go", STAMP_V2);
  otherFix = commit("Fix padding of single digit minutes in printed stamps");
  write("clock/clock.go", CLOCK_V2);
  write("README.md", "# clock\n\nDays start at local midnight.\n");
  earlierFix = commit("Fix summary timezone west of greenwich");
  git(work, ["mv", "README.md", "NOTES.md"]);
  write("clock/extra.go", "package clock\n\nfunc Extra() int {\n\treturn 1\n}\n");
  instance = commit("Move the readme and add an extra helper");
  // a side branch that is never merged into main
  git(work, ["checkout", "-q", "-b", "side"]);
  write("clock/clock.go", CLOCK_V3);
  sideFix = commit("Zebra quagga okapi in the offset");
  git(work, ["checkout", "-q", "main"]);
  // the instance's own fix, after its commit
  write("clock/clock.go", CLOCK_V3);
  git(work, ["rm", "-q", "clock/extra.go"]);
  laterFix = commit("Narwhal platypus axolotl in the offset");
  git(root, ["clone", "-q", "--bare", work, bare]);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const stems = (text: string) => [...new Set(tokenize(text))];

describe("ancestorWindow", () => {
  it("lists only the commit and its ancestors, newest first", () => {
    expect(ancestorWindow(bare, instance, 300)).toEqual([instance, earlierFix, otherFix, initial]);
    expect(ancestorWindow(bare, laterFix, 300)).toEqual([
      laterFix,
      instance,
      earlierFix,
      otherFix,
      initial,
    ]);
  });

  it("never includes a later commit or one of another branch", () => {
    const w = ancestorWindow(bare, instance, 300);
    expect(w).not.toContain(laterFix);
    expect(w).not.toContain(sideFix);
  });

  it("stops after n commits", () => {
    expect(ancestorWindow(bare, instance, 2)).toEqual([instance, earlierFix]);
    expect(ancestorWindow(bare, instance, 0)).toEqual([]);
  });
});

describe("readCommits / parseLogPatches", () => {
  it("gives each commit's source files with status and patch, as the commit API would", () => {
    const [later, inst, fix] = readCommits(bare, [laterFix, instance, earlierFix]);
    expect(fix?.message).toBe("Fix summary timezone west of greenwich");
    expect(fix?.parents).toBe(1);
    expect(fix?.author).toEqual({ name: "Jane Doe", email: "jane@example.com" });
    // README.md is no source: dropped; the Go file's patch starts at its hunk
    expect(fix?.files.map((f) => [f.filename, f.status])).toEqual([["clock/clock.go", "modified"]]);
    expect(fix?.files[0]?.patch).toMatch(/^@@ -1,7 \+1,7 @@\n package clock\n/);
    expect(inst?.files).toEqual([
      expect.objectContaining({ filename: "clock/extra.go", status: "added" }),
    ]);
    expect(later?.files.map((f) => [f.filename, f.status]).sort()).toEqual([
      ["clock/clock.go", "modified"],
      ["clock/extra.go", "removed"],
    ]);
  });

  it("reads renames, and keeps no file it cannot name", () => {
    const log = [
      "\x1eabc\x1fdef\x1fA\x1fa@e\x1fRename it\n\x1f\n",
      "diff --git a/src/old.py b/src/new.py\nsimilarity index 90%\nrename from src/old.py\nrename to src/new.py\n",
      "--- a/src/old.py\n+++ b/src/new.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n",
      'diff --git "a/odd\\tname.py" "b/odd\\tname.py"\n--- "a/odd\\tname.py"\n+++ "b/odd\\tname.py"\n@@ -1 +1 @@\n-a\n+b\n',
    ].join("");
    const [c] = parseLogPatches(log);
    expect(c?.files).toEqual([
      { filename: "src/new.py", status: "renamed", patch: "@@ -1 +1 @@\n-x = 1\n+x = 2" },
    ]);
  });
});

describe("readCommits on a snapshot lacking a blob", () => {
  it("reads a commit git cannot diff whole file by file, the lost file without a patch", () => {
    // a copy of the work repository's loose objects, with the earlier fix's new clock.go removed
    const gitDir = path.join(root, "lossy.git");
    cpSync(path.join(work, ".git"), gitDir, { recursive: true });
    const blob = git(work, ["rev-parse", `${earlierFix}:clock/clock.go`]);
    rmSync(path.join(gitDir, "objects", blob.slice(0, 2), blob.slice(2)));
    const commits = readCommits(gitDir, [laterFix, earlierFix, initial]);
    expect(commits.map((c) => c.sha)).toEqual([laterFix, earlierFix, initial]);
    expect(commits[1]?.message).toBe("Fix summary timezone west of greenwich");
    expect(commits[1]?.files).toEqual([
      { filename: "clock/clock.go", status: "modified", patch: null },
    ]);
    expect(commits[2]?.files[0]?.patch).toMatch(/^@@ -0,0 \+1,9 @@/);
  });
});

describe("repoVocabulary", () => {
  const empty: BridgeTable = { version: 1, source: "shipped", pairs: 0, words: new Map() };

  it("learns from the history before the instance's commit and nothing after it", async () => {
    const index = await buildIndex(gitSourceFiles(bare, instance), { repo: "acme/clock" });
    const history = new RepoHistory(bare, "acme/clock");
    const v = repoVocabulary(index, history.window(instance, 300), empty);
    expect(v.commitsRead).toBe(4);
    expect(v.pairs).toBeGreaterThan(0);
    const words = [...v.bridge.words.keys()];
    // the earlier fix's words predict the code it changed
    for (const w of stems("summary timezone greenwich")) expect(words).toContain(w);
    const targets = (v.bridge.words.get(stems("timezone")[0] as string) ?? []).map(([t]) => t);
    expect(targets).toContain("localdaystart");
    // neither the instance's fix (later) nor the side branch's taught anything
    for (const w of stems("narwhal platypus axolotl zebra quagga okapi"))
      expect(words).not.toContain(w);
  });

  it("the same window read later teaches the later fix (the filter, not the data, kept it out)", async () => {
    const index = await buildIndex(gitSourceFiles(bare, laterFix), { repo: "acme/clock" });
    const v = repoVocabulary(
      index,
      new RepoHistory(bare, "acme/clock").window(laterFix, 300),
      empty,
    );
    expect([...v.bridge.words.keys()]).toContain(stems("narwhal")[0]);
  });

  it("merges over the shipped table, keeping its words", async () => {
    const index = await buildIndex(gitSourceFiles(bare, instance), { repo: "acme/clock" });
    const shipped: BridgeTable = {
      version: 1,
      source: "shipped",
      pairs: 10,
      words: new Map([["crash", [["panic", 0.8]] as const]]),
    };
    const v = repoVocabulary(
      index,
      new RepoHistory(bare, "acme/clock").window(instance, 300),
      shipped,
    );
    expect(v.bridge.words.get("crash")).toEqual([["panic", 0.8]]);
    expect(v.bridge.source).toBe("shipped; acme/clock");
    // nothing learned: the shipped table itself
    expect(repoVocabulary(index, [], shipped).bridge).toBe(shipped);
  });
});

describe("RepoHistory", () => {
  it("reads the windows once and serves them from its cache file afterwards", () => {
    const cacheDir = path.join(root, "cache");
    const h = new RepoHistory(bare, "acme/clock", cacheDir);
    h.prefetch([instance, laterFix], 300);
    const file = path.join(cacheDir, "acme+clock.json");
    expect(existsSync(file)).toBe(true);
    // a new reader starts from the file: the union of both windows, and no other branch
    const again = new RepoHistory(bare, "acme/clock", cacheDir);
    expect(again.cachedShas().sort()).toEqual(
      [initial, otherFix, earlierFix, instance, laterFix].sort(),
    );
    expect(again.window(instance, 300)).toEqual(h.window(instance, 300));
    expect(again.window(instance, 300).map((c) => c.sha)).toEqual([
      instance,
      earlierFix,
      otherFix,
      initial,
    ]);
  });
});
