import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The provider sandboxes are local tooling: nothing that ships (app/, components/, lib/, inngest/,
 * root config) may import devstack/ (the app only reads base URLs from the environment).
 */
const ROOT = path.resolve(__dirname, "../../..");
const SHIPPED = ["app", "components", "lib", "inngest"];
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
const IMPORTS_DEVSTACK =
  /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["'](?:@\/|(?:\.\.?\/)+)devstack\//;

function walk(dir: string, out: string[]): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE.test(name)) out.push(full);
  }
  return out;
}

describe("provider sandboxes are never deployed", () => {
  it("the pattern catches the ways an import can be written", () => {
    for (const line of [
      'import { x } from "@/devstack/sandboxes/index";',
      'await import("../../devstack/sandboxes/server")',
      "require('./devstack/config')",
    ]) {
      expect(IMPORTS_DEVSTACK.test(line)).toBe(true);
    }
    expect(IMPORTS_DEVSTACK.test('import { x } from "@/lib/env";')).toBe(false);
  });

  it("no shipped file imports devstack/", () => {
    const files = SHIPPED.flatMap((d) => walk(path.join(ROOT, d), []));
    for (const f of readdirSync(ROOT)) if (SOURCE.test(f)) files.push(path.join(ROOT, f));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files
      .filter((f) => IMPORTS_DEVSTACK.test(readFileSync(f, "utf8")))
      .map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
