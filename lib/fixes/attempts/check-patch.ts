import { applyPatch, parsePatch, type StructuredPatch } from "diff";

/**
 * Whether a model's unified diff can be committed: it parses, every file it names is a plain
 * repository-relative path, every file it modifies or deletes exists in the repository and its
 * hunks apply to the content we read **exactly** (no fuzz: a patch that only fits somewhere else
 * is not the patch the model reasoned about), and files it creates do not exist yet. Parsing and
 * applying are the `diff` library's (jsdiff), not ours.
 */

export type PatchCheck =
  | { ok: true; changes: FileChange[] }
  | { ok: false; reason: PatchProblem; detail: string };

export type PatchProblem = "empty" | "unparsable" | "outside_repository" | "does_not_apply";

/** A file's new content, or null to delete it. */
export interface FileChange {
  path: string;
  content: string | null;
  created: boolean;
}

export const MAX_PATCH_FILES = 20;

const stripPrefix = (name: string | undefined): string | null => {
  if (!name || name === "/dev/null") return null;
  return name.replace(/^[ab]\//, "").trim();
};

/** A path inside the repository: relative, no `..`, no `.git/`, no control characters. */
export function isRepositoryPath(path: string): boolean {
  if (!path || path.length > 1000 || path.startsWith("/") || path.includes("\\")) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f]/.test(path)) return false;
  const segments = path.split("/");
  return segments.every((s) => s !== "" && s !== "." && s !== "..") && segments[0] !== ".git";
}

/**
 * @param read the content of a repository file at the commit the patch is for, or null when
 *   the file does not exist there (the caller reads through the GitHub App).
 */
export async function checkPatch(
  diff: string,
  read: (path: string) => Promise<string | null>,
): Promise<PatchCheck> {
  if (!diff.trim()) return { ok: false, reason: "empty", detail: "The model proposed no change." };
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(diff).filter((p) => p.hunks.length > 0 || p.isDelete);
  } catch (err) {
    return {
      ok: false,
      reason: "unparsable",
      detail: `The diff is not a valid unified diff (${err instanceof Error ? err.message.slice(0, 120) : "parse error"}).`,
    };
  }
  if (patches.length === 0)
    return { ok: false, reason: "unparsable", detail: "The diff holds no file changes." };
  if (patches.length > MAX_PATCH_FILES)
    return {
      ok: false,
      reason: "outside_repository",
      detail: `The diff changes ${patches.length} files; at most ${MAX_PATCH_FILES} are accepted.`,
    };
  const changes: FileChange[] = [];
  const seen = new Set<string>();
  for (const p of patches) {
    const oldPath = stripPrefix(p.oldFileName);
    const newPath = stripPrefix(p.newFileName);
    const path = newPath ?? oldPath;
    for (const candidate of [oldPath, newPath]) {
      if (candidate !== null && !isRepositoryPath(candidate))
        return {
          ok: false,
          reason: "outside_repository",
          detail: `The diff names ${JSON.stringify(candidate.slice(0, 200))}, which is not a file of this repository.`,
        };
    }
    if (!path || seen.has(path) || (oldPath && newPath && oldPath !== newPath))
      return {
        ok: false,
        reason: "unparsable",
        detail: `The diff renames or repeats ${path ?? "a file"}; only edits, new and deleted files are accepted.`,
      };
    seen.add(path);
    const current = oldPath ? await read(oldPath) : null;
    if (oldPath && current === null)
      return {
        ok: false,
        reason: "outside_repository",
        detail: `The diff edits ${oldPath}, which does not exist in the repository at this commit.`,
      };
    if (!oldPath && newPath && (await read(newPath)) !== null)
      return {
        ok: false,
        reason: "does_not_apply",
        detail: `The diff creates ${newPath}, which already exists.`,
      };
    const result = applyPatch(current ?? "", p, { fuzzFactor: 0 });
    if (result === false)
      return {
        ok: false,
        reason: "does_not_apply",
        detail: `The change to ${path} does not apply cleanly to the file at the indexed commit.`,
      };
    changes.push({ path, content: newPath ? result : null, created: !oldPath });
  }
  return { ok: true, changes };
}
