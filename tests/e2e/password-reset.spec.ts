import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { linkIn, waitForMail } from "./helpers/mailbox";
import { snap } from "./helpers/snap";
import { createConfirmedUser, PASSWORD, signIn, uniqueEmail } from "./helpers/users";

test("a user resets a forgotten password by mail", async ({ page }, testInfo) => {
  const email = uniqueEmail(testInfo, "reset");
  const newPassword = "Quartz-Harbor-Willow-77";
  await createConfirmedUser(email);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expectAccessible(page);
  await snap(page, testInfo, "forgot-password");
  const since = Date.now();
  await page.getByTestId("forgot-password-email").fill(email);
  await page.getByTestId("forgot-password-submit").click();
  await expect(page.getByTestId("check-email")).toContainText(email);
  await snap(page, testInfo, "reset-link-sent");

  const mail = await waitForMail(email, { subject: /reset|recover|password/i, since });
  await page.goto(linkIn(mail, /\/verify\?/));
  await expect(page).toHaveURL(/\/reset-password$/);
  await expect(page.getByTestId("reset-password-form")).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, "reset-password");

  // A common password and a mismatch are both explained beside the fields.
  await page.getByTestId("reset-password").fill("password1234");
  await page.getByTestId("reset-password-confirm").fill("password1234");
  await page.getByTestId("reset-password-submit").click();
  await expect(page.getByTestId("password-error")).toContainText("known data breaches");
  await page.getByTestId("reset-password").fill(newPassword);
  await page.getByTestId("reset-password-confirm").fill(`${newPassword}x`);
  await page.getByTestId("reset-password-submit").click();
  await expect(page.getByTestId("confirm-error")).toContainText("do not match");

  await page.getByTestId("reset-password").fill(newPassword);
  await page.getByTestId("reset-password-confirm").fill(newPassword);
  await page.getByTestId("reset-password-submit").click();
  await expect(page).toHaveURL(/\/sign-in\?notice=password-updated/);
  await expect(page.getByTestId("sign-in-notice")).toContainText("password was changed");

  // The old password no longer works; the new one does.
  await page.getByTestId("sign-in-email").fill(email);
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("sign-in-error-invalid")).toBeVisible();
  await signIn(page, email, newPassword);
  await expect(page).toHaveURL(/\/onboarding$/);
});
