/**
 * `npm test`: every suite, from a clean clone. Starts its own devstack (fresh database, ports
 * shifted by 1000 so a developer's devstack can keep running), runs unit and integration tests,
 * builds and starts the app, runs the HTTP tests and the Playwright e2e suite, stops everything it
 * started, prints how long each phase took and ends with one line: `N passed, N failed`.
 *
 * `npm test -- --only=unit,integration` runs a subset (phases: unit, integration, app, e2e);
 * `--e2e=integrations,pipeline` narrows the e2e phase to those spec files (Playwright's filters).
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { raisedRateLimitEnv } from "../devstack/auth/rate-limit";
import { ensureChromium } from "./lib/chromium";
import {
  type Env,
  readEnvFile,
  run,
  runToFile,
  startBackground,
  stopBackground,
  waitFor,
} from "./lib/processes";
import { playwrightCounts, type SuiteCount, vitestCounts } from "./lib/results";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(ROOT);

// TEST_PORT_OFFSET and TEST_APP_PORT let two checkouts run their suites side by side.
const PORT_OFFSET = Number(process.env.TEST_PORT_OFFSET ?? 1000);
const APP_PORT = Number(process.env.TEST_APP_PORT ?? 4000);
const APP_URL = `http://localhost:${APP_PORT}`;
const DEVSTACK_HOME = path.join(ROOT, ".devstack/test");
// Each suite's JSON report (per-file durations included). Not under test-results/: Playwright
// empties that folder when it starts, which deleted the unit and integration reports.
const OUT = path.join(ROOT, "test-reports");
// The app's whole output: e2e searches it for any secret the sandboxes issued. Not under
// test-results/: Playwright empties that folder when it starts.
const APP_LOG_FILE = path.join(DEVSTACK_HOME, "app.log");
const BUILD_LOG_FILE = path.join(DEVSTACK_HOME, "build.log");

const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const wants = (phase: string) => !only || only.includes(phase);
const e2eFilters =
  process.argv
    .find((a) => a.startsWith("--e2e="))
    ?.slice(6)
    .split(",")
    .filter(Boolean) ?? [];

const timings: Array<[string, number]> = [];
const counts: Array<[string, SuiteCount]> = [];
const children: ChildProcess[] = [];

async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  console.log(`\n[test] ── ${name} ──`);
  const t = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([name, (performance.now() - t) / 1000]);
  }
}

const vitest = path.join(ROOT, "node_modules/.bin/vitest");
const next = path.join(ROOT, "node_modules/.bin/next");
const playwright = path.join(ROOT, "node_modules/.bin/playwright");

// supabase-js 2.119 needs a global WebSocket on Node 20 (see .npmrc).
const NODE_OPTIONS = [process.env.NODE_OPTIONS, "--experimental-websocket"]
  .filter(Boolean)
  .join(" ");

async function runVitest(name: string, args: string[], env: Env): Promise<void> {
  const out = path.join(OUT, `${name}.json`);
  rmSync(out, { force: true });
  const code = await run(
    vitest,
    ["run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    {
      NODE_OPTIONS,
      ...env,
    },
  );
  counts.push([name, vitestCounts(out, code)]);
}

function hasFiles(dir: string, suffix: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith(suffix));
}

async function main(): Promise<number> {
  mkdirSync(OUT, { recursive: true });
  const needsE2e = wants("e2e") && hasFiles("tests/e2e", ".spec.ts");
  if (needsE2e) await phase("chromium", async () => ensureChromium());

  if (wants("unit"))
    await phase("unit", () =>
      runVitest("unit", ["--project", "unit", "--project", "unit-isolated"], {}),
    );

  const needsDevstack = wants("integration") || wants("app") || wants("e2e");
  let dsEnv: Record<string, string> = {};
  if (needsDevstack) {
    await phase("devstack start", async () => {
      const envFile = path.join(DEVSTACK_HOME, "env");
      rmSync(envFile, { force: true });
      // One node process (tsx as an import hook, as `npm run devstack` runs it), so SIGTERM
      // reaches the process that owns Postgres with no launcher in between.
      const ds = startBackground(
        process.execPath,
        ["--import", "tsx", "devstack/cli.ts", "reset"],
        {
          env: {
            NODE_OPTIONS,
            DEVSTACK_HOME,
            DEVSTACK_PORT_OFFSET: String(PORT_OFFSET),
            ...raisedRateLimitEnv(process.env),
            SITE_URL: APP_URL,
            ADDITIONAL_REDIRECT_URLS: `${APP_URL}/**,http://127.0.0.1:${APP_PORT}/**`,
            INNGEST_APP_URLS: `${APP_URL}/api/inngest`,
          },
          logPrefix: "[devstack]",
        },
      );
      children.push(ds);
      await waitFor("devstack", () => existsSync(envFile), 120_000, ds);
      dsEnv = readEnvFile(envFile);
    });
  }
  const testEnv = { DEVSTACK_HOME, APP_URL, APP_LOG_FILE };

  const hasApp = existsSync("app/layout.tsx");
  const needsApp = hasApp && (wants("app") || needsE2e);
  const appEnv = { ...dsEnv, NODE_OPTIONS, NEXT_TELEMETRY_DISABLED: "1", PORT: String(APP_PORT) };
  // The build needs only the devstack's env, so it runs beside the integration suite, whose files
  // mostly wait on the database and the executor: niced, so the suite keeps its share of the
  // cores; its output goes to a file, printed when it is awaited.
  let build: Promise<number> | undefined;
  if (needsApp) {
    const t = performance.now();
    build = runToFile("nice", ["-n", "10", next, "build"], BUILD_LOG_FILE, appEnv).then((code) => {
      timings.push(["app build (wall)", (performance.now() - t) / 1000]);
      return code;
    });
  }

  if (wants("integration")) {
    await phase("integration", () =>
      runVitest("integration", ["--project", "integration"], testEnv),
    );
  }

  if (needsApp && build) {
    const built = await phase("app build (rest)", async () => {
      const code = await build;
      console.log(readFileSync(BUILD_LOG_FILE, "utf8"));
      return code === 0;
    });
    if (!built) {
      counts.push(["app build", { passed: 0, failed: 1, skipped: 0 }]);
    } else {
      await phase("app start", async () => {
        const app = startBackground(next, ["start", "-p", String(APP_PORT)], {
          env: appEnv,
          logPrefix: "[app]",
          quiet: true,
          logFile: APP_LOG_FILE,
        });
        children.push(app);
        await waitFor(
          "app",
          async () => {
            try {
              return (await fetch(`${APP_URL}/.well-known/security.txt`)).status < 500;
            } catch {
              return false;
            }
          },
          90_000,
          app,
        );
      });
      if (wants("app") && hasFiles("tests/integration/app", ".test.ts")) {
        await phase("app http", () => runVitest("app-http", ["--project", "app"], testEnv));
      }
      if (needsE2e) {
        await phase("e2e", async () => {
          const out = path.join(OUT, "e2e.json");
          rmSync(out, { force: true });
          const code = await run(playwright, ["test", "--reporter=list,json", ...e2eFilters], {
            ...testEnv,
            NODE_OPTIONS,
            PLAYWRIGHT_JSON_OUTPUT_NAME: out,
          });
          counts.push(["e2e", playwrightCounts(out, code)]);
        });
      }
    }
  } else if (wants("e2e") || wants("app")) {
    console.log("[test] no app yet (app/layout.tsx missing): app and e2e phases skipped");
  }
  return 0;
}

async function shutdown(): Promise<void> {
  for (const c of children.reverse()) await stopBackground(c);
}

process.on("SIGINT", () => void shutdown().then(() => process.exit(130)));
process.on("SIGTERM", () => void shutdown().then(() => process.exit(143)));

main()
  .catch((err) => {
    console.error(`[test] ${(err as Error).message}`);
    counts.push(["setup", { passed: 0, failed: 1, skipped: 0 }]);
  })
  .finally(async () => {
    await shutdown();
    console.log("\n[test] phase timings:");
    for (const [name, s] of timings) console.log(`  ${name.padEnd(16)} ${s.toFixed(1)} s`);
    console.log("[test] suites:");
    for (const [name, c] of counts)
      console.log(
        `  ${name.padEnd(16)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`,
      );
    console.log("[test] slowest files:");
    for (const [name, c] of counts)
      for (const [file, s] of c.slowest ?? [])
        console.log(`  ${name.padEnd(16)} ${s.toFixed(1).padStart(6)} s  ${file}`);
    const failures = counts.flatMap(([name, c]) =>
      (c.failures ?? []).map((f) => `  ${name}: ${f}`),
    );
    if (failures.length) console.log(`[test] failed:\n${failures.join("\n")}`);
    const total = counts.reduce(
      (a, [, c]) => ({
        passed: a.passed + c.passed,
        failed: a.failed + c.failed,
        skipped: a.skipped + c.skipped,
      }),
      { passed: 0, failed: 0, skipped: 0 },
    );
    console.log(
      `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`,
    );
    process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
  });
