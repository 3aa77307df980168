import "server-only";
import { randomUUID } from "node:crypto";
import { after } from "next/server";
import { type WebhookDeliveryReceivedData, webhookDeliveryReceivedData } from "@/inngest/events";
import { serverEnv } from "@/lib/env";
import { AppError, errorResponse, fromZodError } from "@/lib/errors";
import { log } from "@/lib/log";
import { type AdminSupabaseClient, createAdminClient } from "@/lib/supabase/admin";
import type { Json, WebhookProvider } from "@/lib/supabase/database.types";
import { BODY_LIMITS, readRawBody } from "./body";
import {
  type DescribedDelivery,
  type DescribeResult,
  describeGithub,
  describeIntercom,
  describeRazorpay,
  describeZendesk,
} from "./describe";
import { GITHUB_SIGNATURE_HEADER, verifyGithub } from "./github";
import { INTERCOM_SIGNATURE_HEADER, verifyIntercom } from "./intercom";
import {
  markSendFailed,
  markSent,
  pendingEventData,
  recordDelivery,
  touchIntegration,
} from "./ledger";
import { RAZORPAY_SIGNATURE_HEADER, verifyRazorpay } from "./razorpay";
import { sendDeliveryEvent } from "./send";
import type { VerifyResult } from "./signature";
import {
  type Tenant,
  tenantByAccount,
  tenantByOrganization,
  zendeskTenantByWebhookId,
} from "./tenants";
import { verifyZendesk, ZENDESK_SIGNATURE_HEADER, ZENDESK_TIMESTAMP_HEADER } from "./zendesk";

/**
 * One webhook delivery, start to finish, for any provider:
 *   raw bytes (size-limited, 413) → secret (Zendesk: the tenant's, found by webhook id) → verify
 *   (401, nothing written, nothing logged but the reason) → parse with zod (422) → tenant →
 *   record under the unique key (a duplicate answers 200 and changes nothing) → send one Inngest
 *   event → mark sent → 200.
 * If the event cannot be sent the row stays pending, the answer is still 200 (the delivery is
 * safely recorded) and `resend-pending-webhook-deliveries` sends it later.
 */

const intakeLog = log.child({ module: "webhooks.intake" });
const ADMIN_USE = { reason: "webhook-intake", noOrganization: "webhook-intake" } as const;

const ok = (extra: Record<string, unknown> = {}) =>
  Response.json(
    { received: true, ...extra },
    { status: 200, headers: { "Cache-Control": "no-store" } },
  );

/** One generic answer for every refused signature: no hint of what was wrong. */
const refused = () => errorResponse(new AppError("unauthenticated", "Invalid signature."));

interface Verified {
  result: VerifyResult;
  /** The admin client, when the secret lookup already needed one (Zendesk). */
  admin?: AdminSupabaseClient;
  tenant?: Tenant;
}

async function verify(
  provider: WebhookProvider,
  body: Buffer,
  headers: Headers,
): Promise<Verified> {
  const env = serverEnv();
  switch (provider) {
    case "github":
      return {
        result: verifyGithub({
          body,
          signature: headers.get(GITHUB_SIGNATURE_HEADER),
          secrets: [env.GITHUB_WEBHOOK_SECRET, env.GITHUB_WEBHOOK_SECRET_PREVIOUS],
        }),
      };
    case "intercom":
      return {
        result: verifyIntercom({
          body,
          signature: headers.get(INTERCOM_SIGNATURE_HEADER),
          secrets: [env.INTERCOM_CLIENT_SECRET, env.INTERCOM_CLIENT_SECRET_PREVIOUS],
        }),
      };
    case "razorpay":
      return {
        result: verifyRazorpay({
          body,
          signature: headers.get(RAZORPAY_SIGNATURE_HEADER),
          secrets: [env.RAZORPAY_WEBHOOK_SECRET, env.RAZORPAY_WEBHOOK_SECRET_PREVIOUS],
        }),
      };
    case "zendesk": {
      const signature = headers.get(ZENDESK_SIGNATURE_HEADER);
      const timestamp = headers.get(ZENDESK_TIMESTAMP_HEADER);
      const webhookId = headers.get("x-zendesk-webhook-id");
      // Cheap refusals first: no lookup for a request that cannot possibly verify.
      if (!signature) return { result: { ok: false, reason: "missing_signature" } };
      if (!timestamp) return { result: { ok: false, reason: "missing_timestamp" } };
      if (!webhookId || webhookId.length > 200)
        return { result: { ok: false, reason: "no_secret" } };
      const admin = await createAdminClient(ADMIN_USE);
      const { tenant, secrets } = await zendeskTenantByWebhookId(admin, webhookId);
      return { result: verifyZendesk({ body, signature, timestamp, secrets }), admin, tenant };
    }
  }
}

function describeDelivery(
  provider: WebhookProvider,
  json: unknown,
  headers: Headers,
): DescribeResult {
  switch (provider) {
    case "zendesk":
      return describeZendesk(json);
    case "intercom":
      return describeIntercom(json);
    case "github":
      return describeGithub(json, headers);
    case "razorpay":
      return describeRazorpay(json, headers);
  }
}

async function resolveTenant(
  admin: AdminSupabaseClient,
  delivery: DescribedDelivery,
  known: Tenant | undefined,
): Promise<Tenant> {
  const key = delivery.tenant;
  if (key.kind === "resolved") return known ?? { status: "unknown" };
  if (key.kind === "organization") return tenantByOrganization(admin, key.organizationId);
  if (key.kind === "account" && delivery.provider !== "razorpay") {
    return tenantByAccount(admin, delivery.provider, key.externalAccountId);
  }
  return { status: "unknown" };
}

