import type { Node, Tree, TreeCursor } from "web-tree-sitter";
import { splitComponent } from "./component";
import { JS_IMPORTS, LANGUAGES, type LanguageSpec } from "./languages";
import { parserFor } from "./parser";
import { bigrams, countInto, mergeCounts, tokenize, wordSequence } from "./tokenize";
import type { Chunk, ChunkKind, LanguageId, ParseStatus, TermField } from "./types";

/** What the chunker derives from one file. The source text itself is not kept. */
export interface ChunkedFile {
  status: ParseStatus;
  imports: string[];
  chunks: Chunk[];
  /** JavaScript and TypeScript only: the names the module exports. */
  exports?: string[];
}

const JS_EXPORT_DECLARATION =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:const|let|var|function\*?|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm;
const JS_EXPORT_LIST = /^export\s*(?:type\s*)?\{([^}]*)\}\s*(?:;|$)/gm;

/**
 * The names of an import or export list (`a, b as c, type D`): each name as the module defines it
 * and as this file calls it.
 */
function nameList(list: string): { name: string; alias: string }[] {
  return list
    .replace(/[()]/g, " ")
    .split(",")
    .map((part) => {
      const [name = "", alias] = part
        .trim()
        .replace(/^type\s+(?!as\b)/, "")
        .split(/\s+as\s+/)
        .map((n) => n.trim());
      return { name, alias: alias ?? name };
    })
    .filter((n) => n.name !== "");
}

const JS_NAME = /^[A-Za-z_$][\w$]*$/;

/** Top-level names a JavaScript or TypeScript module exports (`export const a`, `export { b }`). */
export function jsExports(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(JS_EXPORT_DECLARATION)) if (m[1]) names.add(m[1]);
  for (const m of text.matchAll(JS_EXPORT_LIST)) {
    for (const { alias } of nameList(m[1] ?? ""))
      if (JS_NAME.test(alias) && alias !== "default") names.add(alias);
  }
  return [...names].sort();
}

interface Context {
  chunk: number;
  /** Name that qualifies definitions inside (class, impl type, namespace, function). */
  qualifier: string;
  depth: number;
  kind: ChunkKind | "scope";
}

const FUNCTION_VALUES = new Set([
  "arrow_function",
  "function_expression",
  "function",
  "generator_function",
  "class",
]);
const DECLARATOR_WRAPPERS = new Set([
  "function_declarator",
  "pointer_declarator",
  "reference_declarator",
  "parenthesized_declarator",
  "attributed_declarator",
  "array_declarator",
]);
const DECLARATOR_NAMES = new Set([
  "identifier",
  "field_identifier",
  "type_identifier",
  "destructor_name",
  "operator_name",
  "qualified_identifier",
  "template_function",
  "operator_cast",
]);
/** Wrappers between a doc comment and the definition it documents. */
const TRANSPARENT = new Set([
  "decorated_definition",
  "template_declaration",
  "export_statement",
  "linkage_specification",
  "attribute_item",
  "decorator",
  "modifiers",
  "marker_annotation",
  "annotation",
]);
const MAX_TOKENS_PER_LEAF = 64;

function endLineOf(node: {
  startPosition: { row: number };
  endPosition: { row: number; column: number };
}): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row : row + 1;
}

const NAME_KEYWORDS = new Set(
  "namespace class struct union enum template typename inline constexpr consteval static const virtual explicit export extern friend mut dyn impl for".split(
    " ",
  ),
);
const NAME_TOKEN = /^~?[A-Za-z_$][\w$]*(::~?[A-Za-z_$][\w$]*)*$/;

/**
 * A definition's name as code writes it: without template arguments, comments and whitespace.
 * Where macros confuse the grammar (C++ `FMT_BEGIN_EXPORT`, attributes), the node a name is read
 * from can span keywords and comments (`namespace detail`, `X // A generic …`): the name is then
 * its last identifier, not the text run together.
 */
