import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appSecret,
  asSuperuser,
  buildWebhookWorld,
  closeFixtureDb,
  eventually,
  githubPush,
  intercomNotification,
  ledgerRows,
  post,
  razorpayPaymentCaptured,
  type WebhookWorld,
  zendeskTicketCreated,
} from "@/scripts/lib/webhook-fixtures";
import { appUrl } from "./helpers";

/**
 * Webhook intake over real HTTP against `next start` and the devstack (Postgres, REST gateway,
 * Inngest executor): valid deliveries are recorded once and processed, forged ones leave no
 * trace, duplicates change nothing, unknown and disconnected tenants are acknowledged and never
 * processed.
 */

let world: WebhookWorld;
let base: string;
beforeAll(async () => {
  base = appUrl();
  world = await buildWebhookWorld("http");
});
afterAll(closeFixtureDb);

const GENERIC_401 = { error: { code: "unauthenticated", message: "Invalid signature." } };

async function processed(provider: string, eventId: string) {
  return eventually(async () => {
    const [row] = await ledgerRows(provider, eventId);
    return row?.status === "processed" ? row : undefined;
  });
}

describe("webhook intake over HTTP", () => {
  it("GitHub: a signed push is recorded, its integration touched, and processed once", async () => {
    const d = githubPush(world.github.installationId);
    const res = await post(base, d);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    // the handler's phases, for the bench (only a verified delivery's answer has them)
    expect(res.headers.get("server-timing")).toMatch(
      /^read;dur=[\d.]+, verify;dur=[\d.]+, parse;dur=[\d.]+, record;dur=[\d.]+, send;dur=[\d.]+, total;dur=[\d.]+$/,
    );
    const row = await processed("github", d.eventId);
    expect(row).toMatchObject({
      organization_id: world.organizationId,
      integration_id: world.github.integrationId,
      event_type: "push",
      ignored_reason: null,
      event_data: null,
    });
    const [integration] = await asSuperuser<{ last_event_at: Date | null }>(
      "select last_event_at from public.integrations where id = $1",
      [world.github.integrationId],
    );
    expect(integration?.last_event_at).toBeInstanceOf(Date);
  });

  it.each([
    [
      "a wrong secret",
      (d: ReturnType<typeof githubPush>) => ({
        headers: { "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
        body: d.body,
      }),
    ],
    ["no signature", () => ({ headers: { "x-hub-signature-256": "" } })],
    [
      "a changed body",
      (d: ReturnType<typeof githubPush>) => ({ body: d.body.replace("main", "evil") }),
    ],
    [
      "a re-serialised body",
      (d: ReturnType<typeof githubPush>) => ({ body: JSON.stringify(JSON.parse(d.body), null, 1) }),
    ],
  ])("GitHub: %s gets one generic 401 and leaves no row", async (_label, change) => {
    const d = githubPush(world.github.installationId);
    const res = await post(base, d, change(d));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(GENERIC_401);
    expect(res.headers.get("server-timing")).toBeNull();
    expect(await ledgerRows("github", d.eventId)).toEqual([]);
  });

  it("a duplicate is answered 200 and changes nothing", async () => {
    const d = githubPush(world.github.installationId);
    expect((await post(base, d)).status).toBe(200);
    const first = await processed("github", d.eventId);
    const again = await post(base, d);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    const rows = await ledgerRows("github", d.eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.updated_at).toEqual(first.updated_at);
    expect(rows[0]?.status).toBe("processed");
  });

  it("concurrent copies of one delivery record one row", async () => {
    const d = githubPush(world.github.installationId);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => post(base, d)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await ledgerRows("github", d.eventId)).toHaveLength(1);
    await processed("github", d.eventId);
  });

  it("an unknown tenant is acknowledged and recorded as such, never processed", async () => {
    const d = githubPush(987654321);
    expect((await post(base, d)).status).toBe(200);
    expect(await ledgerRows("github", d.eventId)).toMatchObject([
      {
        organization_id: null,
        status: "ignored",
        ignored_reason: "unknown_tenant",
        event_data: null,
      },
    ]);
  });

  it("a disconnected tenant is acknowledged and recorded as such, never processed", async () => {
    const d = githubPush(world.disconnectedGithub.installationId);
    expect((await post(base, d)).status).toBe(200);
    expect(await ledgerRows("github", d.eventId)).toMatchObject([
      {
        organization_id: world.intercom.organizationId,
        status: "ignored",
        ignored_reason: "disconnected",
      },
    ]);
  });

  it("a verified body that is not the provider's shape is a 422, and nothing is recorded", async () => {
    const d = githubPush(world.github.installationId);
    const body = "not json";
    const headers = {
      ...d.headers,
      "x-hub-signature-256": (await import("@/lib/webhooks/github")).signGithub(
        body,
        appSecret("GITHUB_WEBHOOK_SECRET"),
      ),
    };
    const res = await post(base, d, { body, headers });
    expect(res.status).toBe(422);
    expect(await ledgerRows("github", d.eventId)).toEqual([]);
  });

  it("Zendesk: the workspace's secret (and its previous one) verify; the delivery is processed", async () => {
    const d = zendeskTicketCreated(world.zendesk.webhookId, world.zendesk.secret);
    expect((await post(base, d)).status).toBe(200);
    const row = await processed("zendesk", d.eventId);
    expect(row).toMatchObject({
      organization_id: world.organizationId,
      integration_id: world.zendesk.integrationId,
      event_type: "zen:event-type:ticket.created",
    });
    const old = zendeskTicketCreated(world.zendesk.webhookId, world.zendesk.previousSecret);
    expect((await post(base, old)).status).toBe(200);
  });

  it.each([
    [
      "another workspace's secret",
      () => zendeskTicketCreated(world.zendesk.webhookId, "sbx_whsec_other"),
    ],
    [
      "an unknown webhook id",
      () => zendeskTicketCreated(`01ZD${randomUUID().slice(0, 8)}`, world.zendesk.secret),
    ],
    [
      "a timestamp older than 5 minutes",
      () =>
        zendeskTicketCreated(
          world.zendesk.webhookId,
          world.zendesk.secret,
          new Date(Date.now() - 6 * 60_000).toISOString(),
        ),
    ],
  ])("Zendesk: %s gets 401 and leaves no row", async (_label, make) => {
    const d = make();
    const res = await post(base, d);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(GENERIC_401);
    expect(await ledgerRows("zendesk", d.eventId)).toEqual([]);
  });

  it("Intercom: HEAD is 200, ping is acknowledged and not processed, a conversation is", async () => {
    const head = await fetch(`${base}/api/webhooks/intercom`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const ping = intercomNotification(world.intercom.appId, "ping");
    expect((await post(base, ping)).status).toBe(200);
    expect(await ledgerRows("intercom", ping.eventId)).toMatchObject([
      { status: "ignored", ignored_reason: "ping" },
    ]);
    const conv = intercomNotification(world.intercom.appId);
    expect((await post(base, conv)).status).toBe(200);
    expect(await processed("intercom", conv.eventId)).toMatchObject({
      organization_id: world.intercom.organizationId,
      event_type: "conversation.user.created",
    });
    const forged = intercomNotification(world.intercom.appId, "conversation.user.created", "guess");
    const res = await post(base, forged);
    expect(res.status).toBe(401);
    expect(await ledgerRows("intercom", forged.eventId)).toEqual([]);
  });

  it("Razorpay: routed by the subscription notes; without them the tenant is unknown", async () => {
    const known = razorpayPaymentCaptured(world.organizationId);
    expect((await post(base, known)).status).toBe(200);
    expect(await processed("razorpay", known.eventId)).toMatchObject({
      organization_id: world.organizationId,
      event_type: "payment.captured",
    });
    const unknown = razorpayPaymentCaptured(null);
    expect((await post(base, unknown)).status).toBe(200);
    expect(await ledgerRows("razorpay", unknown.eventId)).toMatchObject([
      { status: "ignored", ignored_reason: "unknown_tenant" },
    ]);
  });

  it("a body over the provider's limit is a 413, before any verification", async () => {
    const d = razorpayPaymentCaptured(world.organizationId);
    const res = await post(base, d, { body: "x".repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await ledgerRows("razorpay", d.eventId)).toEqual([]);
  });
});
