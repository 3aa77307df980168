import type { SymbolMention } from "../signals";
import type { CandidateSet } from "./candidate-set";

/** Symbols defined in more files than this say nothing about where the bug is. */
const MAX_DEFINING_FILES = 12;

/**
 * Symbols the report names: matched to the chunks defining them (weighted by how few files
 * define them, narrowed by a qualifier when one matches), and to files named after them
 * (`JsonParser` → `JsonParser.java`).
 */
export function addSymbols(set: CandidateSet, symbols: readonly SymbolMention[]): void {
  for (const s of symbols) {
    addDefinitions(set, s);
    addNamedFiles(set, s);
  }
}

function addDefinitions(set: CandidateSet, s: SymbolMention): void {
  const { index } = set;
  const defs = index.definitions.get(s.name.toLowerCase()) ?? [];
  const qual = s.qualifier?.toLowerCase();
  let chosen = defs;
  let strength = 1;
  if (qual) {
    const q = defs.filter((d) =>
      (index.chunks[d]?.chunk.qname.toLowerCase() ?? "").split(/::|\.|\s/).includes(qual),
    );
    if (q.length > 0) chosen = q;
    else strength = 0.5;
  }
  const defFiles = [...new Set(chosen.map((d) => index.chunks[d]?.file as number))];
  if (defFiles.length === 0 || defFiles.length > MAX_DEFINING_FILES) return;
  const v = (s.weight * strength) / Math.sqrt(defFiles.length);
  const feature = s.source === "stack-frame" ? "stack_frame" : "symbol";
  const perFile = new Map<number, string>();
  for (const d of chosen) {
    const ch = index.chunks[d];
    if (!ch) continue;
    const text = `${s.raw.slice(0, 80)} → ${ch.chunk.qname}`;
    set.addChunk(d, feature, v, text);
    if (!perFile.has(ch.file)) perFile.set(ch.file, text);
  }
  for (const [f, text] of perFile) set.addFile(f, feature, v, text);
}

/** A code-like name (or one from code or a frame) that is a file's base name. */
function addNamedFiles(set: CandidateSet, s: SymbolMention): void {
  if (s.source === "text" && !/[a-z][A-Z]|_/.test(s.name)) return;
  const named = set.index.filesNamed(s.name);
  if (named.length === 0 || named.length > 3) return;
  for (const f of named)
    set.addFile(f, "basename", s.weight / named.length, `${s.raw.slice(0, 80)} names the file`);
}
