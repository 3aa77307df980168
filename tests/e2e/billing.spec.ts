import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { pdfText } from "../helpers/pdf-text";
import { expectAccessible } from "./helpers/a11y";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Settings → Billing as a new owner uses it (issue 18): the workspace starts on a trial, the
 * owner fills in the billing details (a wrong GSTIN is refused beside the field), subscribes to
 * Starter, pays on the Razorpay sandbox's checkout page, comes back, sees the subscription active
 * with its first invoice, and downloads the invoice PDF, which holds the total and the GSTIN.
 */

test.describe.configure({ mode: "serial" });

let owner: Page;
let slug: string;

test.beforeAll(async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "billing");
  await createConfirmedUser(email);
  owner = await (await browser.newContext()).newPage();
  await signIn(owner, email);
  slug = uniqueSlug("billing");
  await createWorkspace(owner, "Billing Co", slug);
});

test("a new workspace is on a trial with no invoices; billing details validate the GSTIN", async ({
  page: _,
}, testInfo) => {
  await owner.goto(`/${slug}/settings/billing`);
  await expect(owner.getByTestId("billing-status")).toHaveText("Trial");
  await expect(owner.getByTestId("billing-plan-summary")).toContainText(
    "10 of 10 trial Mapped Bugs left",
  );
  await expect(owner.getByTestId("billing-invoices-empty")).toBeVisible();
  await expect(owner.getByTestId("nav-billing")).toBeVisible();
  await snap(owner, testInfo, "billing-trial");
  await owner.setViewportSize({ width: 390, height: 844 });
  await snap(owner, testInfo, "billing-trial-390");
  await owner.setViewportSize({ width: 1280, height: 800 });
  await expectAccessible(owner);

  await owner.getByTestId("billing-contactName").fill("Asha Rao");
  await owner.getByTestId("billing-contactEmail").fill("billing@billing-co.example");
  await owner.getByTestId("billing-addressLine1").fill("12 MG Road");
  await owner.getByTestId("billing-city").fill("Mumbai");
  await owner.getByTestId("billing-country").fill("IN");
  await owner.getByTestId("billing-gstin").fill("27AAPFU0939F1ZX");
  await owner.getByTestId("billing-details-save").click();
  await expect(owner.getByTestId("billing-gstin-error")).toBeVisible();
  await snap(owner, testInfo, "billing-details-gstin-refused");
  await owner.getByTestId("billing-gstin").fill("27AAPFU0939F1ZV");
  await owner.getByTestId("billing-details-save").click();
  await expect(owner.getByText("Billing details saved.")).toBeVisible();
});

test("subscribe → Razorpay checkout → back: active, first invoice, PDF with total and GSTIN", async ({
  page: _,
}, testInfo) => {
  await owner.goto(`/${slug}/settings/billing`);
  await owner.getByTestId("subscribe-plan").selectOption("starter");
  await owner.getByTestId("subscribe-submit").click();
  // Razorpay's page (the sandbox's checkout), never Patchline's: card data stays there
  await owner.waitForURL(/\/razorpay\/checkout\/sub_/);
  await expect(owner.locator("#amount")).toHaveValue("589882");
  await snap(owner, testInfo, "billing-razorpay-checkout");
  await owner.getByTestId("sandbox-pay").click();
  await owner.getByTestId("sandbox-return").click();
  await owner.waitForURL(new RegExp(`/${slug}/settings/billing`));

  // the deliveries arrive through the intake and the executor: reload until they are applied
  await expect(async () => {
    await owner.reload();
    await expect(owner.getByTestId("billing-status")).toHaveText("Active", { timeout: 1_000 });
    await expect(owner.getByTestId("billing-invoice-row")).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  await expect(owner.getByTestId("billing-invoice-total")).toHaveText("₹5,898.82");
  await expect(owner.getByTestId("billing-plan")).toContainText("Starter plan");
  await expect(owner.getByTestId("cap-form")).toBeVisible();
  await expect(owner.getByTestId("cancel-form")).toBeVisible();
  await snap(owner, testInfo, "billing-active");
  await owner.setViewportSize({ width: 390, height: 844 });
  await snap(owner, testInfo, "billing-active-390");
  await owner.setViewportSize({ width: 1280, height: 800 });
  await expectAccessible(owner);

  const download = owner.waitForEvent("download");
  await owner.getByTestId("billing-invoice-pdf").click();
  const file = await (await download).path();
  const { doc, lines } = await pdfText(new Uint8Array(readFileSync(file)));
  expect(doc.getPageCount()).toBe(1);
  expect(lines).toContain("INR 5,898.82");
  expect(lines).toContain("GSTIN 27AAPFU0939F1ZV");
  expect(lines).toContain("Starter (50 Mapped Bugs included)");
});

test("another workspace's invoice PDF is a 404", async ({ page: _ }) => {
  const response = await owner.request.get(
    `/api/orgs/${slug}/invoices/00000000-0000-4000-8000-000000000000/pdf`,
  );
  expect(response.status()).toBe(404);
  const other = await owner.request.get(
    `/api/orgs/not-${slug}/invoices/00000000-0000-4000-8000-000000000000/pdf`,
  );
  expect(other.status()).toBe(404);
});
