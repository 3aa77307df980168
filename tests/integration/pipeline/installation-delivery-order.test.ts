import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signGithub } from "@/lib/webhooks/github";
import { runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  installGithub,
  newWorkspace,
  releaseSharedSandboxAccounts,
  usePipelineEnv,
} from "./fixtures";
import { ownRepositories } from "./own-repositories";

vi.mock("server-only", () => ({}));

/**
 * GitHub may deliver an installation's webhooks out of order (a retry or a redelivery of an
 * older one lands after a newer one). Each carries the installation's `updated_at`; the consumer
 * (`apply-github-installation`) keeps the newest it applied, so a late older delivery does not
 * undo a newer one: signed deliveries through the real intake and the devstack executor.
 * - a `suspend` at 10:00 arriving after the `unsuspend` at 10:05 leaves the integration connected;
 * - a late `installation_repositories.added` of a repository the installation no longer sees is
 *   not applied as a delta: the rows follow what GitHub lists now (the sandbox's API).
 */

const APP_ID = "pipeline-installation-order-test";
const owner = `plord${randomUUID().slice(0, 6)}`;
let app: Awaited<ReturnType<typeof serveApp>>;
let handleWebhook: typeof import("@/lib/webhooks/intake").handleWebhook;
let cleanup = () => {};
let organizationId: string;
let integrationId: string;
let installationId: string;
const visible: Array<{ id: number; full_name: string }> = [];
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

/** A delivery as GitHub signs it, straight into the intake; returns its delivery id. */
async function deliver(event: string, payload: Record<string, unknown>): Promise<string> {
  const deliveryId = randomUUID();
  const body = JSON.stringify({
    ...payload,
    sender: { login: "someone", id: 1, type: "User" },
  });
  const res = await handleWebhook(
    "github",
    new Request("http://localhost/api/webhooks/github", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": deliveryId,
        "x-hub-signature-256": signGithub(body, process.env.GITHUB_WEBHOOK_SECRET ?? ""),
      },
      body,
    }),
  );
  expect(res.status).toBe(200);
  return deliveryId;
}

const installation = (updatedAt: string) => ({
  id: Number(installationId),
  account: { login: owner, type: "Organization" },
  updated_at: updatedAt,
});

/** The consumer's run for one delivery (event id `webhook-delivery:<ledger row>`), once ended. */
async function applied(deliveryId: string) {
  return waitFor(
    async () => {
      const [ledger] = await asSuperuser<{ id: string }>(
        "select id from public.webhook_deliveries where provider = 'github' and provider_event_id = $1",
        [deliveryId],
      );
      if (!ledger) return undefined;
      return (await runsOf(executorUrl(), `${APP_ID}-apply-github-installation`)).find(
        (r) => r.status === "completed" && r.event_id === `webhook-delivery:${ledger.id}`,
      );
    },
    30_000,
    `the run for delivery ${deliveryId}`,
  );
}

async function integration() {
  const [row] = await asSuperuser<{
    status: string;
    last_error: string | null;
    installation_updated_at: Date | null;
  }>("select status, last_error, installation_updated_at from public.integrations where id = $1", [
    integrationId,
  ]);
  return row;
}

async function repositoryIds(): Promise<number[]> {
  const rows = await asSuperuser<{ github_repository_id: string }>(
    "select github_repository_id from public.integration_repositories where integration_id = $1 order by 1",
    [integrationId],
  );
  return rows.map((r) => Number(r.github_repository_id));
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  ({ handleWebhook } = await import("@/lib/webhooks/intake"));
  const inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const consumer = await import("@/inngest/functions/apply-github-installation");
  app = await serveApp(inngest, [consumer.defineApplyGithubInstallation(inngest)]);
  await syncApp(executorUrl(), app.url);

  const own = await ownRepositories(owner, ["kept"]);
  cleanup = own.cleanup;
  for (const r of own.repositories)
    visible.push({ id: r.githubRepositoryId, full_name: r.fullName });
  installationId = await installGithub(owner);
  organizationId = await newWorkspace("order");
  const [row] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, installationId],
  );
  integrationId = row?.id ?? "";
  // selected but not to be indexed here: the row says so with an index of its own
  await asSuperuser(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, $4, 'main', false)`,
    [organizationId, integrationId, visible[0]?.id, visible[0]?.full_name],
  );
}, 120_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  cleanup();
});

describe("installation deliveries out of order", () => {
  it("a suspend older than the unsuspend already applied does not suspend again", async () => {
    const suspended = await deliver("installation", {
      action: "suspend",
      installation: installation("2026-12-06T10:00:00Z"),
    });
    await applied(suspended);
    expect(await integration()).toMatchObject({ status: "error" });

    const unsuspended = await deliver("installation", {
      action: "unsuspend",
      installation: installation("2026-12-06T10:05:00Z"),
    });
    await applied(unsuspended);
    expect(await integration()).toMatchObject({ status: "connected", last_error: null });

    // GitHub retries the 10:00 suspend (a new delivery id, the old payload) after the unsuspend
    const late = await deliver("installation", {
      action: "suspend",
      installation: installation("2026-12-06T10:00:00Z"),
    });
    const run = await applied(late);
    expect(run.output).toMatchObject({ kind: "stale" });
    const row = await integration();
    expect(row).toMatchObject({ status: "connected", last_error: null });
    expect(row?.installation_updated_at?.toISOString()).toBe("2026-12-06T10:05:00.000Z");

    // and a newer suspend still applies
    const newer = await deliver("installation", {
      action: "suspend",
      installation: installation("2026-12-06T10:10:00Z"),
    });
    await applied(newer);
    expect(await integration()).toMatchObject({ status: "error" });
    const back = await deliver("installation", {
      action: "unsuspend",
      installation: installation("2026-12-06T10:15:00Z"),
    });
    await applied(back);
    expect(await integration()).toMatchObject({ status: "connected" });
  }, 90_000);

  it("a late repositories delta is replaced by what GitHub lists now", async () => {
    const gone = { id: 987_654_321, full_name: `${owner}/gone`, private: true };
    // newer: the repository was removed from the installation (10:30)
    const removed = await deliver("installation_repositories", {
      action: "removed",
      installation: installation("2026-12-06T10:30:00Z"),
      repository_selection: "selected",
      repositories_added: [],
      repositories_removed: [gone],
    });
    await applied(removed);
    expect(await repositoryIds()).toEqual([visible[0]?.id]);

    // older (10:20): it had been added. Applied as a delta it would come back
    const late = await deliver("installation_repositories", {
      action: "added",
      installation: installation("2026-12-06T10:20:00Z"),
      repository_selection: "selected",
      repositories_added: [gone],
      repositories_removed: [],
    });
    const run = await applied(late);
    expect(run.output).toMatchObject({ kind: "repositories", added: 0, removed: 0 });
    expect(await repositoryIds()).toEqual([visible[0]?.id]);
    expect((await integration())?.installation_updated_at?.toISOString()).toBe(
      "2026-12-06T10:30:00.000Z",
    );
  }, 90_000);
});
