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
