import type { Page, TestInfo } from "@playwright/test";

/**
 * A full-page screenshot kept with the test's artifacts (test-results/…/<name>.png) and
 * attached to the HTML report, so every page the suite visits can be looked at.
 */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}
