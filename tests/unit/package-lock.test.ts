import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `npm ci` refuses a lock file that lacks any package npm would resolve on *some* platform
 * ("Missing: @biomejs/cli-darwin-arm64@2.6.8 from lock file"), and `npm install` then rewrites it,
 * so a fresh clone is dirty. A lock written by `npm install` while `node_modules` already exists
 * drops other platforms' optional packages (npm/cli#4828). These checks fail on such a lock, so a
 * pruned lock is caught here rather than on a newcomer's machine or in CI.
 */

const ROOT = path.resolve(__dirname, "../..");

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as LockEntry;

/** Where Node (and npm's tree) finds `name` from the package at `from`: its own node_modules, then each ancestor's. */
function resolves(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (candidate in lock.packages) return true;
    if (dir === "") return false;
    const up = dir.lastIndexOf("/node_modules/");
    dir = up === -1 ? "" : dir.slice(0, up);
  }
}

describe("package-lock.json", () => {
  it("is a version 3 lock whose root matches package.json", () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = lock.packages[""];
    expect(root?.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(root?.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
  });

  it("holds every dependency of every locked package, other platforms' optional ones included", () => {
    const missing: string[] = [];
    for (const [at, entry] of Object.entries(lock.packages)) {
      const wanted = {
        ...entry.dependencies,
        ...entry.optionalDependencies,
        ...(at === "" ? entry.devDependencies : {}),
      };
      for (const name of Object.keys(wanted)) {
        if (!resolves(at, name)) missing.push(`${at || "(root)"} → ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
