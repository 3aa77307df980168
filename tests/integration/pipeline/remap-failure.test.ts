import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { newWorkspace, usePipelineEnv } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * A re-map that fails for good is recorded, not lost (issue 14): the workspace's only ready index
 * is unreadable, so `remap-bug` fails on every attempt through the devstack executor; its failure
 * handler writes `remap_failed_edit_at`/`remap_error` for that edit (what the bug page shows
 * instead of "Re-mapping…"). Then the person's retry (the page's "Retry re-mapping") clears the
 * failure and sends the edit again; with the index repaired (here: removed) it re-maps.
 */

const APP_ID = "pipeline-remap-failure-test";
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let organizationId: string;
let repositoryId: string;
let bugId: string;
const editedAt = "2026-12-06T09:30:00.000Z";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

async function bug() {
  const [row] = await asSuperuser<{
    remap_failed_edit_at: Date | null;
    remap_error: string | null;
    remapped_edit_at: Date | null;
    billed_at: Date | null;
    status: string;
  }>(
    "select remap_failed_edit_at, remap_error, remapped_edit_at, billed_at, status from public.bugs where id = $1",
    [bugId],
  );
  return row;
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const remapping = await import("@/inngest/functions/remap-bug");
  app = await serveApp(inngest, [remapping.defineRemapBug(inngest)]);
  await syncApp(executorUrl(), app.url);

  organizationId = await newWorkspace("remapfail");
  const [integration] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, connected_at)
     values ($1, 'github', $2, now()) returning id`,
    [organizationId, String(900_000_000 + Math.floor(Math.random() * 1e8))],
  );
  const [repo] = await asSuperuser<{ id: string }>(
    `insert into public.integration_repositories
       (organization_id, integration_id, github_repository_id, full_name, default_branch, selected)
     values ($1, $2, $3, 'broken/index', 'main', true) returning id`,
    [organizationId, integration?.id, 800_000_000 + Math.floor(Math.random() * 1e8)],
  );
  repositoryId = repo?.id ?? "";
  // a ready index whose stored data cannot be read: every attempt fails the same way
  await asSuperuser(
    `insert into public.code_indexes
       (organization_id, repository_id, repository_full_name, status, commit_sha, index_data)
     values ($1, $2, 'broken/index', 'ready', $3, '{"not": "an index"}')`,
    [organizationId, repositoryId, "a".repeat(40)],
  );
  const [b] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status,
       actual, edited_at)
     values ($1, 'Cart total is wrong after a discount', 'high', 0.9, 'mapped',
       'The total ignores the discount code', $2) returning id`,
    [organizationId, editedAt],
  );
  bugId = b?.id ?? "";
}, 60_000);

afterAll(async () => {
  await app?.close();
  await closeDb();
});

describe("a re-map that fails after every retry", () => {
  it("is recorded on the bug for the edit it was re-mapping, status and meter untouched", async () => {
    const before = await bug();
    await inngest.send({
      name: "bug/edited",
      id: `bug-edited:${bugId}:${editedAt}`,
      data: { organizationId, bugId, editedAt },
    });
    const failed = await waitFor(
      async () => {
        const b = await bug();
        return b?.remap_failed_edit_at ? b : undefined;
      },
      90_000,
      "the failure recorded",
    );
    expect(failed.remap_failed_edit_at?.toISOString()).toBe(editedAt);
    expect(failed.remap_error).toBe("Re-mapping stopped after 5 attempts (Error).");
    expect(failed.remapped_edit_at).toBeNull();
    expect(failed.status).toBe("mapped");
    expect(failed.billed_at?.getTime()).toBe(before?.billed_at?.getTime());
  }, 120_000);

  it("a person's retry clears it and re-maps once the index is fixed", async () => {
    await asSuperuser("delete from public.code_indexes where repository_id = $1", [repositoryId]);
    const { retryFailedRemap } = await import("@/lib/pipeline/remap-retry");
    await retryFailedRemap(organizationId, { id: bugId, editedAt, failedEditAt: editedAt });
    expect((await bug())?.remap_failed_edit_at).toBeNull();
    const done = await waitFor(
      async () => {
        const b = await bug();
        return b?.remapped_edit_at ? b : undefined;
      },
      30_000,
      "the retried re-map",
    );
    expect(done.remapped_edit_at?.toISOString()).toBe(editedAt);
    expect(done.remap_failed_edit_at).toBeNull();
  }, 60_000);
});
