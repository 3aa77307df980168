import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { linkIn, waitForMail } from "./helpers/mailbox";
import { persona, storageStateOf } from "./helpers/personas";
import { snap } from "./helpers/snap";
import { createConfirmedUser, PASSWORD, uniqueEmail } from "./helpers/users";

test("an existing user accepts an invitation as member, works read-only on settings, and leaves", async ({
  browser,
}, testInfo) => {
  const { workspace } = persona("owner");
  const memberEmail = uniqueEmail(testInfo, "member");
  await createConfirmedUser(memberEmail);

  // The owner invites an address that already has an account.
  const owner = await (
    await browser.newContext({ storageState: storageStateOf("owner") })
  ).newPage();
  await owner.goto(`/${workspace.slug}/members`);
  const since = Date.now();
  await owner.getByTestId("invite-email").fill(memberEmail);
  await owner.getByTestId("invite-role").selectOption("member");
  await owner.getByTestId("invite-submit").click();
  await expect(owner.getByTestId(`invitation-row-${memberEmail}`)).toContainText("Member");

  // They open the link, sign in (not up), and come back to the invitation.
  const link = linkIn(await waitForMail(memberEmail, { subject: /invit/i, since }), /\/invite\//);
  const member = await (await browser.newContext()).newPage();
  await member.goto(link);
  await member.getByTestId("invite-sign-in-link").click();
  await member.getByTestId("sign-in-email").fill(memberEmail);
  await member.getByTestId("sign-in-password").fill(PASSWORD);
  await member.getByTestId("sign-in-submit").click();
  await expect(member.getByTestId("invite-accept")).toBeVisible();
  await expect(member.getByTestId("invite-role")).toHaveText("Member");
  await member.getByTestId("accept-invitation").click();
  await expect(member).toHaveURL(new RegExp(`/${workspace.slug}$`));

  // A used link says so instead of joining twice.
  await member.goto(link);
  await expect(member.getByTestId("invite-problem")).toContainText("already used");

  // Members see the team but cannot change it, settings are read-only, no audit log.
  await member.goto(`/${workspace.slug}/members`);
  await expect(member.getByTestId(`member-row-${memberEmail}`)).toContainText("Member");
  await expect(member.getByTestId("invite-form")).toHaveCount(0);
  await expect(member.locator('[data-testid^="member-actions-"]')).toHaveCount(0);
  await expect(member.getByTestId("nav-audit")).toHaveCount(0);
  await expectAccessible(member);
  await snap(member, testInfo, "members-as-member");
  await member.goto(`/${workspace.slug}/settings`);
  await expect(member.getByTestId("settings-read-only")).toContainText("member");

  // Leaving (with confirmation) removes access at once.
  await member.goto(`/${workspace.slug}/members`);
  await member.getByTestId("leave-workspace").click();
  await snap(member, testInfo, "leave-dialog");
  await member.getByTestId("leave-workspace-dialog-confirm").click();
  await expect(member).toHaveURL(/\/onboarding$/);
  const after = await member.goto(`/${workspace.slug}`);
  expect(after?.status()).toBe(404);
  await owner.reload();
  await expect(owner.getByTestId(`member-row-${memberEmail}`)).toHaveCount(0);
});
