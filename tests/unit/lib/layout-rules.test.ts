import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layout rules of docs/layout.md, checked on the source text so they cannot erode:
 * arrows only downward (nothing outside app/ imports app/, nothing outside the tests imports
 * tests/), every exported server action is built by a guard, and environment variables are read
 * only in lib/env.ts. Each checker is also run on a small bad sample, so a broken checker fails
 * instead of passing everything.
 */

const ROOT = path.resolve(__dirname, "../../..");
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
const SKIP_DIRS = new Set(["node_modules", ".git", ".next", ".devstack", "test-results"]);

function walk(dir: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (SKIP_DIRS.has(name) || name.startsWith(".next")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (SOURCE.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
}

/** The demo repository's source is data the GitHub sandbox serves, not Patchline code. */
const DATA_DIRS = ["devstack/demo-repo/source/"];

/** Every source file of the repository, as a path relative to the root with forward slashes. */
function allSources(): string[] {
  const files: string[] = [];
  walk(ROOT, files);
  return files
    .map((f) => path.relative(ROOT, f).split(path.sep).join("/"))
    .filter((f) => !DATA_DIRS.some((dir) => f.startsWith(dir)));
}

const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bvi\.mock\s*\(\s*)["']([^"']+)["']/g;

/** The repository paths a file's imports point at (bare package names are left out). */
function importTargets(file: string, text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const spec = match[1] ?? "";
    if (spec.startsWith("@/")) out.push(spec.slice(2));
    else if (spec.startsWith("."))
      out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
  }
  return out;
}

const isTests = (p: string) => p.startsWith("tests/") || p.startsWith("supabase/tests/");
const isApp = (p: string) => p === "app" || p.startsWith("app/");
/**
 * A test may load an app route handler (an `app/…/route.ts`): that is the app's HTTP surface, driven
 * the way a request would (the Inngest route in the executor tests). Nothing else in app/ is
 * importable from outside it.
 */
const isAppExceptRouteForTests = (file: string) => (target: string) =>
  isApp(target) && !(isTests(file) && /\/route(\.tsx?)?$/.test(target));

function importViolations(
  files: Array<{ file: string; text: string }>,
  into: (file: string) => (target: string) => boolean,
  exempt: (file: string) => boolean,
): string[] {
  const out: string[] = [];
  for (const { file, text } of files) {
    if (exempt(file)) continue;
    for (const target of importTargets(file, text)) {
      if (into(file)(target)) out.push(`${file} → ${target}`);
    }
  }
  return out;
}

const GUARDS = ["orgAction", "userAction", "publicAction"];

/**
 * Exports of a `"use server"` file that are not built by a guard. Type-only exports are erased
 * and allowed; anything else must read `export const name = <guard>(`.
 */
function unguardedActions(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (!/^export\b/.test(line)) continue;
    if (/^export\s+(type|interface)\b/.test(line)) continue;
    const guarded = new RegExp(`^export const \\w+ = (${GUARDS.join("|")})\\(`).test(line);
    if (!guarded) out.push(line.trim());
  }
  return out;
}

