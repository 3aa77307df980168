import { edgesOf } from "../call-graph";
import type { CandidateSet } from "./candidate-set";

/** Named functions whose evidence is carried to what they call: the best-matching ones. */
const TOP_CALLERS = 10;

/**
 * Call-graph evidence: a report names the entry point a user meets (an API, a CLI flag's
 * handler, a method they call), while the fix lands in a helper that entry point calls. So each
 * function the report names as code (a symbol match: called, qualified, in backticks or a frame;
 * the best 10) passes its direct score (word match plus symbol, already divided by the query's
 * best chunk score; at most 2) to the functions it calls (`call-graph.ts`), times each edge's
 * weight (divided by the callee's fan-in, so a helper everything calls gets little). A function
 * takes the best value it is given, not a sum; a file takes its best function's value over calls
 * that cross files (calls inside one file add nothing the file's own words did not). Functions
 * and files reached only through calls become candidates too.
 *
 * Measured variants (docs/code-map.md, "The call graph"): the best 100 functions by words alone,
 * also passing half their score to their callers, and damping by the square root of fan-in
 * lost two first files held out; the best 10 by words, callees only, lost one.
 */
export function addCalls(set: CandidateSet): void {
  const { index } = set;
  const graph = index.callGraph();
  if (graph.edges === 0) return;
  const callers = [...set.chunkCandidates()]
    .filter((c) => c.x.symbol > 0 && index.chunks[c.id]?.chunk.kind !== "file")
    .map((c) => ({ id: c.id, file: c.file, v: Math.min(2, c.x.lexical + c.x.symbol) }))
    .sort((a, b) => b.v - a.v || a.id - b.id)
    .slice(0, TOP_CALLERS);
  for (const from of callers) {
    const name = index.chunks[from.id]?.chunk.qname ?? "";
    const text = `called by \`${name}\`, which the report names`;
    for (const [to, w] of edgesOf(graph.callees, from.id)) {
      const value = from.v * w;
      const c = set.chunk(to);
      if (value > c.x.calls) {
        c.x.calls = value;
        c.notes.calls = [text];
      }
      if (c.file === from.file) continue;
      const f = set.file(c.file);
      if (value > f.x.calls) {
        f.x.calls = value;
        f.notes.calls = [`${index.chunks[to]?.chunk.qname ?? ""} is ${text}`];
      }
    }
  }
}
