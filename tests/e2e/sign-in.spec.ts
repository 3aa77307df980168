import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { persona } from "./helpers/personas";
import { snap } from "./helpers/snap";
import { createConfirmedUser, PASSWORD, uniqueEmail } from "./helpers/users";

/** One sign-in submit; resolves when the server action has answered. */
async function attempt(page: Page, email: string, password: string) {
  await page.getByTestId("sign-in-email").fill(email);
  await page.getByTestId("sign-in-password").fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/sign-in")),
    page.getByTestId("sign-in-submit").click(),
  ]);
}

test("wrong credentials get one clear message, and sign-out ends the session", async ({
  page,
}, testInfo) => {
  const { email, workspace } = persona("owner");
  await page.goto("/sign-in");
  await expectAccessible(page);
  await snap(page, testInfo, "sign-in");
  await attempt(page, email, "Not-The-Password-1");
  await expect(page.getByTestId("sign-in-error-invalid")).toContainText(
    "The email or password is incorrect",
  );
  // The email stays; the password does not.
  await expect(page.getByTestId("sign-in-email")).toHaveValue(email);
  await expect(page.getByTestId("sign-in-password")).toHaveValue("");
  await snap(page, testInfo, "sign-in-invalid");

  await attempt(page, email, PASSWORD);
  await expect(page).toHaveURL(new RegExp(`/${workspace.slug}$`));
  // Both attempts are in the workspace's audit log.
  await page.getByTestId("nav-audit").click();
  await expect(page.locator('[data-action="auth.sign_in_failed"]').first()).toBeVisible();
  await expect(page.locator('[data-action="auth.sign_in"]').first()).toBeVisible();
  await page.getByTestId("user-menu").click();
  await page.getByTestId("user-menu-sign-out").click();
  await expect(page).toHaveURL(/\/sign-in\?notice=signed-out/);
  await expect(page.getByTestId("sign-in-notice")).toContainText("signed out");
  // Protected pages send a signed-out visitor back to sign-in, remembering where they were.
  await page.goto(`/${workspace.slug}/members`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});

test("an unconfirmed address is told to confirm and can get a new link", async ({
  page,
}, testInfo) => {
  const email = uniqueEmail(testInfo, "unconfirmed");
  await page.goto("/sign-up");
  await page.getByTestId("sign-up-email").fill(email);
  await page.getByTestId("sign-up-password").fill(PASSWORD);
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("check-email")).toBeVisible();

  await page.goto("/sign-in");
  await attempt(page, email, PASSWORD);
  await expect(page.getByTestId("sign-in-error-unconfirmed")).toContainText("not confirmed");
  await page.getByTestId("resend-confirmation").click();
  await expect(page.getByText("a new link is on its way")).toBeVisible();
  await snap(page, testInfo, "sign-in-unconfirmed");
});

test("repeated failures lock the account with a clear message", async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo, "locked");
  await createConfirmedUser(email);
  await page.goto("/sign-in");
  let locked = false;
  for (let i = 0; i < 8 && !locked; i++) {
    await attempt(page, email, `Wrong-Password-${i}-xyz`);
    // The answer renders when the form leaves its pending state; read the alert only then, so a
    // previous attempt's "invalid" is never mistaken for this one's.
    await expect(page.getByTestId("sign-in-submit")).toBeEnabled();
    const alert = page.locator('[data-testid^="sign-in-error-"]');
    await expect(alert).toHaveAttribute("data-testid", /^sign-in-error-(invalid|locked)$/);
    locked = (await alert.getAttribute("data-testid")) === "sign-in-error-locked";
  }
  expect(locked, "the account locks within 8 failed attempts").toBe(true);
  // Even the right password is refused while locked.
  await attempt(page, email, PASSWORD);
  await expect(page.getByTestId("sign-in-error-locked")).toContainText(
    /Too many failed sign-in attempts.*Try again in (\d+ seconds|about \d+ minutes)/,
  );
  await expect(page).toHaveURL(/\/sign-in/);
  await snap(page, testInfo, "sign-in-locked");
});
