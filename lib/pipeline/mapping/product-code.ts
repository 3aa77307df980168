/**
 * Product code first: which files of a repository are not the product itself, by general rules
 * on the tree, never by lists of repositories or libraries.
 *
 * - a third-party library bundled inside the project: a folder with its own manifest or licence
 *   file, nested inside a folder that holds the project's own source (a monorepo's
 *   `packages/x/package.json` is not: `packages/` holds no source of its own);
 * - build and release scripts: `setup.py`, `build.rs`, bundler and tool configurations;
 * - tooling folders by their role: `scripts/`, `tools/`, `ci/`, `hack/`, `xtask/`, …;
 * - type declarations with their implementation beside them (`x.d.ts` next to `x.js`).
 *
 * Such a file ranks below product code unless the report points at it: by a path, a frame or
 * its file name (the ranker sees those), or by the name of the bundled library or tool folder
 * (`names` below, matched against the report's words).
 */

export type PeripheralRole = "bundled" | "build-script" | "tooling" | "declarations";

export interface Peripheral {
  role: PeripheralRole;
  /** Where the rule saw it: the bundled folder, the tooling folder, the implementation file. */
  where: string;
  /** Words that point at it when the report uses them (the bundled library's or tool's name). */
  names: string[];
}

/**
 * Manifests a copied library carries with it. Go's `go.mod`, Cargo's and Maven's or Gradle's
 * files are left out on purpose: nested ones are how one project splits into modules.
 */
const MANIFEST =
  /^(package\.json|setup\.py|setup\.cfg|pyproject\.toml|composer\.json|[\w.-]+\.gemspec|bower\.json)$/;
const LICENCE = /^(LICEN[CS]E|COPYING|COPYRIGHT)([._-][\w.-]*)?$/i;

/** Folder roles that are tooling wherever they sit. */
const TOOLING_ANYWHERE = new Set([
  "scripts",
  "script",
  "ci",
  "hack",
  "xtask",
  "fuzz",
  "releng",
  "devtools",
  "dev-tools",
  "build-tools",
  "buildtools",
  "tooling",
]);
/** Folder roles that are tooling at the top of a repository (deeper, they may be the product's). */
const TOOLING_AT_ROOT = new Set(["tools", "tool", "build", "release", "contrib", "misc", "bench"]);

/** Build and release scripts by file name. */
const BUILD_SCRIPT =
  /^(setup\.py|build\.rs|noxfile\.py|fabfile\.py|tasks\.py|release\.py|build\.py|magefile\.go|mage\.go|[Gg]runtfile\.[cm]?js|[Gg]ulpfile\.[cm]?js|karma\.conf\.[cm]?js|webpack\.[\w.-]*\.[cm]?[jt]s|[\w-]+\.config\.[cm]?[jt]s|\.eslintrc\.[cm]?js)$/;

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * The peripheral files among `sourcePaths` (the indexed files), given every other path of the
 * tree (`otherPaths`: manifests, licences and the rest the index skipped). Files not returned
 * are product code.
 */
export function peripheralFiles(
  sourcePaths: readonly string[],
  otherPaths: readonly string[],
): Map<string, Peripheral> {
  const out = new Map<string, Peripheral>();
  // Folders that hold the project's own source directly.
  const sourceDirs = new Set(sourcePaths.map(dirOf));
  // Folders below the root with a manifest or a licence of their own, inside a source folder.
  const bundled: string[] = [];
  for (const p of [...sourcePaths, ...otherPaths]) {
    const dir = dirOf(p);
    if (dir === "" || !(MANIFEST.test(baseOf(p)) || LICENCE.test(baseOf(p)))) continue;
    const segs = dir.split("/");
    for (let k = 1; k < segs.length; k++) {
      if (sourceDirs.has(segs.slice(0, k).join("/"))) {
        bundled.push(dir);
        break;
      }
    }
  }
  const paths = new Set(sourcePaths);
  for (const p of sourcePaths) {
    const segs = p.split("/");
    const base = segs[segs.length - 1] ?? "";
    const home = bundled.find((d) => p.startsWith(`${d}/`));
    if (home) {
      out.set(p, { role: "bundled", where: `${home}/`, names: [baseOf(home)] });
      continue;
    }
    const tool = segs
      .slice(0, -1)
      .findIndex(
        (s, i) =>
          TOOLING_ANYWHERE.has(s.toLowerCase()) ||
          (i === 0 && TOOLING_AT_ROOT.has(s.toLowerCase())),
      );
    if (tool >= 0) {
      const child = segs[tool + 1];
      out.set(p, {
        role: "tooling",
        where: `${segs.slice(0, tool + 1).join("/")}/`,
        // The tool's own folder name points at it (`tools/goctl/…` for a report on `goctl`).
        names: child !== undefined && tool + 1 < segs.length - 1 ? [child] : [],
      });
      continue;
    }
    if (BUILD_SCRIPT.test(base)) {
      out.set(p, { role: "build-script", where: p, names: [] });
      continue;
    }
    const decl = /^(.*)\.d\.([cm]?)ts$/.exec(p);
    if (decl) {
      const impl = [`${decl[1]}.${decl[2]}js`, `${decl[1]}.js`].find((j) => paths.has(j));
      if (impl) out.set(p, { role: "declarations", where: impl, names: [] });
    }
  }
  return out;
}

/** A role in words, for explanations. */
export function peripheralLabel(p: Peripheral): string {
  switch (p.role) {
    case "bundled":
      return `part of a library bundled in ${p.where} (its own manifest or licence)`;
    case "tooling":
      return `in the tooling folder ${p.where}`;
    case "build-script":
      return "a build or release script";
    case "declarations":
      return `type declarations of ${p.where}`;
  }
}
