import { confidenceOf } from "./calibration";
import { extractSignals, type QuerySignals } from "./signals";
import type { BugReport, Contribution, FileResult, FunctionResult, MappingResult } from "./types";
import type { Workspace } from "./workspace";

/**
 * Map a bug report to ranked files and functions of a workspace. Every score is a sum of named
 * contributions, kept as the explanation. Weights are set on general grounds (structural evidence
 * such as a stack frame or a defined symbol outweighs shared words) and are the same for every
 * repository and language.
 */
export const WEIGHTS = {
  fileLexical: 1,
  bestFunction: 0.6,
  path: 1.2,
  frameLine: 0.6,
  symbol: 0.8,
  basename: 0.5,
  neighbour: 0.15,
  functionLexical: 1,
  functionSymbol: 0.9,
  functionFrame: 1.2,
  functionFile: 0.6,
  maxSymbolsPerFile: 2.5,
  maxPathPerFile: 1.5,
};

const MAX_DEFINING_FILES = 12;

export interface MapOptions {
  files?: number;
  functions?: number;
  functionsPerFile?: number;
}

interface FileAcc {
  score: number;
  parts: Contribution[];
}

function add(acc: Map<number, FileAcc>, id: number, c: Contribution): void {
  if (c.score <= 0) return;
  let a = acc.get(id);
  if (!a) {
    a = { score: 0, parts: [] };
    acc.set(id, a);
  }
  a.score += c.score;
  a.parts.push(c);
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function topTerms(list: { term: string; score: number }[], n: number): string {
  return list
    .slice(0, n)
    .map((t) => `${t.term.replace("_", " ")} (${t.score.toFixed(2)})`)
    .join(", ");
}

/** Rank files and functions for a bug. */
export function mapBug(ws: Workspace, bug: BugReport, options: MapOptions = {}): MappingResult {
  const signals = extractSignals(bug);
  return rankWithSignals(ws, signals, options);
}

export function rankWithSignals(
  ws: Workspace,
  signals: QuerySignals,
  options: MapOptions = {},
): MappingResult {
  const nFiles = options.files ?? 10;
  const nFunctions = options.functions ?? 10;
  const perFile = options.functionsPerFile ?? 3;

  const fileLex = ws.fileCollection.score(signals.terms);
  const chunkLex = ws.chunkCollection.score(signals.terms);
  const maxFile = Math.max(1e-9, ...fileLex.values());
  const maxChunk = Math.max(1e-9, ...chunkLex.values());

  const files = new Map<number, FileAcc>();
  const chunks = new Map<number, FileAcc>();

  for (const [id, s] of fileLex)
    add(files, id, { signal: "lexical", detail: "", score: (WEIGHTS.fileLexical * s) / maxFile });
  const bestChunk = new Map<number, { id: number; s: number }>();
  for (const [id, s] of chunkLex) {
    const n = s / maxChunk;
    add(chunks, id, { signal: "function-lexical", detail: "", score: WEIGHTS.functionLexical * n });
    const file = ws.chunks[id]?.file as number;
    const prev = bestChunk.get(file);
    if (!prev || n > prev.s) bestChunk.set(file, { id, s: n });
  }
  for (const [file, { id, s }] of bestChunk) {
    add(files, file, {
      signal: "function-lexical",
      detail: ws.chunks[id]?.chunk.qname ?? "",
      score: WEIGHTS.bestFunction * s,
    });
  }

  // Paths and stack frames.
  const pathScore = new Map<number, number>();
  for (const m of signals.paths) {
    const { files: matched, segments } = ws.matchPath(m.path);
    if (matched.length === 0 || matched.length > 20) continue;
    const strength = (segments >= 2 ? 1 : 0.75) / matched.length;
    for (const f of matched) {
      const prev = pathScore.get(f) ?? 0;
      const s = Math.min(WEIGHTS.maxPathPerFile - prev, WEIGHTS.path * m.weight * strength);
      if (s > 0) {
        pathScore.set(f, prev + s);
        add(files, f, {
          signal: m.source === "stack-frame" ? "stack-frame" : "path",
          detail: m.raw.trim().slice(0, 160),
          score: s,
        });
      }
      if (m.line !== undefined) {
        const file = ws.files[f];
        const inner = file?.chunkIds
          .filter((c) => {
            const ch = ws.chunks[c]?.chunk;
            return (
              ch &&
              ch.kind !== "file" &&
              ch.startLine <= (m.line as number) &&
              (m.line as number) <= ch.endLine
            );
          })
          .pop();
        if (inner !== undefined) {
          add(chunks, inner, {
            signal: "stack-frame",
            detail: m.raw.trim().slice(0, 160),
            score: WEIGHTS.functionFrame * m.weight * strength,
          });
          add(files, f, {
            signal: "stack-frame",
            detail: `line ${m.line} in ${ws.chunks[inner]?.chunk.qname}`,
            score: WEIGHTS.frameLine * m.weight * strength,
          });
        }
      }
    }
  }

  // Symbols: definitions of identifiers the report names.
  const symbolScore = new Map<number, number>();
  const seenDefs = new Set<string>();
  for (const s of signals.symbols) {
    const defs = ws.definitions.get(s.name.toLowerCase()) ?? [];
    const qual = s.qualifier?.toLowerCase();
    let chosen = defs;
    let strength = 1;
    if (qual) {
      const q = defs.filter((d) =>
        (ws.chunks[d]?.chunk.qname.toLowerCase() ?? "").split(/::|\./).includes(qual),
      );
      if (q.length > 0) chosen = q;
      else strength = 0.5;
    }
    const defFiles = [...new Set(chosen.map((d) => ws.chunks[d]?.file as number))];
    if (defFiles.length > 0 && defFiles.length <= MAX_DEFINING_FILES) {
      const specificity = 1 / Math.sqrt(defFiles.length);
      for (const d of chosen) {
        const key = `${d}|${s.source}`;
        if (seenDefs.has(key)) continue;
        seenDefs.add(key);
        const ch = ws.chunks[d];
        if (!ch) continue;
        const score = s.weight * strength * specificity;
        add(chunks, d, {
          signal: "symbol",
          detail: `${s.raw.slice(0, 80)} defines ${ch.chunk.qname}`,
          score: WEIGHTS.functionSymbol * score,
        });
        const prev = symbolScore.get(ch.file) ?? 0;
        const fs = Math.min(WEIGHTS.maxSymbolsPerFile - prev, WEIGHTS.symbol * score);
        if (fs > 0) {
          symbolScore.set(ch.file, prev + fs);
          add(files, ch.file, {
            signal: "symbol",
            detail: `${s.raw.slice(0, 80)} → ${ch.chunk.qname}`,
            score: fs,
          });
        }
      }
    }
    if (s.source !== "text" || /[a-z][A-Z]|_/.test(s.name)) {
      const named = ws.filesNamed(s.name);
      if (named.length > 0 && named.length <= 3) {
        for (const f of named) {
          const prev = symbolScore.get(f) ?? 0;
          const fs = Math.min(
            WEIGHTS.maxSymbolsPerFile - prev,
            (WEIGHTS.basename * s.weight) / named.length,
          );
          if (fs > 0) {
            symbolScore.set(f, prev + fs);
            add(files, f, {
              signal: "symbol",
              detail: `${s.raw.slice(0, 80)} names file`,
              score: fs,
            });
          }
        }
      }
    }
  }

  const rankedFiles = [...files.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
  const topScore = rankedFiles[0]?.[1].score ?? 0;
  const fileScoreOf = new Map(rankedFiles.map(([id, a]) => [id, a.score]));

  // Functions: own evidence plus the standing of their file.
  const candidateChunks = new Set<number>(chunks.keys());
  for (const [f] of rankedFiles.slice(0, 30))
    for (const c of ws.files[f]?.chunkIds ?? []) candidateChunks.add(c);
  const rankedChunks: { id: number; score: number; parts: Contribution[] }[] = [];
  for (const id of candidateChunks) {
    const ch = ws.chunks[id];
    if (!ch) continue;
    const own = chunks.get(id) ?? { score: 0, parts: [] };
    const fileShare = topScore > 0 ? (fileScoreOf.get(ch.file) ?? 0) / topScore : 0;
    const fileC: Contribution = {
      signal: "file",
      detail: ws.files[ch.file]?.record.path ?? "",
      score: WEIGHTS.functionFile * fileShare,
    };
    const kindFactor =
      ch.chunk.kind === "file"
        ? 0.5
        : ch.chunk.kind === "class" || ch.chunk.kind === "impl" || ch.chunk.kind === "module"
          ? 0.7
          : 1;
    const score = (own.score + fileC.score) * kindFactor;
    if (score > 0) rankedChunks.push({ id, score, parts: [...own.parts, fileC] });
  }
  rankedChunks.sort((a, b) => b.score - a.score || a.id - b.id);

  const confidence = confidenceOf(
    ws,
    signals,
    rankedFiles.map(([id, a]) => ({ id, score: a.score, parts: a.parts })),
  );
  const fileConfidences = distribute(
    confidence.top,
    rankedFiles.map(([, a]) => a.score),
  );

  const explainParts = (parts: Contribution[], id: number, isFile: boolean): Contribution[] => {
    const merged = new Map<string, Contribution>();
    for (const p of parts) {
      let detail = p.detail;
      if (p.signal === "lexical" && isFile) {
        const f = ws.files[id];
        detail = topTerms(
          ws.fileCollection.explain(
            signals.terms,
            id,
            (name) => f?.fields[name as keyof typeof f.fields],
          ),
          6,
        );
      } else if (p.signal === "function-lexical" && !isFile) {
        const c = ws.chunks[id]?.chunk;
        detail = topTerms(
          ws.chunkCollection.explain(
            signals.terms,
            id,
            (name) => c?.fields[name as keyof typeof c.fields],
          ),
          6,
        );
      }
      const key = `${p.signal}|${detail}`;
      const prev = merged.get(key);
      if (prev) prev.score += p.score;
      else merged.set(key, { ...p, detail });
    }
    return [...merged.values()]
      .map((c) => ({ ...c, score: round(c.score) }))
      .sort((a, b) => b.score - a.score);
  };

  const fnResult = (
    c: { id: number; score: number; parts: Contribution[] },
    conf: number,
  ): FunctionResult => {
    const ch = ws.chunks[c.id]!;
    const file = ws.files[ch.file]!;
    return {
      repo: file.repo,
      path: file.record.path,
      name: ch.chunk.name,
      qname: ch.chunk.qname,
      kind: ch.chunk.kind,
      startLine: ch.chunk.startLine,
      endLine: ch.chunk.endLine,
      score: round(c.score),
      confidence: round(conf),
      explanation: explainParts(c.parts, c.id, false),
    };
  };

  const fileRank = new Map(rankedFiles.map(([id], i) => [id, i]));
  const chunkConf = (c: { id: number; score: number }, sameFileTotal: number): number => {
    const file = ws.chunks[c.id]?.file as number;
    const fc = fileConfidences[fileRank.get(file) ?? -1] ?? 0;
    return sameFileTotal > 0 ? fc * (c.score / sameFileTotal) : 0;
  };
  const totals = new Map<number, number>();
  for (const c of rankedChunks) {
    const f = ws.chunks[c.id]?.file as number;
    totals.set(f, (totals.get(f) ?? 0) + c.score);
  }

  const outFiles: FileResult[] = rankedFiles.slice(0, nFiles).map(([id, a], i) => {
    const file = ws.files[id]!;
    const fns = rankedChunks.filter((c) => ws.chunks[c.id]?.file === id).slice(0, perFile);
    return {
      repo: file.repo,
      path: file.record.path,
      score: round(a.score),
      confidence: round(fileConfidences[i] ?? 0),
      explanation: explainParts(a.parts, id, true),
      functions: fns.map((c) => fnResult(c, chunkConf(c, totals.get(id) ?? 0))),
    };
  });
  const outFunctions = rankedChunks
    .slice(0, nFunctions)
    .map((c) => fnResult(c, chunkConf(c, totals.get(ws.chunks[c.id]?.file as number) ?? 0)));
  return {
    files: outFiles,
    functions: outFunctions,
    confidence: round(confidence.top),
    features: confidence.features,
  };
}

/**
 * Spread the calibrated top-file probability over the ranking: the top file gets it, the others
 * share the remainder in proportion to their scores (so confidences over files sum to at most 1).
 */
function distribute(top: number, scores: number[]): number[] {
  if (scores.length === 0) return [];
  const rest = scores.slice(1).reduce((a, b) => a + b * b, 0);
  return scores.map((s, i) => (i === 0 ? top : rest > 0 ? ((1 - top) * s * s) / rest : 0));
}
