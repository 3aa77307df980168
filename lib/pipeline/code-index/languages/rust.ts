import type { Node } from "web-tree-sitter";
import { byNameField, cleanName, importTargets } from "./names";
import type { DefInfo, LanguageSpec, ModuleLoads, ModuleResolution } from "./spec";

/**
 * Rust: grammar, `impl` blocks as the qualifier of their methods, `use` and `mod a;` as imports,
 * and the module rules that resolve them to files.
 */

function definition(node: Node): DefInfo | undefined {
  switch (node.type) {
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
      return byNameField(node);
  }
}

/**
 * `mod foo;` loads a child module file: an import edge, written as the use path that names it.
 * A `mod foo { … }` with a body is a definition instead.
 */
const MODULE_LOADS: ModuleLoads = {
  types: new Set(["mod_item"]),
  read(node) {
    if (node.childForFieldName("body")) return undefined;
    const name = node.childForFieldName("name")?.text;
    return { targets: name ? [`self::${name}`] : [], walk: false };
  },
};

/** Expand a use tree (`crate::{a::B, c::{d, e}}`) into paths of segments. */
export function expandUseTree(target: string): string[][] {
  const text = target.replace(/\s+/g, "");
  const out: string[][] = [];
  let pos = 0;
  // Parse `prefix::{item, item}` recursively; an unbalanced tail (the index trims a trailing
  // `}`) is closed at the end of the text.
  const parse = (prefix: string[]): void => {
    let current: string[] = [...prefix];
    let segment = "";
    const finish = (): void => {
      if (segment !== "") current.push(segment);
      if (current.length > prefix.length) out.push(current);
      current = [...prefix];
      segment = "";
    };
    while (pos < text.length) {
      const ch = text[pos++] as string;
      if (ch === "{") {
        if (segment !== "") current.push(segment);
        segment = "";
        parse(current);
        current = [...prefix];
      } else if (ch === "}") {
        finish();
        return;
      } else if (ch === ",") {
        finish();
      } else if (ch === ":") {
        if (text[pos] === ":") pos++;
        if (segment !== "") current.push(segment);
        segment = "";
      } else {
        segment += ch;
      }
    }
    finish();
  };
  parse([]);
  return out.filter((p) => p.length > 0 && p.every((s) => /^[\w*]+$/.test(s)));
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function join(dir: string, rest: string): string {
  return dir === "" ? rest : `${dir}/${rest}`;
}

/**
 * Rust's module rules, for resolving `use` declarations and `mod foo;` to files: `crate::` is
 * the crate root (the directory of the nearest `lib.rs` or `main.rs`), `self::` and `super::`
 * are relative to the current module, a module `a::b` is `a/b.rs` or `a/b/mod.rs`, and a first
 * segment naming a crate of the same Cargo workspace (`grep_printer`, `globset`) is that crate's
 * `src/`. Everything else is an outside crate.
 */
/** Files of one repository, by path, for module lookups. */
export class RustModules {
  /** Cargo workspace crates by the name `use` writes them with (`grep-printer/src` → `grep_printer`). */
  private readonly crates: { dir: string; name: string }[] = [];
  /** `src/` of the crate at the repository root (its name is not in the path), if it is the one. */
  private readonly rootCrate: string | undefined;
  private readonly roots = new Map<string, string>();

  constructor(private readonly paths: ReadonlyMap<string, number>) {
    const unnamed: string[] = [];
    for (const p of paths.keys()) {
      if (!p.endsWith("/src/lib.rs") && p !== "src/lib.rs") continue;
      const name = dirOf(dirOf(p)).split("/").pop() ?? "";
      if (name) this.crates.push({ dir: dirOf(p), name: name.replace(/-/g, "_") });
      else unnamed.push(dirOf(p));
    }
    this.rootCrate = unnamed.length === 1 ? unnamed[0] : undefined;
  }

  /** The module directory of a file: where its child modules live. */
  moduleDir(path: string): string {
    const base = path.slice(path.lastIndexOf("/") + 1);
    if (base === "lib.rs" || base === "main.rs" || base === "mod.rs") return dirOf(path);
    return path.replace(/\.rs$/, "");
  }

  /** The crate root directory of a file: the nearest directory above it with lib.rs or main.rs. */
  crateRoot(path: string): string {
    const start = dirOf(path);
    let root = this.roots.get(start);
    if (root !== undefined) return root;
    root = start;
    for (let dir = start; ; dir = dirOf(dir)) {
      if (this.paths.has(join(dir, "lib.rs")) || this.paths.has(join(dir, "main.rs"))) {
        root = dir;
        break;
      }
      if (dir === "") break;
    }
    this.roots.set(start, root);
    return root;
  }

  /** The longest module prefix of `segs` under `dir` that is a file. */
  private lookup(dir: string, segs: readonly string[]): number | undefined {
    for (let k = segs.length; k >= 1; k--) {
      const p = join(dir, segs.slice(0, k).join("/"));
      const hit = this.paths.get(`${p}.rs`) ?? this.paths.get(`${p}/mod.rs`);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** Files a `use` path names, seen from the file at `from`. */
  resolveUse(from: string, segs: readonly string[]): number[] {
    const [first, ...rest] = segs;
    if (first === undefined) return [];
    let dir: string | undefined;
    let tail = rest;
    if (first === "crate") dir = this.crateRoot(from);
    else if (first === "self") dir = this.moduleDir(from);
    else if (first === "super") {
      dir = dirOf(this.moduleDir(from));
      while (tail[0] === "super") {
        dir = dirOf(dir);
        tail = tail.slice(1);
      }
    } else {
      const name = first.toLowerCase();
      const crate = this.crates.find((c) => c.name === name || name.endsWith(`_${c.name}`));
      // Otherwise the first segment may name the root crate itself (`use mycrate::a::B`).
      const own =
        crate || this.rootCrate === undefined ? undefined : this.lookup(this.rootCrate, rest);
      if (crate) dir = crate.dir;
      else if (own !== undefined) return [own];
      else {
        // A sibling module used without `crate::` (2015 edition, `mod` siblings).
        const sibling = this.lookup(this.moduleDir(from), segs);
        return sibling === undefined ? [] : [sibling];
      }
    }
    if (tail.length === 0) {
      const root =
        this.paths.get(join(dir, "lib.rs")) ??
        this.paths.get(join(dir, "main.rs")) ??
        this.paths.get(join(dir, "mod.rs"));
      return root === undefined ? [] : [root];
    }
    const hit = this.lookup(dir, tail);
    return hit === undefined ? [] : [hit];
  }
}

export const rustResolution: ModuleResolution = {
  appliesTo: (path) => path.endsWith(".rs"),
  create(ctx) {
    const modules = new RustModules(new Map([...ctx.paths].filter(([p]) => p.endsWith(".rs"))));
    return {
      resolve: (importer, imports) =>
        imports.flatMap((target) =>
          expandUseTree(target).flatMap((segs) => modules.resolveUse(importer, segs)),
        ),
    };
  },
};

export const rust: LanguageSpec<"rust"> = {
  id: "rust",
  grammar: "tree-sitter-rust.wasm",
  extensions: ["rs"],
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
  calls: new Set(["call_expression"]),
  imports: new Set(["use_declaration"]),
  transparent: new Set(["attribute_item"]),
  definition,
  importTargets,
  moduleLoads: MODULE_LOADS,
};
