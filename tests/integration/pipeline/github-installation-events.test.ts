import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control, sandbox } from "@/tests/integration/sandboxes/helpers";
import { releaseSharedSandboxAccounts, startIntake, usePipelineEnv } from "./fixtures";
import { ownRepositories } from "./own-repositories";

vi.mock("server-only", () => ({}));

/**
 * GitHub `installation` and `installation_repositories` deliveries update the integration (issue
 * 13), with the GitHub sandbox's real signed deliveries through the real intake and the devstack
 * executor: the installation's repository access changed on GitHub adds (selected, indexed) and
 * removes (row and index gone) repositories, exactly once under a redelivery; suspend and
 * unsuspend move the integration to error (with the reason Settings shows) and back; accepted
 * permissions expire the cached token; an uninstall disconnects it with its reason.
 */

const APP_ID = "pipeline-installation-test";
const owner = `plinst${randomUUID().slice(0, 6)}`;
let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let cleanup = () => {};
let user: ApiUser;
let organizationId: string;
let integrationId: string;
let installationId: string;
const repoIds: Record<string, number> = {};
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const slug = () => devstackEnv().GITHUB_APP_SLUG;

/** The installation form on GitHub's side, as a person submits it. */
async function submitInstallation(path: string, names: string[], decision: string) {
  const body = new URLSearchParams({ account: owner, selection: "selected", decision });
  for (const n of names) body.append("repository_ids", String(repoIds[n]));
  return fetch(sandbox(path), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
    redirect: "manual",
  });
}

async function integration() {
  const [row] = await asSuperuser<{
    status: string;
    last_error: string | null;
    access_token_enc: string | null;
    token_expires_at: Date | null;
  }>(
    "select status, last_error, access_token_enc, token_expires_at from public.integrations where id = $1",
    [integrationId],
  );
  return row;
}

async function repositories() {
  return asSuperuser<{ id: string; full_name: string; selected: boolean; index: string | null }>(
    `select r.id, r.full_name, r.selected, i.status as index
       from public.integration_repositories r
       left join public.code_indexes i on i.repository_id = r.id
      where r.integration_id = $1 order by r.full_name`,
    [integrationId],
  );
}

/** The newest sandbox delivery of an event, once our intake answered it. */
async function delivered(event: string) {
  return waitFor(
    async () => {
      const list = await control<{
        deliveries: Array<{ id: string; event: string; last_status: number | null }>;
      }>("GET", `/deliveries?provider=github&event=${event}&limit=1`);
      const d = list.json.deliveries[0];
      return d && d.last_status === 200 ? d : undefined;
    },
    20_000,
    `${event} delivered`,
  );
}

beforeAll(async () => {
  usePipelineEnv();
  process.env.GITHUB_APP_SLUG = devstackEnv().GITHUB_APP_SLUG;
  (await import("@/lib/env")).resetEnvCacheForTests();
  const { handleWebhook } = await import("@/lib/webhooks/intake");
  intake = await startIntake((provider, request) => handleWebhook(provider, request));
  await control("PUT", "/webhook-targets", { github: intake.url("github") });

  const inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [indexing, installation] = await Promise.all([
    import("@/inngest/functions/index-repository"),
    import("@/inngest/functions/apply-github-installation"),
  ]);
  app = await serveApp(inngest, [
    indexing.defineIndexRepository(inngest),
    installation.defineApplyGithubInstallation(inngest),
  ]);
  await syncApp(executorUrl(), app.url);

  const own = await ownRepositories(owner, ["one", "two", "three"]);
  cleanup = own.cleanup;
  for (const r of own.repositories) repoIds[r.fullName.split("/")[1] ?? ""] = r.githubRepositoryId;

  // installed on GitHub with two of the three, then the setup callback stores it
  const installed = await submitInstallation(
    `/github/web/apps/${slug()}/installations/new`,
    ["one", "two"],
    "install",
  );
  installationId =
    new URL(installed.headers.get("location") ?? "").searchParams.get("installation_id") ?? "";
  expect(installationId).toMatch(/^\d+$/);
  user = await signedInUser("pl-inst");
  const created = await user.client.rpc("create_organization", {
    p_name: "Installation",
    p_slug: `pl-inst-${randomUUID().slice(0, 8)}`,
  });
  if (created.error) throw new Error(created.error.message);
  const org = created.data as { id: string; slug: string; name: string };
  organizationId = org.id;
  const { completeGitHubConnect } = await import("@/lib/integrations/complete-connect");
  await completeGitHubConnect(
    { user: { id: user.id } as import("@supabase/supabase-js").User, org },
    Number(installationId),
  );
  const [row] = await asSuperuser<{ id: string }>(
    "select id from public.integrations where organization_id = $1 and provider = 'github' and status = 'connected'",
    [organizationId],
  );
  integrationId = row?.id ?? "";
}, 120_000);

afterAll(async () => {
  await control("PUT", "/webhook-targets", { github: null });
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await closeDb();
  cleanup();
});

