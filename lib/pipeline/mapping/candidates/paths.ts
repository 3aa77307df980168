import type { FileFeature } from "../features";
import type { PathMention } from "../signals";
import type { CandidateSet } from "./candidate-set";

/**
 * Paths and stack frames: a mentioned path matched to files by its longest path suffix, and a
 * frame's line to the innermost function containing it.
 */
export function addPaths(set: CandidateSet, paths: readonly PathMention[]): void {
  for (const m of paths) {
    const { files: matched, segments } = set.index.matchPath(m.path);
    if (matched.length === 0 || matched.length > 20) continue;
    const strength = (m.weight * (segments >= 2 ? 1 : 0.75)) / matched.length;
    const feature: FileFeature = m.source === "stack-frame" ? "stack_frame" : "path";
    for (const f of matched) {
      set.addFile(f, feature, strength, m.raw.trim().slice(0, 160));
      if (m.line !== undefined) addFrameLine(set, f, m.line, strength, m.raw);
    }
  }
}

/** The innermost function of file `f` around `line` gets the frame; the file a half share. */
function addFrameLine(set: CandidateSet, f: number, line: number, strength: number, raw: string) {
  const { index } = set;
  const inner = (index.files[f]?.chunkIds ?? [])
    .filter((c) => {
      const ch = index.chunks[c]?.chunk;
      return ch !== undefined && ch.kind !== "file" && ch.startLine <= line && line <= ch.endLine;
    })
    .pop();
  if (inner === undefined) return;
  set.addChunk(inner, "stack_frame", strength, raw.trim().slice(0, 160));
  set.addFile(
    f,
    "stack_frame",
    strength * 0.5,
    `line ${line} is in ${index.chunks[inner]?.chunk.qname}`,
  );
}
