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
