/**
 * Source files of languages without a grammar here: indexed at file level (path, identifiers,
 * strings by regular expression), so a bug in them can still be mapped to the file. Vue and
 * Svelte components are here too: the builder chunks their scripts (`component.ts`).
 */
export const TEXT_SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([
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
