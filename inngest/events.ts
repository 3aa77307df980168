import { eventType } from "inngest";
import { z } from "zod";
import {
  githubPayload,
  intercomPayload,
  razorpayPayload,
  zendeskPayload,
} from "@/lib/webhooks/payloads";

/**
 * Every event the app sends or receives, with its zod schema. Producers and consumers import the
 * same definition. Names are `<area>/<noun>.<past-verb>`; every payload carries `organizationId`,
 * the key concurrency and tenant scoping use.
 */

export const pingRequestedData = z.object({
  organizationId: z.uuid(),
  /** Echoed back unchanged; short, never ticket text. */
  message: z.string().min(1).max(200),
});
export type PingRequestedData = z.infer<typeof pingRequestedData>;

/** A health check of the background-job path: the app's event reaches a function and returns. */
export const pingRequested = eventType("app/ping.requested", { schema: pingRequestedData });

// ── Webhook intake (lib/webhooks, app/api/webhooks) ─────────────────────────────────────────

const webhookDeliveryCommon = {
  organizationId: z.uuid(),
  /** The ledger row (public.webhook_deliveries); consumers mark it processed. */
  deliveryId: z.uuid(),
  /** The integration the delivery was routed to (none for Razorpay). */
  integrationId: z.uuid().nullable(),
  providerEventId: z.string().min(1).max(200),
  /** zen:event-type:ticket.created, conversation.user.replied, push, payment.captured, … */
  eventType: z.string().min(1).max(200),
};

export const webhookDeliveryReceivedData = z.discriminatedUnion("provider", [
  z.object({
    provider: z.literal("zendesk"),
    ...webhookDeliveryCommon,
    payload: zendeskPayload,
  }),
  z.object({
    provider: z.literal("intercom"),
    ...webhookDeliveryCommon,
    payload: intercomPayload,
  }),
  z.object({ provider: z.literal("github"), ...webhookDeliveryCommon, payload: githubPayload }),
  z.object({
    provider: z.literal("razorpay"),
    ...webhookDeliveryCommon,
    payload: razorpayPayload,
  }),
]);
export type WebhookDeliveryReceivedData = z.infer<typeof webhookDeliveryReceivedData>;

/**
 * A verified, deduplicated webhook delivery for a known, connected workspace. Sent by the intake
 * route (and re-sent by `resend-pending-webhook-deliveries`) with the event id
 * `webhook-delivery:<deliveryId>`, so a re-send is dropped by Inngest's event dedupe.
 */
export const webhookDeliveryReceived = eventType("webhook/delivery.received", {
  schema: webhookDeliveryReceivedData,
});

export const secretsRotationRequestedData = z.object({
  /** Limit the rotation to one workspace (the admin-only setting); absent: every workspace. */
  organizationId: z.uuid().optional(),
  /** Who asked: "script" (npm run rotate-keys) or the id of the admin who pressed the button. */
  requestedBy: z.union([z.literal("script"), z.uuid()]),
  /** Rows per batch (one step each); 100 when absent. */
  batchSize: z.number().int().min(1).max(500).optional(),
});
export type SecretsRotationRequestedData = z.infer<typeof secretsRotationRequestedData>;

/**
 * Re-encrypt every secret still on an old key with the active one (ENCRYPTION_KEYS' first key).
 * Carries no secret; the function reports counts only.
 */
export const secretsRotationRequested = eventType("secrets/rotation.requested", {
  schema: secretsRotationRequestedData,
});

// ── Pipeline (lib/pipeline/jobs, docs/pipeline.md) ──────────────────────────────────────────

export const ticketReceivedData = z.object({
  organizationId: z.uuid(),
  /** The stored ticket (public.tickets); the thread is read from public.ticket_messages. */
  ticketId: z.uuid(),
  /** What asked for processing: a provider delivery, or a person re-opening the ticket. */
  cause: z.enum(["delivery", "reprocess"]),
});
export type TicketReceivedData = z.infer<typeof ticketReceivedData>;

/**
 * A ticket and its public thread were stored (or re-stored after an update). Sent by the ticket
 * intake function with the event id `ticket-received:<ticketId>:<thread fingerprint>`, so the same
 * thread is processed once however often its delivery is retried, and a new comment processes
 * it again. Carries ids only, never ticket text.
 */
export const ticketReceived = eventType("ticket/received", { schema: ticketReceivedData });

export const repositorySelectedData = z.object({
  organizationId: z.uuid(),
  /** The selected repository (public.integration_repositories). */
  repositoryId: z.uuid(),
});
export type RepositorySelectedData = z.infer<typeof repositorySelectedData>;

/**
 * A workspace selected a repository for mapping: index its default branch at its head commit.
 * Sent by the repository selection (Settings → Integrations) and by the demo seed.
 */
export const repositorySelected = eventType("repository/selected", {
  schema: repositorySelectedData,
});

