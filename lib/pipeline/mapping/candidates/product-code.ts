import { stem, tokenize } from "../../code-index/tokenize";
import { peripheralLabel } from "../product-code";
import type { QuerySignals } from "../signals";
import type { CandidateSet } from "./candidate-set";

/**
 * Product code first (see `product-code.ts`): a bundled library's file, a build script, a file
 * of a tooling folder or declarations beside their implementation get `peripheral`, which the
 * ranker weighs against them, unless the report points at the file: by a path or frame, by its
 * file name, or by the bundled library's or tool's name among its words.
 */
export function addPeripheral(set: CandidateSet, signals: QuerySignals): void {
  const { index } = set;
  for (const c of set.fileCandidates()) {
    const role = index.peripheral[c.id];
    if (!role) continue;
    if (c.x.path > 0 || c.x.stack_frame > 0 || c.x.basename > 0) continue;
    const named = role.names.some((n) => {
      const words = tokenize(n);
      return (
        words.length > 0 && words.every((w) => signals.terms.has(w) || signals.terms.has(stem(w)))
      );
    });
    if (named) continue;
    c.x.peripheral = 1;
    c.notes.peripheral = [peripheralLabel(role)];
  }
}
