import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery } from "./helpers/devstack";
import { organizationId } from "./helpers/pipeline-seed";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Settings → Billing when credits outweigh the overage (docs/billing.md "Credits above the
 * overage: a partial refund", "Refund status"): an invoice whose credits were refunded on its
 * charge's payment says so in the list, one whose refund failed for good says what Patchline does,
 * and the next-invoice preview says a refund follows the renewal instead of
 * "nothing is added". The rows are seeded as the Razorpay consumer records them (its run is
 * covered by tests/integration/billing/razorpay-credit-refund.test.ts).
 */

test.describe.configure({ mode: "serial" });

let owner: Page;
let slug: string;

test.beforeAll(async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "refund");
  await createConfirmedUser(email);
  owner = await (await browser.newContext()).newPage();
  await signIn(owner, email);
  slug = uniqueSlug("refund");
  await createWorkspace(owner, "Refund Co", slug);
  const org = await organizationId(slug);
  // subscribed to Starter (INR), ten days into the current period
  await dbQuery(
    `update public.subscriptions
        set status = 'active', plan_id = 'starter', currency = 'INR',
            current_period_start = now() - interval '10 days',
            current_period_end = now() + interval '20 days',
            razorpay_subscription_id = $2
      where organization_id = $1`,
    [org, `sub_Refund${org.slice(0, 8)}`],
  );
  // the previous period: 51 Mapped Bugs, 3 credits; ₹5,617.98 against ₹5,898.82 charged
  await dbQuery(
    `insert into public.invoices (organization_id, plan_id, currency, period_start, period_end,
       included_bugs, bugs_count, overage_bugs, credited_bugs, base_minor, overage_minor,
       credits_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor, status, paid_at,
       razorpay_payment_id, razorpay_refund_id, razorpay_refund_minor, razorpay_refund_status,
       razorpay_refund_status_at, razorpay_refund_attempt)
     values ($1, 'starter', 'INR', now() - interval '40 days', now() - interval '10 days',
       50, 51, 1, 3, 499900, 11900, 35700, 476100, 1800, 85698, 561798, 'paid', now(),
       $2, $3, 28084, 'processed', now(), 1)`,
    [org, `pay_Refund${org.slice(0, 8)}`, `rfnd_Refund${org.slice(0, 8)}`],
  );
  // the period before: the same credits, but Razorpay failed the refund and Patchline's one
  // retry too (docs/billing.md "Refund status"): final, shown on the row
  await dbQuery(
    `insert into public.invoices (organization_id, plan_id, currency, period_start, period_end,
       included_bugs, bugs_count, overage_bugs, credited_bugs, base_minor, overage_minor,
       credits_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor, status, paid_at,
       razorpay_payment_id, razorpay_refund_id, razorpay_refund_minor, razorpay_refund_status,
       razorpay_refund_status_at, razorpay_refund_attempt)
     values ($1, 'starter', 'INR', now() - interval '70 days', now() - interval '40 days',
       50, 51, 1, 3, 499900, 11900, 35700, 476100, 1800, 85698, 561798, 'paid', now(),
       $2, $3, 28084, 'failed', now(), 2)`,
    [org, `pay_Failed${org.slice(0, 8)}`, `rfnd_Failed${org.slice(0, 8)}`],
  );
  // earlier: 52 Mapped Bugs and 1 credit left a ₹140.42 add-on pending when that subscription was
  // cancelled; Patchline asked it with a Razorpay payment link ("An add-on pending at cancellation")
  await dbQuery(
    `insert into public.invoices (organization_id, plan_id, currency, period_start, period_end,
       included_bugs, bugs_count, overage_bugs, credited_bugs, base_minor, overage_minor,
       credits_minor, subtotal_minor, tax_rate_bp, tax_minor, total_minor, status, paid_at,
       razorpay_payment_id, razorpay_addon_id, razorpay_addon_minor, addon_payment_link_id,
       addon_payment_link_url)
     values ($1, 'starter', 'INR', now() - interval '100 days', now() - interval '70 days',
       50, 52, 2, 1, 499900, 23800, 11900, 511800, 1800, 92124, 603924, 'paid', now(),
       $2, $3, 14042, $4, $5)`,
    [
      org,
      `pay_Addon${org.slice(0, 8)}`,
      `ao_Addon${org.slice(0, 8)}`,
      `plink_Addon${org.slice(0, 8)}`,
      `https://rzp.io/i/addon${org.slice(0, 8)}`,
    ],
  );
  // this period: one Mapped Bug, flagged mismapped (a credit not yet applied, no overage)
  const [bug] = await dbQuery<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, mapping_confidence, status)
     values ($1, 'Checkout total wrong', 'medium', 0.9, 0.9, 'mapped') returning id`,
    [org],
  );
  await dbQuery(
    "insert into public.bug_credits (organization_id, bug_id, reason) values ($1, $2, 'wrong file')",
    [org, bug!.id],
  );
});

test("the refunded invoice, a failed refund and the preview's refund are said on the billing page", async ({
  page: _,
}, testInfo) => {
  await owner.goto(`/${slug}/settings/billing`);
  const refunds = owner.getByTestId("billing-invoice-refund");
  await expect(refunds).toHaveCount(2);
  await expect(refunds.and(owner.locator('[data-refund-status="processed"]'))).toHaveText(
    "₹280.84 refunded to the card/payment (credits above the overage)",
  );
  // the failed refund says what Patchline does about it
  await expect(refunds.and(owner.locator('[data-refund-status="failed"]'))).toHaveText(
    "Refund of ₹280.84 failed twice: we will pay it back to the billing contact by bank transfer",
  );
  // the add-on the cancellation left: asked with a payment link
  await expect(owner.getByTestId("billing-invoice-addon")).toHaveText(
    "₹140.42 overage not charged: the subscription ended first. Pay it on Razorpay",
  );
  await expect(owner.getByTestId("billing-invoice-addon-link")).toHaveAttribute(
    "href",
    /^https:\/\/rzp\.io\/i\/addon/,
  );
  // 1 bug, 1 credit: ₹4,880.00 + GST = ₹5,758.40, ₹140.42 below the plan's charge
  await expect(owner.getByTestId("next-invoice-total")).toHaveText("₹5,758.40");
  await expect(owner.getByTestId("next-invoice-collection")).toHaveText(
    "Razorpay charges the plan's amount at the renewal; the credits above the overage (₹140.42) are then refunded to the card/payment of that charge.",
  );
  await snap(owner, testInfo, "billing-refund-1280");
  await owner.getByTestId("billing-invoices").scrollIntoViewIfNeeded();
  await owner.screenshot({ path: testInfo.outputPath("billing-refund-invoices-1280.png") });
  await owner.setViewportSize({ width: 390, height: 844 });
  await snap(owner, testInfo, "billing-refund-390");
  await owner.setViewportSize({ width: 1280, height: 800 });
  await expectAccessible(owner);
});
