import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// @supabase/supabase-js warns on Node 20 ("Node.js 20 and below are deprecated …") each time it is
// loaded, and Vitest loads it afresh for every test file: thirty copies of one line per run. The
// package offers no switch for it, so Vitest's console hook lets the first through and drops the
// rest (README: Node 22.12+ is what the packages support; Node 20 still runs them).
const NODE_20_NOTICE = "deprecated and will no longer be supported in future versions of @supabase";
let node20NoticeShown = false;

// The demo repository's source is data served by the GitHub sandbox; its tests are not ours.
const exclude = [...configDefaults.exclude, "devstack/demo-repo/source/**"];

/**
 * Unit files share one module cache (`isolate: false`: a fresh module graph per file cost the unit
 * phase about 70 of its 120 s). A file that mocks a module or changes process.env would leak that
 * into the files after it, or find the real module already loaded, so those files run in a
 * project of their own, isolated. Found by what they contain, so a new such file needs no list.
 */
const MUTATES_MODULES =
  /vi\.(mock|doMock|stubEnv|stubGlobal|resetModules)\(|process\.env\.[A-Z_]+ *=[^=]|Object\.assign\(process\.env|delete process\.env/;
const unitFiles = readdirSync(path.resolve(__dirname, "tests/unit"), { recursive: true })
  .map((f) => path.join("tests/unit", String(f)))
  .filter((f) => f.endsWith(".test.ts"));
const isolatedUnitFiles = unitFiles.filter((f) =>
  MUTATES_MODULES.test(readFileSync(path.resolve(__dirname, f), "utf8")),
);

/** Integration-style projects share one devstack: files run one at a time on 2 cores. */
const serial = {
  environment: "node" as const,
  fileParallelism: false,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    onConsoleLog(log) {
      if (!log.includes(NODE_20_NOTICE)) return undefined;
      if (node20NoticeShown) return false;
      node20NoticeShown = true;
      return undefined;
    },
    exclude,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          exclude: [...exclude, ...isolatedUnitFiles],
          isolate: false,
          environment: "node",
          setupFiles: ["tests/unit/fast-check-setup.ts"],
          // Property tests build real indexes; 5 s is too tight on 2 shared cores. A hang still fails.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "unit-isolated",
          include: isolatedUnitFiles,
          environment: "node",
          setupFiles: ["tests/unit/fast-check-setup.ts"],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "supabase/tests/**/*.test.ts"],
          // The app's HTTP tests need `next start`: they are the "app" project.
          exclude: [...exclude, "tests/integration/app/**"],
          ...serial,
        },
      },
      {
        extends: true,
        test: { name: "app", include: ["tests/integration/app/**/*.test.ts"], ...serial },
      },
    ],
  },
});