describe("GitHub installation deliveries", () => {
  it("repositories added on GitHub are selected and indexed; removed ones leave with their index", async () => {
    await waitFor(
      async () => {
        const rows = await repositories();
        return rows.length === 2 && rows.every((r) => r.index === "ready") ? rows : undefined;
      },
      60_000,
      "the first install indexed",
    );
    const configured = await submitInstallation(
      `/github/web/settings/installations/${installationId}`,
      ["one", "three"],
      "save",
    );
    expect(configured.status).toBe(302);
    const delivery = await delivered("installation_repositories.added");
    const rows = await waitFor(
      async () => {
        const r = await repositories();
        return r.length === 2 &&
          r.every((x) => x.index === "ready") &&
          r[1]?.full_name.endsWith("/three")
          ? r
          : undefined;
      },
      60_000,
      "three added and indexed, two removed",
    );
    expect(rows.map((r) => [r.full_name, r.selected])).toEqual([
      [`${owner}/one`, true],
      [`${owner}/three`, true],
    ]);
    const [indexes] = await asSuperuser<{ n: number }>(
      `select count(*)::int as n from public.code_indexes c
         join public.integration_repositories r on r.id = c.repository_id
        where r.organization_id = $1 and r.full_name = $2`,
      [organizationId, `${owner}/two`],
    );
    expect(indexes?.n).toBe(0);

    // GitHub redelivers it: the ledger drops it, nothing changes
    const again = await control("POST", `/deliveries/${delivery.id}/redeliver`);
    expect(again.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await repositories()).toEqual(rows);

    // and applying the same payload twice is the same as once
    const events = await import("@/lib/integrations/github/installation-events");
    const { createAdminClient } = await import("@/lib/supabase/admin");
    const admin = await createAdminClient({ reason: "test: apply twice", organizationId });
    const payload = {
      repositories_added: [{ id: repoIds.three ?? 0, full_name: `${owner}/three` }],
      repositories_removed: [{ id: repoIds.two ?? 0, full_name: `${owner}/two` }],
    };
    await expect(
      events.applyRepositoriesEvent(admin, { organizationId, integrationId }, payload),
    ).resolves.toEqual({ kind: "repositories", added: 0, removed: 0, toIndex: [] });
    expect(await repositories()).toEqual(rows);
  }, 150_000);

  it("suspend shows the reason and stops the integration; unsuspend brings it back", async () => {
    await control("POST", `/github/installations/${installationId}/actions`, { action: "suspend" });
    const suspended = await waitFor(
      async () => {
        const i = await integration();
        return i?.status === "error" ? i : undefined;
      },
      20_000,
      "suspended",
    );
    expect(suspended.last_error).toMatch(/suspended on GitHub/);
    await control("POST", `/github/installations/${installationId}/actions`, {
      action: "unsuspend",
    });
    const back = await waitFor(
      async () => {
        const i = await integration();
        return i?.status === "connected" ? i : undefined;
      },
      20_000,
      "unsuspended",
    );
    expect(back.last_error).toBeNull();
  }, 60_000);

  it("accepted new permissions expire the cached installation token", async () => {
    const before = Date.now();
    await control("POST", `/github/installations/${installationId}/actions`, {
      action: "new_permissions_accepted",
    });
    await waitFor(
      async () => {
        const i = await integration();
        return i?.token_expires_at &&
          i.token_expires_at.getTime() >= before - 1000 &&
          i.token_expires_at.getTime() <= Date.now()
          ? i
          : undefined;
      },
      20_000,
      "token expired",
    );
    // written in the same step, just after
    const audit = await waitFor(
      async () => {
        const [a] = await asSuperuser<{ n: number }>(
          "select count(*)::int as n from public.audit_log where organization_id = $1 and action = 'integration.permissions_accepted'",
          [organizationId],
        );
        return a?.n ? a : undefined;
      },
      10_000,
      "audit entry",
    );
    expect(audit.n).toBe(1);
  }, 60_000);

  it("an uninstall on GitHub disconnects the integration, and Settings says why", async () => {
    const overview = await import("@/lib/integrations/overview");
    const asOwner = user.client as unknown as ServerSupabaseClient;
    expect(await overview.providerDisconnectReason(asOwner, organizationId, "github")).toBeNull();
    await submitInstallation(
      `/github/web/settings/installations/${installationId}`,
      ["one"],
      "uninstall",
    );
    const gone = await waitFor(
      async () => {
        const i = await integration();
        return i?.status === "disconnected" ? i : undefined;
      },
      20_000,
      "disconnected",
    );
    expect(gone.access_token_enc).toBeNull();
    const shown = await overview.providerDisconnectReason(asOwner, organizationId, "github");
    expect(shown?.reason).toMatch(/uninstalled on GitHub/);
    expect(await overview.listLiveIntegrations(asOwner, organizationId)).toEqual([]);
  }, 60_000);
});
