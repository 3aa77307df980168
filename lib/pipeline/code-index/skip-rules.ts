import type { SkipReason } from "./types";

/**
 * Which files the index leaves out, and why. Every rule can be changed per repository: replace a
 * list, or add `include` patterns that win over every path rule (e.g. to index a vendored fork).
 */
export interface SkipRules {
  vendored: RegExp[];
  generatedPaths: RegExp[];
  /** Markers searched for in the first lines of a file (`Code generated … DO NOT EDIT`). */
  generatedMarkers: RegExp[];
  /** Matched against a file's last 400 characters (where a compiler leaves its source map). */
  generatedTrailers: RegExp[];
  tests: RegExp[];
  excluded: RegExp[];
  include: RegExp[];
  /** Files larger than this many bytes are skipped as too large. */
  maxBytes: number;
  /** A file whose average line is longer than this is treated as minified. */
  minifiedAvgLine: number;
  indexTests: boolean;
}

export const DEFAULT_SKIP_RULES: SkipRules = {
  vendored: [
    /(^|\/)(vendor|vendors|third_party|third-party|thirdparty|node_modules|bower_components|_deps)\//,
    // `external/` and `deps/` hold vendored code at the root of a C or C++ project; inside a
    // package (`sympy/external/`) they are the project's own code.
    /^(external|extern|deps)\//,
    /(^|\/)\.(git|hg|svn|venv|tox|cargo|yarn|pnpm-store)\//,
    /(^|\/)(venv|site-packages|Pods|Carthage)\//,
  ],
  generatedPaths: [
    /\.pb\.(go|cc|h|c)$/,
    /_pb2(_grpc)?\.py$/,
    /\.pb\.gw\.go$/,
    /[._-]generated\.[a-z]+$/i,
    /_gen\.go$/,
    /\.gen\.[a-z]+$/,
    /\.min\.(js|css)$/,
    /(^|\/)(dist|build|out|target|coverage)\//,
    // Declaration files emitted by a build live in its output directories (above); those kept
    // in the tree (`index.d.ts` of a JavaScript package, `types/*.d.ts`) are written by hand and
    // are where typing bugs get fixed.
    /(^|\/)(package-lock\.json|yarn\.lock|Cargo\.lock|go\.sum)$/,
  ],
  generatedMarkers: [
    /Code generated .* DO NOT EDIT/,
    /@generated\b/,
    /\bauto-?generated\b.*\bdo not (edit|modify)\b/i,
    /This file was automatically generated/i,
  ],
  // A source-map comment at the end is written by a compiler or bundler: the file is build
  // output committed to the tree (a bundled `types/index.d.ts`, a `dist`-like `lib/x.js`).
  generatedTrailers: [/^\/\/# sourceMappingURL=\S+\s*$/m],
  tests: [
    /(^|\/)(test|tests|__tests__|__mocks__|__fixtures__|testing|testdata|test_data|spec|specs|fixtures|e2e|cypress|benches|benchmarks?|examples?)\//i,
    /(^|\/)src\/test\//,
    /_test\.(go|py|rs|c|cc|cpp)$/,
    /(^|\/)test_[^/]*\.py$/,
    /(^|\/)conftest\.py$/,
    /(Test|Tests|IT|TestCase)\.(java|kt|scala)$/,
    /\.(test|spec|test-d)\.[cm]?[jt]sx?$/,
    /(^|\/)tests?\.py$/,
    /(^|\/)tests?\.rs$/,
  ],
  excluded: [/(^|\/)\.[^/]+\//, /(^|\/)(docs?|documentation|site|website|www|diagnostics)\//i],
  include: [],
  maxBytes: 1_000_000,
  minifiedAvgLine: 300,
  indexTests: false,
};

/** Test data rather than tests: fixtures, golden files, examples and benchmarks have no prose. */
const TEST_DATA =
  /(^|\/)(fixtures?|__fixtures__|__mocks__|testdata|test_data|examples?|benches|benchmarks?|cypress|e2e)\/|(^|\/)conftest\.py$/i;

/** Whether a path the test rule skips holds tests, not fixtures, data, examples or benchmarks. */
export function isTestCode(path: string): boolean {
  return !TEST_DATA.test(path);
}

/** Merge per-repository overrides into the defaults. */
export function skipRules(overrides: Partial<SkipRules> = {}): SkipRules {
  return { ...DEFAULT_SKIP_RULES, ...overrides };
}

/** Reason to skip a path before reading it, or `undefined` to read it. */
export function skipByPath(path: string, size: number, rules: SkipRules): SkipReason | undefined {
  const included = rules.include.some((r) => r.test(path));
  if (!included) {
    if (rules.vendored.some((r) => r.test(path))) return "vendored";
    if (rules.excluded.some((r) => r.test(path))) return "excluded";
    if (rules.generatedPaths.some((r) => r.test(path))) return "generated";
    if (!rules.indexTests && rules.tests.some((r) => r.test(path))) return "test";
  }
  if (size > rules.maxBytes) return "too-large";
  return undefined;
}

/** Reason to skip a file after looking at its bytes, or `undefined` to index it. */
export function skipByContent(
  path: string,
  bytes: Uint8Array,
  text: string,
  rules: SkipRules,
): SkipReason | undefined {
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return "binary";
  if (rules.include.some((r) => r.test(path))) return undefined;
  const head = text.slice(0, 2000);
  if (rules.generatedMarkers.some((r) => r.test(head))) return "generated";
  const tail = text.slice(-400);
  if (rules.generatedTrailers.some((r) => r.test(tail))) return "generated";
  const lines = text.split("\n").length;
  if (text.length > 2000 && text.length / lines > rules.minifiedAvgLine) return "minified";
  return undefined;
}