const isUseServerFile = (text: string) => /^\s*(?:\/\/[^\n]*\n\s*)*["']use server["'];?/.test(text);

/**
 * Files allowed to read `process.env` outside lib/env.ts, and why:
 * - lib/supabase/admin.ts reads the service-role key itself so lib/env.ts never holds it;
 * - instrumentation.ts tests `process.env.NEXT_RUNTIME`, which Next replaces at build time to
 *   split the Node and edge bundles (it must stay literal there);
 * - next.config.ts is build configuration, evaluated by Next before any app module exists;
 * - devstack/, scripts/, the tests and playwright.config.ts are local tooling that never ships:
 *   they start servers and pass ports and paths by environment.
 */
const ENV_ALLOWED = (file: string) =>
  file === "lib/env.ts" ||
  file === "lib/supabase/admin.ts" ||
  file === "instrumentation.ts" ||
  file === "next.config.ts" ||
  file === "playwright.config.ts" ||
  file === "vitest.config.ts" ||
  file.startsWith("devstack/") ||
  file.startsWith("scripts/") ||
  isTests(file);

const ENV_READ = /\bprocess\.env\b|\bimport\.meta\.env\b/;

function envViolations(files: Array<{ file: string; text: string }>): string[] {
  return files
    .filter(({ file, text }) => !ENV_ALLOWED(file) && ENV_READ.test(text))
    .map(({ file }) => file);
}

const sources = allSources().map((file) => ({
  file,
  text: readFileSync(path.join(ROOT, file), "utf8"),
}));

describe("arrows only downward", () => {
  it("nothing outside app/ imports from app/", () => {
    expect(importViolations(sources, isAppExceptRouteForTests, isApp)).toEqual([]);
  });

  it("nothing outside the tests imports from tests/", () => {
    expect(importViolations(sources, () => isTests, isTests)).toEqual([]);
  });

  it("the Supabase clients and the mail templates know nothing of lib/auth", () => {
    const below = (file: string) =>
      file.startsWith("lib/supabase/") || file.startsWith("lib/mail/");
    const authModule = () => (target: string) => target.startsWith("lib/auth");
    expect(importViolations(sources, authModule, (file) => !below(file))).toEqual([]);
  });

  it("the checker sees @/ and relative imports, dynamic ones and mocks included", () => {
    // quotes built apart, so this file's own text holds no import of app/ or tests/
    const q = '"';
    const sample = [
      { file: "components/x.tsx", text: `import { a } from ${q}@/app/(app)/x/actions${q};` },
      { file: "lib/y.ts", text: `const m = await import(${q}../app/z${q});` },
      { file: "scripts/z.ts", text: `export { b } from ${q}../tests/helpers/devstack-env${q};` },
      { file: "tests/unit/t.ts", text: `await import(${q}@/app/api/x/route${q});` },
      { file: "tests/unit/u.ts", text: `import { d } from ${q}@/app/(app)/x/actions${q};` },
      { file: "app/ok.ts", text: `import { c } from ${q}./actions${q};` },
    ];
    expect(importViolations(sample, isAppExceptRouteForTests, isApp)).toEqual([
      "components/x.tsx → app/(app)/x/actions",
      "lib/y.ts → app/z",
      "tests/unit/u.ts → app/(app)/x/actions",
    ]);
    expect(importViolations(sample, () => isTests, isTests)).toEqual([
      "scripts/z.ts → tests/helpers/devstack-env",
    ]);
  });
});

describe("server actions", () => {
  const actionFiles = sources.filter(({ text }) => isUseServerFile(text));

  it("there are server action files to check", () => {
    expect(actionFiles.length).toBeGreaterThanOrEqual(8);
  });

  it("every export of a 'use server' file is built by a guard", () => {
    const found = actionFiles.flatMap(({ file, text }) =>
      unguardedActions(text).map((line) => `${file}: ${line}`),
    );
    expect(found).toEqual([]);
  });

  it("no server action is written inline (a function-level 'use server' escapes the guards)", () => {
    const inline = sources.filter(
      ({ file, text }) =>
        !file.startsWith("tests/") &&
        /["']use server["']/.test(
          isUseServerFile(text) ? text.replace(/["']use server["']/, "") : text,
        ),
    );
    expect(inline.map(({ file }) => file)).toEqual([]);
  });

  it("the checker refuses hand-written actions and re-exports", () => {
    const bad = [
      '"use server";',
      "export async function signIn(prev: unknown, formData: FormData) {}",
      "export const x = async () => {};",
      'export { y } from "./y";',
      "export const ok = publicAction({ schema }, async () => {});",
      "export interface Fine {}",
    ].join("\n");
    expect(isUseServerFile(bad)).toBe(true);
    expect(unguardedActions(bad)).toEqual([
      "export async function signIn(prev: unknown, formData: FormData) {}",
      "export const x = async () => {};",
      'export { y } from "./y";',
    ]);
  });
});

describe("environment", () => {
  it("variables are read only in lib/env.ts (and the allow-listed files)", () => {
    expect(envViolations(sources)).toEqual([]);
  });

  it("the checker finds a direct read", () => {
    expect(
      envViolations([
        { file: "lib/log.ts", text: "const level = process.env.LOG_LEVEL;" },
        { file: "lib/env.ts", text: "process.env.X" },
        { file: "scripts/dev.ts", text: "process.env.PORT" },
      ]),
    ).toEqual(["lib/log.ts"]);
  });
});
