import { randomUUID } from "node:crypto";
import { escapeHtml } from "../../shared/http";
import { type SandboxContext, webhookTarget } from "../context";
import { ProviderError } from "../http";
import { intercomSignature } from "../signing";
import type { Delivery, IntercomConversation, IntercomPart } from "../state";

/** The one workspace's admins and teams (Intercom's `/admins` and `/teams`). */
export const ADMINS = [
  { id: "2001", name: "Ada Admin", email: "ada@sandbox-workspace.example" },
  { id: "2002", name: "Sam Support", email: "sam@sandbox-workspace.example" },
];
export const TEAMS = [
  { id: "1001", name: "Support", admin_ids: [2001, 2002] },
  { id: "1002", name: "Engineering", admin_ids: [2001] },
];
export const WORKSPACE_NAME = "Sandbox Workspace";

/** Intercom's error body: `{ type: "error.list", errors: [{ code, message }] }`. */
export const icError = (status: number, code: string, message: string) =>
  new ProviderError(status, {
    type: "error.list",
    request_id: randomUUID(),
    errors: [{ code, message }],
  });

export const unixNow = () => Math.floor(Date.now() / 1000);
export const asHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join("");

function author(conv: IntercomConversation, p: IntercomPart) {
  if (p.authorType === "user")
    return {
      type: "user",
      id: conv.contact.id,
      name: conv.contact.name,
      email: conv.contact.email,
    };
  const admin = ADMINS.find((a) => a.id === p.authorId);
  return p.authorType === "bot"
    ? { type: "bot", id: p.authorId, name: "Fin", email: "" }
    : { type: "admin", id: p.authorId, name: admin?.name ?? "Admin", email: admin?.email ?? "" };
}

function partJson(conv: IntercomConversation, p: IntercomPart) {
  return {
    type: "conversation_part",
    id: p.id,
    part_type: p.partType,
    body: p.body,
    created_at: p.createdAt,
    updated_at: p.createdAt,
    notified_at: p.createdAt,
    assigned_to: null,
    author: author(conv, p),
    attachments: [],
    external_id: null,
    redacted: false,
  };
}

/** A conversation as the REST API (2.11) returns it: the first message in `source`, the rest as parts. */
export function conversationJson(conv: IntercomConversation) {
  const [first, ...rest] = conv.parts;
  return {
    type: "conversation",
    id: conv.id,
    title: conv.title,
    created_at: conv.createdAt,
    updated_at: conv.updatedAt,
    waiting_since: conv.updatedAt,
    snoozed_until: null,
    open: conv.state === "open",
    state: conv.state,
    read: false,
    priority: "not_priority",
    admin_assignee_id: null,
    team_assignee_id: conv.teamAssigneeId,
    tags: { type: "tag.list", tags: [] },
    source: first
      ? {
          type: "conversation",
          id: first.id,
          delivered_as: "customer_initiated",
          subject: conv.title ?? "",
          body: first.body,
          author: author(conv, first),
          attachments: [],
          url: null,
          redacted: false,
        }
      : null,
    contacts: {
      type: "contact.list",
      contacts: [{ type: "contact", id: conv.contact.id, external_id: null }],
    },
    conversation_parts: {
      type: "conversation_part.list",
      conversation_parts: rest.map((p) => partJson(conv, p)),
      total_count: rest.length,
    },
    statistics: null,
  };
}

/**
 * Delivers a notification like Intercom's webhooks: body `id` `notif_…`, `app_id`, `topic`, the
 * conversation in `data.item`; `X-Hub-Signature: sha1=` HMAC of the body with the client secret.
 */
export function deliverIntercom(
  ctx: SandboxContext,
  topic: string,
  conv: IntercomConversation,
): Delivery {
  const now = unixNow();
  const body = JSON.stringify({
    type: "notification_event",
    app_id: ctx.credentials.INTERCOM_APP_ID,
    data: { type: "notification_event_data", item: conversationJson(conv) },
    links: {},
    id: `notif_${randomUUID()}`,
    topic,
    delivery_status: "pending",
    delivery_attempts: 1,
    delivered_at: 0,
    first_sent_at: now,
    created_at: now,
    self: null,
  });
  return ctx.deliverer.enqueue({
    provider: "intercom",
    event: topic,
    url: webhookTarget(ctx, "intercom"),
    body,
    headers: { "x-hub-signature": intercomSignature(ctx.credentials.INTERCOM_CLIENT_SECRET, body) },
  });
}
