import { byNameField, nameList } from "./names";
import type { LanguageSpec, ModuleResolution } from "./spec";

/** Python: grammar, `import` / `from … import` targets, and the package rules of imports. */

/**
 * Modules a Python import loads, as dotted paths with their leading dots: `import a.b as c, d`
 * gives `a.b` and `d`; `from .x import y, z` gives `.x.y` and `.x.z` (each name may be a
 * submodule; the resolver falls back to `.x` when it is not); `from . import y` gives `.y`.
 */
export function pythonImportTargets(text: string): string[] {
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

/**
 * Python imports resolved by the language's rules instead of by path suffix: a relative import
 * (`.x`, `..a.b`) from the importing file's package, an absolute one (`pkg.sub.mod`) against the
 * repository's module paths whatever its source root (`src/`, `lib/`, the top). A dotted path
 * names `a/b.py` or the package `a/b/__init__.py`; when it names neither, its last part was a
 * name inside the module (`from a.b import SomeClass` is recorded as `a.b.SomeClass`), so the
 * resolver tries the path without it. Suffix matching linked a package's every file for one
 * imported class and every `utils.py` for `from .utils import x`.
 */
export class PythonModules {
  /** Module path (`a/b`, `a/b/__init__` as `a/b`) and every shorter tail of it → file ids. */
  private readonly byTail = new Map<string, number[]>();
  private readonly pathOf = new Map<number, string>();

  constructor(private readonly paths: ReadonlyMap<string, number>) {
    for (const [path, id] of paths) {
      this.pathOf.set(id, path);
      if (!path.endsWith(".py")) continue;
      const segs = modulePath(path).split("/");
      for (let k = 0; k < segs.length; k++) {
        const tail = segs.slice(k).join("/");
        const list = this.byTail.get(tail);
        if (list) list.push(id);
        else this.byTail.set(tail, [id]);
      }
    }
  }

  resolve(importer: string, target: string): number[] {
    const dots = /^\.*/.exec(target)?.[0].length ?? 0;
    const segs = target
      .slice(dots)
      .split(".")
      .filter((s) => s !== "");
    if (dots > 0) {
      const base = importer.split("/").slice(0, -1);
      for (let up = 1; up < dots; up++) {
        if (base.length === 0) return [];
        base.pop();
      }
      for (let n = segs.length; n >= 0; n--) {
        const dir = [...base, ...segs.slice(0, n)].join("/");
        const prefix = dir === "" ? "" : `${dir}/`;
        const hit =
          n > 0
            ? (this.paths.get(`${dir}.py`) ?? this.paths.get(`${prefix}__init__.py`))
            : this.paths.get(`${prefix}__init__.py`);
        if (hit !== undefined) return [hit];
      }
      return [];
    }
    // Absolute: the longest leading part of the dotted path that is a module of the repository.
    // One bare segment (`import os`) is a library unless the repository has it at a root.
    for (let n = segs.length; n >= 1; n--) {
      const hits = this.byTail.get(segs.slice(0, n).join("/"));
      if (!hits) continue;
      const exact = hits.filter((id) => this.rootedAt(id, segs.slice(0, n)));
      if (exact.length > 0 && exact.length <= 3) return exact;
      if (n >= 2 && hits.length <= 3) return hits;
      return [];
    }
    return [];
  }

  /** Whether the file's module path is exactly `segs` below a plausible source root. */
  private rootedAt(id: number, segs: readonly string[]): boolean {
    const path = this.pathOf.get(id);
    if (path === undefined) return false;
    const mod = modulePath(path).split("/");
    const root = mod.slice(0, mod.length - segs.length);
    return root.length === 0 || (root.length === 1 && /^(src|lib|python)$/.test(root[0] ?? ""));
  }
}

/** `a/b.py` → `a/b`; `a/b/__init__.py` → `a/b`. */
function modulePath(path: string): string {
  return path.replace(/\.py$/, "").replace(/\/__init__$/, "");
}

export const pythonResolution: ModuleResolution = {
  appliesTo: (path) => path.endsWith(".py"),
  create(ctx) {
    const modules = new PythonModules(ctx.paths);
    return {
      resolve: (importer, imports) =>
        imports.flatMap((target) => modules.resolve(importer, target)),
    };
  },
};

export const python: LanguageSpec<"python"> = {
  id: "python",
  grammar: "tree-sitter-python.wasm",
  extensions: ["py", "pyi"],
  defs: { function_definition: "function", class_definition: "class" },
  scopes: new Set(),
  separator: ".",
  strings: new Set(["string_content", "string"]),
  calls: new Set(["call"]),
  imports: new Set(["import_statement", "import_from_statement"]),
  transparent: new Set(["decorated_definition", "decorator"]),
  definition: byNameField,
  importTargets: pythonImportTargets,
};