function cleanName(text: string): string {
  let t = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, " ");
  for (let i = 0; i < 3 && /<[^<>]*>/.test(t); i++) t = t.replace(/<[^<>]*>/g, "");
  t = t.trim();
  const compact = t.replace(/\s+/g, "");
  if (
    /^operator\b/.test(t) ||
    (NAME_TOKEN.test(compact) && !/\s/.test(t.replace(/\s*::\s*/g, "::")))
  )
    return compact.slice(0, 120);
  const tokens = t.split(/[\s&*]+/).filter((w) => NAME_TOKEN.test(w) && !NAME_KEYWORDS.has(w));
  return (tokens.pop() ?? compact).slice(0, 120);
}

/** The identifier a C/C++ function definition declares, following its declarator chain. */
function declaratorName(node: Node): string | undefined {
  let d: Node | null = node.childForFieldName("declarator");
  for (let i = 0; d && i < 12; i++) {
    if (DECLARATOR_NAMES.has(d.type)) return cleanName(d.text);
    if (!DECLARATOR_WRAPPERS.has(d.type)) return undefined;
    d = d.childForFieldName("declarator") ?? d.firstNamedChild;
  }
  return undefined;
}

/** Base type name of a Go method receiver: `(s *Server)` → `Server`. */
function goReceiver(node: Node): string | undefined {
  const recv = node.childForFieldName("receiver");
  const param = recv?.namedChildren.find((c) => c?.type === "parameter_declaration");
  const type = param?.childForFieldName("type");
  if (!type) return undefined;
  return type.text.match(/[A-Za-z_][A-Za-z0-9_]*/)?.[0];
}

interface DefInfo {
  name: string;
  /** A qualifier written into the definition itself (`Foo::bar`, Go receivers). */
  ownQualifier?: string;
  /** What qualifies definitions nested inside, when not the name (Rust `impl Trait for Type`). */
  innerQualifier?: string;
  displayName?: string;
}

/** The name of a JavaScript `const name = { … }`: a scope for the functions written inside. */
function namedObjectLiteral(node: Node): string | undefined {
  const name = node.childForFieldName("name");
  return node.childForFieldName("value")?.type === "object" && name?.type === "identifier"
    ? name.text
    : undefined;
}

/**
 * Functions written as object properties or assignments become chunks only when they are more
 * than a line or two: `headers: (a, b) => merge(a, b)` in a table of handlers is part of the
 * code around it, not a place of its own.
 */
function spansFewLines(node: Node): boolean {
  return node.endPosition.row - node.startPosition.row < 2;
}

