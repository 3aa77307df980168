import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { linkIn, waitForMail } from "./mailbox";

/** A password that passes the app's rules and the auth server's (not common, 12+). */
export const PASSWORD = "Lantern-Orbit-Maple-42";

/** An address no other worker or run uses: e2e-<label>-w<worker>-<time>-<random>@example.test. */
export function uniqueEmail(testInfo: TestInfo, label: string): string {
  const stamp = Date.now().toString(36);
  const rand = randomBytes(3).toString("hex");
  return `e2e-${label}-w${testInfo.workerIndex}-${stamp}-${rand}@example.test`;
}

/** A workspace slug no other worker or run uses. */
export function uniqueSlug(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
}

function devstackEnvValue(key: string): string {
  const file = path.resolve(process.env.DEVSTACK_HOME ?? ".devstack", "env");
  const match = new RegExp(`^${key}="?([^"\\n]+)"?$`, "m").exec(readFileSync(file, "utf8"));
  if (!match?.[1]) throw new Error(`${file} has no ${key}`);
  return match[1];
}

/**
 * Creates a confirmed account without the UI (the sign-up API, then the confirmation link from
 * the mailbox): for personas whose sign-up is not what a test is about.
 */
export async function createConfirmedUser(email: string, password = PASSWORD): Promise<void> {
  const api = devstackEnvValue("API_URL");
  const anon = devstackEnvValue("ANON_KEY");
  const since = Date.now();
  const res = await fetch(`${api}/auth/v1/signup`, {
    method: "POST",
    headers: {
      apikey: anon,
      authorization: `Bearer ${anon}`,
      "content-type": "application/json",
      "x-supabase-api-version": "2024-01-01",
    },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-up of ${email} failed: ${res.status} ${await res.text()}`);
  const mail = await waitForMail(email, { subject: /confirm/i, since });
  const confirm = await fetch(linkIn(mail, /\/verify\?/), { redirect: "manual" });
  if (confirm.status >= 400) throw new Error(`confirming ${email} failed: ${confirm.status}`);
}

/** Signs in through the sign-in page and waits to leave it. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByTestId("sign-in-email").fill(email);
  await page.getByTestId("sign-in-password").fill(password);
  await page.getByTestId("sign-in-submit").click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** Fills the create-workspace form (on /onboarding) and waits for the new workspace. */
export async function createWorkspace(page: Page, name: string, slug: string): Promise<void> {
  if (!page.url().includes("/onboarding")) await page.goto("/onboarding");
  await page.getByTestId("workspace-name").fill(name);
  await page.getByTestId("workspace-slug").fill(slug);
  await page.getByTestId("create-workspace-submit").click();
  await expect(page).toHaveURL(new RegExp(`/${slug}$`));
  await expect(page.getByTestId("current-workspace")).toHaveText(name);
}

/** Signs up through the sign-up page and waits for "check your email". */
export async function signUpViaUi(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByTestId("sign-up-email").fill(email);
  await page.getByTestId("sign-up-password").fill(password);
  await page.getByTestId("sign-up-submit").click();
  await expect(page.getByTestId("check-email")).toBeVisible();
}

/** Opens the confirmation link mailed to `email` in this browser (the PKCE verifier lives here). */
export async function confirmFromMail(page: Page, email: string, since: number): Promise<void> {
  const mail = await waitForMail(email, { subject: /confirm/i, since });
  await page.goto(linkIn(mail, /\/verify\?/));
}
