import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { linkIn, waitForMail } from "./helpers/mailbox";
import { snap } from "./helpers/snap";
import {
  confirmFromMail,
  createConfirmedUser,
  createWorkspace,
  PASSWORD,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

async function newSignedInPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

function memberRow(page: Page, email: string) {
  return page.getByTestId(`member-row-${email}`);
}

async function changeRole(owner: Page, email: string, role: "admin" | "member" | "viewer") {
  await owner.getByTestId(`member-actions-${email}`).click();
  await owner.getByTestId("action-change-role").click();
  await owner.getByTestId("change-role-select").selectOption(role);
  await owner.getByTestId("change-role-dialog-confirm").click();
  await expect(owner.getByTestId("change-role-dialog")).toBeHidden();
  const label = role.charAt(0).toUpperCase() + role.slice(1);
  await expect(memberRow(owner, email).getByTestId("member-role")).toHaveText(label);
}

test("an owner invites a teammate, who joins and sees only what their role allows", async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const ownerEmail = uniqueEmail(testInfo, "team-owner");
  const mateEmail = uniqueEmail(testInfo, "teammate");
  const slug = uniqueSlug("hooli");
  await createConfirmedUser(ownerEmail);
  const owner = await newSignedInPage(browser, ownerEmail);
  await createWorkspace(owner, "Hooli Helpdesk", slug);

  // Invite as viewer.
  await owner.getByTestId("nav-members").click();
  await expect(owner).toHaveURL(new RegExp(`/${slug}/members$`));
  await expectAccessible(owner);
  const since = Date.now();
  await owner.getByTestId("invite-email").fill(mateEmail);
  await owner.getByTestId("invite-role").selectOption("viewer");
  await owner.getByTestId("invite-submit").click();
  const pendingRow = owner.getByTestId(`invitation-row-${mateEmail}`);
  await expect(pendingRow).toContainText("Viewer");
  await expect(pendingRow).toContainText(/in (6|7) days/);
  await snap(owner, testInfo, "members-invited");

  // The teammate opens the mailed link, creates an account from it and joins.
  const mail = await waitForMail(mateEmail, { subject: /invit|join/i, since });
  const inviteLink = linkIn(mail, /\/invite\//);
  const mateContext = await browser.newContext();
  const mate = await mateContext.newPage();
  await mate.goto(inviteLink);
  await expect(mate.getByTestId("invite-sign-in")).toBeVisible();
  await expectAccessible(mate);
  await snap(mate, testInfo, "invite-signed-out");
  await mate.getByTestId("invite-sign-up").click();
  const signUpAt = Date.now();
  await mate.getByTestId("sign-up-email").fill(mateEmail);
  await mate.getByTestId("sign-up-password").fill(PASSWORD);
  await mate.getByTestId("sign-up-submit").click();
  await expect(mate.getByTestId("check-email")).toBeVisible();
  await confirmFromMail(mate, mateEmail, signUpAt);
  await expect(mate.getByTestId("invite-accept")).toBeVisible();
  await expect(mate.getByTestId("invite-role")).toHaveText("Viewer");
  await expectAccessible(mate);
  await snap(mate, testInfo, "invite-accept");
  await mate.getByTestId("accept-invitation").click();
  await expect(mate).toHaveURL(new RegExp(`/${slug}$`));
  await expect(mate.getByTestId("current-workspace")).toHaveText("Hooli Helpdesk");

  // As a viewer: no audit log, no invite form, no member actions, read-only settings.
  await expect(mate.getByTestId("nav-audit")).toHaveCount(0);
  await mate.getByTestId("nav-members").click();
  await expect(memberRow(mate, ownerEmail)).toContainText("Owner");
  await expect(mate.getByTestId("invite-form")).toHaveCount(0);
  await expect(mate.getByTestId("pending-invitations")).toHaveCount(0);
  await expect(mate.locator('[data-testid^="member-actions-"]')).toHaveCount(0);
  await snap(mate, testInfo, "members-as-viewer");
  await mate.getByTestId("nav-settings").click();
  await expect(mate.getByTestId("settings-read-only")).toBeVisible();
  await expect(mate.getByTestId("settings-name")).toBeDisabled();
  await expect(mate.getByTestId("settings-save")).toHaveCount(0);
  await expectAccessible(mate);
  await snap(mate, testInfo, "settings-as-viewer");
  // The server refuses anyway: re-enable the field, add a submit button, and post the form.
  await mate.getByTestId("settings-name").evaluate((input: HTMLInputElement) => {
    input.disabled = false;
    input.readOnly = false;
    input.value = "Taken over";
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Forged save";
    button.setAttribute("data-testid", "forged-save");
    input.form?.appendChild(button);
  });
  await mate.getByTestId("forged-save").click();
  await expect(mate.getByTestId("rename-error")).toContainText("role does not allow");
  await mate.reload();
  await expect(mate.getByTestId("current-workspace")).toHaveText("Hooli Helpdesk");
  // A role that may not read the audit log finds no page there.
  await mate.goto(`/${slug}/audit`);
  await expect(mate.getByTestId("not-found")).toBeVisible();
  await expect(mate.getByTestId("audit-table")).toHaveCount(0);

  // The owner's view: the invitation is gone from pending, the viewer is listed.
  await owner.reload();
  await expect(owner.getByTestId(`invitation-row-${mateEmail}`)).toHaveCount(0);
  await expect(memberRow(owner, mateEmail).getByTestId("member-role")).toHaveText("Viewer");

  // Promote to admin: the teammate may now rename the workspace and read the audit log.
  await changeRole(owner, mateEmail, "admin");
  await snap(owner, testInfo, "members-owner");
  await mate.goto(`/${slug}/settings`);
  await expect(mate.getByTestId("settings-read-only")).toHaveCount(0);
  await mate.getByTestId("settings-name").fill("Hooli Support");
  await mate.getByTestId("settings-save").click();
  await expect(mate.getByTestId("current-workspace")).toHaveText("Hooli Support");
  await expect(mate.getByTestId("nav-audit")).toBeVisible();

  // Revoke a second invitation.
  const other = uniqueEmail(testInfo, "revoked");
  await owner.getByTestId("invite-email").fill(other);
  await owner.getByTestId("invite-role").selectOption("member");
  await owner.getByTestId("invite-submit").click();
  await expect(owner.getByTestId(`invitation-row-${other}`)).toBeVisible();
  await owner.getByTestId(`revoke-${other}`).click();
  await expectAccessible(owner);
  await snap(owner, testInfo, "revoke-dialog");
  await owner.getByTestId("revoke-invitation-dialog-confirm").click();
  await expect(owner.getByTestId(`invitation-row-${other}`)).toHaveCount(0);

  // Transfer ownership (with confirmation): the teammate owns it, the owner becomes admin.
  await owner.getByTestId(`member-actions-${mateEmail}`).click();
  await owner.getByTestId("action-transfer").click();
  await expect(owner.getByTestId("transfer-ownership-dialog")).toContainText(mateEmail);
  await snap(owner, testInfo, "transfer-dialog");
  await owner.getByTestId("transfer-ownership-dialog-confirm").click();
  await expect(memberRow(owner, mateEmail).getByTestId("member-role")).toHaveText("Owner");
  await expect(memberRow(owner, ownerEmail).getByTestId("member-role")).toHaveText("Admin");
  // An admin may not transfer ownership, so the menu no longer offers it.
  await owner.getByTestId(`member-actions-${mateEmail}`).waitFor({ state: "detached" });

  // The new owner removes the former owner, who then gets a 404 for the workspace.
  await mate.goto(`/${slug}/members`);
  await mate.getByTestId(`member-actions-${ownerEmail}`).click();
  await mate.getByTestId("action-remove").click();
  await mate.getByTestId("remove-member-dialog-confirm").click();
  await expect(memberRow(mate, ownerEmail)).toHaveCount(0);
  const gone = await owner.goto(`/${slug}`);
  expect(gone?.status()).toBe(404);

  // The audit log has the whole story.
  await mate.goto(`/${slug}/audit`);
  for (const action of [
    "organization.created",
    "invitation.created",
    "invitation.accepted",
    "member.role_changed",
    "invitation.revoked",
    "organization.ownership_transferred",
    "member.removed",
  ]) {
    await expect(mate.locator(`[data-action="${action}"]`).first()).toBeVisible();
  }
  // Rows about a current member name them.
  await expect(mate.locator('[data-action="member.role_changed"]').first()).toContainText(
    `${mateEmail}’s role from viewer to admin`,
  );
  await expectAccessible(mate);
  await snap(mate, testInfo, "audit-log-full");
});
