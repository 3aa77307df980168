import type { CodeIndex, FileRecord } from "../../code-index/types";
import type { FixCode, FixPair } from "../../mapping/vocabulary/types";
import { changedLines, codeOfChunk, placesOf } from "./commit-pairs";

/**
 * People's judgments as fix pairs for the workspace's vocabulary: a bug whose fix pull request
 * merged teaches that its report's words are fixed in the code the PR changed (a person chose
 * that code; worth several commits), and a location marked mismapped teaches that the report's
 * words are *not* about that code (a negative pair: the learner subtracts its co-occurrences).
 */

/** A merged fix counts as much as this many commits. */
export const MERGED_FIX_WEIGHT = 3;
/** A mismapped mark takes back as much as one commit gave. */
export const MISMAPPED_WEIGHT = -1;

/** The words of a bug people read and corrected: what the report says, not the ticket's noise. */
export interface BugText {
  title: string;
  impact?: string | null;
  actual?: string | null;
  expected?: string | null;
  steps?: readonly string[] | null;
  error_messages?: readonly string[] | null;
}

export function bugText(bug: BugText): string {
  return [
    bug.title,
    bug.impact,
    bug.actual,
    bug.expected,
    ...(bug.steps ?? []),
    ...(bug.error_messages ?? []),
  ]
    .filter((s): s is string => typeof s === "string" && s.trim() !== "")
    .join("\n");
}

/** The merged fix's changed places, from its commit's files (`patch` per file, as GitHub gives). */
export function mergedFixPair(
  bugId: string,
  text: string,
  files: ReadonlyArray<{ filename: string; patch?: string | null }>,
  index: CodeIndex,
): FixPair | null {
  const byPath = new Map(index.files.map((f) => [f.path, f]));
  const code: FixCode[] = [];
  for (const f of files) {
    const file = byPath.get(f.filename);
    if (!file || !f.patch) continue;
    code.push(...placesOf(file, changedLines(f.patch)));
  }
  if (code.length === 0 || text.trim() === "") return null;
  return { source: `bug:${bugId}`, text, code, weight: MERGED_FIX_WEIGHT };
}

function chunkNamed(file: FileRecord, functionName: string | null): number {
  if (functionName === null) return 0;
  return file.chunks.findIndex((c, i) => i > 0 && c.qname === functionName);
}

/**
 * A location marked mismapped: the report's words against that function's code (or the file's
 * top-level code when the location named no function). Null when the index no longer has it.
 */
export function mismappedPair(
  bugId: string,
  text: string,
  location: { path: string; functionName: string | null },
  index: CodeIndex,
): FixPair | null {
  const file = index.files.find((f) => f.path === location.path);
  if (!file || text.trim() === "") return null;
  const at = chunkNamed(file, location.functionName);
  if (at < 0) return null;
  const code = codeOfChunk(file, at);
  if (code.terms.length === 0) return null;
  return { source: `bug:${bugId}`, text, code: [code], weight: MISMAPPED_WEIGHT };
}
