import path from "node:path";
import { Language, Parser } from "web-tree-sitter";
import { LANGUAGES } from "./languages";
import type { LanguageId } from "./types";

/**
 * Loads the tree-sitter runtime once per process and each grammar on first use. Grammars come from
 * the pinned `tree-sitter-wasms` package, built for the ABI that the pinned `web-tree-sitter`
 * runtime reads (checked by a unit test that loads and parses with every grammar).
 */

// Node's own resolver, reached at run time: in the app, webpack bundles this module and rewrites
// a `require.resolve` it can see into a bundle path ("(rsc)/node_modules/…") that is no file, so
// every grammar failed to load and the index silently held no function.
const nodeRequire = process.getBuiltinModule("node:module").createRequire(import.meta.url);
let initialised: Promise<void> | undefined;
const languages = new Map<LanguageId, Promise<Language>>();
let sharedParser: Parser | undefined;

function grammarDir(): string {
  return path.join(path.dirname(nodeRequire.resolve("tree-sitter-wasms/package.json")), "out");
}

async function init(): Promise<void> {
  initialised ??= Parser.init();
  await initialised;
}

/** The grammar of a language, loaded once. */
export async function loadLanguage(id: Exclude<LanguageId, "text">): Promise<Language> {
  await init();
  let lang = languages.get(id);
  if (!lang) {
    lang = Language.load(path.join(grammarDir(), LANGUAGES[id].grammar));
    languages.set(id, lang);
  }
  return lang;
}

/** A parser set to the given language. One parser is shared: parsing is synchronous. */
export async function parserFor(id: Exclude<LanguageId, "text">): Promise<Parser> {
  const lang = await loadLanguage(id);
  sharedParser ??= new Parser();
  sharedParser.setLanguage(lang);
  return sharedParser;
}
