import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { createKeyring, parseKeys } from "../../lib/crypto/keyring";
import { signGithub } from "../../lib/webhooks/github";
import { signIntercom } from "../../lib/webhooks/intercom";
import { PENDING_GRACE_MS } from "../../lib/webhooks/pending-grace";
import { signRazorpay } from "../../lib/webhooks/razorpay";
import { signZendesk } from "../../lib/webhooks/zendesk";
import { bringCronForward } from "./inngest-harness";
import { readEnvFile } from "./processes";

/**
 * Workspaces, integrations and signed deliveries for the webhook tests and the bench. The secrets
 * are the ones the running app has: from this process's environment, else the devstack env file
 * (the sandboxes write the provider secrets there). A missing one fails loudly: these tests must
 * never pass by not running.
 */

/** The devstack's env file (`<DEVSTACK_HOME>/env`), read once. */
let envCache: Record<string, string> | undefined;
function devstackEnv(): Record<string, string> {
  envCache ??= readEnvFile(path.resolve(process.env.DEVSTACK_HOME ?? ".devstack", "env"));
  return envCache;
}

let pool: pg.Pool | undefined;
function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: devstackEnv().DB_URL, max: 4 });
  return pool;
}

/** Closes this module's database pool (call once, at the end). */
export async function closeFixtureDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export async function asSuperuser<R>(sql: string, params: unknown[] = []): Promise<R[]> {
  return (await db().query(sql, params)).rows as R[];
}

/** An auth user created as the auth service would (unique address). */
async function createUser(label: string): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = `${label}-${id.slice(0, 8)}@webhooks.test`;
  await asSuperuser(
    `insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
       raw_user_meta_data, created_at, updated_at)
     values ($1, 'authenticated', 'authenticated', $2, now(),
       '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
    [id, email],
  );
  return { id, email };
}

/** One statement as a signed-in user, the way PostgREST runs it (RLS and grants apply). */
async function asOk<R>(user: { id: string; email: string }, sql: string, params: unknown[]) {
  const client = await db().connect();
  try {
    await client.query("begin");
    await client.query("set local role authenticated");
    await client.query("select set_config('request.jwt.claims', $1, true)", [
      JSON.stringify({
        sub: user.id,
        role: "authenticated",
        aud: "authenticated",
        email: user.email,
        aal: "aal1",
      }),
    ]);
    const result = await client.query(sql, params);
    await client.query("commit");
    return result.rows as R[];
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export function appSecret(name: string): string {
  const value = process.env[name] ?? devstackEnv()[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the webhook tests need the secret the app under test was started with ` +
        "(devstack env file, or this process's environment).",
    );
  }
  return value;
}

export interface WebhookWorld {
  organizationId: string;
  zendesk: { integrationId: string; webhookId: string; secret: string; previousSecret: string };
  intercom: { integrationId: string; appId: string; organizationId: string };
  github: { integrationId: string; installationId: number };
  disconnectedGithub: { installationId: number };
}

const digits = () => String(Math.floor(Math.random() * 9e9) + 1e9);

/** One workspace with Zendesk (secret + previous), Intercom and GitHub connected. */
export async function buildWebhookWorld(label: string): Promise<WebhookWorld> {
  const suffix = randomUUID().slice(0, 8);
  const owner = await createUser(`wh-${label}`);
  const create = "select id from public.create_organization($1, $2)";
  const [org] = await asOk<{ id: string }>(owner, create, [
    `Webhooks ${label}`,
    `wh-${label}-${suffix}`.slice(0, 40),
  ]);
  const [other] = await asOk<{ id: string }>(owner, create, [
    `Webhooks ${label} two`,
    `wh-${label}-two-${suffix}`.slice(0, 40),
  ]);
  if (!org || !other) throw new Error("organizations not created");
  const keyring = createKeyring(parseKeys(appSecret("ENCRYPTION_KEYS")));

  const zendeskId = randomUUID();
  const webhookId = `01ZD${randomUUID().replaceAll("-", "").slice(0, 22).toUpperCase()}`;
  const secret = `sbx_whsec_${randomUUID()}`;
  const previousSecret = `sbx_whsec_${randomUUID()}`;
  const place = { organizationId: org.id, table: "integrations", rowId: zendeskId };
  await asSuperuser(
    `insert into public.integrations (id, organization_id, provider, external_account_id,
       provider_webhook_id, webhook_secret_enc, previous_webhook_secret_enc,
       previous_webhook_secret_expires_at)
     values ($1, $2, 'zendesk', $3, $4, $5, $6, now() + interval '1 day')`,
    [
      zendeskId,
      org.id,
      `acme-${suffix}`,
      webhookId,
      keyring.encrypt(secret, { ...place, column: "webhook_secret_enc" }),
      keyring.encrypt(previousSecret, { ...place, column: "previous_webhook_secret_enc" }),
    ],
  );
  // Zendesk and Intercom are both support tools (one live per workspace): Intercom is the
  // second workspace's, which also holds a disconnected GitHub installation.
  const appId = `app${suffix}`;
  const [intercom] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id)
     values ($1, 'intercom', $2) returning id`,
    [other.id, appId],
  );
  const installationId = Number(digits());
  const [github] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id)
     values ($1, 'github', $2) returning id`,
    [org.id, String(installationId)],
  );
  const disconnectedInstallation = Number(digits());
  await asSuperuser(
    `insert into public.integrations (organization_id, provider, external_account_id, status, disconnected_at)
     values ($1, 'github', $2, 'disconnected', now())`,
    [other.id, String(disconnectedInstallation)],
  );
  if (!intercom || !github) throw new Error("integrations not created");
  return {
    organizationId: org.id,
    zendesk: { integrationId: zendeskId, webhookId, secret, previousSecret },
    intercom: { integrationId: intercom.id, appId, organizationId: other.id },
    github: { integrationId: github.id, installationId },
    disconnectedGithub: { installationId: disconnectedInstallation },
  };
}

