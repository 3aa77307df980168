import { defineConfig } from "@playwright/test";

/**
 * End-to-end suite: a real browser against the app (`next build && next start`, or `next dev`
 * while iterating) and a running devstack. The app's origin comes from APP_URL; the devstack's
 * connection facts from `${DEVSTACK_HOME ?? ".devstack"}/env`.
 *
 * Chromium is Debian's (`apt-get install -y chromium`): Playwright cannot download its own here.
 */
const baseURL = process.env.APP_URL ?? "http://localhost:3000";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  timeout: 90_000,
  expect: { timeout: Number(process.env.E2E_EXPECT_TIMEOUT ?? 15_000) },
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  // In CI a test that fails once is run once more and, if it passes, reported by name as flaky
  // (npm test prints it): a loaded shared machine can stall one server action past the expect
  // timeout; a test that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    headless: true,
    // Every test keeps its final screenshot; `snap()` adds one per page visited.
    screenshot: "on",
    trace: "retain-on-failure",
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-gpu",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "chromium", testMatch: /.*\.spec\.ts/, dependencies: ["setup"] },
  ],
});
