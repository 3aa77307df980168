import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The Node.js requirement in package.json `engines` and the README is what the pinned packages
 * declare, so a newcomer is told the truth. When a dependency update raises (or lowers) what its
 * `engines` accept, this fails until both are updated.
 */

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const manifest = JSON.parse(read("package.json")) as { engines?: { node?: string } };
const lock = JSON.parse(read("package-lock.json")) as {
  packages: Record<string, { version?: string; optional?: boolean; engines?: { node?: string } }>;
};

type Version = [number, number, number];

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** One comparator of a range: `*`, `>=1.2.3`, `<9`, `^20.19.0`, `~1.2`, `14`, `6.*`, `4.x`. */
function meets(v: Version, comparator: string): boolean {
  if (comparator === "*" || comparator === "x") return true;
  const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+|[x*])(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/.exec(comparator);
  if (!m) throw new Error(`range form not handled here: "${comparator}"`);
  const parts = [m[2], m[3], m[4]];
  // How many leading components are numbers; the rest are wildcards.
  const fixed = parts.findIndex((p) => p === undefined || p === "x" || p === "*");
  const n = fixed === -1 ? 3 : fixed;
  const base = [0, 1, 2].map((i) => (i < n ? Number(parts[i]) : 0)) as Version;
  const samePrefix = (k: number) => [0, 1, 2].slice(0, k).every((i) => v[i] === base[i]);
  switch (m[1]) {
    case ">=":
      return compare(v, base) >= 0;
    case "<":
      return compare(v, base) < 0;
    case ">":
    case "<=":
      if (n < 3) throw new Error(`range form not handled here: "${comparator}"`);
      return m[1] === ">" ? compare(v, base) > 0 : compare(v, base) <= 0;
    case "^":
      if (base[0] === 0) throw new Error(`range form not handled here: "${comparator}"`);
      return v[0] === base[0] && compare(v, base) >= 0;
    case "~":
      return samePrefix(Math.min(n, 2)) && compare(v, base) >= 0;
    default:
      return samePrefix(n);
  }
}

/**
 * Whether `v` satisfies an `engines.node` range: alternatives joined by `||`, each a set of
 * comparators that must all hold. A form not handled throws, so it is never guessed.
 */
function satisfies(v: Version, range: string): boolean {
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, "$1")
      .split(/\s+/)
      .every((comparator) => meets(v, comparator)),
  );
}

/** Every Node release line's .0 and the minors where packages draw their lines. */
const SAMPLES: Version[] = [];
for (let major = 18; major <= 26; major++) {
  for (const minor of [0, 6, 9, 12, 13, 19, 20]) SAMPLES.push([major, minor, 0]);
}

describe("the Node.js requirement", () => {
  const declared = manifest.engines?.node ?? "";
  const required = Object.entries(lock.packages).filter(
    // Optional packages are platform binaries (wasm32 builds among them) npm skips where they do not fit.
    ([at, p]) => at !== "" && !p.optional && p.engines?.node,
  );

  it("is exactly the Node versions every installed package declares", () => {
    const wrong: string[] = [];
    for (const v of SAMPLES) {
      const unsupportedBy = required
        .filter(([, p]) => !satisfies(v, p.engines?.node ?? ""))
        .map(([at, p]) => `${at.replace(/^.*node_modules\//, "")}@${p.version}`);
      const ours = satisfies(v, declared);
      if (ours && unsupportedBy.length > 0) {
        wrong.push(`${v.join(".")} is in engines but ${unsupportedBy.join(", ")} exclude it`);
      }
      if (!ours && unsupportedBy.length === 0) {
        wrong.push(`${v.join(".")} suits every package but engines excludes it`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("is what the README tells a newcomer", () => {
    expect(read("README.md")).toContain(`\`engines\`: \`${declared}\``);
  });
});
