import type { Node } from "web-tree-sitter";
import type { ChunkKind } from "../types";
import { byNameField, cleanName, importTargets, nameList } from "./names";
import type {
  DefInfo,
  ImportContext,
  ImportResolver,
  LanguageSpec,
  ModuleLoads,
  ModuleResolution,
} from "./spec";

/**
 * JavaScript, TypeScript and TSX: one set of definitions for the three grammars, ES and CommonJS
 * imports (with the names taken in braces), exports, and Node/bundler module resolution.
 */

const DEFS: Record<string, ChunkKind> = {
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

const FUNCTION_VALUES = new Set([
  "arrow_function",
  "function_expression",
  "function",
  "generator_function",
  "class",
]);

const JS_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Functions written as object properties or assignments become chunks only when they are more
 * than a line or two: `headers: (a, b) => merge(a, b)` in a table of handlers is part of the
 * code around it, not a place of its own.
 */
function spansFewLines(node: Node): boolean {
  return node.endPosition.row - node.startPosition.row < 2;
}

function definition(node: Node): DefInfo | undefined {
  switch (node.type) {
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
    default:
      return byNameField(node);
  }
}

/** The name of a JavaScript `const name = { … }`: a scope for the functions written inside. */
function namedObjectLiteral(node: Node): string | undefined {
  const name = node.childForFieldName("name");
  return node.childForFieldName("value")?.type === "object" && name?.type === "identifier"
    ? name.text
    : undefined;
}

const JS_EXPORT_DECLARATION =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:const|let|var|function\*?|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm;
const JS_EXPORT_LIST = /^export\s*(?:type\s*)?\{([^}]*)\}\s*(?:;|$)/gm;

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

/**
 * Re-exports (`export { a } from "./a"`, the barrel files of JavaScript and TypeScript) and
 * CommonJS `require("./a")` load modules too; their bodies are still walked.
 */
const MODULE_LOADS: ModuleLoads = {
  types: new Set(["export_statement", "call_expression"]),
  read(node) {
    const reexport = node.type === "export_statement";
    const source = reexport
      ? node.childForFieldName("source")
      : node.childForFieldName("function")?.text === "require"
        ? node.childForFieldName("arguments")?.namedChild(0)
        : null;
    if (source?.type !== "string") return undefined;
    return {
      targets: reexport ? jsImportTargets(node.text) : importTargets(source.text),
      walk: true,
    };
  },
};

/**
 * Relative module specifiers of JavaScript and TypeScript (`./a`, `../b/c`, `.`), resolved the
 * way Node and TypeScript's bundler resolution do: from the importing file's directory, trying
 * the path as written, then with each source extension, then as a directory's `index` file. A
 * `./a.js` written in TypeScript (ESM style) names `a.ts`. Matching the specifier's last segments
 * anywhere in the repository instead links every `utils/log.ts` and every file of a directory
 * imported for its `index.ts`, which in JavaScript repositories is most relative imports.
 */
