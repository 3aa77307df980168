import { randomUUID } from "node:crypto";
import type { SandboxContext } from "../context";
import { zendeskSignature } from "../signing";
import type { Delivery, ZendeskAccount, ZendeskComment, ZendeskTicket } from "../state";

export type ZendeskEventType =
  | "zen:event-type:ticket.created"
  | "zen:event-type:ticket.comment_added";

/** A ticket as event-subscription payloads carry it in `detail` (ids as strings, enums upper-case). */
function ticketDetail(acc: ZendeskAccount, t: ZendeskTicket, actorId: number) {
  return {
    actor_id: String(actorId),
    assignee_id: null,
    brand_id: String(acc.accountId + 1),
    created_at: t.createdAt,
    custom_status: null,
    description: t.comments[0]?.body ?? "",
    external_id: null,
    form_id: null,
    group_id: null,
    id: String(t.id),
    is_public: true,
    organization_id: null,
    priority: t.priority ? t.priority.toUpperCase() : null,
    requester_id: String(t.requesterId),
    status: t.status.toUpperCase(),
    subject: t.subject,
    submitter_id: String(t.requesterId),
    tags: t.tags,
    type: null,
    updated_at: t.updatedAt,
    via: { channel: "web_service" },
  };
}

/**
 * Zendesk's event-subscription body (`zen:event-type:ticket.*`, version 2022-11-06): the ticket in
 * `detail`, what happened in `event`, a unique `id` the app dedupes on.
 */
export function ticketEventBody(
  acc: ZendeskAccount,
  type: ZendeskEventType,
  t: ZendeskTicket,
  comment?: ZendeskComment,
) {
  const actorId = comment?.authorId ?? t.requesterId;
  const author = acc.users.find((u) => u.id === actorId);
  return {
    account_id: acc.accountId,
    detail: ticketDetail(acc, t, actorId),
    event: comment
      ? {
          comment: {
            author: {
              id: String(actorId),
              is_staff: author ? author.role !== "end-user" : false,
              name: author?.name ?? "",
            },
            body: comment.body,
            id: String(comment.id),
            is_public: comment.public,
          },
        }
      : {},
    id: randomUUID(),
    subject: `zen:ticket:${t.id}`,
    time: new Date().toISOString(),
    type,
    zendesk_event_version: "2022-11-06",
  };
}

/**
 * Delivers one event to every active webhook of the account subscribed to it (a webhook created
 * for trigger-based "conditional_ticket_events" gets every ticket event too). Each webhook signs
 * with its own secret: base64(HMAC-SHA256(secret, timestamp + body)).
 */
export function deliverTicketEvent(
  ctx: SandboxContext,
  acc: ZendeskAccount,
  type: ZendeskEventType,
  t: ZendeskTicket,
  comment?: ZendeskComment,
): Delivery[] {
  const out: Delivery[] = [];
  for (const hook of acc.webhooks) {
    if (hook.status !== "active") continue;
    const wanted = hook.subscriptions.some((s) => s === type || s === "conditional_ticket_events");
    if (!wanted) continue;
    const body = JSON.stringify(ticketEventBody(acc, type, t, comment));
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    out.push(
      ctx.deliverer.enqueue({
        provider: "zendesk",
        event: type,
        url: hook.endpoint,
        body,
        headers: {
          "x-zendesk-webhook-signature": zendeskSignature(hook.signingSecret, timestamp, body),
          "x-zendesk-webhook-signature-timestamp": timestamp,
          "x-zendesk-webhook-id": hook.id,
          "x-zendesk-webhook-invocation-id": String(ctx.store.nextId()),
          "x-zendesk-account-id": String(acc.accountId),
        },
      }),
    );
  }
  return out;
}
