import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Browser, expect, type Page, type TestInfo, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery, findInDatabase, releaseIntegrations, sandboxTokens } from "./helpers/devstack";
import { sandboxControl } from "./helpers/github-sandbox";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Settings → Integrations as a new workspace owner would use it, against the devstack's provider
 * sandboxes: Zendesk (subdomain, consent, webhook), the GitHub App (install, pick the demo
 * repository, change the selection), disconnect, a member's 404, a replayed callback. Afterwards
 * no token or secret the sandboxes issued may be found in clear in the database or in the app's
 * log (APP_LOG_FILE, which `npm test` writes to .devstack/test/app.log).
 */

test.describe.configure({ mode: "serial" });

let owner: Page;
let slug: string;

async function newOwner(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const email = uniqueEmail(testInfo, "integrations");
  await createConfirmedUser(email);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  slug = uniqueSlug("intg");
  await createWorkspace(page, "Integrations Co", slug);
  return page;
}

async function integrationRow(provider: string) {
  const rows = await dbQuery<{
    status: string;
    access_token_enc: string | null;
    refresh_token_enc: string | null;
    webhook_secret_enc: string | null;
    provider_webhook_id: string | null;
    external_account_id: string;
  }>(
    `select i.status, i.access_token_enc, i.refresh_token_enc, i.webhook_secret_enc,
            i.provider_webhook_id, i.external_account_id
       from public.integrations i join public.organizations o on o.id = i.organization_id
      where o.slug = $1 and i.provider = $2 order by i.created_at desc limit 1`,
    [slug, provider],
  );
  return rows[0];
}

test.beforeAll(async ({ browser }, testInfo) => {
  owner = await newOwner(browser, testInfo);
});

// The sandbox's GitHub account holds the demo repository for one workspace at a time: a test
// that fails between install and disconnect must not keep it from the retry and the other specs.
test.afterAll(async () => {
  if (slug) await releaseIntegrations(slug);
});

test("Zendesk: subdomain, consent, connected with its webhook; a replayed callback is refused; disconnect deletes the credentials", async ({
  page: _unused,
}, testInfo) => {
  const subdomain = `acme-${randomBytes(3).toString("hex")}`;
  await owner.goto(`/${slug}`);
  await owner.getByTestId("nav-integrations").click();
  await expect(owner).toHaveURL(new RegExp(`/${slug}/settings/integrations$`));
  await expect(owner.getByTestId("zendesk-status")).toHaveText("Not connected");
  await expect(owner.getByTestId("github-status")).toHaveText("Not connected");
  await expectAccessible(owner);
  await snap(owner, testInfo, "integrations-empty");

  // a wrong subdomain is refused beside the field
  await owner.getByTestId("zendesk-subdomain").fill("not a subdomain!");
  await owner.getByTestId("zendesk-connect").click();
  await expect(owner.getByTestId("zendesk-subdomain-error")).toBeVisible();

  const callbacks: string[] = [];
  owner.on("request", (r) => {
    if (r.url().includes("/api/integrations/zendesk/callback")) callbacks.push(r.url());
  });
  await owner.getByTestId("zendesk-subdomain").fill(subdomain);
  await owner.getByTestId("zendesk-connect").click();
  await expect(owner.getByTestId("sandbox-consent")).toBeVisible();
  await snap(owner, testInfo, "zendesk-consent");
  await owner.getByTestId("sandbox-allow").click();

  await expect(owner).toHaveURL(new RegExp(`/${slug}/settings/integrations\\?connected=zendesk`));
  await expect(owner.getByTestId("integration-connected")).toContainText("Zendesk connected");
  await expect(owner.getByTestId("zendesk-status")).toHaveText("Connected");
  await expect(owner.getByTestId("zendesk-account")).toHaveText(`${subdomain}.zendesk.com`);
  await expect(owner.getByTestId("intercom-blocked")).toBeVisible();
  await expectAccessible(owner);
  await snap(owner, testInfo, "zendesk-connected");

  // stored sealed: ciphertext only, and the webhook Patchline created is recorded
  const row = await integrationRow("zendesk");
  expect(row?.status).toBe("connected");
  for (const value of [row?.access_token_enc, row?.refresh_token_enc, row?.webhook_secret_enc]) {
    expect(value).toMatch(/^v1\./);
  }
  expect(row?.provider_webhook_id).toBeTruthy();
  const issued = await sandboxTokens({ provider: "zendesk", account: subdomain });
  expect(
    issued
      .filter((t) => t.status === "active")
      .map((t) => t.kind)
      .sort(),
  ).toEqual(["access", "refresh", "webhook_secret"]);

  // the same callback URL again: refused with a page, nothing written
  expect(callbacks).toHaveLength(1);
  await owner.goto(callbacks[0] as string);
  await expect(owner.getByTestId("connect-refused")).toHaveAttribute("data-reason", "replayed");
  await expect(owner.getByTestId("connect-refused")).toContainText("already used");
  await expectAccessible(owner);
  await snap(owner, testInfo, "replayed-callback");
  const refusals = await dbQuery(
    `select 1 from public.audit_log a join public.organizations o on o.id = a.organization_id
      where o.slug = $1 and a.action = 'integration.oauth_refused'`,
    [slug],
  );
  expect(refusals).toHaveLength(1);
  await owner.goto(`/${slug}/audit`);
  await expect(owner.getByText("Refused a Zendesk connection link (replayed)")).toBeVisible();
  await expect(owner.getByText(`Connected Zendesk (${subdomain})`)).toBeVisible();

  // a state Patchline did not sign: refused as forged, no GitHub row written
  await owner.goto(
    "/api/integrations/github/setup?installation_id=11&setup_action=install&state=eyJ2IjoxfQ.AAAA",
  );
  await expect(owner.getByTestId("connect-refused")).toHaveAttribute("data-reason", "forged");
  expect(await integrationRow("github")).toBeUndefined();

  // disconnect: revoked at Zendesk, webhook deleted, credentials gone, history kept
  await owner.goto(`/${slug}/settings/integrations`);
  await owner.getByTestId("zendesk-disconnect").click();
  await snap(owner, testInfo, "zendesk-disconnect-dialog");
  await owner.getByTestId("zendesk-disconnect-dialog-confirm").click();
  await expect(owner.getByTestId("zendesk-status")).toHaveText("Not connected");
  const after = await integrationRow("zendesk");
  expect(after).toMatchObject({
    status: "disconnected",
    access_token_enc: null,
    refresh_token_enc: null,
    webhook_secret_enc: null,
  });
  const afterTokens = await sandboxTokens({ provider: "zendesk", account: subdomain });
  expect(afterTokens.filter((t) => t.status === "active")).toEqual([]);
});

