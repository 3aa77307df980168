import { z } from "zod";
import type { CodeIndex } from "../code-index/types";
import { type Candidates, collectCandidates } from "./candidates";
import { type RankOptions, rankCandidates } from "./ranker";
import { SearchIndex } from "./search-index";
import { extractSignals, type QuerySignals } from "./signals";
import { ownCodeTest } from "./signals/own-code";
import type { BugReport, MappingResult } from "./types";
import { addSurfaceWords, expandQuery } from "./vocabulary/expand";
import { shippedBridge } from "./vocabulary/shipped";
import type { BridgeTable } from "./vocabulary/types";
import type { WordVectors } from "./vocabulary/wordvec";
import { shippedWordVectors } from "./vocabulary/wordvec-shipped";

/**
 * The mapping engine's one entry: an organization's code index and a bug report in, ranked
 * files and functions out, each with a calibrated confidence and an explanation. Deterministic,
 * offline, no model. The job that maps reports calls this; so does the offline evaluation
 * (`lib/pipeline/mapping-eval/`), which is how the figures in docs/code-map.md are this code's.
 */

/** A structured bug, as extraction produces it (see `BugReport`). */
export const bugReportSchema = z.object({
  title: z.string(),
  description: z.string().optional(),
  stepsToReproduce: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  errorMessages: z.array(z.string()).optional(),
  stackTraces: z.array(z.string()).optional(),
  featureArea: z.string().optional(),
}) satisfies z.ZodType<BugReport>;

/**
 * The robustness rules of the engine, each on by default (but `tests`, which is measured and
 * not shipped); switched off only to measure what each one is worth (the ablation in
 * docs/code-map.md).
 */
export interface MappingRules {
  /** Long pasted output keeps its error lines, own-code frames and quotes; the rest counts little. */
  cleanOutput?: boolean;
  /**
   * Bundled libraries, build scripts, tooling folders and declarations beside their
   * implementation rank below product code unless the report points at them.
   */
  productFirst?: boolean;
  /**
   * Names the report uses as code (called, qualified, in backticks, in a frame) weigh more than
   * plain words of a code block or log that happen to name a definition.
   */
  codeNames?: boolean;
  /**
   * The vocabulary bridge: report words also match the code terms that fixes of reports using
   * them change (learned offline from public fix history, and per workspace).
   */
  bridge?: boolean;
  /**
   * Tests as a bridge: the report's words matched against the prose of the repository's tests
   * (names, descriptions, comments) lift the files and functions those tests exercise. Needs an
   * index built with `tests: true`; without test records it adds nothing. Off unless `true`:
   * measured on the dev and outside sets without a gain (docs/code-map.md, "Tests as a bridge").
   */
  tests?: boolean;
  /**
   * The call graph: the functions the best-matching functions call (and, at half, those calling
   * them) are lifted, for reports that name an entry point while the fix is in a helper it calls.
   * Off unless `true` (docs/code-map.md, "The call graph").
   */
  calls?: boolean;
  /**
   * Word vectors: the report and each candidate file and function compared as one cosine of
   * word vectors trained on public fix history (`vocabulary/wordvec.ts`). Off unless `true`
   * (docs/code-map.md, "Word vectors").
   */
  embedding?: boolean;
}

export interface MapOptions extends RankOptions {
  rules?: MappingRules;
  /**
   * The vocabulary bridge to read: the shipped public table merged with the workspace's own
   * (`vocabulary/table.ts` `mergeBridges`). Omitted: the shipped table alone; null: none.
   */
  bridge?: BridgeTable | null;
  /** Word vectors for the `embedding` rule. Omitted: the shipped ones; null: none. */
  wordVectors?: WordVectors | null;
  /**
   * Receives every candidate with its features before results are cut to size: for offline
   * fitting of the ranking weights (and, with the query's signals, the held-out confidence
   * features of the gate curve). The product does not need it.
   */
  onCandidates?: (candidates: Candidates, signals: QuerySignals) => void;
}

/**
 * Rank the files and functions of the searched repositories for a bug report. `index` is a
 * `SearchIndex` built once over the organization's repository indexes (pass it when mapping
 * several reports), or the repository indexes themselves. The report is checked against
 * `bugReportSchema` (a zod error names what is wrong).
 */
export function mapBug(
  index: SearchIndex | CodeIndex | readonly CodeIndex[],
  report: BugReport,
  options: MapOptions = {},
): MappingResult {
  const search = searchIndexOf(index);
  const rules = options.rules ?? {};
  const bug = bugReportSchema.parse(report);
  const signals = extractSignals(bug, {
    ownCode: ownCodeTest(search),
    cleanOutput: rules.cleanOutput !== false,
    codeNames: rules.codeNames !== false,
  });
  if (rules.bridge !== false) {
    const table = options.bridge === undefined ? shippedBridge() : options.bridge;
    if (table) {
      signals.bridge = expandQuery(signals.terms, table);
      addSurfaceWords(signals.bridge, `${bug.title}\n${bug.description ?? ""}`);
    }
  }
  if (rules.embedding === true) {
    // Carried by the signals like the bridge: the candidates and the explanation both read them.
    const vectors = options.wordVectors === undefined ? shippedWordVectors() : options.wordVectors;
    if (vectors) signals.wordVectors = vectors;
  }
  const candidates = collectCandidates(search, signals, rules);
  const result = rankCandidates(search, signals, candidates, options);
  options.onCandidates?.(candidates, signals);
  return result;
}

function searchIndexOf(index: SearchIndex | CodeIndex | readonly CodeIndex[]): SearchIndex {
  if (index instanceof SearchIndex) return index;
  return new SearchIndex(Array.isArray(index) ? index : [index as CodeIndex]);
}
