import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  goldFromCommit,
  goldOfDiff,
  isGoldSourcePath,
  parseZeroContextDiff,
} from "@/lib/pipeline/mapping-eval/gold-from-diff";

const DIFF = `diff --git a/src/a.py b/src/a.py
index 1111111..2222222 100644
--- a/src/a.py
+++ b/src/a.py
@@ -3 +3 @@ def f():
-    return 1
+    return 2
@@ -10,2 +9,0 @@ def g():
-    x = 1
-    y = 2
@@ -20,0 +19,3 @@ def h():
+    a
+    b
+    c
diff --git a/src/top.go b/src/top.go
--- a/src/top.go
+++ b/src/top.go
@@ -0,0 +1 @@
+// header
diff --git a/src/new.ts b/src/new.ts
new file mode 100644
--- /dev/null
+++ b/src/new.ts
@@ -0,0 +1,2 @@
+export const a = 1;
+export const b = 2;
diff --git a/tests/test_a.py b/tests/test_a.py
--- a/tests/test_a.py
+++ b/tests/test_a.py
@@ -5 +5 @@
-old
+new
diff --git a/logo.png b/logo.png
Binary files a/logo.png and b/logo.png differ
diff --git a/lib/gone.js b/lib/gone.js
deleted file mode 100644
--- a/lib/gone.js
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
`;

describe("gold from a fix's diff", () => {
  it("takes removed lines, and the line before a pure addition (1 at the top)", () => {
    const files = parseZeroContextDiff(DIFF);
    expect(files.map((f) => [f.oldPath, f.newPath, f.lines])).toEqual([
      ["src/a.py", "src/a.py", [3, 10, 11, 20]],
      ["src/top.go", "src/top.go", [1]],
      [undefined, "src/new.ts", []],
      ["tests/test_a.py", "tests/test_a.py", [5]],
      [undefined, undefined, []],
      ["lib/gone.js", undefined, [1, 2]],
    ]);
    expect(files[4]?.headerPath).toBe("logo.png");
  });

  it("keeps only non-test source files that existed at the parent", () => {
    expect(goldOfDiff(parseZeroContextDiff(DIFF))).toEqual([
      { path: "lib/gone.js", lines: [1, 2] },
      { path: "src/a.py", lines: [3, 10, 11, 20] },
      { path: "src/top.go", lines: [1] },
    ]);
    expect(isGoldSourcePath("pkg/x_test.go")).toBe(false);
    expect(isGoldSourcePath("docs/conf.py")).toBe(false);
    expect(isGoldSourcePath("vendor/github.com/x/y.go")).toBe(false);
    expect(isGoldSourcePath("README.md")).toBe(false);
    expect(isGoldSourcePath("src/index.test.ts")).toBe(false);
    expect(isGoldSourcePath("src/addDays/test.ts")).toBe(false);
    expect(isGoldSourcePath(".eslintrc.js")).toBe(false);
    expect(isGoldSourcePath("src/core.ts")).toBe(true);
  });

  describe("on a real repository", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gold-diff-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const git = (...args: string[]) => {
      const r = spawnSync("git", ["-C", dir, ...args], {
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.com",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.com",
        },
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout.trim();
    };

    it("diffs parent to fix, with renamed files gold at their old path", () => {
      git("init", "-q");
      mkdirSync(path.join(dir, "pkg"));
      writeFileSync(path.join(dir, "pkg/a.go"), "package pkg\n\nfunc A() int {\n\treturn 1\n}\n");
      writeFileSync(path.join(dir, "pkg/old.go"), "package pkg\n\nvar X = 1\n");
      writeFileSync(path.join(dir, "pkg/a_test.go"), "package pkg\n");
      git("add", ".");
      git("commit", "-qm", "base");
      const parent = git("rev-parse", "HEAD");
      writeFileSync(path.join(dir, "pkg/a.go"), "package pkg\n\nfunc A() int {\n\treturn 2\n}\n");
      git("mv", "pkg/old.go", "pkg/renamed.go");
      writeFileSync(path.join(dir, "pkg/a_test.go"), "package pkg\n// more\n");
      git("add", ".");
      git("commit", "-qm", "fix");
      const fix = git("rev-parse", "HEAD");
      const { gold, changedFiles } = goldFromCommit(path.join(dir, ".git"), parent, fix);
      expect(gold).toEqual([
        { path: "pkg/a.go", lines: [4] },
        { path: "pkg/old.go", lines: [1, 2, 3] },
      ]);
      expect(changedFiles).toEqual(["pkg/a.go", "pkg/a_test.go", "pkg/old.go", "pkg/renamed.go"]);
    });
  });
});
