import { splitIdentifier, stem } from "../code-index/tokenize";
import { FILE_FEATURES, type FileFeature, FUNCTION_FEATURES, type FunctionFeature } from "./model";
import type { QuerySignals } from "./signals";
import { moduleName, type Workspace } from "./workspace";

/**
 * Evidence for every file and chunk a bug report touches, as feature vectors (see model.ts)
 * plus notes saying what matched, for explanations. Lexical features are divided by the best
 * file's (or chunk's) lexical score so they are comparable across queries.
 */
export interface FileCandidate {
  id: number;
  x: number[];
  notes: Partial<Record<FileFeature, string[]>>;
}

export interface ChunkCandidate {
  id: number;
  file: number;
  /** `file_score` and `file_top` are filled in once files are scored. */
  x: number[];
  notes: Partial<Record<FunctionFeature, string[]>>;
}

export interface Candidates {
  files: FileCandidate[];
  chunks: ChunkCandidate[];
}

const MAX_DEFINING_FILES = 12;
/** Letters two words must share to meet in a file name's cover (see `name_cover`). */
const PREFIX = 6;
const CAPS: Partial<Record<FileFeature, number>> = {
  path: 1.5,
  stack_frame: 2,
  symbol: 2.5,
  basename: 1.5,
  message: 2,
};
const fi = (f: FileFeature): number => FILE_FEATURES.indexOf(f);
const ci = (f: FunctionFeature): number => FUNCTION_FEATURES.indexOf(f);

function note<K extends string>(notes: Partial<Record<K, string[]>>, key: K, text: string): void {
  const list = notes[key] ?? [];
  if (list.length < 6 && !list.includes(text)) list.push(text);
  notes[key] = list;
}

