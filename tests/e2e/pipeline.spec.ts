import { expect, test } from "@playwright/test";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { expectAccessible } from "./helpers/a11y";
import { persona, storageStateOf } from "./helpers/personas";
import {
  addMember,
  COMMIT,
  organizationId,
  seedBug,
  seedNoiseTicket,
  useRealDemoIndex,
} from "./helpers/pipeline-seed";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * The pipeline's pages as a person uses them: a Mapped Bug with its code location and the lines
 * on GitHub at the indexed commit, correcting it, marking a location mismapped, a noise ticket's
 * skip reason, the thread shown as text, accepting a review item (metered once), the codebase,
 * a viewer without edit controls, and another workspace's member getting 404 for every id.
 * Rows are seeded as the jobs write them (tests/e2e/helpers/pipeline-seed.ts).
 */

const owner = () => persona("owner").workspace;

test.describe("pipeline pages (owner)", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("a Mapped Bug shows its code location and can be corrected", async ({ page }, testInfo) => {
    const org = await organizationId(owner().slug);
    const bug = await seedBug(org);
    await page.goto(`/${owner().slug}/bugs`);
    const row = page.locator(`[data-testid="bug-row"][data-bug-id="${bug.bugId}"]`);
    await expect(row).toContainText(bug.title);
    await expect(row.getByTestId("bug-status")).toHaveText("Mapped");
    await expect(row).toContainText("src/recommendations/similar.ts");
    await expectAccessible(page);
    await snap(page, testInfo, "bugs-list");

    await row.getByTestId("bug-link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(bug.title);
    const top = page.getByTestId("location").first();
    await expect(top.getByTestId("location-path")).toHaveText("src/recommendations/similar.ts");
    await expect(top.getByTestId("location-function")).toHaveText("similarProducts");
    await expect(top.getByTestId("location-why")).toContainText("already bought");
    const href = await top.getByTestId("location-github").getAttribute("href");
    expect(href).toMatch(
      new RegExp(`/acme/storefront/blob/${COMMIT}/src/recommendations/similar\\.ts#L14-L41$`),
    );
    await expect(page.getByTestId("bug-tickets")).toContainText(bug.title);
    await expectAccessible(page);
    await snap(page, testInfo, "bug-detail");

    // correct the extraction
    await page.getByTestId("bug-edit-title").fill(`${bug.title} (corrected)`);
    await page.getByTestId("bug-edit-severity").selectOption("high");
    await page.getByTestId("bug-edit-save").click();
    await expect(page.getByText("Bug saved.")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${bug.title} (corrected)`);
    await expect(page.getByTestId("bug-summary").getByTestId("severity")).toHaveText("High");
    // an empty title is refused beside the field
    await page.getByTestId("bug-edit-title").fill("");
    await page.getByTestId("bug-edit-save").click();
    await expect(page.getByTestId("bug-title-error")).toContainText("Give the bug a title");

    // mark the second location mismapped with a reason
    const second = page.getByTestId("location").nth(1);
    await second.getByTestId("location-mark").click();
    await page.getByTestId("mismapped-reason").fill("Order history is read correctly here");
    await page.getByTestId("mismapped-dialog-confirm").click();
    await expect(second.getByTestId("location-mismapped")).toContainText(
      "Order history is read correctly here",
    );
    await snap(page, testInfo, "bug-mismapped");
    const [billed] = await asSuperuser<{ billed_at: Date | null; edited_at: Date | null }>(
      "select billed_at, edited_at from public.bugs where id = $1",
      [bug.bugId],
    );
    expect(billed?.billed_at).toBeInstanceOf(Date);
    expect(billed?.edited_at).toBeInstanceOf(Date);
  });

  test("a noise ticket shows its skip reason; the thread is text", async ({ page }, testInfo) => {
    const org = await organizationId(owner().slug);
    const noise = await seedNoiseTicket(org);
    const bug = await seedBug(org);
    await page.goto(`/${owner().slug}/tickets?status=skipped`);
    const row = page.locator(`[data-testid="ticket-row"][data-ticket-id="${noise.ticketId}"]`);
    await expect(row.getByTestId("ticket-status")).toHaveText("Skipped");
    await expect(row.getByTestId("ticket-skip-reason")).toContainText("A billing question");
    await expectAccessible(page);
    await snap(page, testInfo, "tickets-skipped");

    await row.getByTestId("ticket-link").click();
    await expect(page.getByTestId("ticket-skip-reason")).toContainText("A billing question");
    await expect(page.getByTestId("ticket-classification")).toHaveText("Billing");
    await expectAccessible(page);
    await snap(page, testInfo, "ticket-skipped");

    // hostile text is shown, never run
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`/${owner().slug}/tickets/${bug.ticketId}`);
    const first = page.getByTestId("ticket-message").first();
    await expect(first).toHaveAttribute("data-author", "customer");
    await expect(first.getByTestId("ticket-message-body")).toContainText(
      '<script>alert("x")</script>',
    );
    await expect(page.getByTestId("ticket-message").nth(1)).toHaveAttribute("data-author", "agent");
    await expect(page.getByTestId("ticket-bug")).toContainText(bug.title);
    expect(dialogs).toBe(0);
    await snap(page, testInfo, "ticket-bug");

    // the CSV download: quoted, the subject kept
    const csv = await page.request.get(`/${owner().slug}/tickets/export?status=skipped`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain(`"${noise.subject}"`);
  });

  test("a review item is accepted and becomes a Mapped Bug, billed once", async ({
    page,
  }, testInfo) => {
    const org = await organizationId(owner().slug);
    const held = await seedBug(org, { review: true });
    await page.goto(`/${owner().slug}/review`);
    const item = page.locator(`[data-testid="review-item"][data-bug-id="${held.bugId}"]`);
    await expect(item.getByTestId("review-reason")).toContainText("below the workspace's gate");
    await expectAccessible(page);
    await snap(page, testInfo, "review-queue");
    await item.getByTestId("review-accept").click();
    // the page re-renders without the item (its toast leaves with it)
    await expect(item).toHaveCount(0);
    const [row] = await asSuperuser<{ status: string; billed_at: Date | null }>(
      "select status, billed_at from public.bugs where id = $1",
      [held.bugId],
    );
    expect(row?.status).toBe("mapped");
    expect(row?.billed_at).toBeInstanceOf(Date);
    await page.goto(`/${owner().slug}/review?status=accepted`);
    await expect(
      page.locator(`[data-testid="review-item"][data-bug-id="${held.bugId}"]`),
    ).toBeVisible();
    await page.goto(`/${owner().slug}/bugs/${held.bugId}`);
    await expect(page.getByTestId("bug-summary").getByTestId("bug-status")).toHaveText("Mapped");
  });

  test("the codebase shows the indexed commit, languages, counts and what its vocabulary learned from", async ({
    page,
  }, testInfo) => {
    const orgId = await organizationId(owner().slug);
    await seedBug(orgId);
    // what the index job's vocabulary step and a correction leave (as the jobs write it)
    await asSuperuser(
      `insert into public.code_vocabularies
         (organization_id, repository_id, bridge, commits_read, pairs_from_commits,
          pairs_from_corrections, commit_learned_at)
       select organization_id, repository_id,
              '{"version": 1, "source": "acme/storefront", "pairs": 5, "words": {}}', 5, 4, 1,
              commit_sha
         from public.code_indexes where organization_id = $1
       on conflict (repository_id) do nothing`,
      [orgId],
    );
    await page.goto(`/${owner().slug}/codebase`);
    const repo = page.getByTestId("repository").first();
    await expect(repo.getByTestId("vocabulary")).toContainText(
      "Vocabulary: learned from 4 commits and 1 correction",
    );
    await expect(repo.getByTestId("index-status")).toHaveText("Indexed");
    await expect(repo.getByTestId("index-commit")).toHaveText(COMMIT.slice(0, 12));
    await expect(repo.getByTestId("index-languages")).toContainText("TypeScript");
    await expect(repo.getByTestId("index-counts")).toContainText("318");
    await expectAccessible(page);
    await snap(page, testInfo, "codebase");
  });
});

test.describe("pipeline pages (viewer)", () => {
  test("a viewer reads bugs without edit controls (flagging a mismapping aside), and the actions refuse them", async ({
    browser,
  }, testInfo) => {
    const slug = owner().slug;
    const bug = await seedBug(await organizationId(slug), { review: true });
    const email = uniqueEmail(testInfo, "viewer");
    await createConfirmedUser(email);
    await addMember(slug, email, "viewer");
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email);
    await page.goto(`/${slug}/bugs/${bug.bugId}`);
    await expect(page.getByTestId("bug-read-only")).toBeVisible();
    await expect(page.getByTestId("bug-edit-form")).toHaveCount(0);
    // Any role may flag a location as mismapped (issue 18); editing stays with members.
    await expect(page.getByTestId("location-mark").first()).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, "bug-viewer");
    await page.goto(`/${slug}/review`);
    await expect(page.getByTestId("review-accept")).toHaveCount(0);
    await page.goto(`/${slug}/tickets/${bug.ticketId}`);
    await expect(page.getByTestId("reprocess")).toHaveCount(0);
    await context.close();
  });
});

test.describe("pipeline pages (another workspace)", () => {
  test.use({ storageState: storageStateOf("outsider") });

  test("a member of another workspace gets 404 for every pipeline page and id", async ({
    page,
  }, testInfo) => {
    const a = owner();
    const bug = await seedBug(await organizationId(a.slug));
    const mine = persona("outsider").workspace.slug;
    for (const path of [
      `/${a.slug}/bugs`,
      `/${a.slug}/bugs/${bug.bugId}`,
      `/${a.slug}/tickets`,
      `/${a.slug}/tickets/${bug.ticketId}`,
      `/${a.slug}/review`,
      `/${a.slug}/codebase`,
      // A's ids through B's own workspace: not found either
      `/${mine}/bugs/${bug.bugId}`,
      `/${mine}/tickets/${bug.ticketId}`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByTestId("not-found")).toBeVisible();
      await expect(page.getByText(bug.title)).toHaveCount(0);
    }
    const csv = await page.request.get(`/${a.slug}/tickets/export`);
    expect(csv.status()).toBe(404);
    await snap(page, testInfo, "pipeline-not-found");
    // B's own empty pages say what to do next
    await page.goto(`/${mine}/bugs`);
    await expect(page.getByTestId("bugs-empty")).toBeVisible();
    await expectAccessible(page);
    await snap(page, testInfo, "bugs-empty");
    await page.goto(`/${mine}/review`);
    await expect(page.getByTestId("review-empty")).toBeVisible();
    await page.goto(`/${mine}/codebase`);
    await expect(page.getByTestId("codebase-empty")).toBeVisible();
    await expectAccessible(page);
    await page.goto(`/${mine}/tickets`);
    await expect(page.getByTestId("tickets-empty")).toBeVisible();
  });
});

// Its own workspace: the re-map replaces locations, which the owner's tests above click on.
test("editing a bug re-maps it to the code the edit describes", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const email = uniqueEmail(testInfo, "remap");
  await createConfirmedUser(email);
  await signIn(page, email);
  const slug = uniqueSlug("remap");
  await createWorkspace(page, "Remap workspace", slug);
  const org = await organizationId(slug);
  const bug = await seedBug(org);
  await useRealDemoIndex(org);
  const [before] = await asSuperuser<{ billed_at: Date }>(
    "select billed_at from public.bugs where id = $1",
    [bug.bugId],
  );

  await page.goto(`/${slug}/bugs/${bug.bugId}`);
  const top = page.getByTestId("location").first();
  await expect(top.getByTestId("location-path")).toHaveText("src/recommendations/similar.ts");
  await page.getByTestId("bug-edit-title").fill("Discount code is applied twice to the cart total");
  await page
    .getByTestId("bug-edit-steps")
    .fill("Add two items to the cart\nApply the discount code SAVE10");
  await page.getByLabel("Expected behaviour").fill("The discount is applied once");
  await page.getByLabel("Actual behaviour").fill("The total is discounted twice");
  await page.getByLabel("Affected feature").fill("discounts");
  await page.getByTestId("bug-edit-save").click();
  await expect(page.getByText("Bug saved. Re-mapping it to code")).toBeVisible();

  // the page follows the job by itself: "Re-mapping…" until the new locations are in
  await expect(page.getByTestId("bug-remapping")).toHaveCount(0, { timeout: 60_000 });
  await expect(top.getByTestId("location-path")).toHaveText("src/pricing/discounts.ts", {
    timeout: 10_000,
  });
  await expect(top.getByTestId("location-function")).toHaveText("applyDiscount");
  await expect(page.getByTestId("bug-locations")).toContainText("Re-mapped from the edited bug");
  await expect(page.getByTestId("bug-summary").getByTestId("bug-status")).toHaveText("Mapped");
  await expectAccessible(page);
  await snap(page, testInfo, "bug-remapped");
  const [after] = await asSuperuser<{ billed_at: Date; status: string }>(
    "select billed_at, status from public.bugs where id = $1",
    [bug.bugId],
  );
  expect(after?.status).toBe("mapped");
  expect(after?.billed_at.getTime()).toBe(before?.billed_at.getTime());
});

// Its own workspace: its gates differ from the defaults, which the other specs' bugs rely on.
test("confidence bars are held to the workspace's own gates", async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo, "bars");
  await createConfirmedUser(email);
  await signIn(page, email);
  const slug = uniqueSlug("bars");
  await createWorkspace(page, "Gates workspace", slug);
  const org = await organizationId(slug);
  const mapped = await seedBug(org); // extraction 0.82, mapping 0.86
  const held = await seedBug(org, { review: true }); // mapping 0.41
  const setGates = (extraction: number, mapping: number) =>
    asSuperuser(
      `insert into public.pipeline_settings (organization_id, extraction_threshold, mapping_threshold)
       values ($1, $2, $3) on conflict (organization_id)
       do update set extraction_threshold = $2, mapping_threshold = $3`,
      [org, extraction, mapping],
    );
  const bar = (scope: ReturnType<typeof page.locator>, label: string) =>
    scope.locator(`[title="${label}"]`).first();
  await page.setViewportSize({ width: 1280, height: 900 });

  // gates above this bug's confidences (the defaults, 0.70 and 0.75, are below them)
  await setGates(0.85, 0.9);
  await page.goto(`/${slug}/bugs`);
  const row = page.locator(`[data-testid="bug-row"][data-bug-id="${mapped.bugId}"]`);
  await expect(bar(row, "Mapping confidence")).toHaveAttribute("data-gate", "0.9");
  await expect(bar(row, "Mapping confidence")).toHaveAttribute("data-reaches-gate", "false");
  await expect(bar(row, "Extraction confidence")).toHaveAttribute("data-gate", "0.85");
  await expect(bar(row, "Extraction confidence")).toHaveAttribute("data-reaches-gate", "false");
  await snap(page, testInfo, "bugs-list-gates-1280");

  await page.goto(`/${slug}/bugs/${mapped.bugId}`);
  const top = page.getByTestId("location").first();
  await expect(bar(top, "Location confidence")).toHaveAttribute("data-reaches-gate", "false");
  await expect(bar(page.locator("body"), "Mapping confidence")).toHaveAttribute("data-gate", "0.9");

  await page.goto(`/${slug}/review`);
  const item = page.locator(`[data-testid="review-item"][data-bug-id="${held.bugId}"]`);
  await expect(bar(item, "Mapping confidence")).toHaveAttribute("data-gate", "0.9");
  await expect(bar(item, "Mapping confidence")).toHaveAttribute("data-reaches-gate", "false");
  await expectAccessible(page);
  await snap(page, testInfo, "review-queue-gates-1280");

  // the workspace lowers its gates: the same bug's bars now reach them
  await setGates(0.8, 0.85);
  await page.goto(`/${slug}/bugs`);
  await expect(bar(row, "Mapping confidence")).toHaveAttribute("data-reaches-gate", "true");
  await expect(bar(row, "Extraction confidence")).toHaveAttribute("data-reaches-gate", "true");
  await expectAccessible(page);
  await snap(page, testInfo, "bugs-list-lower-gates-1280");
  await page.goto(`/${slug}/bugs/${mapped.bugId}`);
  await expect(bar(top, "Location confidence")).toHaveAttribute("data-reaches-gate", "true");
  await expect(bar(top, "Location confidence")).toHaveAttribute("data-gate", "0.85");
  await snap(page, testInfo, "bug-detail-lower-gates-1280");
});
