import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test as setup } from "@playwright/test";
import {
  AUTH_DIR,
  PERSONAS_FILE,
  type Persona,
  type PersonaName,
  storageStateOf,
} from "./helpers/personas";
import {
  createConfirmedUser,
  createWorkspace,
  PASSWORD,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Creates the personas the specs share: "owner" (workspace A) and "outsider" (workspace B),
 * each signed in once through the real sign-in page, their browser state saved.
 */
setup("create personas", async ({ browser }, testInfo) => {
  mkdirSync(AUTH_DIR, { recursive: true });
  // Both at once: every spec waits for this setup, and the second worker would sit idle through
  // a second sign-up, sign-in and workspace in a row.
  const make = async (name: PersonaName): Promise<[PersonaName, Persona]> => {
    const email = uniqueEmail(testInfo, name);
    await createConfirmedUser(email);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email);
    await expect(page).toHaveURL(/\/onboarding$/);
    const workspace = {
      name: name === "owner" ? "Acme Support" : "Globex Labs",
      slug: uniqueSlug(name === "owner" ? "acme" : "globex"),
    };
    await createWorkspace(page, workspace.name, workspace.slug);
    const storageState = storageStateOf(name);
    await context.storageState({ path: storageState });
    await context.close();
    return [name, { email, password: PASSWORD, workspace, storageState }];
  };
  const out = Object.fromEntries(
    await Promise.all((["owner", "outsider"] as const).map(make)),
  ) as Record<PersonaName, Persona>;
  writeFileSync(PERSONAS_FILE, JSON.stringify(out, null, 2));
});