export function collectCandidates(ws: Workspace, signals: QuerySignals): Candidates {
  const fileLex = ws.fileCollection.score(signals.terms);
  const chunkLex = ws.chunkCollection.score(signals.terms);
  let maxFile = 1e-9;
  for (const s of fileLex.values()) maxFile = Math.max(maxFile, s.total);
  let maxChunk = 1e-9;
  for (const s of chunkLex.values()) maxChunk = Math.max(maxChunk, s.total);

  const files = new Map<number, FileCandidate>();
  const chunks = new Map<number, ChunkCandidate>();
  const fileOf = (id: number): FileCandidate => {
    let c = files.get(id);
    if (!c) {
      c = { id, x: new Array<number>(FILE_FEATURES.length).fill(0), notes: {} };
      const lines = ws.files[id]?.record.lines ?? 1;
      c.x[fi("size")] = Math.log1p(lines) / Math.log1p(ws.maxLines);
      c.x[fi("hub")] = Math.log1p(ws.neighbours[id]?.size ?? 0) / Math.log1p(ws.maxNeighbours);
      files.set(id, c);
    }
    return c;
  };
  const chunkOf = (id: number): ChunkCandidate => {
    let c = chunks.get(id);
    if (!c) {
      const wc = ws.chunks[id];
      c = {
        id,
        file: wc?.file ?? -1,
        x: new Array<number>(FUNCTION_FEATURES.length).fill(0),
        notes: {},
      };
      const kind = wc?.chunk.kind;
      c.x[ci("file_chunk")] = kind === "file" ? 1 : 0;
      c.x[ci("container")] =
        kind === "class" || kind === "impl" || kind === "module" || kind === "type" ? 1 : 0;
      c.x[ci("size")] = Math.log1p(wc?.ownLines ?? 1) / Math.log1p(1000);
      chunks.set(id, c);
    }
    return c;
  };
  const addFile = (id: number, f: FileFeature, v: number, text?: string): void => {
    const c = fileOf(id);
    const cap = CAPS[f] ?? Number.POSITIVE_INFINITY;
    const i = fi(f);
    c.x[i] = Math.min(cap, (c.x[i] as number) + v);
    if (text) note(c.notes, f, text);
  };
  const addChunk = (id: number, f: FunctionFeature, v: number, text?: string): void => {
    const c = chunkOf(id);
    const i = ci(f);
    c.x[i] = Math.min(2.5, (c.x[i] as number) + v);
    if (text) note(c.notes, f, text);
  };

  const chunkMass = ws.chunkCollection.queryMass(signals.terms);
  const fileFieldNames = ws.fileCollection.fieldNames();
  for (const [id, s] of fileLex) {
    const c = fileOf(id);
    c.x[fi("lexical")] = s.total / maxFile;
    fileFieldNames.forEach((name, k) => {
      const idx = FILE_FEATURES.indexOf(`lex_${name}` as FileFeature);
      if (idx >= 0) c.x[idx] = (s.fields[k] as number) / maxFile;
    });
  }
  const chunkFieldNames = ws.chunkCollection.fieldNames();
  for (const [id, s] of chunkLex) {
    const c = chunkOf(id);
    const n = s.total / maxChunk;
    c.x[ci("lexical")] = n;
    // The idf-weighted share of the query's words the chunk contains.
    c.x[ci("coverage")] = chunkMass > 0 ? s.matched / chunkMass : 0;
    chunkFieldNames.forEach((name, k) => {
      const idx = FUNCTION_FEATURES.indexOf(`lex_${name}` as FunctionFeature);
      if (idx >= 0) c.x[idx] = (s.fields[k] as number) / maxChunk;
    });
    const fc = fileOf(c.file);
    if (n > (fc.x[fi("best_function")] as number)) {
      fc.x[fi("best_function")] = n;
      fc.notes.best_function = [ws.chunks[id]?.chunk.qname ?? ""];
    }
  }

  // The same ranking on the title alone and on code alone.
  for (const [query, fileFeature, chunkFeature] of [
    [signals.titleTerms, "lex_title", "lex_title"],
    [signals.codeTerms, "lex_code", "lex_code"],
  ] as const) {
    if (query.size === 0) continue;
    const fs = ws.fileCollection.score(query);
    let max = 1e-9;
    for (const s of fs.values()) max = Math.max(max, s.total);
    for (const [id, s] of fs) fileOf(id).x[fi(fileFeature)] = s.total / max;
    const cs = ws.chunkCollection.score(query);
    let maxC = 1e-9;
    for (const s of cs.values()) maxC = Math.max(maxC, s.total);
    for (const [id, s] of cs) chunkOf(id).x[ci(chunkFeature)] = s.total / maxC;
  }
  // Sum of the three best functions of each file: a file with several matching functions.
  const perFileTop = new Map<number, number[]>();
  for (const [id, s] of chunkLex) {
    const f = ws.chunks[id]?.file as number;
    const list = perFileTop.get(f) ?? [];
    list.push(s.total / maxChunk);
    perFileTop.set(f, list);
  }
  for (const [f, list] of perFileTop) {
    const top3 = list.sort((a, b) => b - a).slice(0, 3);
    fileOf(f).x[fi("function_sum")] = top3.reduce((a, b) => a + b, 0);
  }

  // Neighbourhood: the best lexical score among the files a file imports or is imported by.
  const lexIndex = fi("lexical");
  const lexical = new Map<number, number>();
  for (const c of files.values()) lexical.set(c.id, c.x[lexIndex] as number);
  for (const [id, score] of lexical) {
    if (score < 0.3) continue;
    for (const n of ws.neighbours[id] ?? []) {
      const c = fileOf(n);
      const i = fi("neighbour");
      if (score > (c.x[i] as number)) {
        c.x[i] = score;
        c.notes.neighbour = [`imports or is imported by ${ws.files[id]?.record.path}`];
      }
    }
  }

  // Messages: the share of a quoted message's word pairs found in one chunk's string literals.
  for (const m of signals.messages) {
    const hits = new Map<number, number>();
    for (const pair of m.pairs)
      for (const d of ws.chunkCollection.postingsOf("sbi", pair))
        hits.set(d, (hits.get(d) ?? 0) + 1);
    const matched = [...hits.entries()]
      .map(([d, n]) => [d, n / m.pairs.length] as const)
      .filter(([, share]) => share >= 0.5);
    if (matched.length === 0 || matched.length > 20) continue;
    const files = new Set(matched.map(([d]) => ws.chunks[d]?.file as number));
    for (const [d, share] of matched)
      addChunk(
        d,
        "message",
        share / Math.sqrt(files.size),
        `"${m.raw}" (${Math.round(share * 100)}% of its word pairs)`,
      );
    const best = new Map<number, number>();
    for (const [d, share] of matched) {
      const f = ws.chunks[d]?.file as number;
      best.set(f, Math.max(best.get(f) ?? 0, share));
    }
    for (const [f, share] of best)
      addFile(f, "message", share / Math.sqrt(files.size), `"${m.raw}"`);
  }

  // Paths and stack frames.
  for (const m of signals.paths) {
    const { files: matched, segments } = ws.matchPath(m.path);
    if (matched.length === 0 || matched.length > 20) continue;
    const strength = (m.weight * (segments >= 2 ? 1 : 0.75)) / matched.length;
    const feature: FileFeature = m.source === "stack-frame" ? "stack_frame" : "path";
    for (const f of matched) {
      addFile(f, feature, strength, m.raw.trim().slice(0, 160));
      if (m.line === undefined) continue;
      const line = m.line;
      const inner = (ws.files[f]?.chunkIds ?? [])
        .filter((c) => {
          const ch = ws.chunks[c]?.chunk;
          return (
            ch !== undefined && ch.kind !== "file" && ch.startLine <= line && line <= ch.endLine
          );
        })
        .pop();
      if (inner !== undefined) {
        addChunk(inner, "stack_frame", strength, m.raw.trim().slice(0, 160));
        addFile(
          f,
          "stack_frame",
          strength * 0.5,
          `line ${line} is in ${ws.chunks[inner]?.chunk.qname}`,
        );
      }
    }
  }

  // Symbols the report names that the code defines.
  for (const s of signals.symbols) {
    const defs = ws.definitions.get(s.name.toLowerCase()) ?? [];
    const qual = s.qualifier?.toLowerCase();
    let chosen = defs;
    let strength = 1;
    if (qual) {
      const q = defs.filter((d) =>
        (ws.chunks[d]?.chunk.qname.toLowerCase() ?? "").split(/::|\.|\s/).includes(qual),
      );
      if (q.length > 0) chosen = q;
      else strength = 0.5;
    }
    const defFiles = [...new Set(chosen.map((d) => ws.chunks[d]?.file as number))];
    if (defFiles.length > 0 && defFiles.length <= MAX_DEFINING_FILES) {
      const v = (s.weight * strength) / Math.sqrt(defFiles.length);
      const perFile = new Map<number, string>();
      for (const d of chosen) {
        const ch = ws.chunks[d];
        if (!ch) continue;
        const text = `${s.raw.slice(0, 80)} → ${ch.chunk.qname}`;
        addChunk(d, s.source === "stack-frame" ? "stack_frame" : "symbol", v, text);
        if (!perFile.has(ch.file)) perFile.set(ch.file, text);
      }
      for (const [f, text] of perFile)
        addFile(f, s.source === "stack-frame" ? "stack_frame" : "symbol", v, text);
    }
    if (s.source !== "text" || /[a-z][A-Z]|_/.test(s.name)) {
      const named = ws.filesNamed(s.name);
      if (named.length > 0 && named.length <= 3) {
        for (const f of named)
          addFile(f, "basename", s.weight / named.length, `${s.raw.slice(0, 80)} names the file`);
      }
    }
  }
  // A function's lexical score relative to the best function of its file.
  const bestInFile = new Map<number, number>();
  const lexI = ci("lexical");
  for (const c of chunks.values())
    bestInFile.set(c.file, Math.max(bestInFile.get(c.file) ?? 0, c.x[lexI] as number));
  for (const c of chunks.values()) {
    const best = bestInFile.get(c.file) ?? 0;
    c.x[ci("within_file")] = best > 0 ? (c.x[lexI] as number) / best : 0;
  }
  // Words of a file's base name that the report uses: the idf-weighted share of the name's
  // words found among the query's terms (`duration_format.rs` for "formatting a duration").
  // A name word also counts when the report has a word with its first six letters: the light
  // stemmer leaves `formatter`/`formatting` and `unmarshaler`/`unmarshal` apart.
  const prefixes = new Set<string>();
  for (const t of signals.terms.keys())
    if (!t.includes("_") && t.length >= PREFIX) prefixes.add(t.slice(0, PREFIX));
  const cover = (text: string): number => {
    let total = 0;
    let found = 0;
    for (const part of new Set(splitIdentifier(text).map(stem))) {
      if (part.length < 2 || !ws.fileCollection.df.has(part)) continue;
      const idf = ws.fileCollection.idf(part);
      total += idf;
      if (signals.terms.has(part) || (part.length >= PREFIX && prefixes.has(part.slice(0, PREFIX))))
        found += idf;
    }
    return total > 0 ? found / total : 0;
  };
  for (const c of files.values()) {
    c.x[fi("name_cover")] = cover(moduleName(ws.files[c.id]?.record.path ?? ""));
  }
  return { files: [...files.values()], chunks: [...chunks.values()] };
}
