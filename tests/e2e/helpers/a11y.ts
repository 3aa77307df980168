import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Runs axe (WCAG 2.0/2.1 A and AA) on the page and fails with each violation's id and nodes. */
export async function expectAccessible(page: Page): Promise<void> {
  // After a client-side navigation Next applies the new page's <title> from its streamed metadata
  // a moment after the content shows; axe must see the settled page. A page that never gets a
  // title still fails here.
  await expect
    .poll(() => page.title(), { message: `document title on ${page.url()}` })
    .not.toBe("");
  // A refresh after an action (marking notifications read) re-streams the head too, and axe can
  // catch the moment the old <title> is gone: the page must pass once settled, so the check is
  // retried until the page settles; a violation that stays fails as before. One axe pass takes
  // 2–3 s on a loaded two-core machine, so the window allows several passes (with 5 s, a single
  // slow pass timed out with no violation found).
  await expect(async () => {
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      // Next's dev-mode overlay is not part of the app.
      .exclude("nextjs-portal")
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`,
    );
    expect(summary, `axe violations on ${page.url()}`).toEqual([]);
  }).toPass({ timeout: 20_000 });
}
