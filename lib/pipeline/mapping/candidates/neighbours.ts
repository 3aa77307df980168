import type { CandidateSet } from "./candidate-set";

/**
 * The import neighbourhood: a file gets the best lexical score among the files it imports or is
 * imported by (when that score is at least 0.3), with that neighbour named.
 */
export function addNeighbours(set: CandidateSet): void {
  const { index } = set;
  const lexical = new Map<number, number>();
  for (const c of set.fileCandidates()) lexical.set(c.id, c.x.lexical);
  for (const [id, score] of lexical) {
    if (score < 0.3) continue;
    for (const n of index.neighbours[id] ?? []) {
      const c = set.file(n);
      if (score > c.x.neighbour) {
        c.x.neighbour = score;
        c.notes.neighbour = [`imports or is imported by ${index.files[id]?.record.path}`];
      }
    }
  }
}
