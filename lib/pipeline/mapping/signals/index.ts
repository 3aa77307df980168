import { splitIdentifier, stem } from "../../code-index/tokenize";
import type { BugReport } from "../types";
import type { BridgeExpansion } from "../vocabulary/expand";
import type { WordVectors } from "../vocabulary/wordvec";
import { framesAndPaths } from "./frames";
import { messagesOf } from "./messages";
import { type ReportTextOptions, reportText } from "./report-text";
import { codeSymbols } from "./symbols";
import { queryTerms } from "./terms";

/**
 * What a bug report says that can be matched against code: weighted words, message fragments
 * (word pairs, matched against string literals), file paths with line numbers, and symbols
 * (identifiers written like code, and function names from stack frames).
 */
export interface PathMention {
  path: string;
  line?: number;
  weight: number;
  source: "stack-frame" | "text";
  raw: string;
}

export interface SymbolMention {
  name: string;
  qualifier?: string;
  weight: number;
  source: "stack-frame" | "code" | "text";
  raw: string;
}

export interface QuerySignals {
  terms: Map<string, number>;
  /** Words of the title alone: reporters summarise there. */
  titleTerms: Map<string, number>;
  /** Quoted messages and message-like log lines, as word-pair sequences (at least two pairs). */
  messages: { pairs: string[]; raw: string }[];
  /** Words of code spans, code blocks and quoted messages alone. */
  codeTerms: Map<string, number>;
  paths: PathMention[];
  symbols: SymbolMention[];
  /**
   * The report's words carried over the vocabulary bridge (set by `mapBug` when the bridge is
   * on): code terms that fixes of reports with these words change.
   */
  bridge?: BridgeExpansion;
  /** The word vectors of the `embedding` rule (set by `mapBug` when it is on): candidates and explanations read them. */
  wordVectors?: WordVectors;
}

/** Extract everything matchable from a bug report. */
export interface SignalOptions extends ReportTextOptions {
  /** Plain words of code blocks and logs weigh less than names used as code (default true). */
  codeNames?: boolean;
}

export function extractSignals(bug: BugReport, options: SignalOptions = {}): QuerySignals {
  const text = reportText(bug, options);
  const { terms, titleTerms, codeTerms, kebab } = queryTerms(text);
  // Frames' symbols come first: symbol evidence is summed in this order.
  const { paths, symbols } = framesAndPaths(text);
  codeSymbols(text, kebab, symbols, options);
  return { terms, titleTerms, codeTerms, messages: messagesOf(text), paths, symbols };
}

/** Normalised key of a symbol name for lookups: lower case, underscores kept. */
export function symbolKey(name: string): string {
  return name.toLowerCase();
}

/** Terms of a symbol name, as the index stores names. */
export function symbolTerms(name: string): string[] {
  return splitIdentifier(name).map(stem);
}
