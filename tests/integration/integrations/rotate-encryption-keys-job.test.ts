import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import { serveApp, syncApp, waitForRun } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { KEY_NEW, KEY_OLD, useIntegrationsEnv, workspace } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * The rotation as a real Inngest function: the app's function (on a test app id) served over HTTP
 * with the SDK,
 * driven by the devstack executor from a `secrets/rotation.requested` event, one step per batch;
 * the run's output is the counts, and a second event rotates 0.
 */

let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let org: { id: string };
const rows: string[] = [];
let llmRow = "";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

beforeAll(async () => {
  useIntegrationsEnv();
  process.env.ENCRYPTION_KEYS = `new:${KEY_NEW},old:${KEY_OLD}`;
  (await import("@/lib/env")).resetEnvCacheForTests();
  // its own app id: syncing under "patchline" would replace the app the devstack serves
  inngest = new Inngest({ id: "rotation-test", isDev: true, baseUrl: executorUrl() });
  events = await import("@/inngest/events");
  const { defineRotateEncryptionKeys } = await import("@/inngest/functions/rotate-encryption-keys");
  app = await serveApp(inngest, [defineRotateEncryptionKeys(inngest)]);
  await syncApp(executorUrl(), app.url);

  org = await workspace("rotjob");
  const old = createKeyring(new Map([["old", Buffer.from(KEY_OLD, "base64")]]));
  for (const provider of ["zendesk", "github"] as const) {
    const id = randomUUID();
    rows.push(id);
    await asSuperuser(
      `insert into public.integrations (id, organization_id, provider, external_account_id, access_token_enc)
       values ($1, $2, $3, $4, $5)`,
      [
        id,
        org.id,
        provider,
        `${provider}job${id.slice(0, 8)}`,
        old.encrypt(`sbx_job_${id}`, {
          organizationId: org.id,
          table: "integrations",
          rowId: id,
          column: "access_token_enc",
        }),
      ],
    );
  }
  // the workspace's LLM provider key is an encrypted column too (llm_settings.api_key_enc)
  llmRow = randomUUID();
  await asSuperuser(
    `insert into public.llm_settings (id, organization_id, provider, api_key_enc, api_key_set_at)
     values ($1, $2, 'anthropic', $3, now())`,
    [
      llmRow,
      org.id,
      old.encrypt(`sbx_llm_${llmRow}`, {
        organizationId: org.id,
        table: "llm_settings",
        rowId: llmRow,
        column: "api_key_enc",
      }),
    ],
  );
}, 60_000);
afterAll(async () => {
  await app?.close();
  await closeDb();
});

async function run(): Promise<{ output: unknown; steps: string[]; status: string }> {
  const { ids } = await inngest.send(
    events.secretsRotationRequested.create({
      requestedBy: "script",
      organizationId: org.id,
      batchSize: 1,
    }),
  );
  const view = await waitForRun(
    executorUrl(),
    "rotation-test-rotate-encryption-keys",
    ids[0] ?? "",
    30_000,
  );
  return {
    output: view.output,
    status: view.status,
    steps: view.steps.map((s) => s.name ?? "").filter(Boolean),
  };
}

describe("rotate-encryption-keys (Inngest function through the executor)", () => {
  it("rotates the workspace's secrets in one step per batch and reports counts", async () => {
    const first = await run();
    expect(first.status).toBe("completed");
    expect(first.output).toMatchObject({ scanned: 3, rotated: 3, failed: 0, batches: 6 });
    expect(first.steps).toEqual(
      expect.arrayContaining([
        "integrations-batch-0",
        "integrations-batch-1",
        "integrations-batch-2",
        "llm_settings-batch-0",
        "llm_settings-batch-1",
        "slack_connections-batch-0",
      ]),
    );
    const keys = await asSuperuser<{ k: string }>(
      "select split_part(access_token_enc, '.', 2) as k from public.integrations where id = any($1)",
      [rows],
    );
    expect(keys.map((r) => r.k)).toEqual(["new", "new"]);
    const [llm] = await asSuperuser<{ k: string }>(
      "select split_part(api_key_enc, '.', 2) as k from public.llm_settings where id = $1",
      [llmRow],
    );
    expect(llm?.k).toBe("new");
  });

  it("a second request rotates 0", async () => {
    const second = await run();
    expect(second.output).toMatchObject({ scanned: 3, rotated: 0, failed: 0 });
  });
});
