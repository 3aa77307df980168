import type { z } from "zod";
import type { WebhookIgnoredReason, WebhookProvider } from "@/lib/supabase/database.types";
import {
  GITHUB_EVENTS,
  type GithubPayload,
  githubPayload,
  type IntercomPayload,
  intercomPayload,
  type RazorpayPayload,
  razorpayOrganizationId,
  razorpayPayload,
  type ZendeskPayload,
  zendeskPayload,
} from "./payloads";

/**
 * Turns a verified delivery (headers + parsed JSON) into what the ledger records: the provider's
 * event id (the dedupe key), the event type, the key that names the tenant, whether the event is
 * one we consume, and the validated payload. Runs only after the signature was verified.
 */

export type TenantKey =
  /** integrations.external_account_id of this provider (Intercom app id, GitHub installation id) */
  | { kind: "account"; externalAccountId: string }
  /** an organization id Patchline itself put in the provider's object (Razorpay notes) */
  | { kind: "organization"; organizationId: string }
  /** resolved before verification (Zendesk: its webhook id picked the secret) */
  | { kind: "resolved" }
  | { kind: "none" };

interface Described<P extends WebhookProvider, T> {
  provider: P;
  providerEventId: string;
  eventType: string;
  tenant: TenantKey;
  /** Set when the delivery is acknowledged and recorded but never processed. */
  ignoredReason: Extract<WebhookIgnoredReason, "ping" | "unsupported_event"> | null;
  payload: T;
}

export type DescribedDelivery =
  | Described<"zendesk", ZendeskPayload>
  | Described<"intercom", IntercomPayload>
  | Described<"github", GithubPayload>
  | Described<"razorpay", RazorpayPayload>;

export type DescribeResult =
  | { ok: true; delivery: DescribedDelivery }
  | { ok: false; error: z.ZodError | string };

const headerId = (value: string | null) =>
  value && value.length > 0 && value.length <= 200 ? value : null;

export function describeZendesk(json: unknown): DescribeResult {
  const parsed = zendeskPayload.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const p = parsed.data;
  return {
    ok: true,
    delivery: {
      provider: "zendesk",
      providerEventId: p.id,
      eventType: p.type,
      tenant: { kind: "resolved" },
      ignoredReason: p.type.startsWith("zen:event-type:ticket.") ? null : "unsupported_event",
      payload: p,
    },
  };
}

export function describeIntercom(json: unknown): DescribeResult {
  const parsed = intercomPayload.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const p = parsed.data;
  let ignoredReason: DescribedDelivery["ignoredReason"] = null;
  if (p.topic === "ping") ignoredReason = "ping";
  else if (!p.topic.startsWith("conversation.")) ignoredReason = "unsupported_event";
  return {
    ok: true,
    delivery: {
      provider: "intercom",
      providerEventId: p.id,
      eventType: p.topic,
      tenant: { kind: "account", externalAccountId: p.app_id },
      ignoredReason,
      payload: p,
    },
  };
}

export function describeGithub(json: unknown, headers: Headers): DescribeResult {
  const deliveryId = headerId(headers.get("x-github-delivery"));
  const event = headerId(headers.get("x-github-event"));
  if (!deliveryId) return { ok: false, error: "X-GitHub-Delivery is missing" };
  if (!event || !/^[a-z_]+$/.test(event)) return { ok: false, error: "X-GitHub-Event is missing" };
  const parsed = githubPayload.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const p = parsed.data;
  let ignoredReason: DescribedDelivery["ignoredReason"] = null;
  if (event === "ping") ignoredReason = "ping";
  else if (!(GITHUB_EVENTS as readonly string[]).includes(event))
    ignoredReason = "unsupported_event";
  return {
    ok: true,
    delivery: {
      provider: "github",
      providerEventId: deliveryId,
      eventType: p.action ? `${event}.${p.action}` : event,
      tenant: p.installation
        ? { kind: "account", externalAccountId: String(p.installation.id) }
        : { kind: "none" },
      ignoredReason,
      payload: p,
    },
  };
}

export function describeRazorpay(json: unknown, headers: Headers): DescribeResult {
  const eventId = headerId(headers.get("x-razorpay-event-id"));
  if (!eventId) return { ok: false, error: "X-Razorpay-Event-Id is missing" };
  const parsed = razorpayPayload.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const p = parsed.data;
  const organizationId = razorpayOrganizationId(p);
  return {
    ok: true,
    delivery: {
      provider: "razorpay",
      providerEventId: eventId,
      eventType: p.event,
      tenant: organizationId ? { kind: "organization", organizationId } : { kind: "none" },
      ignoredReason: null,
      payload: p,
    },
  };
}
