import { expect, test } from "@playwright/test";
import { snap } from "./helpers/snap";
import { uniqueEmail } from "./helpers/users";

for (const provider of ["github", "google"] as const) {
  test(`a new user signs in with ${provider} through the stand-in provider`, async ({
    page,
  }, testInfo) => {
    const email = uniqueEmail(testInfo, provider);
    await page.goto("/sign-in");
    await page.getByTestId(`oauth-${provider}`).click();

    // The devstack's provider page plays GitHub/Google: pick who to be, then continue.
    await expect(page.getByTestId("idp-form")).toBeVisible();
    await snap(page, testInfo, `${provider}-provider`);
    await page.getByTestId("idp-name").fill("Ada Lovelace");
    await page.getByTestId("idp-email").fill(email);
    await page.getByTestId("idp-continue").click();

    // Back in the app with a session: a first sign-in leads to creating a workspace.
    await expect(page).toHaveURL(/\/onboarding$/);
    await expect(page.getByText(email)).toBeVisible();
    await snap(page, testInfo, `${provider}-signed-in`);
  });
}

test("cancelling at the provider returns to sign-in with a clear message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByTestId("oauth-github").click();
  await page.getByTestId("idp-cancel").click();
  await expect(page).toHaveURL(/\/sign-in\?error=oauth/);
  await expect(page.getByTestId("sign-in-notice")).toContainText("did not complete");
});
