import { edgesOf } from "../call-graph";
import type { CandidateSet } from "./candidate-set";

/** Functions whose direct evidence is carried over their calls: the best-matching ones. */
const TOP_CALLERS = 100;
/** Share of a function's direct score its callees get; its callers get half as much. */
const DOWN = 1;
const UP = 0.5;

/**
 * Call-graph evidence: a report names the entry point a user meets (an API, a CLI flag's
 * handler, a method they call), while the fix lands in a helper that entry point calls, or in
 * the caller of a function whose words the report quotes. So each of the best-matching functions
 * passes its direct score (word match plus named symbol, already divided by the query's best
 * chunk score; at most 2) over the call graph (`call-graph.ts`): to the functions it calls in
 * full, to the functions calling it at half, times each edge's weight (damped by fan-in or
 * fan-out). A function takes the best value it is given, not a sum, so a helper every matching
 * function calls is not lifted by their number; a file takes its best function's value over
 * calls that cross files (calls inside one file add nothing the file's own words did not).
 * Functions and files reached only through calls become candidates too.
 */
export function addCalls(set: CandidateSet): void {
  const { index } = set;
  const graph = index.callGraph();
  if (graph.edges === 0) return;
  const callers = [...set.chunkCandidates()]
    .map((c) => ({ id: c.id, file: c.file, v: Math.min(2, c.x.lexical + c.x.symbol) }))
    .filter((c) => c.v > 0 && index.chunks[c.id]?.chunk.kind !== "file")
    .sort((a, b) => b.v - a.v || a.id - b.id)
    .slice(0, TOP_CALLERS);
  const give = (
    from: { id: number; file: number; v: number },
    to: number,
    value: number,
    how: string,
  ) => {
    const c = set.chunk(to);
    const name = index.chunks[from.id]?.chunk.qname ?? "";
    const text = `${how} \`${name}\`, which matches the report`;
    if (value > c.x.calls) {
      c.x.calls = value;
      c.notes.calls = [text];
    }
    if (c.file !== from.file) {
      const f = set.file(c.file);
      if (value > f.x.calls) {
        f.x.calls = value;
        f.notes.calls = [`${index.chunks[to]?.chunk.qname ?? ""} is ${text}`];
      }
    }
  };
  for (const from of callers) {
    for (const [to, w] of edgesOf(graph.callees, from.id))
      give(from, to, DOWN * from.v * w, "called by");
    for (const [to, w] of edgesOf(graph.callers, from.id)) give(from, to, UP * from.v * w, "calls");
  }
}
