import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { persona } from "./helpers/personas";
import { snap } from "./helpers/snap";
import { confirmFromMail, PASSWORD, uniqueEmail, uniqueSlug } from "./helpers/users";

test("a new user signs up, confirms by mail and creates a workspace", async ({
  page,
}, testInfo) => {
  const email = uniqueEmail(testInfo, "newbie");

  await page.goto("/sign-up");
  // The rules are on the page before anything is typed.
  const rules = page.getByTestId("password-rules");
  await expect(rules).toContainText("12 to 72 characters");
  await expect(rules).toContainText("Not a common or easily guessed password");
  await expectAccessible(page);
  await snap(page, testInfo, "sign-up");

  // Too short: the rule stays unmet and the server action refuses it beside the field.
  await page.getByTestId("sign-up-email").fill(email);
  await page.getByTestId("sign-up-password").fill("short");
  await expect(rules.locator('[data-rule="length"]')).toHaveAttribute("data-met", "false");
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("password-error")).toContainText("at least 12 characters");

  // Long enough but common: the auth server's weak_password reason shows beside the field.
  await page.getByTestId("sign-up-password").fill("password1234");
  await expect(rules.locator('[data-rule="length"]')).toHaveAttribute("data-met", "true");
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("password-error")).toContainText("known data breaches");
  await snap(page, testInfo, "sign-up-weak-password");

  const since = Date.now();
  await page.getByTestId("sign-up-email").fill(email);
  await page.getByTestId("sign-up-password").fill(PASSWORD);
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("check-email")).toContainText(email);
  await expectAccessible(page);
  await snap(page, testInfo, "check-email");

  await confirmFromMail(page, email, since);
  await expect(page).toHaveURL(/\/onboarding$/);
  await expect(page.getByTestId("create-workspace-form")).toBeVisible();
  await expectAccessible(page);
  await snap(page, testInfo, "onboarding");

  // The slug follows the name until edited.
  await page.getByTestId("workspace-name").fill("Initech Support");
  await expect(page.getByTestId("workspace-slug")).toHaveValue("initech-support");

  // A reserved address is refused before the database is asked.
  await page.getByTestId("workspace-slug").fill("settings");
  await page.getByTestId("create-workspace-submit").click();
  await expect(page.getByTestId("slug-error")).toContainText("reserved");

  // A taken address is refused with alternatives.
  const taken = persona("owner").workspace.slug;
  await page.getByTestId("workspace-slug").fill(taken);
  await page.getByTestId("create-workspace-submit").click();
  await expect(page.getByTestId("slug-error")).toContainText("already taken");
  const suggestions = page.getByTestId("slug-suggestions").getByRole("button");
  await expect(suggestions.first()).toContainText(`${taken}-`);
  await snap(page, testInfo, "onboarding-slug-taken");

  const slug = uniqueSlug("initech");
  await page.getByTestId("workspace-slug").fill(slug);
  await page.getByTestId("create-workspace-submit").click();
  await expect(page).toHaveURL(new RegExp(`/${slug}$`));
  await expect(page.getByTestId("current-workspace")).toHaveText("Initech Support");
  await expect(page.getByTestId("dashboard-empty")).toContainText("No bugs yet");
  await expect(page.getByTestId("step-connect-support")).toContainText("Coming soon");
  await expect(page.getByTestId("step-github-app")).toContainText("Coming soon");
  await expectAccessible(page);
  await snap(page, testInfo, "dashboard");

  // The audit log records the workspace's creation.
  await page.getByTestId("nav-audit").click();
  await expect(page.locator('[data-action="organization.created"]')).toHaveCount(1);
  await expectAccessible(page);
  await snap(page, testInfo, "audit-log");
});
