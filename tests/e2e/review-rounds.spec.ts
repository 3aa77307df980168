import { expect, test } from "@playwright/test";
import { draftRca } from "@/lib/fixes/rca/draft";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { expectAccessible } from "./helpers/a11y";
import { persona, storageStateOf } from "./helpers/personas";
import { indexedRepository, organizationId, seedBug } from "./helpers/pipeline-seed";
import { snap } from "./helpers/snap";

/**
 * What the bug page shows of review rounds and of a model-drafted RCA (issue 17), as an owner
 * reads it: a drafted PR with a review round pushed as a new commit, a failed round, and a
 * request past the workspace's limit shown for the team; an RCA drafted by the model, and one
 * whose model draft failed the plain-language check (the offline template, with why). Rows are
 * seeded as the jobs write them; the jobs themselves run in
 * tests/integration/fixes/review-round.test.ts and rca-llm-draft.test.ts.
 */

const owner = () => persona("owner").workspace;
const HEAD = "0123456789abcdef0123456789abcdef01234567";
const ROUND_SHA = "89abcdef0123456789abcdef0123456789abcdef";

async function draftedPr(org: string, bugId: string, number: number): Promise<string> {
  const repo = await indexedRepository(org);
  const [pr] = await asSuperuser<{ id: string }>(
    `insert into public.pull_requests (organization_id, bug_id, repository_id, number, url, origin,
       head_branch, head_sha, state, title, review_state)
     values ($1, $2, $3, $4, $5, 'drafted', 'patchline/fix-coupon', $6, 'draft',
       'fix(checkout): coupon ignored at checkout', 'changes_requested')
     returning id`,
    [org, bugId, repo.id, number, `https://github.com/acme/storefront/pull/${number}`, HEAD],
  );
  return pr?.id ?? "";
}

