import type { Tree } from "web-tree-sitter";
import { addString, addTerms, fileChunk } from "./chunk-terms";
import { walkTree } from "./chunk-walk";
import { splitComponent } from "./component";
import { LANGUAGES } from "./languages";
import { parserFor } from "./parser";
import { mergeCounts, tokenize } from "./tokenize";
import type { Chunk, LanguageId, ParseStatus, TermField } from "./types";

/** What the chunker derives from one file. The source text itself is not kept. */
export interface ChunkedFile {
  status: ParseStatus;
  imports: string[];
  chunks: Chunk[];
  /** JavaScript and TypeScript only: the names the module exports. */
  exports?: string[];
}

/** File-level indexing without a grammar: identifiers, comments and quoted strings by pattern. */
export function chunkAsText(
  text: string,
  lines: number,
  status: ParseStatus = "file-level",
): ChunkedFile {
  const chunk = fileChunk(lines);
  for (const m of text.matchAll(/"((?:[^"\\\n]|\\.){0,300})"|'((?:[^'\\\n]|\\.){2,300})'/g)) {
    addString(chunk, m[1] ?? m[2] ?? "");
  }
  addTerms(chunk, "id", tokenize(text));
  return { status, imports: [], chunks: [chunk] };
}

/**
 * A Vue or Svelte component: its scripts chunked by their grammar, its markup's identifiers and
 * strings added to the file-level chunk. Undefined when it has no script (index it as text).
 */
export async function chunkComponent(
  text: string,
): Promise<(ChunkedFile & { language: LanguageId }) | undefined> {
  const parts = splitComponent(text);
  if (!parts) return undefined;
  const chunked = await chunkSource(parts.script, parts.language);
  const markup = chunkAsText(parts.markup, 1).chunks[0];
  const file = chunked.chunks[0];
  if (file && markup) {
    for (const field of Object.keys(markup.fields) as TermField[]) {
      const into = file.fields[field] ?? {};
      mergeCounts(into, markup.fields[field]);
      file.fields[field] = into;
    }
  }
  return { ...chunked, language: parts.language };
}

/**
 * Split a source file into chunks: a file-level chunk (module code), then every function, method,
 * class and type with its qualified name, span, and term counts (name, signature, doc comments,
 * identifiers, string literals and their word pairs). A file the grammar cannot handle is
 * indexed at file level.
 */
export async function chunkSource(text: string, language: LanguageId): Promise<ChunkedFile> {
  const lines = text.length === 0 ? 1 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  if (language === "text") return chunkAsText(text, lines);
  const spec = LANGUAGES[language];
  let tree: Tree | null = null;
  try {
    const parser = await parserFor(language);
    tree = parser.parse(text);
    if (!tree) return chunkAsText(text, lines);
    const chunked = walkTree(tree, spec, lines);
    const exports = spec.exports?.(text) ?? [];
    return exports.length > 0 ? { ...chunked, exports } : chunked;
  } catch {
    return chunkAsText(text, lines);
  } finally {
    tree?.delete();
  }
}
