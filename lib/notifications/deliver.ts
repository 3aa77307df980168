import "server-only";
import { orgRoutes, ROUTES } from "@/lib/auth/routes";
import { publicEnv } from "@/lib/env";
import { type MailMessage, sendMail } from "@/lib/mail";
import { renderNotificationMail } from "@/lib/mail/templates/notification";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import { NOTIFICATION_EVENTS } from "./catalog";
import { notificationMessage } from "./messages";
import type { Occurrence } from "./occurrence";
import { signUnsubscribeToken } from "./unsubscribe-token";

/**
 * The two channels' writes. Both are idempotent per (occurrence, recipient, channel): the in-app
 * row is unique per workspace, recipient and event key; an email is recorded in
 * `notification_deliveries` before it is sent, and the ledger row's id is the mail provider's
 * idempotency key, so a retry after an outage (or after a send whose answer was lost) reuses the
 * row and the key and the person gets one email.
 */

export interface Recipient {
  userId: string;
  email: string;
  role: string;
  inApp: boolean;
  emailOn: boolean;
}

/** Who hears about an occurrence, with their channels (public.notification_recipients). */
export async function loadRecipients(
  admin: AdminSupabaseClient,
  occurrence: Occurrence,
): Promise<Recipient[]> {
  const { data, error } = await admin.rpc("notification_recipients", {
    p_organization_id: occurrence.organizationId,
    p_event_type: occurrence.type,
  });
  if (error) throw new Error(`read recipients: ${error.code ?? error.message}`);
  return (data ?? []).map((r) => ({
    userId: r.user_id,
    email: r.email,
    role: r.role,
    inApp: r.in_app,
    emailOn: r.email_on,
  }));
}

/** Writes the in-app rows of everyone with the app channel on; returns how many were new. */
export async function writeInApp(
  admin: AdminSupabaseClient,
  occurrence: Occurrence,
  recipients: readonly Recipient[],
): Promise<number> {
  const rows = recipients
    .filter((r) => r.inApp)
    .map((r) => ({
      organization_id: occurrence.organizationId,
      user_id: r.userId,
      event_type: occurrence.type,
      event_key: occurrence.key,
      payload: occurrence.payload,
    }));
  if (rows.length === 0) return 0;
  const { data, error } = await admin
    .from("notifications")
    .upsert(rows, { onConflict: "organization_id,user_id,event_key", ignoreDuplicates: true })
    .select("id");
  if (error) throw new Error(`write notifications: ${error.code ?? error.message}`);
  return data?.length ?? 0;
}

export interface Workspace {
  name: string;
  slug: string;
}

export async function loadWorkspace(
  admin: AdminSupabaseClient,
  organizationId: string,
): Promise<Workspace> {
  const { data, error } = await admin
    .from("organizations")
    .select("name, slug")
    .eq("id", organizationId)
    .single();
  if (error) throw new Error(`read workspace: ${error.code ?? error.message}`);
  return data;
}

export type EmailOutcome = "sent" | "already_sent";

/** The links every notification email carries, for a caller that renders its own mail. */
export interface MailLinks {
  site: string;
  /** Null for locked events (they cannot be turned off). */
  unsubscribeUrl: string | null;
  settingsUrl: string;
}

/**
 * Sends one recipient's email for an occurrence, at most once: claim the ledger row (or find the
 * one a previous attempt claimed), send with its id as the idempotency key, mark it sent. A
 * failing transport throws (the step retries with the same row and key).
 */
export async function sendEmailOnce(
  admin: AdminSupabaseClient,
  occurrence: Occurrence,
  recipient: Recipient,
  workspace: Workspace,
  keys: readonly Buffer[],
  /** Renders a mail other than the one-notification template (the daily digest). */
  render?: (links: MailLinks) => MailMessage,
): Promise<EmailOutcome> {
  const ledger = {
    organization_id: occurrence.organizationId,
    user_id: recipient.userId,
    event_type: occurrence.type,
    event_key: occurrence.key,
    channel: "email" as const,
  };
  const { error: claimError } = await admin.from("notification_deliveries").upsert(ledger, {
    onConflict: "organization_id,user_id,event_key,channel",
    ignoreDuplicates: true,
  });
  if (claimError) throw new Error(`record delivery: ${claimError.code ?? claimError.message}`);
  const { data: delivery, error: readError } = await admin
    .from("notification_deliveries")
    .select("id, status, attempts")
    .eq("organization_id", occurrence.organizationId)
    .eq("user_id", recipient.userId)
    .eq("event_key", occurrence.key)
    .eq("channel", "email")
    .single();
  if (readError) throw new Error(`read delivery: ${readError.code ?? readError.message}`);
  if (delivery.status === "sent") return "already_sent";
  await admin
    .from("notification_deliveries")
    .update({ attempts: delivery.attempts + 1 })
    .eq("organization_id", occurrence.organizationId)
    .eq("id", delivery.id);

  const site = publicEnv().NEXT_PUBLIC_SITE_URL;
  const spec = NOTIFICATION_EVENTS[occurrence.type];
  const message = notificationMessage(occurrence.type, occurrence.payload, workspace.slug);
  const token = spec.lockedEmail
    ? null
    : signUnsubscribeToken(
        {
          userId: recipient.userId,
          organizationId: occurrence.organizationId,
          eventType: occurrence.type,
        },
        keys,
      );
  const links: MailLinks = {
    site,
    unsubscribeUrl: token ? unsubscribeUrl(site, token) : null,
    settingsUrl: new URL(orgRoutes(workspace.slug).notifications, site).toString(),
  };
  const mail = render
    ? render(links)
    : renderNotificationMail({
        to: recipient.email,
        workspaceName: workspace.name,
        title: message.title,
        body: message.body,
        url: new URL(message.href, site).toString(),
        eventLabel: spec.label,
        unsubscribeUrl: links.unsubscribeUrl,
        settingsUrl: links.settingsUrl,
      });
  const sent = await sendMail({
    ...mail,
    idempotencyKey: `notification-${delivery.id}`,
    kind: `notification.${occurrence.type}`,
  });
  const { error: markError } = await admin
    .from("notification_deliveries")
    .update({ status: "sent", sent_at: new Date().toISOString(), provider_message_id: sent.id })
    .eq("organization_id", occurrence.organizationId)
    .eq("id", delivery.id);
  if (markError) throw new Error(`mark delivery sent: ${markError.code ?? markError.message}`);
  return "sent";
}

/**
 * The one-click link, the same for people and mail clients: GET shows what it turns off and a
 * button (a link scanner's GET changes nothing); POST (the button, or a mail client's RFC 8058
 * `List-Unsubscribe=One-Click`) turns it off.
 */
export function unsubscribeUrl(site: string, token: string): string {
  const url = new URL(ROUTES.unsubscribe, site);
  url.searchParams.set("token", token);
  return url.toString();
}
