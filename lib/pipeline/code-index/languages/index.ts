import { c, looksLikeCpp } from "./c";
import { cpp } from "./cpp";
import { go } from "./go";
import { java } from "./java";
import { javascript, javascriptResolution, tsx, typescript } from "./javascript";
import { python, pythonResolution } from "./python";
import { rust, rustResolution } from "./rust";
import type { LanguageSpec, ModuleResolution } from "./spec";
import { TEXT_SOURCE_EXTENSIONS } from "./text";

/**
 * The languages the code map parses. Adding one: a module in this folder (its `LanguageSpec`,
 * and its `ModuleResolution` if its imports follow rules a path suffix cannot), a line in each
 * list below, and its tests (a grammar test in tests/unit/code-index/chunker.test.ts loads every
 * grammar listed here).
 */
const SPECS = [typescript, tsx, javascript, python, go, java, rust, c, cpp] as const;

/** Module rules by file extension; every other file's imports resolve by path suffix. */
const RESOLUTIONS: readonly ModuleResolution[] = [
  rustResolution,
  pythonResolution,
  javascriptResolution,
];

export type ParsedLanguageId = (typeof SPECS)[number]["id"];

export const LANGUAGES = Object.fromEntries(SPECS.map((s) => [s.id, s])) as {
  [K in ParsedLanguageId]: LanguageSpec<K>;
};

/**
 * Wrappers between a doc comment and the definition it documents, of every language: the
 * chunker treats a node type of this set as transparent whatever the file's language.
 */
export const TRANSPARENT: ReadonlySet<string> = new Set(SPECS.flatMap((s) => [...s.transparent]));

const EXTENSIONS = new Map<string, ParsedLanguageId>(
  SPECS.flatMap((s) => s.extensions.map((ext) => [ext, s.id] as const)),
);

/** Language of a path by extension; `undefined` for files that are not source code. */
export function languageOf(path: string): ParsedLanguageId | "text" | undefined {
  const base = path.split("/").pop() ?? path;
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const ext = base.slice(dot + 1).toLowerCase();
  const lang = EXTENSIONS.get(ext);
  if (lang) return lang;
  if (TEXT_SOURCE_EXTENSIONS.has(ext)) return "text";
  return undefined;
}

/** A C header may be C++: decide by content so classes and namespaces are chunked right. */
export function refineHeaderLanguage(
  path: string,
  text: string,
): ParsedLanguageId | "text" | undefined {
  if (!path.endsWith(".h")) return languageOf(path);
  return looksLikeCpp(text) ? "cpp" : "c";
}

/** The module rules that resolve a file's imports, or undefined for the path-suffix rule. */
export function moduleResolutionOf(path: string): ModuleResolution | undefined {
  return RESOLUTIONS.find((r) => r.appliesTo(path));
}

export type {
  DefInfo,
  ImportContext,
  ImportResolver,
  LanguageSpec,
  ModuleResolution,
} from "./spec";
