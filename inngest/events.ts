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

export const vocabularyCorrectedData = z.object({
  organizationId: z.uuid(),
  /** The bug whose correction it was (a location marked mismapped, a fix merged). */
  bugId: z.uuid(),
});
export type VocabularyCorrectedData = z.infer<typeof vocabularyCorrectedData>;

/**
 * A person's judgment changed what a workspace's vocabulary learns from (a location marked or
 * unmarked mismapped): `relearn-vocabulary` learns the workspace's tables again, debounced per
 * workspace. Merged fixes reach it through the `pull_request.closed` delivery. Ids only.
 */
export const vocabularyCorrected = eventType("vocabulary/corrected", {
  schema: vocabularyCorrectedData,
});

export const ownersRequestedData = z.object({
  organizationId: z.uuid(),
  repositoryId: z.uuid(),
});
export type OwnersRequestedData = z.infer<typeof ownersRequestedData>;

/**
 * A person asked on the Codebase page for a repository's owners to be synthesised now (at the
 * default branch's head). Not debounced, unlike pushes: someone is watching the progress.
 */
export const ownersRequested = eventType("repository/owners.requested", {
  schema: ownersRequestedData,
});

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
  reason: z.enum(["payment_failed", "halted", "trial_ending", "trial_ended", "refund_failed"]),
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

export const trialNoticesRequestedData = z.object({});

/**
 * Look for trials to tell about now (notify-trial-ending also runs hourly by cron): lets a test or
 * an operator run the sweep without waiting for the hour.
 */
export const trialNoticesRequested = eventType("billing/trial-notices.requested", {
  schema: trialNoticesRequestedData,
});

export const dailyDigestRequestedData = z.object({});

/**
 * Send today's digests now (notify-daily-digest also runs daily by cron): for a test or an
 * operator. Idempotent per person, workspace and UTC day, so an extra run sends nothing new.
 */
export const dailyDigestRequested = eventType("notifications/daily-digest.requested", {
  schema: dailyDigestRequestedData,
});

// ── Notifications (lib/notifications, docs/notifications.md) ────────────────────────────────
// Domain events the notify-* functions turn into in-app rows and emails. Ids and small facts
// only: never ticket text, never a secret.

export const bugCreatedData = z.object({
  organizationId: z.uuid(),
  bugId: z.uuid(),
});
export type BugCreatedData = z.infer<typeof bugCreatedData>;

/**
 * The pipeline stored a new bug (mapped, held over allowance, or in review). Sent by
 * `process-ticket` with the event id `bug-created:<bugId>`. The notifier reads its severity and
 * status: a critical bug is told as "critical bug", any other as "new bug".
 */
export const bugCreated = eventType("bug/created", { schema: bugCreatedData });

export const bugStatusChangedData = z.object({
  organizationId: z.uuid(),
  bugId: z.uuid(),
  from: z.enum(["mapped", "review", "dismissed", "held"]),
  to: z.enum(["mapped", "review", "dismissed", "held"]),
  /** When it changed (names the occurrence: the same change sent twice is told once). */
  changedAt: z.iso.datetime({ offset: true }),
});
export type BugStatusChangedData = z.infer<typeof bugStatusChangedData>;

/**
 * A bug's status changed after it was created: a reviewer accepted or dismissed it, a held bug
 * was released. Event id `bug-status-changed:<bugId>:<to>:<changedAt>`.
 */
export const bugStatusChanged = eventType("bug/status.changed", { schema: bugStatusChangedData });

export const pipelineTicketFailedData = z.object({
  organizationId: z.uuid(),
  ticketId: z.uuid(),
});
export type PipelineTicketFailedData = z.infer<typeof pipelineTicketFailedData>;

/**
 * `process-ticket` gave up on a ticket after its retries (its onFailure handler). Event id
 * `pipeline-ticket-failed:<ticketId>:<run id>`. Admin-only notification.
 */
export const pipelineTicketFailed = eventType("pipeline/ticket.failed", {
  schema: pipelineTicketFailedData,
});

export const usageWarningRaisedData = z.object({
  organizationId: z.uuid(),
  /** The public.usage_warnings row (raised by the meter trigger). */
  warningId: z.uuid(),
  threshold: z.union([z.literal(80), z.literal(100)]),
});
export type UsageWarningRaisedData = z.infer<typeof usageWarningRaisedData>;

/**
 * The meter recorded an 80% or 100% warning. Sent by `notify-usage-warnings`, which claims the
 * rows the trigger wrote, with the event id `usage-warning:<warningId>`. Admin-only notification.
 */
export const usageWarningRaised = eventType("billing/usage.warned", {
  schema: usageWarningRaisedData,
});

export const integrationDisconnectedData = z.object({
  organizationId: z.uuid(),
  integrationId: z.uuid(),
  provider: z.enum(["zendesk", "intercom", "github"]),
  /** When the integration stopped working (names the occurrence). */
  at: z.iso.datetime({ offset: true }),
});
export type IntegrationDisconnectedData = z.infer<typeof integrationDisconnectedData>;

/**
 * An integration stopped working without anyone disconnecting it: its token refresh was refused
 * or the GitHub App was suspended or uninstalled. Event id
 * `integration-disconnected:<integrationId>:<at>`. Admin-only notification.
 */
export const integrationDisconnected = eventType("integration/connection.lost", {
  schema: integrationDisconnectedData,
});

export const rcaPublishedData = z.object({
  organizationId: z.uuid(),
  rcaId: z.uuid(),
  bugId: z.uuid(),
});
export type RcaPublishedData = z.infer<typeof rcaPublishedData>;

/** An RCA was posted to its bug's tickets. Event id `rca-published:<rcaId>:<version>`. */
export const rcaPublished = eventType("rca/report.published", { schema: rcaPublishedData });

export const bugPullRequestChangedData = z.object({
  organizationId: z.uuid(),
  bugId: z.uuid(),
  /** The GitHub delivery that changed it (the event id is `bug-pr-changed:<bugId>:<deliveryId>`). */
  deliveryId: z.string().min(1).max(200),
});
export type BugPullRequestChangedData = z.infer<typeof bugPullRequestChangedData>;

/**
 * A bug's fix pull request changed state (CI, review, open/merged), recorded by
 * `github-pr-activity`. `slack-update-bug-message` edits the bug's Slack message in place.
 */
export const bugPullRequestChanged = eventType("bug/pull-request.changed", {
  schema: bugPullRequestChangedData,
});
