import { spawnSync } from "node:child_process";
import { languageOf } from "../code-index/languages";
import { DEFAULT_SKIP_RULES, skipByPath } from "../code-index/skip-rules";

/**
 * The gold of an evaluation instance from its fixing commit (see shared/data/README.md): every
 * non-test source file of the fix that existed at the parent, with the changed lines at the
 * parent. Removed lines count as themselves; a pure addition counts as the line after which the
 * code was inserted (line 1 when it went in at the top), because that is where a reader of the
 * parent would have had to look.
 */

export interface GoldFile {
  path: string;
  lines: number[];
}

export interface DiffFile {
  /** Path at the parent; `undefined` for a file the fix added. */
  oldPath?: string;
  /** Path after the fix; `undefined` for a file the fix deleted. */
  newPath?: string;
  /** Changed lines at the parent, ascending and unique. */
  lines: number[];
  /** Path from the `diff --git` header (names binary and mode-only changes too). */
  headerPath?: string;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/;

function diffPath(raw: string, side: "a/" | "b/"): string | undefined {
  if (raw === "/dev/null") return undefined;
  // Paths with spaces or non-ASCII bytes come quoted; they are rare in source trees and the gold
  // must match the index's path exactly, so a quoted path is kept as git spelled it, unquoted.
  const unquoted = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  return unquoted.startsWith(side) ? unquoted.slice(side.length) : unquoted;
}

/** Parse a zero-context unified diff (`git diff -U0`) into files and their changed parent lines. */
export function parseZeroContextDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: (DiffFile & { seen: Set<number> }) | undefined;
  const close = () => {
    if (!current) return;
    const { seen, ...file } = current;
    files.push({ ...file, lines: [...seen].sort((a, b) => a - b) });
    current = undefined;
  };
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      close();
      // The header names the file even when no `---`/`+++` lines follow (binary files, modes).
      const header = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
      current = { lines: [], seen: new Set(), headerPath: header?.[2] };
      continue;
    }
    if (!current) continue;
    if (line.startsWith("--- ")) {
      current.oldPath = diffPath(line.slice(4).trim(), "a/");
      continue;
    }
    if (line.startsWith("+++ ")) {
      current.newPath = diffPath(line.slice(4).trim(), "b/");
      continue;
    }
    const hunk = HUNK.exec(line);
    // A file the fix added has no lines at the parent.
    if (hunk && current.oldPath !== undefined) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (count === 0) current.seen.add(Math.max(1, start));
      for (let l = start; l < start + count; l++) current.seen.add(l);
    }
  }
  close();
  return files;
}

/** A non-test source file as the code index sees it (not vendored, generated, test or docs). */
export function isGoldSourcePath(path: string): boolean {
  const lang = languageOf(path);
  if (lang === undefined || lang === "text") return false;
  const base = path.split("/").pop() ?? path;
  // A package's colocated `test.ts` and dotfile configs (`.eslintrc.js`) are not product code,
  // though the index's path rules let them through.
  if (base.startsWith(".") || /^(test|tests|spec)\.[cm]?[jt]sx?$/.test(base)) return false;
  return skipByPath(path, 0, DEFAULT_SKIP_RULES) === undefined;
}

/** Gold files of a parsed diff: source files that existed at the parent, with lines. */
export function goldOfDiff(files: DiffFile[]): GoldFile[] {
  return files
    .filter((f) => f.oldPath !== undefined && isGoldSourcePath(f.oldPath) && f.lines.length > 0)
    .map((f) => ({ path: f.oldPath as string, lines: f.lines }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Gold of a fixing commit in a bare repository: the zero-context diff from `parent` to `fix`
 * without rename detection (a renamed file is gold at its old path), and every path it touched.
 */
export function goldFromCommit(
  gitDir: string,
  parent: string,
  fix: string,
): { gold: GoldFile[]; changedFiles: string[] } {
  const res = spawnSync(
    "git",
    [
      `--git-dir=${gitDir}`,
      "diff",
      "-U0",
      "--no-renames",
      "--no-color",
      "--no-ext-diff",
      parent,
      fix,
    ],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  if (res.status !== 0) throw new Error(`git diff failed: ${res.stderr.trim()}`);
  const files = parseZeroContextDiff(res.stdout);
  const changedFiles = [
    ...new Set(
      files.map((f) => f.newPath ?? f.oldPath ?? f.headerPath).filter((p): p is string => !!p),
    ),
  ].sort();
  return { gold: goldOfDiff(files), changedFiles };
}