export interface SignedDelivery {
  provider: "zendesk" | "intercom" | "github" | "razorpay";
  eventId: string;
  body: string;
  headers: Record<string, string>;
}

const sha = () => randomUUID().replaceAll("-", "").padEnd(40, "0").slice(0, 40);

export function githubPush(
  installationId: number,
  secret = appSecret("GITHUB_WEBHOOK_SECRET"),
): SignedDelivery {
  const eventId = randomUUID();
  const body = JSON.stringify({
    ref: "refs/heads/main",
    before: sha(),
    after: sha(),
    repository: { id: 4242, full_name: "acme/shop", default_branch: "main", private: true },
    installation: { id: installationId },
    commits: [{ id: sha(), message: "Fix checkout total" }],
  });
  return {
    provider: "github",
    eventId,
    body,
    headers: {
      "x-github-event": "push",
      "x-github-delivery": eventId,
      "x-hub-signature-256": signGithub(body, secret),
    },
  };
}

export function zendeskTicketCreated(
  webhookId: string,
  secret: string,
  timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
): SignedDelivery {
  const eventId = randomUUID();
  const body = JSON.stringify({
    account_id: 123456,
    detail: { id: "35", subject: "Checkout total is wrong", description: "It adds tax twice" },
    event: {},
    id: eventId,
    subject: "zen:ticket:35",
    time: timestamp,
    type: "zen:event-type:ticket.created",
    zendesk_event_version: "2022-11-06",
  });
  const signed = signZendesk(body, secret, timestamp);
  return {
    provider: "zendesk",
    eventId,
    body,
    headers: {
      "x-zendesk-webhook-id": webhookId,
      "x-zendesk-webhook-signature": signed.signature,
      "x-zendesk-webhook-signature-timestamp": timestamp,
      "x-zendesk-account-id": "123456",
    },
  };
}

export function intercomNotification(
  appId: string,
  topic = "conversation.user.created",
  secret = appSecret("INTERCOM_CLIENT_SECRET"),
): SignedDelivery {
  const eventId = `notif_${randomUUID()}`;
  const body = JSON.stringify({
    type: "notification_event",
    app_id: appId,
    id: eventId,
    topic,
    created_at: Math.floor(Date.now() / 1000),
    data: { type: "notification_event_data", item: { type: "conversation", id: "77" } },
  });
  return {
    provider: "intercom",
    eventId,
    body,
    headers: { "x-hub-signature": signIntercom(body, secret) },
  };
}

export function razorpayPaymentCaptured(
  organizationId: string | null,
  secret = appSecret("RAZORPAY_WEBHOOK_SECRET"),
): SignedDelivery {
  const eventId = `evt_${randomUUID().replaceAll("-", "").slice(0, 14)}`;
  const body = JSON.stringify({
    entity: "event",
    account_id: "acc_sbx",
    event: "payment.captured",
    contains: ["payment"],
    payload: {
      payment: {
        entity: {
          id: `pay_${eventId.slice(4)}`,
          amount: 49900,
          currency: "INR",
          notes: organizationId ? { organization_id: organizationId } : [],
        },
      },
    },
    created_at: Math.floor(Date.now() / 1000),
  });
  return {
    provider: "razorpay",
    eventId,
    body,
    headers: { "x-razorpay-signature": signRazorpay(body, secret), "x-razorpay-event-id": eventId },
  };
}

/** POSTs a delivery to the app the way the provider would (raw bytes, JSON content type). */
export function post(baseUrl: string, d: SignedDelivery, over: Partial<SignedDelivery> = {}) {
  const headers = { "content-type": "application/json", ...d.headers, ...over.headers };
  return fetch(`${baseUrl}/api/webhooks/${d.provider}`, {
    method: "POST",
    headers,
    body: over.body ?? d.body,
  });
}

export interface LedgerRow {
  id: string;
  organization_id: string | null;
  integration_id: string | null;
  status: string;
  ignored_reason: string | null;
  event_type: string;
  event_data: unknown;
  updated_at: Date;
}

export async function ledgerRows(provider: string, eventId: string): Promise<LedgerRow[]> {
  return asSuperuser<LedgerRow>(
    "select * from public.webhook_deliveries where provider = $1 and provider_event_id = $2",
    [provider, eventId],
  );
}

/** Polls until `check` returns a value (or fails after `ms`). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A nudge for the pending-delivery re-send sweep, for runs that cannot sit through its minute:
 * each call (at most every 10 s) brings the sweep's next tick forward on the executor database
 * `executorDb` once some pending row of `organizationIds` is past the sweep's grace, so the
 * sweep still does the recovering, through the executor's own cron path.
 */
export function resendSweepNudge(
  executorDb: Parameters<typeof bringCronForward>[0],
  organizationIds: string[],
): () => Promise<void> {
  let nudgedAt = 0;
  return async () => {
    if (Date.now() - nudgedAt < 10_000) return;
    const [due] = await asSuperuser<{ n: number }>(
      `select count(*)::int as n from public.webhook_deliveries
        where organization_id = any($1) and status = 'pending' and received_at < $2`,
      [organizationIds, new Date(Date.now() - PENDING_GRACE_MS)],
    );
    if ((due?.n ?? 0) === 0) return;
    await bringCronForward(executorDb, "resend-pending-webhook-deliveries");
    nudgedAt = Date.now();
  };
}