test.describe("review rounds and the model's RCA (owner)", () => {
  test.use({ storageState: storageStateOf("owner") });
  // the rounds test and the settings test both set the workspace's review_rounds_max
  test.describe.configure({ mode: "serial" });

  test("a drafted PR lists each review asking for changes and what Patchline did", async ({
    page,
  }, testInfo) => {
    const org = await organizationId(owner().slug);
    const bug = await seedBug(org, { title: `Coupon ignored ${Date.now().toString(36)}` });
    const prId = await draftedPr(org, bug.bugId, 61);
    await asSuperuser(
      `insert into public.fix_settings (organization_id, review_rounds_max) values ($1, 2)
       on conflict (organization_id) do update set review_rounds_max = 2`,
      [org],
    );
    const rows: Array<
      [number, string, string, number | null, string | null, string | null, string | null]
    > = [
      [101, "cart-lead", "pushed", 1, null, null, ROUND_SHA],
      [102, "alice-dev", "failed", null, null, "patch_does_not_apply", null],
      [103, "alice-dev", "pushed", 2, null, null, HEAD],
      [104, "cart-lead", "shown", null, "limit_reached", null, null],
    ];
    for (const [id, reviewer, status, round, reason, kind, sha] of rows) {
      await asSuperuser(
        `insert into public.fix_review_rounds (organization_id, bug_id, pull_request_id,
           github_review_id, reviewer, status, round, reason, failure_kind, failure_detail,
           commit_sha, finished_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), now() - make_interval(mins => 200 - $12::int))`,
        [
          org,
          bug.bugId,
          prId,
          id,
          reviewer,
          status,
          round,
          reason,
          kind,
          kind ? "acme/storefront: src/cart/total.ts does not apply cleanly." : null,
          sha,
          id,
        ],
      );
    }
    await page.goto(`/${owner().slug}/bugs/${bug.bugId}`);
    const rounds = page.getByTestId("pr-review-rounds");
    await expect(rounds).toContainText("Review rounds: 2 of 2 used");
    const lines = rounds.getByTestId("pr-review-round");
    await expect(lines).toHaveCount(4);
    await expect(lines.nth(0)).toContainText("round 1 of 2: a new commit 89abcde on the branch");
    await expect(lines.nth(1)).toHaveAttribute("data-status", "failed");
    await expect(lines.nth(1)).toContainText("does not apply cleanly");
    await expect(lines.nth(3)).toContainText(
      "not re-patched: the workspace's limit of review rounds is reached",
    );
    await expectAccessible(page);
    await rounds.scrollIntoViewIfNeeded();
    await snap(page, testInfo, "bug-review-rounds");
  });

  test("the RCA panel says who drafted the RCA, and why the template when the model's failed", async ({
    page,
  }, testInfo) => {
    const org = await organizationId(owner().slug);
    const sections = (title: string) =>
      draftRca({
        bug: {
          title,
          severity: "high",
          feature: "checkout page",
          impact: "Customers paid full price.",
          expected: "The coupon lowers the total",
          actual: "The total stayed the same",
        },
        reports: { count: 2, firstAt: new Date(Date.now() - 86_400_000) },
        pullRequests: [],
        deployedAt: null,
        testsAdded: false,
        avoid: [],
      });
    const llm = await seedBug(org, { title: `Coupon total ${Date.now().toString(36)}` });
    const fallback = await seedBug(org, { title: `Coupon badge ${Date.now().toString(36)}` });
    await asSuperuser(
      `insert into public.rcas (organization_id, bug_id, sections, draft_source, draft_note)
       values ($1, $2, $3, 'llm', null), ($1, $4, $5, 'offline_fallback',
         'The model''s root cause named code or carried a stack trace. This is the offline draft instead.')`,
      [
        org,
        llm.bugId,
        JSON.stringify(sections(llm.title)),
        fallback.bugId,
        JSON.stringify(sections(fallback.title)),
      ],
    );
    await page.goto(`/${owner().slug}/bugs/${llm.bugId}`);
    const source = page.getByTestId("rca-panel").getByTestId("rca-draft-source");
    await expect(source).toHaveAttribute("data-source", "llm");
    await expect(source).toContainText("Drafted by the workspace's LLM");
    await expectAccessible(page);
    await snap(page, testInfo, "bug-rca-llm");

    await page.goto(`/${owner().slug}/bugs/${fallback.bugId}`);
    const note = page.getByTestId("rca-panel").getByTestId("rca-draft-source");
    await expect(note).toHaveAttribute("data-source", "offline_fallback");
    await expect(note).toContainText("Drafted from the offline template");
    await expect(note).toContainText("The model's root cause named code");
    await expectAccessible(page);
    await snap(page, testInfo, "bug-rca-offline-fallback");
  });

  test("an owner sets how many review rounds a drafted PR gets, in Settings", async ({
    page,
  }, testInfo) => {
    const org = await organizationId(owner().slug);
    await page.goto(`/${owner().slug}/settings`);
    const card = page.getByTestId("fix-settings");
    const rounds = card.getByTestId("fix-review-rounds");
    const threshold = card.getByTestId("fix-auto-threshold");
    await rounds.fill("25");
    // an empty threshold is an error beside the field, not 0 (which would auto-fix every bug)
    await threshold.fill("");
    await card.getByTestId("fix-settings-save").click();
    await expect(card).toContainText("At most 20 rounds");
    await expect(rounds).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#fix-auto-threshold-error")).toHaveText(
      "Enter a number from 0 to 1",
    );
    await expect(threshold).toHaveAttribute("aria-invalid", "true");
    await threshold.fill("0.9");
    await rounds.fill("4");
    await card.getByTestId("fix-settings-save").click();
    await expect
      .poll(
        async () =>
          (
            await asSuperuser<{ review_rounds_max: number }>(
              "select review_rounds_max from public.fix_settings where organization_id = $1",
              [org],
            )
          )[0]?.review_rounds_max,
      )
      .toBe(4);
    expect(
      (
        await asSuperuser<{ t: string }>(
          "select auto_fix_threshold::text as t from public.fix_settings where organization_id = $1",
          [org],
        )
      )[0]?.t,
    ).toBe("0.90");
    await page.reload();
    await expect(page.getByTestId("fix-review-rounds")).toHaveValue("4");
    await expectAccessible(page);
    await page.getByTestId("fix-settings").scrollIntoViewIfNeeded();
    await snap(page, testInfo, "settings-fix-settings");
  });
});
