import {
  type ImportContext,
  type ImportResolver,
  type ModuleResolution,
  moduleResolutionOf,
} from "../code-index/languages";
import type { IndexedFile } from "./search-index";

/**
 * The import graph of a search index: each file's imports resolved to files of its own
 * repository, as undirected edges. Each language's module rules live with the language
 * (`code-index/languages/`); files of languages without rules resolve by path suffix.
 */
export function linkImports(
  index: { readonly files: readonly IndexedFile[]; readonly neighbours: Set<number>[] },
  bySuffix: (target: string) => number[],
): ImportsOf {
  const { files, neighbours } = index;
  const importsOf = importResolution(files, bySuffix);
  files.forEach((f, id) => {
    for (const other of importsOf(f.repo, f.record.path, f.record.imports)) {
      if (other === id || files[other]?.repo !== f.repo) continue;
      neighbours[id]?.add(other);
      neighbours[other]?.add(id);
    }
  });
  return importsOf;
}

/** Files of `repo` that the imports of the file at `path` load (the file need not be indexed). */
export type ImportsOf = (repo: string, path: string, imports: readonly string[]) => number[];

/**
 * Import resolution over the indexed files: each language's module rules, or the path suffix.
 * Also resolves the imports of files outside the index (test files) against it.
 */
export function importResolution(
  files: readonly IndexedFile[],
  bySuffix: (target: string) => number[],
): ImportsOf {
  const contexts = repositoryContexts(files, bySuffix);
  // One resolver per repository and rule set, built when a file first needs it.
  const resolvers = new Map<string, Map<ModuleResolution, ImportResolver>>();
  const resolverOf = (repo: string, rules: ModuleResolution): ImportResolver | undefined => {
    const context = contexts.get(repo);
    if (!context) return undefined;
    const byRules = resolvers.get(repo) ?? new Map<ModuleResolution, ImportResolver>();
    resolvers.set(repo, byRules);
    let resolver = byRules.get(rules);
    if (!resolver) {
      resolver = rules.create(context);
      byRules.set(rules, resolver);
    }
    return resolver;
  };
  return (repo, path, imports) => {
    const rules = moduleResolutionOf(path);
    const targets = rules
      ? (resolverOf(repo, rules)?.resolve(path, imports) ?? [])
      : imports.flatMap(bySuffix);
    return targets.filter((t) => files[t]?.repo === repo);
  };
}

/** Each repository's paths and JavaScript/TypeScript exports, by file id. */
function repositoryContexts(
  files: readonly IndexedFile[],
  bySuffix: (target: string) => number[],
): Map<string, ImportContext> {
  const pathOf = (id: number): string => files[id]?.record.path ?? "";
  const paths = new Map<string, Map<string, number>>();
  const exports = new Map<string, Map<string, number[]>>();
  files.forEach((f, id) => {
    const repoPaths = paths.get(f.repo) ?? new Map<string, number>();
    repoPaths.set(f.record.path, id);
    paths.set(f.repo, repoPaths);
    const repoExports = exports.get(f.repo) ?? new Map<string, number[]>();
    exports.set(f.repo, repoExports);
    for (const name of f.record.exports ?? []) {
      const list = repoExports.get(name);
      if (list) list.push(id);
      else repoExports.set(name, [id]);
    }
  });
  const contexts = new Map<string, ImportContext>();
  for (const [repo, repoPaths] of paths) {
    contexts.set(repo, {
      paths: repoPaths,
      exports: exports.get(repo) ?? new Map(),
      pathOf,
      bySuffix,
    });
  }
  return contexts;
}