test("Intercom: consent, pick the team, disconnect", async () => {
  const testInfo = test.info();
  // Other suites may hold tokens of the sandbox's one Intercom app: judge only this test's.
  const earlier = new Set((await sandboxTokens({ provider: "intercom" })).map((t) => t.value));
  await owner.goto(`/${slug}/settings/integrations`);
  await owner.getByTestId("intercom-connect").click();
  await expect(owner.getByTestId("sandbox-consent")).toBeVisible();
  await owner.getByTestId("sandbox-allow").click();

  await expect(owner).toHaveURL(new RegExp(`/${slug}/settings/integrations\\?connected=intercom`));
  await expect(owner.getByTestId("intercom-status")).toHaveText("Connected");
  await expect(owner.getByTestId("intercom-team-needed")).toBeVisible();
  await expect(owner.getByTestId("zendesk-blocked")).toBeVisible();
  await owner.getByLabel("Team").selectOption({ label: "Engineering" });
  await owner.getByTestId("intercom-team-save").click();
  await expect(owner.getByText("Reading Engineering’s conversations.")).toBeVisible();
  await owner.reload();
  await expect(owner.getByTestId("intercom-account")).toHaveText("Sandbox Workspace · Engineering");
  await expect(owner.getByTestId("intercom-team-needed")).toHaveCount(0);
  await expectAccessible(owner);
  await snap(owner, testInfo, "intercom-connected");
  expect((await integrationRow("intercom"))?.access_token_enc).toMatch(/^v1\./);

  await owner.getByTestId("intercom-disconnect").click();
  await owner.getByTestId("intercom-disconnect-dialog-confirm").click();
  await expect(owner.getByTestId("intercom-status")).toHaveText("Not connected");
  expect(await integrationRow("intercom")).toMatchObject({
    status: "disconnected",
    access_token_enc: null,
  });
  const ours = (await sandboxTokens({ provider: "intercom" })).filter((t) => !earlier.has(t.value));
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.filter((t) => t.status === "active")).toEqual([]);
});

