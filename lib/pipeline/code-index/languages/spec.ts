import type { Node } from "web-tree-sitter";
import type { ChunkKind } from "../types";

/**
 * What one language contributes to the code map, in one place: its grammar and what the grammar
 * calls a definition (for the chunker), how its import statements name modules (for the index),
 * and how those names resolve to files of a repository (for the import graph of the search index).
 * A language is one module in this folder plus a line in `index.ts`.
 */
export interface LanguageSpec<Id extends string = string> {
  id: Id;
  /** File name of the grammar in the `tree-sitter-wasms` package. */
  grammar: string;
  /** File extensions (lower case, without the dot) that are this language. */
  extensions: readonly string[];
  /** Node type → the chunk kind a definition of that type starts. */
  defs: Readonly<Record<string, ChunkKind>>;
  /** Node types that qualify the names inside them without being chunks (namespaces). */
  scopes: ReadonlySet<string>;
  /** Separator of qualified names. */
  separator: string;
  /** Node types holding string literal content. */
  strings: ReadonlySet<string>;
  /**
   * Node types of call sites (`f(x)`, `a.b.f(x)`, Java `a.f(x)`): the name called is the last
   * identifier of the node's `function` field (`name` where the grammar has no `function`).
   * Each chunk keeps the names it calls, for the call graph of the search index.
   */
  calls?: ReadonlySet<string>;
  /** Node types of import statements; their text goes to `importTargets`. */
  imports: ReadonlySet<string>;
  /** Wrappers between a doc comment and the definition it documents (decorators, modifiers). */
  transparent: ReadonlySet<string>;
  /** The name of a definition (a node of `defs` or `scopes`), or undefined when it has none. */
  definition(node: Node): DefInfo | undefined;
  /** Module paths an import statement names, as written. */
  importTargets(text: string): string[];
  /** Nodes other than import statements that load a module (a re-export, `require`, `mod a;`). */
  moduleLoads?: ModuleLoads;
  /**
   * A variable whose value holds functions (`const utils = { merge() {…} }`): its name qualifies
   * them. Called for nodes of `objectScopeTypes` only.
   */
  objectScope?: { types: ReadonlySet<string>; name(node: Node): string | undefined };
  /** Top-level names the module exports (JavaScript and TypeScript). */
  exports?(text: string): string[];
}

export interface ModuleLoads {
  types: ReadonlySet<string>;
  /**
   * Targets the node loads, and whether its children are still walked; undefined when the node
   * loads nothing and is walked as any other.
   */
  read(node: Node): { targets: string[]; walk: boolean } | undefined;
}

/** A definition's name, and how it qualifies what is nested in it. */
export interface DefInfo {
  name: string;
  /** A qualifier written into the definition itself (`Foo::bar`, Go receivers). */
  ownQualifier?: string;
  /** What qualifies definitions nested inside, when not the name (Rust `impl Trait for Type`). */
  innerQualifier?: string;
  displayName?: string;
}

/**
 * Files of one repository as the import graph sees them, for resolving one file's imports.
 * Ids are the search index's file ids.
 */
export interface ImportContext {
  /** Repository path → file id, every indexed file of the repository. */
  paths: ReadonlyMap<string, number>;
  /** JavaScript and TypeScript exported name → files of the repository exporting it. */
  exports: ReadonlyMap<string, readonly number[]>;
  pathOf(id: number): string;
  /** The language-neutral rule: a module path matched against path suffixes and directories. */
  bySuffix(target: string): number[];
}

export interface ImportResolver {
  /** Files the given imports of the file at `importer` load, in import order. */
  resolve(importer: string, imports: readonly string[]): number[];
}

/** A language's module rules; languages without one are resolved by path suffix. */
export interface ModuleResolution {
  /** Whether the file at this path follows these rules (by extension). */
  appliesTo(path: string): boolean;
  /** A resolver for one repository, built on first use. */
  create(context: ImportContext): ImportResolver;
}
