import type { Page, TestInfo } from "@playwright/test";

/**
 * A full-page screenshot kept with the test's artifacts (test-results/<test>/<name>.png), so
 * every page the suite visits can be looked at after a run.
 */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}
