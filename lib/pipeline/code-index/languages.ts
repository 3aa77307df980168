import type { ChunkKind, LanguageId } from "./types";

/**
 * What each language's grammar calls a definition. `defs` maps a node type to the chunk kind it
 * starts; `scopes` are node types that qualify the names inside them without being chunks
 * themselves (namespaces); `transparent` wrappers are skipped when looking for doc comments.
 */
export interface LanguageSpec {
  id: LanguageId;
  /** File name of the grammar in the `tree-sitter-wasms` package. */
  grammar: string;
  defs: Record<string, ChunkKind>;
  scopes: ReadonlySet<string>;
  /** Separator of qualified names. */
  separator: string;
  /** Node types holding string literal content. */
  strings: ReadonlySet<string>;
  /** Node types of import statements. */
  imports: ReadonlySet<string>;
}

const JS_DEFS: Record<string, ChunkKind> = {
  function_declaration: "function",
  generator_function_declaration: "function",
  method_definition: "method",
  class_declaration: "class",
  abstract_class_declaration: "class",
  interface_declaration: "type",
  type_alias_declaration: "type",
  enum_declaration: "type",
  internal_module: "module",
  // `const f = () => …`: a named closure becomes a chunk; anonymous closures stay in their parent.
  variable_declarator: "function",
  // `{ merge: function () {…} }`, `exports.isURL = function …`, `Axios.prototype.request = …`.
  pair: "method",
  assignment_expression: "function",
  public_field_definition: "method",
  field_definition: "method",
};

const JS_STRINGS = new Set(["string", "template_string"]);
export const JS_IMPORTS = new Set(["import_statement"]);

export const LANGUAGES: Record<Exclude<LanguageId, "text">, LanguageSpec> = {
  typescript: {
    id: "typescript",
    grammar: "tree-sitter-typescript.wasm",
    defs: JS_DEFS,
    scopes: new Set(),
    separator: ".",
    strings: JS_STRINGS,
    imports: JS_IMPORTS,
  },
  tsx: {
    id: "tsx",
    grammar: "tree-sitter-tsx.wasm",
    defs: JS_DEFS,
    scopes: new Set(),
    separator: ".",
    strings: JS_STRINGS,
    imports: JS_IMPORTS,
  },
  javascript: {
    id: "javascript",
    grammar: "tree-sitter-javascript.wasm",
    defs: JS_DEFS,
    scopes: new Set(),
    separator: ".",
    strings: JS_STRINGS,
    imports: JS_IMPORTS,
  },
  python: {
    id: "python",
    grammar: "tree-sitter-python.wasm",
    defs: { function_definition: "function", class_definition: "class" },
    scopes: new Set(),
    separator: ".",
    strings: new Set(["string_content", "string"]),
    imports: new Set(["import_statement", "import_from_statement"]),
  },
  go: {
    id: "go",
    grammar: "tree-sitter-go.wasm",
    defs: { function_declaration: "function", method_declaration: "method", type_spec: "type" },
    scopes: new Set(),
    separator: ".",
    strings: new Set(["interpreted_string_literal", "raw_string_literal"]),
    imports: new Set(["import_declaration"]),
  },
  java: {
    id: "java",
    grammar: "tree-sitter-java.wasm",
    defs: {
      class_declaration: "class",
      interface_declaration: "type",
      enum_declaration: "type",
      record_declaration: "class",
      annotation_type_declaration: "type",
      method_declaration: "method",
      constructor_declaration: "method",
    },
    scopes: new Set(),
    separator: ".",
    strings: new Set(["string_literal", "string_fragment"]),
    imports: new Set(["import_declaration"]),
  },
  rust: {
    id: "rust",
    grammar: "tree-sitter-rust.wasm",
    defs: {
      function_item: "function",
      function_signature_item: "function",
      impl_item: "impl",
      trait_item: "type",
      struct_item: "type",
      enum_item: "type",
      union_item: "type",
      mod_item: "module",
      macro_definition: "function",
    },
    scopes: new Set(),
    separator: "::",
    strings: new Set(["string_literal", "raw_string_literal", "string_content"]),
    imports: new Set(["use_declaration"]),
  },
  c: {
    id: "c",
    grammar: "tree-sitter-c.wasm",
    defs: {
      function_definition: "function",
      struct_specifier: "type",
      union_specifier: "type",
      enum_specifier: "type",
    },
    scopes: new Set(),
    separator: ".",
    strings: new Set(["string_literal", "string_content"]),
    imports: new Set(["preproc_include"]),
  },
  cpp: {
    id: "cpp",
    grammar: "tree-sitter-cpp.wasm",
    defs: {
      function_definition: "function",
      class_specifier: "class",
      struct_specifier: "class",
      union_specifier: "type",
      enum_specifier: "type",
    },
    scopes: new Set(["namespace_definition"]),
    separator: "::",
    strings: new Set(["string_literal", "raw_string_literal", "string_content"]),
    imports: new Set(["preproc_include"]),
  },
};

const EXTENSIONS: Record<string, LanguageId> = {
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  py: "python",
  pyi: "python",
  go: "go",
  java: "java",
  rs: "rust",
  c: "c",
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  cxx: "cpp",
  "c++": "cpp",
  hh: "cpp",
  hpp: "cpp",
  hxx: "cpp",
  ipp: "cpp",
  inl: "cpp",
};

/**
 * Source files of languages without a grammar here: indexed at file level (path, identifiers,
 * strings by regular expression), so a bug in them can still be mapped to the file.
 */
const TEXT_SOURCE_EXTENSIONS = new Set([
  "rb",
  "php",
  "kt",
  "kts",
  "scala",
  "swift",
  "cs",
  "m",
  "mm",
  "lua",
  "ex",
  "exs",
  "erl",
  "hs",
  "ml",
  "dart",
  "vue",
  "svelte",
  "clj",
  "pl",
  "r",
  "jl",
  "zig",
  "nim",
]);

/** Language of a path by extension; `undefined` for files that are not source code. */
export function languageOf(path: string): LanguageId | undefined {
  const base = path.split("/").pop() ?? path;
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const ext = base.slice(dot + 1).toLowerCase();
  const lang = EXTENSIONS[ext];
  if (lang) return lang;
  if (TEXT_SOURCE_EXTENSIONS.has(ext)) return "text";
  return undefined;
}

/** A C header may be C++: decide by content so classes and namespaces are chunked right. */
export function refineHeaderLanguage(path: string, text: string): LanguageId | undefined {
  if (!path.endsWith(".h")) return languageOf(path);
  return /^\s*(class|namespace|template)\b|\b(public|private|protected):|::/m.test(text)
    ? "cpp"
    : "c";
}
