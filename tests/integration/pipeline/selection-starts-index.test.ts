import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asOk, asSuperuser, closeDb, createUser } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { installGithub, releaseSharedSandboxAccounts, usePipelineEnv } from "./fixtures";
import { ownRepositories } from "./own-repositories";

vi.mock("server-only", () => ({}));

/**
 * Selecting repositories in Settings → Integrations starts their first index (issue 14): the
 * admin-gated `setRepositorySelection` sends `repository/selected` for each newly selected
 * repository (and each selected one still without an index, so saving again retries), and
 * `index-repository` builds it through the devstack executor and the GitHub sandbox. A
 * deselected repository's index stays but no longer takes part in mapping.
 */

const APP_ID = "pipeline-selection-test";
const owner = `plsel${randomUUID().slice(0, 6)}`;
let app: Awaited<ReturnType<typeof serveApp>>;
let cleanup = () => {};
let organizationId: string;
let userId: string;
let installationId: string;
const ids: Record<string, string> = {};
let manage: typeof import("@/lib/integrations/manage");
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

async function indexOf(repositoryId: string) {
  const [row] = await asSuperuser<{ status: string; files_count: number }>(
    "select status, files_count from public.code_indexes where repository_id = $1",
    [repositoryId],
  );
  return row;
}

const ready = (repositoryId: string) =>
  waitFor(
    async () => {
      const r = await indexOf(repositoryId);
      return r?.status === "ready" ? r : undefined;
    },
    60_000,
    "first index",
  );

beforeAll(async () => {
  usePipelineEnv();
  // the setup callback's configuration (the App's slug names its pages)
  process.env.GITHUB_APP_SLUG = devstackEnv().GITHUB_APP_SLUG;
  (await import("@/lib/env")).resetEnvCacheForTests();
  manage = await import("@/lib/integrations/manage");
  const inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const indexing = await import("@/inngest/functions/index-repository");
  app = await serveApp(inngest, [indexing.defineIndexRepository(inngest)]);
  await syncApp(executorUrl(), app.url);

  const own = await ownRepositories(owner, ["one", "two"]);
  cleanup = own.cleanup;
  installationId = await installGithub(owner);
  const user = await createUser("pl-sel");
  userId = user.id;
  const [org] = await asOk<{ id: string }>(
    user,
    "select id from public.create_organization($1, $2)",
    ["Selection", `pl-sel-${user.id.slice(0, 8)}`],
  );
  if (!org) throw new Error("workspace not created");
  organizationId = org.id;
  const [integration] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  for (const repo of own.repositories) {
    const [row] = await asSuperuser<{ id: string }>(
      `insert into public.integration_repositories
         (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
       values ($1, $2, $3, $4, 'main', false) returning id`,
      [organizationId, integration?.id, repo.githubRepositoryId, repo.fullName],
    );
    ids[repo.fullName.split("/")[1] ?? ""] = row?.id ?? "";
  }
}, 120_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  cleanup();
});

describe("repository selection starts the first index", () => {
  const actor = () => ({ organizationId, userId });

  it("indexes a newly selected repository, and only it", async () => {
    const one = ids.one ?? "";
    const two = ids.two ?? "";
    await expect(manage.setRepositorySelection(actor(), [one])).resolves.toEqual({
      selected: 1,
      indexing: 1,
    });
    expect((await ready(one)).files_count).toBe(3);
    expect(await indexOf(two)).toBeUndefined();
  }, 90_000);

  it("saving the same selection starts nothing; adding one starts only that one", async () => {
    const one = ids.one ?? "";
    const two = ids.two ?? "";
    await expect(manage.setRepositorySelection(actor(), [one])).resolves.toEqual({
      selected: 1,
      indexing: 0,
    });
    await expect(manage.setRepositorySelection(actor(), [one, two])).resolves.toEqual({
      selected: 2,
      indexing: 1,
    });
    expect((await ready(two)).files_count).toBe(3);
  }, 90_000);

  it("a deselected repository's index stays but mapping no longer reads it", async () => {
    const one = ids.one ?? "";
    const two = ids.two ?? "";
    const store = await import("@/lib/pipeline/jobs/code-index-store");
    const { createAdminClient } = await import("@/lib/supabase/admin");
    const admin = await createAdminClient({ reason: "test: read indexes", organizationId });
    const names = async () =>
      (await store.loadReadyIndexes(admin, organizationId)).map((r) => r.fullName).sort();
    expect(await names()).toEqual([`${owner}/one`, `${owner}/two`]);
    await manage.setRepositorySelection(actor(), [two]);
    expect(await names()).toEqual([`${owner}/two`]);
    expect((await indexOf(one))?.status).toBe("ready");
  }, 30_000);

  it("a first install selects what the installation sees and starts indexing it", async () => {
    // the installation moves to a new workspace (an installation belongs to one at a time)
    await asSuperuser(
      `update public.integrations set status = 'disconnected', access_token_enc = null,
         refresh_token_enc = null, webhook_secret_enc = null, disconnected_at = now()
        where organization_id = $1`,
      [organizationId],
    );
    const user = await createUser("pl-sel-install");
    const [org] = await asOk<{ id: string; slug: string }>(
      user,
      "select id, slug from public.create_organization($1, $2)",
      ["Install", `pl-inst-${user.id.slice(0, 8)}`],
    );
    if (!org) throw new Error("workspace not created");
    const { completeGitHubConnect } = await import("@/lib/integrations/complete-connect");
    await completeGitHubConnect(
      {
        user: { id: user.id, email: user.email } as import("@supabase/supabase-js").User,
        org: { id: org.id, slug: org.slug, name: "Install" },
      },
      Number(installationId),
    );
    const rows = await asSuperuser<{ id: string; full_name: string; selected: boolean }>(
      "select id, full_name, selected from public.integration_repositories where organization_id = $1 order by full_name",
      [org.id],
    );
    expect(rows.map((r) => [r.full_name, r.selected])).toEqual([
      [`${owner}/one`, true],
      [`${owner}/two`, true],
    ]);
    for (const r of rows) expect((await ready(r.id)).files_count).toBe(3);
  }, 120_000);
});
