import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ancestorWindow,
  listCommits,
  parseLogPatches,
  readCommits,
  streamCommits,
} from "@/lib/pipeline/mapping-eval/git-commits";
import { buildClockHistory, type ClockHistory } from "./clock-history";

/**
 * The offline git reader shared by the evaluation's workspace replay and `bench:pipeline
 * --vocabulary`: commits as the GitHub commit API gives them (message, parents, author, each
 * source file's status and patch), the listing without files, and the same commits streamed a
 * batch at a time.
 */
let h: ClockHistory;
let root = "";
let work = "";
let bare = "";
let initial = "";
let otherFix = "";
let earlierFix = "";
let instance = "";
let sideFix = "";
let laterFix = "";

beforeAll(() => {
  h = buildClockHistory("git-commits-");
  ({ root, work, bare, initial, otherFix, earlierFix, instance, sideFix, laterFix } = h);
});

afterAll(() => h.remove());

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
    const blob = h.git(work, ["rev-parse", `${earlierFix}:clock/clock.go`]);
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

describe("listCommits", () => {
  it("lists the last n commits from a head, newest first, without files", () => {
    const listed = listCommits(bare, laterFix, 300);
    expect(listed.map((c) => c.sha)).toEqual(ancestorWindow(bare, laterFix, 300));
    expect(listed[0]).toEqual({
      sha: laterFix,
      message: "Narwhal platypus axolotl in the offset",
      parents: 1,
      author: { name: "Jane Doe", email: "jane@example.com" },
    });
    expect(listed.at(-1)?.parents).toBe(0);
    expect(listCommits(bare, instance, 2).map((c) => c.sha)).toEqual([instance, earlierFix]);
    expect(listCommits(bare, instance, 0)).toEqual([]);
  });

  it("gives the messages readCommits gives", () => {
    const listed = listCommits(bare, laterFix, 300);
    const read = readCommits(
      bare,
      listed.map((c) => c.sha),
    );
    expect(listed).toEqual(read.map(({ files: _files, ...c }) => c));
  });
});

describe("streamCommits", () => {
  it("yields the commits readCommits reads, in order, whatever the batch size", () => {
    const shas = [laterFix, instance, earlierFix, otherFix, initial];
    const whole = readCommits(bare, shas);
    expect(whole.map((c) => c.sha)).toEqual(shas);
    for (const batch of [1, 2, 3, 16]) expect([...streamCommits(bare, shas, batch)]).toEqual(whole);
    expect([...streamCommits(bare, [])]).toEqual([]);
  });

  it("reads a batch only when the caller gets to it", () => {
    const shas = [laterFix, instance, earlierFix, otherFix];
    const lossy = path.join(root, "lossy-stream.git");
    cpSync(path.join(work, ".git"), lossy, { recursive: true });
    const stream = streamCommits(lossy, shas, 2);
    expect(stream.next().value?.sha).toBe(laterFix);
    // the second batch is not read yet: removing its objects now is seen by the read
    const blob = h.git(work, ["rev-parse", `${earlierFix}:clock/clock.go`]);
    rmSync(path.join(lossy, "objects", blob.slice(0, 2), blob.slice(2)));
    const rest = [...stream];
    expect(rest.map((c) => c.sha)).toEqual([instance, earlierFix, otherFix]);
    expect(rest[1]?.files).toEqual([
      { filename: "clock/clock.go", status: "modified", patch: null },
    ]);
  });
});
