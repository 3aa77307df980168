import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { persona, storageStateOf } from "./helpers/personas";
import { snap } from "./helpers/snap";
import { uniqueSlug } from "./helpers/users";

test.describe("workspace isolation", () => {
  test.use({ storageState: storageStateOf("outsider") });

  test("a member of workspace B gets a 404 for every page of workspace A", async ({
    page,
  }, testInfo) => {
    const a = persona("owner").workspace;
    for (const path of [
      `/${a.slug}`,
      `/${a.slug}/members`,
      `/${a.slug}/settings`,
      `/${a.slug}/audit`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByTestId("not-found")).toBeVisible();
      await expect(page.getByText(a.name)).toHaveCount(0);
    }
    await expectAccessible(page);
    await snap(page, testInfo, "not-found");

    // "Not yours" looks exactly like "not there".
    const missing = await page.goto(`/${uniqueSlug("nothing")}`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
  });

  test("a user with several workspaces switches between them", async ({ page }, testInfo) => {
    const b = persona("outsider").workspace;
    await page.goto(`/${b.slug}`);
    await page.getByTestId("workspace-switcher").click();
    await expect(page.getByTestId(`switch-to-${b.slug}`)).toBeVisible();
    await expect(page.getByTestId(`switch-to-${persona("owner").workspace.slug}`)).toHaveCount(0);
    await page.getByTestId("create-workspace-link").click();
    await expect(page).toHaveURL(/\/onboarding$/);
    const second = uniqueSlug("globex-eu");
    await page.getByTestId("workspace-name").fill("Globex Europe");
    await page.getByTestId("workspace-slug").fill(second);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page).toHaveURL(new RegExp(`/${second}$`));

    await page.getByTestId("workspace-switcher").click();
    await snap(page, testInfo, "workspace-switcher");
    await page.getByTestId(`switch-to-${b.slug}`).click();
    await expect(page).toHaveURL(new RegExp(`/${b.slug}$`));
    await expect(page.getByTestId("current-workspace")).toHaveText(b.name);
  });
});
