import type { SearchIndex } from "../search-index";
import type { QuerySignals } from "../signals";
import { addBridge } from "./bridge";
import { addCalls } from "./calls";
import { CandidateSet, type Candidates } from "./candidate-set";
import { addEmbedding } from "./embedding";
import { addNameCover } from "./file-names";
import { addFunctionSums, addLexical, addTitleAndCode, addWithinFile } from "./lexical";
import { addMessages } from "./messages";
import { addNeighbours } from "./neighbours";
import { addPaths } from "./paths";
import { addPeripheral } from "./product-code";
import { addSymbols } from "./symbols";
import { addTests } from "./tests";

/**
 * Every file and chunk a bug report touches, with its features: words, the import
 * neighbourhood, quoted messages, paths and frames, symbols, file names, the vocabulary
 * bridge's words when the signals carry them, the tests whose prose matches, and the functions
 * the best-matching ones call or are called by, and the word-vector cosine, in that order (evidence that adds up is summed in
 * a fixed order, so scores are reproducible).
 */
export function collectCandidates(
  index: SearchIndex,
  signals: QuerySignals,
  rules: { productFirst?: boolean; tests?: boolean; calls?: boolean } = {},
): Candidates {
  const set = new CandidateSet(index);
  const { chunkLex, maxChunk, maxFile } = addLexical(set, signals);
  addTitleAndCode(set, signals);
  addFunctionSums(set, chunkLex, maxChunk);
  addNeighbours(set);
  addMessages(set, signals);
  addPaths(set, signals.paths);
  addSymbols(set, signals.symbols);
  addWithinFile(set);
  addNameCover(set, signals);
  addBridge(set, signals.bridge, { file: maxFile, chunk: maxChunk });
  if (rules.tests === true) addTests(set, signals, maxChunk);
  if (rules.calls === true) addCalls(set);
  // Last but the product-code rule: only the candidates the other evidence found get a cosine.
  if (signals.wordVectors) addEmbedding(set, signals, signals.wordVectors);
  if (rules.productFirst !== false) addPeripheral(set, signals);
  return set.result();
}

export type { Candidates, ChunkCandidate, FileCandidate } from "./candidate-set";
