import type { FieldScores } from "../bm25f";
import type { BridgeExpansion } from "../vocabulary/expand";
import type { CandidateSet } from "./candidate-set";

/**
 * Vocabulary bridge evidence: the report's words carried over the learned table
 * (`vocabulary/expand.ts`) to the code terms fixes of such reports change, scored by the same
 * field-weighted BM25 as the words themselves. Divided by the best direct word match of the
 * query, so the feature says how much the bridged words add beside what the report says outright.
 * Files and chunks found only through the bridge become candidates too.
 */
export function addBridge(
  set: CandidateSet,
  expansion: BridgeExpansion | undefined,
  scale: { file: number; chunk: number },
): void {
  if (!expansion || expansion.terms.size === 0) return;
  const { index } = set;
  const put = (
    scores: Map<number, FieldScores>,
    max: number,
    add: (id: number, v: number) => void,
  ): void => {
    const top = Math.max(max, 1e-9);
    for (const [id, s] of scores) add(id, Math.min(2, s.total / top));
  };
  put(index.fileCollection.score(expansion.terms), scale.file, (id, v) => {
    set.file(id).x.bridge = v;
  });
  put(index.chunkCollection.score(expansion.terms), scale.chunk, (id, v) => {
    set.chunk(id).x.bridge = v;
  });
}
