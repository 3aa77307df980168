import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { asSuperuser } from "@/supabase/tests/helpers/db";
import { expectAccessible } from "./helpers/a11y";
import { releaseIntegrations } from "./helpers/devstack";
import { installationOctokit, installGithubApp, sandboxControl } from "./helpers/github-sandbox";
import { organizationId } from "./helpers/pipeline-seed";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Issue 17's owners, as a new user would: a repository without CODEOWNERS is selected; on the
 * Codebase page the user asks for its owners to be synthesised, watches the run go from queued to
 * done, sees the owners as CODEOWNERS rules, and opens the draft pull request that adds the file
 * with one click. The sandbox then holds one open draft PR on a new branch, main unmoved and no
 * destructive call on record.
 */

const DAY_MS = 86_400_000;

/** A year of history: ana on the cart, bo on the API (with a co-author), a dependabot bump. */
function makeHistory(dir: string) {
  execFileSync("git", ["-C", dir, "init", "-q", "-b", "main"]);
  const commit = (who: { name: string; email: string }, age: number, file: string, msg: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), `// ${msg} ${age}\n`);
    const date = new Date(Date.now() - age * DAY_MS).toISOString();
    execFileSync("git", ["-C", dir, "add", "."]);
    execFileSync("git", ["-C", dir, "commit", "-q", "-m", msg], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date,
      },
    });
  };
  const ana = { name: "Ana Lima", email: "1001+ana-e2e@users.noreply.github.com" };
  const bo = { name: "Bo Chen", email: "2002+bo-e2e@users.noreply.github.com" };
  for (let i = 0; i < 60; i++) commit(ana, 300 - i * 4, `src/cart/total.ts`, `fix: total ${i}`);
  for (let i = 0; i < 40; i++) commit(bo, 200 - i * 4, `src/api/handler.ts`, `feat: handler ${i}`);
  commit(
    { name: "dependabot[bot]", email: "49699333+dependabot[bot]@users.noreply.github.com" },
    3,
    "package.json",
    "chore(deps): bump",
  );
}

let workspaceSlug = "";
let work = "";

test.afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  if (!workspaceSlug) return;
  await releaseIntegrations(workspaceSlug);
});

test("synthesise owners with progress, then open the CODEOWNERS draft PR in one click", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const account = `e2eown${randomUUID().slice(0, 6)}`;
  const repoName = `${account}/shop`;
  work = mkdtempSync(path.join(os.tmpdir(), "pl-e2e-owners-"));
  makeHistory(work);
  const { repository } = await sandboxControl<{ repository: { id: number } }>(
    "POST",
    "/github/repositories",
    { path: work, full_name: repoName },
  );
  const installationId = await installGithubApp(account);
  const octokit = installationOctokit(installationId);
  const mainSha = async () =>
    (await octokit.rest.git.getRef({ owner: account, repo: "shop", ref: "heads/main" })).data.object
      .sha;
  const mainBefore = await mainSha();

  // a new user's workspace with that installation connected and the repository selected
  const email = uniqueEmail(testInfo, "owners");
  const slug = uniqueSlug("owners");
  workspaceSlug = slug;
  await createConfirmedUser(email);
  await signIn(page, email);
  await createWorkspace(page, "Owners", slug);
  const org = await organizationId(slug);
  const [integration] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [org, installationId],
  );
  await asSuperuser(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', true)`,
    [org, integration?.id, repository.id, repoName],
  );

  await page.goto(`/${slug}/codebase`);
  const owners = page.getByTestId("owners");
  await expect(owners).toHaveAttribute("data-status", "none");
  await expect(owners.getByTestId("owners-none")).toBeVisible();
  await snap(page, testInfo, "codebase-owners-none");

  // ask; the run shows as queued or running, then done (the page refreshes itself meanwhile)
  await owners.getByTestId("owners-synthesize").click();
  await expect(owners).toHaveAttribute("data-status", /queued|running|done/);
  if ((await owners.getAttribute("data-status")) !== "done")
    await snap(page, testInfo, "codebase-owners-in-progress");
  await expect(owners).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  const rules = owners.getByTestId("owners-rules");
  await expect(rules).toContainText("/src/cart/");
  await expect(rules).toContainText("@ana-e2e");
  await expect(rules).toContainText("/src/api/");
  await expect(rules).toContainText("@bo-e2e");
  await expect(rules).not.toContainText("dependabot");
  await expectAccessible(page);
  await snap(page, testInfo, "codebase-owners-done");
  const [row] = await asSuperuser<{ commits_counted: number; commits_total: number }>(
    `select commits_counted, commits_total from public.repository_owners
      where organization_id = $1`,
    [org],
  );
  expect(row).toEqual({ commits_counted: 101, commits_total: 101 });

  // one click: a draft PR that adds .github/CODEOWNERS, linked on the page
  await owners.getByTestId("codeowners-pr").click();
  const link = owners.getByTestId("codeowners-pr-link");
  await expect(link).toBeVisible({ timeout: 30_000 });
  await expect(link).toHaveAttribute("href", new RegExp(`/${repoName}/pull/\\d+$`));
  await expect(owners.getByTestId("codeowners-pr")).toHaveCount(0);
  await snap(page, testInfo, "codebase-owners-pr");
  const number = Number((await link.getAttribute("href"))?.split("/").pop());

  // the sandbox: one open draft PR from a new branch, main unmoved, nothing destructive
  const { data: pull } = await octokit.rest.pulls.get({
    owner: account,
    repo: "shop",
    pull_number: number,
  });
  expect(pull).toMatchObject({ draft: true, state: "open", title: "chore: add CODEOWNERS" });
  expect(pull.base.ref).toBe("main");
  expect(pull.head.ref).toBe("patchline/codeowners");
  expect(await mainSha()).toBe(mainBefore);
  const writes = await sandboxControl<{ destructive: Array<{ repo: string }> }>(
    "GET",
    "/github/app-writes",
  );
  expect(writes.destructive.filter((w) => w.repo === repoName)).toEqual([]);

  // reloading shows the same PR, no second one
  await page.reload();
  await expect(owners.getByTestId("codeowners-pr-link")).toHaveAttribute("href", pull.html_url);
  const open = await octokit.rest.pulls.list({ owner: account, repo: "shop", state: "open" });
  expect(open.data.filter((p) => p.head.ref === "patchline/codeowners")).toHaveLength(1);

  // while a re-run works, the page shows its progress as the job writes it (commits read of the
  // total) and keeps the last owners; it follows the row until the run is done
  await asSuperuser(
    `update public.repository_owners
        set status = 'running', pages_read = 1, commits_counted = 40, commits_total = 101,
            started_at = now(), finished_at = null
      where organization_id = $1`,
    [org],
  );
  await page.reload();
  await expect(owners).toHaveAttribute("data-status", "running");
  await expect(owners.getByTestId("owners-progress-count")).toHaveText("40 of 101 commits");
  await expect(owners.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "40");
  await expect(owners.getByTestId("owners-rules")).toContainText("@ana-e2e");
  await expect(owners.getByTestId("owners-synthesize")).toHaveCount(0);
  await snap(page, testInfo, "codebase-owners-running");
  await asSuperuser(
    `update public.repository_owners set status = 'done', commits_counted = 101,
            finished_at = now() where organization_id = $1`,
    [org],
  );
  await expect(owners).toHaveAttribute("data-status", "done", { timeout: 15_000 });
});
