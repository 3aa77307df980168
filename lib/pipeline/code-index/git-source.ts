import { spawnSync } from "node:child_process";
import type { SourceFile } from "./builder";
import { languageOf } from "./languages";

/**
 * Read a repository at a commit straight from a (bare) git directory, without a checkout and
 * without modifying it: `git ls-tree` for the file list, `git cat-file --batch` for the bytes.
 */

const MAX_BUFFER = 1 << 30;
const BATCH = 400;

function git(gitDir: string, args: string[], input?: string): Buffer {
  const res = spawnSync("git", [`--git-dir=${gitDir}`, ...args], {
    input: input === undefined ? undefined : Buffer.from(input, "utf8"),
    maxBuffer: MAX_BUFFER,
  });
  if (res.status !== 0) {
    throw new Error(`git ${args[0]} failed: ${res.stderr?.toString().slice(0, 300)}`);
  }
  return res.stdout;
}

/** Read many blobs in one `git cat-file --batch` call. */
export function readBlobs(gitDir: string, ids: readonly string[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (ids.length === 0) return out;
  const buf = git(gitDir, ["cat-file", "--batch"], `${ids.join("\n")}\n`);
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString("utf8");
    const [id, type, sizeText] = header.split(" ");
    pos = nl + 1;
    if (type === "missing" || !id || !sizeText) continue;
    const size = Number(sizeText);
    out.set(id, buf.subarray(pos, pos + size));
    pos += size + 1;
  }
  return out;
}

/** The files of a commit, each reading its bytes lazily in batches. */
export function gitSourceFiles(gitDir: string, commit: string): SourceFile[] {
  const listing = git(gitDir, ["ls-tree", "-r", "-z", "--long", commit]).toString("utf8");
  const entries: { path: string; id: string; size: number }[] = [];
  for (const line of listing.split("\0")) {
    if (!line) continue;
    const tab = line.indexOf("\t");
    const [mode, type, id, size] = line.slice(0, tab).split(/\s+/);
    if (type !== "blob" || mode === "120000" || !id) continue;
    entries.push({ path: line.slice(tab + 1), id, size: Number(size) });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const loaded = new Map<string, Uint8Array>();
  const order = entries.filter((e) => languageOf(e.path) && e.size <= 2_000_000).map((e) => e.id);
  const position = new Map(order.map((id, i) => [id, i]));
  return entries.map((e) => ({
    path: e.path,
    size: e.size,
    hash: e.id,
    read(): Uint8Array {
      let bytes = loaded.get(e.id);
      if (!bytes) {
        loaded.clear();
        const start = position.get(e.id) ?? 0;
        const batch = order.slice(start, start + BATCH);
        for (const [id, b] of readBlobs(gitDir, batch)) loaded.set(id, b);
        bytes = loaded.get(e.id) ?? new Uint8Array();
      }
      return bytes;
    },
  }));
}

/** Paths changed between two commits (for incremental updates): changed/added and removed. */
export function gitChangedPaths(
  gitDir: string,
  from: string,
  to: string,
): { changed: string[]; removed: string[] } {
  const out = git(gitDir, ["diff", "--name-status", "-z", "--no-renames", from, to]).toString(
    "utf8",
  );
  const parts = out.split("\0").filter((p) => p !== "");
  const changed: string[] = [];
  const removed: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i] ?? "";
    const path = parts[i + 1] ?? "";
    if (status.startsWith("D")) removed.push(path);
    else changed.push(path);
  }
  return { changed, removed };
}