export const repositoryPushedData = z.object({
  organizationId: z.uuid(),
  repositoryId: z.uuid(),
  /** The new head of the default branch. */
  after: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
});
export type RepositoryPushedData = z.infer<typeof repositoryPushedData>;

/**
 * The default branch of a selected repository moved (a GitHub push): re-index the changed files.
 * Event id `repository-pushed:<repositoryId>:<after>`.
 */
export const repositoryPushed = eventType("repository/pushed", { schema: repositoryPushedData });

export const bugEditedData = z.object({
  organizationId: z.uuid(),
  bugId: z.uuid(),
  /** The bug's edited_at after the save (the database stamps it): names the edit re-mapped. */
  editedAt: z.iso.datetime({ offset: true }),
});
export type BugEditedData = z.infer<typeof bugEditedData>;

/**
 * A person saved corrections to a bug's fields: re-map it with the edited text (`remap-bug`).
 * Sent by the bug page's action with the event id `bug-edited:<bugId>:<editedAt>`, so a
 * double-submitted form re-maps once and every later edit re-maps again. Ids only, no text.
 */
export const bugEdited = eventType("bug/edited", { schema: bugEditedData });

// ── Fixes: the customer RCA (lib/fixes/rca-jobs) ─────────────────────────────────────────────

export const rcaDraftRequestedData = z.object({
  organizationId: z.uuid(),
  bugId: z.uuid(),
  /** Sent for a merge the pull_requests row may not show yet. */
  mergedNow: z.boolean().optional(),
});
export type RcaDraftRequestedData = z.infer<typeof rcaDraftRequestedData>;

/** Draft the bug's customer RCA offline if it qualifies (`draft-rca`). Ids only. */
export const rcaDraftRequested = eventType("rca/draft.requested", {
  schema: rcaDraftRequestedData,
});

export const rcaPublishRequestedData = z.object({
  organizationId: z.uuid(),
  bugId: z.uuid(),
  /**
   * What asked: deploy detection shipped the fix, a person approved, or a person asked to
   * "publish update" (the only cause that posts an edit made after publishing).
   */
  cause: z.enum(["deploy", "approved", "publish_update"]),
});
export type RcaPublishRequestedData = z.infer<typeof rcaPublishRequestedData>;

/**
 * Publish the bug's RCA to its linked tickets if it may go out now (`publish-rca`). Sent by the
 * deploy consumer (event id `rca-publish:<bugId>:<deployment>:<sha>`) and by the RCA panel.
 */
export const rcaPublishRequested = eventType("rca/publish.requested", {
  schema: rcaPublishRequestedData,
});

// ── Fix attempts (issue 17, lib/fixes/attempts) ─────────────────────────────────────────────

export const bugMappedData = z.object({ organizationId: z.uuid(), bugId: z.uuid() });
export type BugMappedData = z.infer<typeof bugMappedData>;

/**
 * A ticket's processing made a new Mapped Bug (sent by `process-ticket`, event id
 * `bug-mapped:<bugId>`): `fix-attempt` starts one on its own when the mapping confidence is at or
 * above the workspace's auto-fix threshold and an LLM provider is set. Ids only.
 */
export const bugMapped = eventType("bug/mapped", { schema: bugMappedData });

export const fixAttemptRequestedData = z.object({
  organizationId: z.uuid(),
  bugId: z.uuid(),
  /** The queued public.fix_attempts row (a person's click inserts it under RLS). */
  attemptId: z.uuid(),
});
export type FixAttemptRequestedData = z.infer<typeof fixAttemptRequestedData>;

/** A person asked for a fix from the bug page (event id `fix-attempt:<attemptId>`). */
export const fixAttemptRequested = eventType("fix/attempt.requested", {
  schema: fixAttemptRequestedData,
});

// ── Billing (lib/billing, docs/billing.md) ──────────────────────────────────────────────────

export const billingActionNeededData = z.object({
  organizationId: z.uuid(),
  /** What the owners and admins must do something about. */
  reason: z.enum(["payment_failed", "halted"]),
  /** The Razorpay subscription concerned (an id, never card data). */
  razorpaySubscriptionId: z.string().min(1).max(100).nullable(),
  /** When Razorpay reported it (the event's created_at). */
  occurredAt: z.iso.datetime({ offset: true }),
});
export type BillingActionNeededData = z.infer<typeof billingActionNeededData>;

/**
 * A payment failed or the subscription halted: owners and admins must update the payment method
 * on Razorpay. Sent by `razorpay-subscription-events` with the event id
 * `billing-action-needed:<deliveryId>`, so a replayed delivery is told once; the notifications
 * consume it (admin-only). `subscriptions.action_needed` holds the same state for the page.
 */
export const billingActionNeeded = eventType("billing/action.needed", {
  schema: billingActionNeededData,
});
