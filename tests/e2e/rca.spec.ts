import { expect, test } from "@playwright/test";
import { draftRca } from "@/lib/fixes/rca/draft";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { expectAccessible } from "./helpers/a11y";
import { persona, storageStateOf } from "./helpers/personas";
import { indexedRepository, organizationId, seedBug } from "./helpers/pipeline-seed";
import { snap } from "./helpers/snap";

/**
 * The customer RCA on the bug page as an owner uses it: the fix is merged but not yet in
 * production (waiting), the offline draft is there; the owner corrects the root cause (a new
 * version), approves it, and reads the preview; the Shipped view lists a bug whose fix runs in
 * production. Rows are seeded as the jobs write them; the chain from a sandbox deploy to the
 * posted ticket is tests/integration/fixes/deploy-publishes-rca.test.ts.
 */

const owner = () => persona("owner").workspace;
const MERGE = "0123456789abcdef0123456789abcdef01234567";

async function mergedPr(org: string, bugId: string, number: number, shipped: boolean) {
  const repo = await indexedRepository(org);
  await asSuperuser(
    `insert into public.pull_requests (organization_id, bug_id, repository_id, number, url,
       origin, state, merge_sha, merged_at, deploy_state, deployed_sha, shipped_at,
       deploy_checked_at)
     values ($1, $2, $3, $4, $5, 'linked', 'merged', $6, now() - interval '2 hours',
       $7, $8, $9, $9)`,
    [
      org,
      bugId,
      repo.id,
      number,
      `https://github.com/acme/storefront/pull/${number}`,
      MERGE,
      shipped ? "shipped" : "not_yet",
      shipped ? MERGE : null,
      shipped ? new Date(Date.now() - 3600_000).toISOString() : null,
    ],
  );
}

test.describe("customer RCA (owner)", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("edit and approve the RCA of a merged fix waiting for production", async ({
    page,
  }, testInfo) => {
    const org = await organizationId(owner().slug);
    const bug = await seedBug(org, { title: `Refunds a cent short ${Date.now().toString(36)}` });
    await asSuperuser(
      `update public.bugs set severity = 'high',
         impact = 'Customers received refunds one cent lower than they paid.' where id = $1`,
      [bug.bugId],
    );
    await mergedPr(org, bug.bugId, 41, false);
    const sections = draftRca({
      bug: {
        title: bug.title,
        severity: "high",
        feature: "refunds",
        impact: "Customers received refunds one cent lower than they paid.",
        expected: "The refund equals the amount paid",
        actual: "The refund was one cent lower",
      },
      reports: { count: 1, firstAt: new Date(Date.now() - 86_400_000) },
      pullRequests: [{ repository: "acme/storefront", number: 41, mergedAt: new Date() }],
      deployedAt: null,
      testsAdded: false,
      avoid: ["similarProducts"],
    });
    await asSuperuser(
      "insert into public.rcas (organization_id, bug_id, sections) values ($1, $2, $3)",
      [org, bug.bugId, JSON.stringify(sections)],
    );

    await page.goto(`/${owner().slug}/bugs/${bug.bugId}`);
    const panel = page.getByTestId("rca-panel");
    await expect(panel.getByTestId("deploy-state")).toHaveAttribute("data-state", "waiting");
    await expect(panel.getByTestId("rca-status")).toHaveAttribute("data-status", "draft");
    await expect(panel.getByTestId("rca-history-empty")).toBeVisible();

    const rootCause = "A rounding step in refunds dropped the last cent of some amounts.";
    // typing before React hydrates the form would be overwritten by its default text
    await expect(panel.getByTestId("rca-editor")).toHaveAttribute("data-hydrated", "true");
    await panel.getByTestId("rca-section-root_cause").fill(rootCause);
    await panel.getByTestId("rca-save").click();
    await expect(panel.getByTestId("rca-approve")).toContainText("Approve version 2");

    await panel.getByTestId("rca-approve").click();
    await expect(panel.getByTestId("rca-status")).toHaveAttribute("data-status", "approved");
    const [row] = await asSuperuser<{
      status: string;
      approved_version: number;
      sections: { root_cause: string };
    }>("select status, approved_version, sections from public.rcas where bug_id = $1", [bug.bugId]);
    expect(row).toMatchObject({ status: "approved", approved_version: 2 });
    expect(row?.sections.root_cause).toBe(rootCause);

    const preview = panel.locator('[data-testid="rca-preview"][data-language="en"]');
    await preview.locator("summary").click();
    await expect(preview).toContainText(rootCause);
    await expect(preview).toContainText("Hello,");
    await expectAccessible(page);
    await snap(page, testInfo, "bug-rca-panel");
  });

  test("the Shipped view lists a bug whose fix runs in production", async ({ page }, testInfo) => {
    const org = await organizationId(owner().slug);
    const bug = await seedBug(org, { title: `Checkout button frozen ${Date.now().toString(36)}` });
    await mergedPr(org, bug.bugId, 42, true);
    await page.goto(`/${owner().slug}/bugs/${bug.bugId}`);
    await expect(page.getByTestId("deploy-state")).toHaveAttribute("data-state", "shipped");
    await expect(page.getByTestId("rca-empty")).toBeVisible();
    // a medium bug one ticket reports: merged and shipped, yet below both rules, and it says so
    const why = page.getByTestId("rca-empty-reason");
    await expect(why).toHaveAttribute("data-reason", "below_rules");
    await expect(why).toContainText("The fix merged, but no RCA is drafted yet.");
    await expect(why).toContainText("so far 1 ticket reports it, 2 more are needed");

    await page.getByTestId("nav-shipped").click();
    const row = page.locator(`[data-testid="shipped-bug"][data-bug-id="${bug.bugId}"]`);
    await expect(row).toContainText(bug.title);
    await expect(row).toContainText("acme/storefront#42");
    await expectAccessible(page);
    await snap(page, testInfo, "shipped");
  });
});