const EXTENSIONS = [".ts", ".tsx", ".d.ts", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const JS_LIKE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/;

export function isRelativeSpecifier(target: string): boolean {
  return target === "." || target === ".." || target.startsWith("./") || target.startsWith("../");
}

export function isJsLikePath(path: string): boolean {
  return JS_LIKE.test(path);
}

/**
 * The file a relative specifier in `importer` names, among `paths` (repository paths → id), or
 * undefined when it names nothing indexed (a test, a generated file, an asset).
 */
export function resolveRelative(
  importer: string,
  target: string,
  paths: ReadonlyMap<string, number>,
): number | undefined {
  const parts = importer.split("/").slice(0, -1);
  for (const seg of target.split(/[?#]/)[0]?.split("/") ?? []) {
    if (seg === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (seg !== "." && seg !== "") parts.push(seg);
  }
  const base = parts.join("/");
  const stems = [base];
  // ESM TypeScript imports its own `.ts` files by their emitted `.js` names.
  if (/\.(m|c)?js$/.test(base)) stems.push(base.replace(/\.(m|c)?js$/, ""));
  for (const stem of stems) {
    const exact = paths.get(stem);
    if (exact !== undefined) return exact;
    for (const ext of EXTENSIONS) {
      const hit = paths.get(stem + ext);
      if (hit !== undefined) return hit;
    }
    for (const ext of EXTENSIONS) {
      const hit = paths.get(`${stem === "" ? "" : `${stem}/`}index${ext}`);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/**
 * The files that define a name imported in braces (`import { isBooleanAttr } from "@vue/shared"`,
 * `import { log } from "./utils"`), when the module is a package of the same repository or a
 * barrel file that only re-exports: the exporters of the name inside the package's folder (a
 * folder named like the package, `packages/shared/` for `@vue/shared`) or inside the barrel's
 * folder. Nothing when the module defines the name itself (the module link covers it), when it
 * names no folder of the repository (a library), or when more than three files export the name.
 */
export function resolveNamedImport(
  importer: string,
  specifier: string,
  name: string,
  /** The file a relative specifier resolves to (`resolveRelative`); unused for a package. */
  module: number | undefined,
  exporters: ReadonlyMap<string, readonly number[]>,
  pathOf: (id: number) => string,
): number[] {
  const candidates = exporters.get(name);
  if (!candidates || candidates.length === 0) return [];
  let inScope: (path: string) => boolean;
  if (isRelativeSpecifier(specifier)) {
    if (module === undefined || candidates.includes(module)) return [];
    const dir = pathOf(module).split("/").slice(0, -1).join("/");
    inScope = (p) => dir === "" || p.startsWith(`${dir}/`);
  } else {
    const segs = specifier.split("/");
    const pkg = specifier.startsWith("@") ? segs[1] : segs[0];
    if (!pkg) return [];
    inScope = (p) => p.startsWith(`${pkg}/`) || p.includes(`/${pkg}/`);
  }
  const hits = candidates.filter((id) => pathOf(id) !== importer && inScope(pathOf(id)));
  return hits.length <= 3 ? hits : [];
}

/** The import resolver of one repository's JavaScript and TypeScript files (and components). */
function resolver(ctx: ImportContext): ImportResolver {
  return {
    resolve(importer, imports) {
      const out: number[] = [];
      // Each relative module once per file, however many names are taken from it.
      const modules = new Map<string, number | undefined>();
      const moduleOf = (spec: string): number | undefined => {
        if (!modules.has(spec)) modules.set(spec, resolveRelative(importer, spec, ctx.paths));
        return modules.get(spec);
      };
      for (const target of imports) {
        const hash = target.lastIndexOf("#");
        if (hash > 0) {
          const spec = target.slice(0, hash);
          const module = isRelativeSpecifier(spec) ? moduleOf(spec) : undefined;
          const name = target.slice(hash + 1);
          out.push(...resolveNamedImport(importer, spec, name, module, ctx.exports, ctx.pathOf));
          continue;
        }
        if (isRelativeSpecifier(target)) {
          const other = moduleOf(target);
          if (other !== undefined) out.push(other);
          continue;
        }
        out.push(...ctx.bySuffix(target));
      }
      return out;
    },
  };
}

export const javascriptResolution: ModuleResolution = {
  appliesTo: isJsLikePath,
  create: resolver,
};

function spec<Id extends string>(id: Id, grammar: string, extensions: string[]): LanguageSpec<Id> {
  return {
    id,
    grammar,
    extensions,
    defs: DEFS,
    scopes: new Set(),
    separator: ".",
    strings: new Set(["string", "template_string"]),
    calls: new Set(["call_expression"]),
    imports: new Set(["import_statement"]),
    transparent: new Set(["export_statement", "decorator"]),
    definition,
    importTargets: jsImportTargets,
    moduleLoads: MODULE_LOADS,
    objectScope: { types: new Set(["variable_declarator"]), name: namedObjectLiteral },
    exports: jsExports,
  };
}

export const typescript = spec("typescript", "tree-sitter-typescript.wasm", ["ts", "mts", "cts"]);
export const tsx = spec("tsx", "tree-sitter-tsx.wasm", ["tsx"]);
export const javascript = spec("javascript", "tree-sitter-javascript.wasm", [
  "js",
  "jsx",
  "mjs",
  "cjs",
]);