function definition(node: Node, spec: LanguageSpec): DefInfo | undefined {
  const type = node.type;
  switch (type) {
    case "variable_declarator":
    case "public_field_definition":
    case "field_definition": {
      const value = node.childForFieldName("value");
      const name = node.childForFieldName("name") ?? node.childForFieldName("property");
      if (!value || !name || !FUNCTION_VALUES.has(value.type)) return undefined;
      return { name: cleanName(name.text) };
    }
    case "pair": {
      const value = node.childForFieldName("value");
      const key = node.childForFieldName("key");
      if (!value || !key || !FUNCTION_VALUES.has(value.type) || spansFewLines(value))
        return undefined;
      const name = key.text.replace(/^["'`]|["'`]$/g, "");
      return /^[A-Za-z_$][\w$]*$/.test(name) ? { name } : undefined;
    }
    case "assignment_expression": {
      // `exports.f = function`, `module.exports.f = …`, `Type.prototype.m = …`, `obj.m = () => …`:
      // the last property names it; the object path without `prototype` and `exports` qualifies.
      const value = node.childForFieldName("right");
      const left = node.childForFieldName("left");
      if (!value || !left || !FUNCTION_VALUES.has(value.type) || spansFewLines(value))
        return undefined;
      const path = left.text.replace(/\s+/g, "").split(".");
      if (!path.every((p) => /^[A-Za-z_$][\w$]*$/.test(p))) return undefined;
      let name = path.pop() as string;
      if (name === "exports") {
        // `module.exports = function factory() {}`: the function's own name, if it has one.
        const own = value.childForFieldName("name")?.text;
        if (!own) return undefined;
        name = own;
      }
      const owner = path.filter((p) => !["prototype", "exports", "module", "this"].includes(p));
      return owner.length > 0 ? { name, ownQualifier: owner.join(".") } : { name };
    }
    case "function_definition": {
      if (spec.id === "c" || spec.id === "cpp") {
        const full = declaratorName(node);
        if (!full) return undefined;
        const parts = full.split("::").filter((p) => p !== "");
        const name = parts.pop() ?? full;
        return parts.length > 0 ? { name, ownQualifier: parts.join("::") } : { name };
      }
      break;
    }
    case "struct_specifier":
    case "union_specifier":
    case "enum_specifier":
    case "class_specifier": {
      const name = node.childForFieldName("name");
      if (!name || !node.childForFieldName("body")) return undefined;
      return { name: cleanName(name.text) };
    }
    case "method_declaration": {
      if (spec.id === "go") {
        const name = node.childForFieldName("name");
        if (!name) return undefined;
        const recv = goReceiver(node);
        return recv ? { name: name.text, ownQualifier: recv } : { name: name.text };
      }
      break;
    }
    case "impl_item": {
      const t = node.childForFieldName("type");
      if (!t) return undefined;
      const typeName = cleanName(t.text).split("::").pop() ?? cleanName(t.text);
      const trait = node.childForFieldName("trait");
      const display = trait ? `impl ${cleanName(trait.text)} for ${typeName}` : `impl ${typeName}`;
      return { name: typeName, innerQualifier: typeName, displayName: display };
    }
    case "mod_item": {
      const name = node.childForFieldName("name");
      if (!name || !node.childForFieldName("body")) return undefined;
      return { name: name.text };
    }
    default:
      break;
  }
  const name = node.childForFieldName("name");
  if (!name) return undefined;
  return { name: cleanName(name.text) };
}

function signatureText(node: Node): string {
  const body = node.childForFieldName("body");
  const text = node.text;
  const end = body ? Math.max(0, body.startIndex - node.startIndex) : text.indexOf("\n");
  return text.slice(0, end < 0 ? 400 : Math.min(end, 400));
}

/**
 * Modules a Python import loads, as dotted paths with their leading dots: `import a.b as c, d`
 * gives `a.b` and `d`; `from .x import y, z` gives `.x.y` and `.x.z` (each name may be a
 * submodule; the resolver falls back to `.x` when it is not); `from . import y` gives `.y`.
 */
function pythonImportTargets(text: string): string[] {
  const flat = text
    .replace(/\\\n/g, " ")
    .replace(/#[^\n]*/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const from = /^from\s+(\.*)\s*([\w.]*)\s+import\s+(.+)$/.exec(flat);
  const names = (list: string): string[] =>
    nameList(list)
      .map((n) => n.name)
      .filter((n) => /^[\w.]+$/.test(n) || n === "*");
  if (from) {
    const dots = from[1] ?? "";
    const module = from[2] ?? "";
    const base = module === "" ? dots : `${dots}${module}.`;
    const listed = names(from[3] ?? "");
    if (listed.includes("*") || listed.length === 0) return [dots + module].filter((t) => t);
    return listed.map((n) => `${base}${n}`.slice(0, 200));
  }
  const plain = /^import\s+(.+)$/.exec(flat);
  return plain ? names(plain[1] ?? "").filter((n) => n !== "*") : [];
}

function importTargets(text: string): string[] {
  const quoted = [...text.matchAll(/["'<]([^"'<>\n]{1,200})["'>]/g)].map((m) => m[1] ?? "");
  if (quoted.length > 0) return quoted;
  const t = text
    .replace(/^\s*(from|import|use|pub\s+use)\s+/, "")
    .replace(/\s+import\s+.*$/s, "")
    .replace(/[;{}\s]+$/g, "")
    .replace(/\s+/g, "")
    .replace(/^static\./, "");
  return t ? [t.slice(0, 200)] : [];
}

/**
 * A JavaScript or TypeScript import or re-export: its module, and `module#name` for each name
 * it takes in braces (`import { a, b as c } from "x"` → `x`, `x#a`, `x#b`), so an import of a
 * package or a barrel file can be followed to the file that defines the name.
 */
export function jsImportTargets(text: string): string[] {
  const targets = importTargets(text);
  const module = targets[targets.length - 1];
  const braces = /^\s*(?:import|export)\b[^{;]*\{([^}]*)\}\s*from\s*["']/.exec(text)?.[1];
  if (!module || braces === undefined) return targets;
  const names = nameList(braces)
    .map((n) => n.name)
    .filter((n) => JS_NAME.test(n) && n !== "default");
  return [...targets, ...names.slice(0, 50).map((n) => `${module}#${n}`)];
}

function addTerms(chunk: Chunk, field: TermField, terms: Iterable<string>): void {
  let counts = chunk.fields[field];
  if (!counts) {
    counts = {};
    chunk.fields[field] = counts;
  }
  countInto(counts, terms);
}

function addString(chunk: Chunk, text: string): void {
  const clean = text.replace(/\\[nrtvf0abe]/g, " ").replace(/%[-+ #0-9.]*[a-zA-Z]/g, " ");
  const words = wordSequence(clean).slice(0, MAX_TOKENS_PER_LEAF);
  addTerms(chunk, "str", tokenize(clean).slice(0, MAX_TOKENS_PER_LEAF));
  addTerms(chunk, "sbi", bigrams(words));
}

function fileChunk(lines: number): Chunk {
  return {
    name: "<file>",
    qname: "<file>",
    kind: "file",
    startLine: 1,
    endLine: Math.max(1, lines),
    parent: -1,
    fields: {},
  };
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

function sortCounts(chunk: Chunk): void {
  for (const f of Object.keys(chunk.fields) as TermField[]) {
    const counts = chunk.fields[f];
    if (!counts || Object.keys(counts).length === 0) delete chunk.fields[f];
  }
}

function walk(tree: Tree, spec: LanguageSpec, lines: number): ChunkedFile {
  const chunks: Chunk[] = [fileChunk(lines)];
  const imports = new Set<string>();
  const stack: Context[] = [{ chunk: 0, qualifier: "", depth: -1, kind: "file" }];
  let pending: { chunk: number; terms: string[]; endRow: number }[] = [];
  const cursor: TreeCursor = tree.walk();
  let depth = 0;

  const current = (): Context => stack[stack.length - 1] as Context;
  const qualifierPath = (): string[] => stack.map((c) => c.qualifier).filter((q) => q !== "");
  const flushPending = (into?: number): void => {
    for (const p of pending) addTerms(chunks[into ?? p.chunk] as Chunk, "doc", p.terms);
    pending = [];
  };

  for (;;) {
    const type = cursor.nodeType;
    let descend = true;
    if (cursor.nodeIsNamed) {
      if (type.includes("comment")) {
        pending.push({
          chunk: current().chunk,
          terms: tokenize(cursor.nodeText),
          endRow: cursor.endPosition.row,
        });
        descend = false;
      } else if (type === "mod_item" && !cursor.currentNode.childForFieldName("body")) {
        // `mod foo;` loads a child module file: an import edge, written as the use path
        // that names it.
        const name = cursor.currentNode.childForFieldName("name")?.text;
        if (name) imports.add(`self::${name}`);
        descend = false;
      } else {
        const kind = spec.defs[type];
        // `const utils = { merge: function () {…} }`: the object names what is defined in it.
        const objectName =
          type === "variable_declarator" ? namedObjectLiteral(cursor.currentNode) : undefined;
        const isScope = spec.scopes.has(type) || objectName !== undefined;
        let pushed = false;
        if (kind || isScope) {
          const node = cursor.currentNode;
          const def = objectName !== undefined ? { name: objectName } : definition(node, spec);
          if (def) {
            const parent = current();
            const startRow = node.startPosition.row;
            if (isScope) {
              flushPending();
              stack.push({ chunk: parent.chunk, qualifier: def.name, depth, kind: "scope" });
            } else {
              const quals = qualifierPath();
              if (def.ownQualifier) quals.push(def.ownQualifier);
              const sep = spec.separator;
              const parentKind = parent.kind;
              let chunkKind: ChunkKind = kind as ChunkKind;
              if (
                chunkKind === "function" &&
                (def.ownQualifier !== undefined ||
                  parentKind === "class" ||
                  parentKind === "impl" ||
                  parentKind === "type")
              ) {
                chunkKind = "method";
              }
              const qname =
                def.displayName && !def.ownQualifier
                  ? def.displayName
                  : [...quals, def.name].join(sep);
              const chunk: Chunk = {
                name: def.name,
                qname,
                kind: chunkKind,
                startLine: startRow + 1,
                endLine: endLineOf(node),
                parent: parent.chunk,
                fields: {},
              };
              const index = chunks.push(chunk) - 1;
              const last = pending[pending.length - 1];
              if (last && last.endRow >= startRow - 1) flushPending(index);
              else flushPending();
              addTerms(chunk, "name", tokenize(def.name));
              if (def.ownQualifier) addTerms(chunk, "name", tokenize(def.ownQualifier));
              addTerms(chunk, "sig", tokenize(signatureText(node)));
              stack.push({
                chunk: index,
                qualifier: def.innerQualifier ?? def.name,
                depth,
                kind: chunkKind,
              });
            }
            pushed = true;
          }
        }
        if (!pushed && !TRANSPARENT.has(type) && pending.length > 0) flushPending();
        if (
          spec.imports === JS_IMPORTS &&
          (type === "export_statement" || type === "call_expression")
        ) {
          // Re-exports (`export { a } from "./a"`, the barrel files of JavaScript and TypeScript)
          // and CommonJS `require("./a")` load modules too; their bodies are still walked.
          const node = cursor.currentNode;
          const source =
            type === "export_statement"
              ? node.childForFieldName("source")
              : node.childForFieldName("function")?.text === "require"
                ? node.childForFieldName("arguments")?.namedChild(0)
                : null;
          if (source?.type === "string")
            for (const target of type === "export_statement"
              ? jsImportTargets(node.text)
              : importTargets(source.text))
              imports.add(target);
        }
        if (spec.imports.has(type)) {
          const targets =
            spec.id === "python"
              ? pythonImportTargets(cursor.nodeText)
              : spec.imports === JS_IMPORTS
                ? jsImportTargets(cursor.nodeText)
                : importTargets(cursor.nodeText);
          for (const target of targets) imports.add(target);
          descend = false;
        } else if (spec.strings.has(type)) {
          addString(chunks[current().chunk] as Chunk, cursor.nodeText);
          descend = false;
        } else if (type.includes("identifier") && cursor.currentDepth >= 0) {
          const text = cursor.nodeText;
          if (text.length <= 100 && !/\s/.test(text))
            addTerms(chunks[current().chunk] as Chunk, "id", tokenize(text));
          descend =
            type === "scoped_identifier" ||
            type === "qualified_identifier" ||
            type === "scoped_type_identifier";
        }
      }
    }
    if (descend && cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    let done = false;
    for (;;) {
      const top = current();
      if (top.depth === depth && stack.length > 1) stack.pop();
      if (cursor.gotoNextSibling()) break;
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      depth--;
    }
    if (done) break;
  }
  flushPending();
  cursor.delete();
  for (const c of chunks) sortCounts(c);
  return {
    status: tree.rootNode.hasError ? "syntax-errors" : "parsed",
    imports: [...imports].sort(),
    chunks,
  };
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
    const chunked = walk(tree, spec, lines);
    if (spec.imports !== JS_IMPORTS) return chunked;
    const exports = jsExports(text);
    return exports.length > 0 ? { ...chunked, exports } : chunked;
  } catch {
    return chunkAsText(text, lines);
  } finally {
    tree?.delete();
  }
}