test("GitHub: install the App on the demo repository, change the selection, disconnect", async ({
  page: _unused,
}, testInfo) => {
  // Other suites may hold tokens of the sandbox's GitHub account: judge only this test's.
  const earlier = new Set((await sandboxTokens({ provider: "github" })).map((t) => t.value));
  // A GitHub account of this test's own holding a copy of the demo repository: the sandbox's
  // `acme` account can be installed by one workspace at a time, and ticket-to-mapped-bug.spec
  // holds it for minutes while it indexes and maps.
  const account = `e2eintg${randomBytes(3).toString("hex")}`;
  const repoName = `${account}/storefront`;
  const { repositories } = await sandboxControl<{
    repositories: Array<{ full_name: string; git_dir: string }>;
  }>("GET", "/github/repositories");
  const demo = repositories.find((r) => r.full_name === "acme/storefront");
  await sandboxControl("POST", "/github/repositories", {
    path: demo?.git_dir,
    full_name: repoName,
  });

  await owner.goto(`/${slug}/settings/integrations`);
  await owner.getByTestId("github-connect").click();
  await expect(owner.getByTestId("sandbox-github-install")).toBeVisible();
  // the person picks their account on GitHub's page (the sandbox lists it by `?account=`)
  const install = new URL(owner.url());
  install.searchParams.set("account", account);
  await owner.goto(install.toString());
  await expect(owner.locator("#account")).toHaveValue(account);
  await owner.getByTestId("sandbox-only-selected").check();
  await owner.getByTestId(`sandbox-repo-${repoName}`).check();
  await snap(owner, testInfo, "github-install");
  await owner.getByTestId("sandbox-install").click();

  await expect(owner).toHaveURL(new RegExp(`/${slug}/settings/integrations\\?connected=github`));
  await expect(owner.getByTestId("github-status")).toHaveText("Connected");
  await expect(owner.getByTestId("github-account")).toHaveText(account);
  const box = owner.getByTestId(`repo-${repoName}`);
  await expect(box).toBeChecked();
  await expectAccessible(owner);
  await snap(owner, testInfo, "github-connected");

  // change the selection: unselect, save, and it stays unselected
  await box.uncheck();
  await owner.getByTestId("repository-save").click();
  await expect(owner.getByText("Repository selection saved (0 selected).")).toBeVisible();
  await owner.reload();
  await expect(owner.getByTestId(`repo-${repoName}`)).not.toBeChecked();
  const selected = await dbQuery<{ selected: boolean }>(
    `select r.selected from public.integration_repositories r
       join public.organizations o on o.id = r.organization_id
      where o.slug = $1 and r.full_name = $2`,
    [slug, repoName],
  );
  expect(selected).toEqual([{ selected: false }]);
  await owner.getByTestId(`repo-${repoName}`).check();
  await owner.getByTestId("repository-save").click();
  await expect(owner.getByText("Repository selection saved (1 selected).")).toBeVisible();

  const row = await integrationRow("github");
  expect(row?.access_token_enc).toMatch(/^v1\./);

  await owner.getByTestId("github-disconnect").click();
  await owner.getByTestId("github-disconnect-dialog-confirm").click();
  await expect(owner.getByTestId("github-status")).toHaveText("Not connected");
  expect(await integrationRow("github")).toMatchObject({
    status: "disconnected",
    access_token_enc: null,
  });
  const installations = await sandboxTokens({
    provider: "github",
    account: row?.external_account_id ?? "",
  });
  expect(installations.filter((t) => !earlier.has(t.value) && t.status === "active")).toEqual([]);
});

test("the admin-only key rotation starts from the page", async () => {
  await owner.goto(`/${slug}/settings/integrations`);
  await expect(owner.getByTestId("rotate-keys-last")).toContainText("No secret");
  await owner.getByTestId("rotate-keys").click();
  await expect(owner.getByText("Key rotation started.", { exact: false })).toBeVisible();
  await expectAccessible(owner);
  await snap(owner, test.info(), "integrations-rotation");
});

test("a member of the workspace gets a 404 and no nav entry", async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "intg-member");
  await createConfirmedUser(email);
  await dbQuery(
    `insert into public.memberships (organization_id, user_id, role)
     select o.id, u.id, 'member' from public.organizations o, auth.users u
      where o.slug = $1 and u.email = $2`,
    [slug, email],
  );
  const member = await (await browser.newContext()).newPage();
  await signIn(member, email);
  const response = await member.goto(`/${slug}/settings/integrations`);
  expect(response?.status()).toBe(404);
  await expect(member.getByTestId("not-found")).toBeVisible();
  await member.goto(`/${slug}`);
  await expect(member.getByTestId("nav-settings")).toBeVisible();
  await expect(member.getByTestId("nav-integrations")).toHaveCount(0);
});

test("no token or secret the sandboxes issued is stored or logged in clear", async () => {
  const values = (await sandboxTokens()).map((t) => t.value);
  expect(values.length).toBeGreaterThan(0);
  expect(await findInDatabase(values)).toEqual([]);
  // `npm test` writes the app's whole output there; running e2e by hand, point it at yours.
  const logFile = process.env.APP_LOG_FILE;
  expect(logFile, "APP_LOG_FILE must name the app's log file").toBeTruthy();
  const log = readFileSync(logFile ?? "", "utf8");
  expect(log.length).toBeGreaterThan(0);
  expect(values.filter((v) => log.includes(v))).toEqual([]);
});
