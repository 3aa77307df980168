import "server-only";
import {
  billingActionNeededData,
  bugCreatedData,
  bugStatusChangedData,
  integrationDisconnectedData,
  pipelineTicketFailedData,
  rcaPublishedData,
  usageWarningRaisedData,
} from "@/inngest/events";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { NotificationEventType } from "./catalog";
import type { NotificationPayload } from "./messages";

/**
 * One thing that happened, as the notifier sees it: which workspace, which catalog event, a key
 * naming the occurrence (the idempotency key of every row and message it produces: one per
 * recipient and channel however often the domain event is delivered or the job retried), and a
 * payload of ids and small facts.
 */
export interface Occurrence {
  organizationId: string;
  type: NotificationEventType;
  key: string;
  payload: NotificationPayload;
}

/** The domain events the notifier listens to (inngest/events.ts). */
export const NOTIFIED_EVENT_NAMES = [
  "bug/created",
  "bug/status.changed",
  "pipeline/ticket.failed",
  "billing/usage.warned",
  "integration/connection.lost",
  "billing/action.needed",
  "rca/report.published",
] as const;
export type NotifiedEventName = (typeof NOTIFIED_EVENT_NAMES)[number];

/**
 * The occurrence a domain event stands for, or null when there is nothing to tell (the bug is
 * gone). A new bug is read for its severity and status: critical bugs are told as such.
 */
export async function describeEvent(
  admin: AdminSupabaseClient,
  name: string,
  data: unknown,
): Promise<Occurrence | null> {
  switch (name) {
    case "bug/created": {
      const d = bugCreatedData.parse(data);
      const { data: bug, error } = await admin
        .from("bugs")
        .select("severity, status")
        .eq("organization_id", d.organizationId)
        .eq("id", d.bugId)
        .maybeSingle();
      if (error) throw new Error(`read bug: ${error.code ?? error.message}`);
      if (!bug) return null;
      const type = bug.severity === "critical" ? "critical_bug" : "bug_created";
      return {
        organizationId: d.organizationId,
        type,
        key: `${type}:${d.bugId}`,
        payload: { bugId: d.bugId, severity: bug.severity, status: bug.status },
      };
    }
    case "bug/status.changed": {
      const d = bugStatusChangedData.parse(data);
      return {
        organizationId: d.organizationId,
        type: "bug_status_changed",
        key: `bug_status_changed:${d.bugId}:${d.to}:${d.changedAt}`,
        payload: { bugId: d.bugId, from: d.from, to: d.to },
      };
    }
    case "pipeline/ticket.failed": {
      const d = pipelineTicketFailedData.parse(data);
      return {
        organizationId: d.organizationId,
        type: "pipeline_failed",
        key: `pipeline_failed:${d.ticketId}`,
        payload: { ticketId: d.ticketId },
      };
    }
    case "billing/usage.warned": {
      const d = usageWarningRaisedData.parse(data);
      return {
        organizationId: d.organizationId,
        type: "usage_warning",
        key: `usage_warning:${d.warningId}`,
        payload: { warningId: d.warningId, threshold: d.threshold },
      };
    }
    case "integration/connection.lost": {
      const d = integrationDisconnectedData.parse(data);
      return {
        organizationId: d.organizationId,
        type: "integration_disconnected",
        key: `integration_disconnected:${d.integrationId}:${d.at}`,
        payload: { integrationId: d.integrationId, provider: d.provider },
      };
    }
    case "billing/action.needed": {
      const d = billingActionNeededData.parse(data);
      return {
        organizationId: d.organizationId,
        type: "billing_action_needed",
        key: `billing_action_needed:${d.reason}:${d.occurredAt}`,
        payload: { reason: d.reason },
      };
    }
    case "rca/report.published": {
      const d = rcaPublishedData.parse(data);
      return {
        organizationId: d.organizationId,
        type: "rca_published",
        key: `rca_published:${d.rcaId}`,
        payload: { rcaId: d.rcaId, bugId: d.bugId },
      };
    }
    default:
      return null;
  }
}
