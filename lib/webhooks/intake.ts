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
  type NewDelivery,
  type RecordOutcome,
  recordDeliveries,
  recordDelivery,
  type TenantRef,
} from "./ledger";
import { MarkSentBatcher } from "./mark-sent-batch";
import { RAZORPAY_SIGNATURE_HEADER, verifyRazorpay } from "./razorpay";
import { RecordBatcher } from "./record-batch";
import { sendDeliveryEvent } from "./send";
import { PhaseTimer } from "./server-timing";
import type { VerifyResult } from "./signature";
import { type Tenant, zendeskTenantByWebhookId } from "./tenants";
import { verifyZendesk, ZENDESK_SIGNATURE_HEADER, ZENDESK_TIMESTAMP_HEADER } from "./zendesk";
import { ZendeskSecretCache } from "./zendesk-secret-cache";

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

let intakeAdmin: Promise<AdminSupabaseClient> | null = null;
/** Zendesk's per-workspace secrets by webhook id, for a minute (why it is safe: the module). */
const zendeskSecrets = new ZendeskSecretCache();
/** Concurrent deliveries' "mark sent" writes, coalesced (why it is safe: the module). */
const sentMarks = new MarkSentBatcher();
/** Concurrent deliveries' recording, one RPC per turn of the event loop (why: the module). */
const records = new RecordBatcher<AdminSupabaseClient, NewDelivery, RecordOutcome>(
  recordDeliveries,
  recordDelivery,
);

/**
 * The intake's admin client, created (and its use recorded in audit_log) once per server process
 * rather than once per delivery: the audit row cost a write on every delivery's critical path,
 * and every delivery is itself recorded in webhook_deliveries (or, refused, logged with its
 * reason). docs/security.md explains the trade. A failed audit write hands out nothing and is
 * retried by the next delivery.
 */
function intakeAdminClient(): Promise<AdminSupabaseClient> {
  intakeAdmin ??= createAdminClient(ADMIN_USE).catch((error: unknown) => {
    intakeAdmin = null;
    throw error;
  });
  return intakeAdmin;
}

const ok = (timer: PhaseTimer, extra: Record<string, unknown> = {}) =>
  Response.json(
    { received: true, ...extra },
    { status: 200, headers: { "Cache-Control": "no-store", "Server-Timing": timer.header() } },
  );

/** One generic answer for every refused signature: no hint of what was wrong. */
const refused = () => errorResponse(new AppError("unauthenticated", "Invalid signature."));

interface Verified {
  result: VerifyResult;
  /** Zendesk: the tenant whose webhook (and secret) signed the delivery. */
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
      return zendeskSecrets.verify(
        webhookId,
        async () => zendeskTenantByWebhookId(await intakeAdminClient(), webhookId),
        (secrets) => verifyZendesk({ body, signature, timestamp, secrets }),
      );
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

function tenantRef(delivery: DescribedDelivery, zendesk: Tenant | undefined): TenantRef {
  const key = delivery.tenant;
  switch (key.kind) {
    case "resolved":
      return zendesk && zendesk.status !== "unknown" && zendesk.integrationId
        ? { kind: "integration", integrationId: zendesk.integrationId }
        : { kind: "none" };
    case "organization":
      return { kind: "organization", organizationId: key.organizationId };
    case "account":
      return delivery.provider === "razorpay"
        ? { kind: "none" }
        : { kind: "account", externalAccountId: key.externalAccountId };
    case "none":
      return { kind: "none" };
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
      ? sentMarks.mark(admin, data.deliveryId, previousAttempts + 1)
      : markSendFailed(admin, data.deliveryId, previousAttempts + 1),
  );
  return sent;
}

/** Handles one delivery for `provider`; every route handler is this call. */
export async function handleWebhook(
  provider: WebhookProvider,
  request: Request,
): Promise<Response> {
  const timer = new PhaseTimer();
  try {
    const raw = await readRawBody(request, BODY_LIMITS[provider]);
    if (!raw.ok) return errorResponse(new AppError("payload_too_large"));
    timer.mark("read");

    const verified = await verify(provider, raw.body, request.headers);
    timer.mark("verify");
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
    timer.mark("parse");

    const admin = await intakeAdminClient();
    const record = await records.record(admin, {
      id: randomUUID(),
      provider,
      providerEventId: delivery.providerEventId,
      eventType: delivery.eventType,
      tenant: tenantRef(delivery, verified.tenant),
      ignoredReason: delivery.ignoredReason ?? null,
      // the database adds organizationId, integrationId and deliveryId (it resolves the tenant);
      // the payload came out of JSON.parse and zod, so it is JSON (the cast only erases its type)
      event: {
        provider,
        providerEventId: delivery.providerEventId,
        eventType: delivery.eventType,
        payload: delivery.payload as unknown as Json,
      },
    });
    timer.mark("record");
    const context = { provider, eventType: delivery.eventType, deliveryId: record.id };

    if (record.status !== "pending") {
      // ignored from the start, or a duplicate of a row already sent or processed: nothing to do
      intakeLog.info(
        record.inserted
          ? { ...context, ignoredReason: record.ignoredReason }
          : { ...context, duplicate: true },
        record.inserted ? "webhook recorded, not processed" : "webhook duplicate",
      );
      return ok(timer, record.inserted ? {} : { duplicate: true });
    }
    // A new live delivery, or a duplicate of one whose first send failed: send it (again; its
    // event id dedupes at Inngest if an earlier send did get through).
    const parsed = webhookDeliveryReceivedData.safeParse(record.eventData);
    if (!parsed.success) {
      // Only a row written under an older event schema can get here; it is ours (recorded), so
      // the provider gets its 200 and the row waits, pending, for a person (the re-send job
      // reports it too). A 5xx would only make the provider retry forever.
      intakeLog.error(context, "pending webhook delivery does not match its event schema");
      return ok(timer, record.inserted ? {} : { duplicate: true });
    }
    const data = parsed.data;
    const sent = await sendAndMark(admin, data, record.sendAttempts);
    timer.mark("send");
    intakeLog.info(
      {
        ...context,
        organizationId: data.organizationId,
        duplicate: !record.inserted,
        sent,
        ms: Math.round(timer.elapsed()),
      },
      sent ? "webhook accepted" : "webhook recorded, event send failed (left pending)",
    );
    return ok(timer, record.inserted ? {} : { duplicate: true });
  } catch (error) {
    // Nothing recorded (or recording failed): a 5xx makes the provider retry. Never 410.
    intakeLog.error({ err: error, provider }, "webhook intake failed");
    return errorResponse(new AppError("unavailable", undefined, { cause: error }));
  }
}
