import { splitIdentifier, stem } from "../../code-index/tokenize";
import { moduleName } from "../search-index";
import type { QuerySignals } from "../signals";
import type { CandidateSet } from "./candidate-set";

/** Letters two words must share to meet in a file name's cover (see `name_cover`). */
const PREFIX = 6;

/**
 * Words of a file's base name that the report uses: the idf-weighted share of the name's
 * words found among the query's terms (`duration_format.rs` for "formatting a duration").
 * A name word also counts when the report has a word with its first six letters: the light
 * stemmer leaves `formatter`/`formatting` and `unmarshaler`/`unmarshal` apart.
 */
export function addNameCover(set: CandidateSet, signals: QuerySignals): void {
  const { index } = set;
  const prefixes = new Set<string>();
  for (const t of signals.terms.keys())
    if (!t.includes("_") && t.length >= PREFIX) prefixes.add(t.slice(0, PREFIX));
  const cover = (text: string): number => {
    let total = 0;
    let found = 0;
    for (const part of new Set(splitIdentifier(text).map(stem))) {
      if (part.length < 2 || !index.fileCollection.df.has(part)) continue;
      const idf = index.fileCollection.idf(part);
      total += idf;
      if (signals.terms.has(part) || (part.length >= PREFIX && prefixes.has(part.slice(0, PREFIX))))
        found += idf;
    }
    return total > 0 ? found / total : 0;
  };
  for (const c of set.fileCandidates()) {
    c.x.name_cover = cover(moduleName(index.files[c.id]?.record.path ?? ""));
  }
}