function eventData(
  delivery: DescribedDelivery,
  deliveryId: string,
  tenant: Extract<Tenant, { status: "live" }>,
): WebhookDeliveryReceivedData {
  const common = {
    organizationId: tenant.organizationId,
    deliveryId,
    integrationId: tenant.integrationId,
    providerEventId: delivery.providerEventId,
    eventType: delivery.eventType,
  };
  switch (delivery.provider) {
    case "zendesk":
      return { provider: "zendesk", ...common, payload: delivery.payload };
    case "intercom":
      return { provider: "intercom", ...common, payload: delivery.payload };
    case "github":
      return { provider: "github", ...common, payload: delivery.payload };
    case "razorpay":
      return { provider: "razorpay", ...common, payload: delivery.payload };
  }
}

/**
 * Runs `task` after the response is sent when there is a request scope (Next's `after`), else
 * now. Only for work whose loss is harmless: marking a row sent (a row left pending is re-sent
 * under the same event id, which Inngest drops).
 */
async function afterResponse(task: () => Promise<void>): Promise<void> {
  const guarded = () =>
    task().catch((error) => intakeLog.warn({ err: error }, "webhook bookkeeping failed"));
  try {
    after(guarded);
  } catch {
    await guarded();
  }
}

/** Sends the event; marks the row sent after the response (or leaves it pending on failure). */
async function sendAndMark(
  admin: AdminSupabaseClient,
  data: WebhookDeliveryReceivedData,
  previousAttempts: number,
): Promise<boolean> {
  const sent = await sendDeliveryEvent(data);
  await afterResponse(() =>
    sent
      ? markSent(admin, data.deliveryId, previousAttempts + 1)
      : markSendFailed(admin, data.deliveryId, previousAttempts + 1),
  );
  return sent;
}

/** Handles one delivery for `provider`; every route handler is this call. */
export async function handleWebhook(
  provider: WebhookProvider,
  request: Request,
): Promise<Response> {
  const started = performance.now();
  try {
    const raw = await readRawBody(request, BODY_LIMITS[provider]);
    if (!raw.ok) return errorResponse(new AppError("payload_too_large"));

    const verified = await verify(provider, raw.body, request.headers);
    if (!verified.result.ok) {
      intakeLog.warn({ provider, reason: verified.result.reason }, "webhook refused");
      return refused();
    }

    let json: unknown;
    try {
      json = JSON.parse(raw.body.toString("utf8"));
    } catch {
      return errorResponse(new AppError("validation", "The body is not JSON."));
    }
    const described = describeDelivery(provider, json, request.headers);
    if (!described.ok) {
      const error = described.error;
      return errorResponse(
        typeof error === "string" ? new AppError("validation", error) : fromZodError(error),
      );
    }
    const delivery = described.delivery;

    const admin = verified.admin ?? (await createAdminClient(ADMIN_USE));
    const tenant = await resolveTenant(admin, delivery, verified.tenant);
    const ignoredReason =
      tenant.status === "unknown"
        ? "unknown_tenant"
        : tenant.status === "disconnected"
          ? "disconnected"
          : delivery.ignoredReason;

    const id = randomUUID();
    const data =
      tenant.status === "live" && !ignoredReason ? eventData(delivery, id, tenant) : null;
    const record = await recordDelivery(admin, {
      id,
      provider,
      providerEventId: delivery.providerEventId,
      eventType: delivery.eventType,
      organizationId: tenant.status === "unknown" ? null : tenant.organizationId,
      integrationId: tenant.status === "unknown" ? null : tenant.integrationId,
      status: data ? "pending" : "ignored",
      ignoredReason: data ? null : (ignoredReason ?? "unknown_tenant"),
      eventData: data as unknown as Json,
    });

    const context = { provider, eventType: delivery.eventType, deliveryId: record.id };
    if (!record.inserted) {
      // A duplicate changes nothing, except that a still-pending one (its first send failed) is
      // sent again now; its event id dedupes at Inngest if the first send did get through.
      if (record.status === "pending") {
        const pending = await pendingEventData(admin, record.id);
        const parsed = pending && webhookDeliveryReceivedData.safeParse(pending.eventData);
        if (pending && parsed?.success) await sendAndMark(admin, parsed.data, pending.sendAttempts);
      }
      intakeLog.info({ ...context, duplicate: true }, "webhook duplicate");
      return ok({ duplicate: true });
    }

    // "last event received": alongside the send, not before it
    const touched =
      tenant.status === "live" && tenant.integrationId
        ? touchIntegration(admin, tenant.integrationId)
        : Promise.resolve();
    if (!data) {
      await touched;
      intakeLog.info({ ...context, ignoredReason }, "webhook recorded, not processed");
      return ok();
    }
    const [sent] = await Promise.all([sendAndMark(admin, data, 0), touched]);
    intakeLog.info(
      {
        ...context,
        organizationId: data.organizationId,
        sent,
        ms: Math.round(performance.now() - started),
      },
      sent ? "webhook accepted" : "webhook recorded, event send failed (left pending)",
    );
    return ok();
  } catch (error) {
    // Nothing recorded (or recording failed): a 5xx makes the provider retry. Never 410.
    intakeLog.error({ err: error, provider }, "webhook intake failed");
    return errorResponse(new AppError("unavailable", undefined, { cause: error }));
  }
}
