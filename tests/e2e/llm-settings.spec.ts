import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery, devstackEnv, findInDatabase } from "./helpers/devstack";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Settings → LLM assistance as a workspace owner uses it against the devstack's Anthropic
 * stand-in: off by default, a provider needs a key, the key is saved, never shown again, and
 * "Test connection" reaches the provider; a wrong key is reported in words. Afterwards the key
 * is nowhere in clear in the database or the app's log.
 */

test.describe.configure({ mode: "serial" });

let owner: Page;
let slug: string;

test.beforeAll(async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "llm");
  await createConfirmedUser(email);
  owner = await (await browser.newContext()).newPage();
  await signIn(owner, email);
  slug = uniqueSlug("llm");
  await createWorkspace(owner, "LLM Co", slug);
});

test("off by default; a provider needs a key; the saved key is never shown; test connection reaches the stand-in", async ({
  page: _,
}, testInfo) => {
  const key = devstackEnv("ANTHROPIC_API_KEY");
  await owner.goto(`/${slug}/settings`);
  const card = owner.getByTestId("llm-settings");
  await expect(card.getByTestId("llm-status")).toHaveText("Off");
  await expect(owner.getByTestId("llm-test")).toHaveCount(0);
  await expectAccessible(owner);

  await owner.getByTestId("llm-provider").selectOption("anthropic");
  await owner.getByTestId("llm-save").click();
  await expect(owner.locator("#llm-api-key-error")).toContainText("Enter this provider's API key");

  await owner.getByTestId("llm-api-key").fill(key);
  await snap(owner, testInfo, "llm-settings-choosing");
  await owner.getByTestId("llm-save").click();
  await expect(card.getByTestId("llm-status")).toContainText("Anthropic");
  await expect(owner.getByTestId("llm-api-key")).toHaveValue("");
  await expect(owner.getByText(/A key was saved on/)).toBeVisible();
  expect(await owner.content()).not.toContain(key);

  await owner.getByTestId("llm-test").click();
  await expect(owner.getByTestId("llm-test-result")).toContainText("Connected");
  await snap(owner, testInfo, "llm-settings-connected");
  await expectAccessible(owner);

  const [row] = await dbQuery<{ api_key_enc: string }>(
    `select l.api_key_enc from public.llm_settings l
       join public.organizations o on o.id = l.organization_id where o.slug = $1`,
    [slug],
  );
  expect(row?.api_key_enc).toMatch(/^v1\./);
});

test("a wrong key is saved but the test says the provider refused it", async ({
  page: _,
}, testInfo) => {
  await owner.goto(`/${slug}/settings`);
  await owner.getByTestId("llm-api-key").fill("sk-ant-not-a-real-key-000");
  await owner.getByTestId("llm-save").click();
  await expect(owner.getByText(/A key was saved on/)).toBeVisible();
  await owner.getByTestId("llm-test").click();
  await expect(owner.getByTestId("llm-test-result")).toContainText("refused the API key");
  await snap(owner, testInfo, "llm-settings-refused");
});

test("turning it off deletes the key; neither key is in clear in the database or the app log", async () => {
  await owner.goto(`/${slug}/settings`);
  await owner.getByTestId("llm-provider").selectOption("none");
  await expect(owner.getByTestId("llm-off-note")).toBeVisible();
  await owner.getByTestId("llm-save").click();
  await expect(owner.getByTestId("llm-settings").getByTestId("llm-status")).toHaveText("Off");
  const [row] = await dbQuery<{ api_key_enc: string | null }>(
    `select l.api_key_enc from public.llm_settings l
       join public.organizations o on o.id = l.organization_id where o.slug = $1`,
    [slug],
  );
  expect(row?.api_key_enc).toBeNull();

  const values = [devstackEnv("ANTHROPIC_API_KEY"), "sk-ant-not-a-real-key-000"];
  expect(await findInDatabase(values)).toEqual([]);
  const logFile = process.env.APP_LOG_FILE;
  expect(logFile, "APP_LOG_FILE must name the app's log file").toBeTruthy();
  const log = readFileSync(logFile ?? "", "utf8");
  expect(values.filter((v) => log.includes(v))).toEqual([]);
});
