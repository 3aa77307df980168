import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKeyring, parseKeys } from "@/lib/crypto/keyring";
import { signIntercom } from "@/lib/webhooks/intercom";
import { serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control, formFields, postForm, sandbox } from "@/tests/integration/sandboxes/helpers";
import { KEYS, newWorkspace, releaseSharedSandboxAccounts, usePipelineEnv } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * An Intercom conversation through the chain: a notification signed with the app's client
 * secret goes through the real intake; the intake function reads the conversation from the
 * Intercom sandbox with the workspace's token (admin note dropped), and with no repository
 * indexed yet the bug waits in review for mapping, unbilled.
 */

const APP_ID = "pipeline-intercom-test";
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let handleWebhook: typeof import("@/lib/webhooks/intake").handleWebhook;
let organizationId: string;
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

async function intercomToken(): Promise<string> {
  const env = devstackEnv();
  const q = new URLSearchParams({
    client_id: env.INTERCOM_CLIENT_ID ?? "",
    redirect_uri: `${env.NEXT_PUBLIC_SITE_URL}/api/integrations/intercom/callback`,
    state: "pl-ic",
  });
  const page = await (await fetch(sandbox(`/intercom/app/oauth?${q}`))).text();
  const allowed = await postForm(sandbox("/intercom/app/oauth"), {
    ...formFields(page),
    decision: "allow",
  });
  const code = new URL(allowed.headers.get("location") ?? "").searchParams.get("code");
  const res = await fetch(`${env.INTERCOM_API_BASE}/auth/eagle/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      code,
      client_id: env.INTERCOM_CLIENT_ID,
      client_secret: env.INTERCOM_CLIENT_SECRET,
    }),
  });
  const { token } = (await res.json()) as { token?: string };
  if (!token) throw new Error(`no Intercom token (HTTP ${res.status})`);
  return token;
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  ({ handleWebhook } = await import("@/lib/webhooks/intake"));
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [ingest, processing] = await Promise.all([
    import("@/inngest/functions/ingest-support-ticket"),
    import("@/inngest/functions/process-ticket"),
  ]);
  app = await serveApp(inngest, [
    ingest.defineIngestSupportTicket(inngest),
    processing.defineProcessTicket(inngest),
  ]);
  await syncApp(executorUrl(), app.url);

  organizationId = await newWorkspace("intercom");
  const appId = devstackEnv().INTERCOM_APP_ID ?? "";
  // the sandbox's one Intercom app belongs to one workspace at a time
  await asSuperuser(
    `update public.integrations set status = 'disconnected', access_token_enc = null,
       refresh_token_enc = null, webhook_secret_enc = null, disconnected_at = now()
     where provider = 'intercom' and external_account_id = $1 and status <> 'disconnected'`,
    [appId],
  );
  const id = randomUUID();
  const keyring = createKeyring(parseKeys(KEYS));
  await asSuperuser(
    `insert into public.integrations (id, organization_id, provider, external_account_id,
       access_token_enc, connected_at)
     values ($1, $2, 'intercom', $3, $4, now())`,
    [
      id,
      organizationId,
      appId,
      keyring.encrypt(await intercomToken(), {
        organizationId,
        table: "integrations",
        rowId: id,
        column: "access_token_enc",
      }),
    ],
  );
}, 120_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
});

describe("Intercom conversation → bug", () => {
  it("stores the public thread and holds the bug for mapping when nothing is indexed", async () => {
    const made = await control<{ conversation: Record<string, unknown> & { id: string } }>(
      "POST",
      "/intercom/conversations",
      {
        body: "When I export orders to CSV, rows whose address has a comma get their columns shifted: the total ends up under the country column. Steps: 1. Open Orders 2. Click Export CSV 3. Open the file. Expected each value in its column, but the columns are shifted.",
        contact: { name: "Robin", email: "robin@customer.example" },
      },
    );
    expect(made.status).toBe(201);
    const conversationId = made.json.conversation.id;
    // an internal note must never be stored
    const admins = (await (
      await fetch(`${devstackEnv().INTERCOM_API_BASE}/admins`, {
        headers: { authorization: `Bearer ${await intercomToken()}` },
      })
    ).json()) as { admins: Array<{ id: string }> };
    const noted = await fetch(
      `${devstackEnv().INTERCOM_API_BASE}/conversations/${conversationId}/reply`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${await intercomToken()}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          message_type: "note",
          type: "admin",
          admin_id: admins.admins[0]?.id,
          body: "internal: customer is on the legacy plan",
        }),
      },
    );
    expect(noted.status).toBe(200);
    const conversation = (await (
      await fetch(`${devstackEnv().INTERCOM_API_BASE}/conversations/${conversationId}`, {
        headers: { authorization: `Bearer ${await intercomToken()}` },
      })
    ).json()) as Record<string, unknown>;

    // the provider gives the note to us; the converter must drop it
    expect(JSON.stringify(conversation)).toContain("legacy plan");
    const body = JSON.stringify({
      type: "notification_event",
      app_id: devstackEnv().INTERCOM_APP_ID,
      id: `notif_${randomUUID()}`,
      topic: "conversation.user.created",
      created_at: Math.floor(Date.now() / 1000),
      data: { type: "notification_event_data", item: conversation },
    });
    const res = await handleWebhook(
      "intercom",
      new Request("http://localhost/api/webhooks/intercom", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature": signIntercom(body, process.env.INTERCOM_CLIENT_SECRET ?? ""),
        },
        body,
      }),
    );
    expect(res.status).toBe(200);

    const ticket = await waitFor(
      async () => {
        const [row] = await asSuperuser<{ id: string; status: string }>(
          `select id, status from public.tickets
            where organization_id = $1 and provider = 'intercom' and external_id = $2`,
          [organizationId, conversationId],
        );
        return row && row.status !== "received" ? row : undefined;
      },
      30_000,
      "the conversation processed",
    );
    expect(ticket.status).toBe("review");
    const messages = await asSuperuser<{ author_role: string; body: string }>(
      "select author_role, body from public.ticket_messages where ticket_id = $1 order by position",
      [ticket.id],
    );
    expect(messages[0]?.author_role).toBe("customer");
    expect(messages.some((m) => m.body.includes("legacy plan"))).toBe(false);
    const items = await asSuperuser<{ gate: string; reason: string; billed_at: Date | null }>(
      `select r.gate, r.reason, b.billed_at from public.review_items r
         join public.bugs b on b.id = r.bug_id where r.ticket_id = $1`,
      [ticket.id],
    );
    expect(items.find((i) => i.gate === "mapping")?.reason).toMatch(/No repository is indexed/);
    expect(items.every((i) => i.billed_at === null)).toBe(true);
  }, 60_000);
});
