import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { snap } from "./helpers/snap";
import { freshTotp, totp } from "./helpers/totp";
import { createConfirmedUser, PASSWORD, signIn, uniqueEmail } from "./helpers/users";

test("a user turns on TOTP, is challenged at the next sign-in, and can remove it", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const email = uniqueEmail(testInfo, "mfa");
  await createConfirmedUser(email);
  await signIn(page, email);

  await page.goto("/account/security");
  await expect(page.getByTestId("mfa-status")).toHaveText("Off");
  await expectAccessible(page);
  await page.getByTestId("mfa-enroll-start").click();
  await expect(page.getByTestId("mfa-qr")).toBeVisible();
  const secret = (await page.getByTestId("mfa-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expectAccessible(page);
  await snap(page, testInfo, "mfa-enroll");

  // A wrong code is refused beside the field; the right one turns MFA on.
  await page.getByTestId("mfa-enroll-code").fill("000000");
  await page.getByTestId("mfa-enroll-verify").click();
  await expect(page.getByTestId("enroll-code-error")).toContainText("not valid");
  const enrolledWith = totp(secret);
  await page.getByTestId("mfa-enroll-code").fill(enrolledWith);
  await page.getByTestId("mfa-enroll-verify").click();
  await expect(page.getByTestId("mfa-status")).toHaveText("On");
  await expect(page.getByTestId("mfa-factors")).toBeVisible();
  await snap(page, testInfo, "mfa-on");

  // Next sign-in: password, then the challenge; the app stays closed until it is passed.
  await page.getByTestId("user-menu").click();
  await page.getByTestId("user-menu-sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByTestId("sign-in-email").fill(email);
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await expect(page).toHaveURL(/\/mfa/);
  await expectAccessible(page);
  await snap(page, testInfo, "mfa-challenge");
  await page.goto("/account/security");
  await expect(page).toHaveURL(/\/mfa/);

  await page.getByTestId("mfa-code").fill("123456" === totp(secret) ? "654321" : "123456");
  await page.getByTestId("mfa-submit").click();
  await expect(page.getByTestId("code-error")).toContainText("not valid");
  await page.getByTestId("mfa-code").fill(await freshTotp(secret, enrolledWith));
  await page.getByTestId("mfa-submit").click();
  await expect(page).toHaveURL(/\/account\/security$/);

  // Remove the factor (confirmation dialog); the next sign-in asks for no code.
  await page.getByTestId("mfa-remove").click();
  await page.getByTestId("mfa-remove-dialog-confirm").click();
  await expect(page.getByTestId("mfa-status")).toHaveText("Off");
  await page.getByTestId("user-menu").click();
  await page.getByTestId("user-menu-sign-out").click();
  await signIn(page, email);
  await expect(page).not.toHaveURL(/\/mfa/);
});
