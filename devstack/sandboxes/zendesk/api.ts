import { ulid } from "ulid";
import { z } from "zod";
import type { SandboxContext } from "../context";
import {
  bodyObject,
  json,
  ProviderError,
  parseWith,
  type SandboxRequest,
  type SandboxResponse,
} from "../http";
import type { ZendeskAccount, ZendeskComment, ZendeskTicket, ZendeskWebhook } from "../state";
import {
  account,
  commentJson,
  findTicket,
  invalid,
  newSigningSecret,
  notFound,
  ticketJson,
  userJson,
} from "./account";
import { deliverTicketEvent } from "./events";
import { requireToken } from "./oauth";

const webhookSchema = z.object({
  webhook: z.object({
    name: z.string().min(1).max(255),
    endpoint: z.string().url(),
    http_method: z.enum(["POST", "PUT", "PATCH", "GET", "DELETE"]).default("POST"),
    request_format: z.enum(["json", "xml", "form_encoded"]).default("json"),
    status: z.enum(["active", "inactive"]).default("active"),
    subscriptions: z
      .array(z.string().regex(/^(conditional_ticket_events|zen:event-type:[a-z_.]+)$/))
      .min(1),
    description: z.string().max(1000).optional(),
    authentication: z.unknown().optional(),
  }),
});

const updateTicketSchema = z.object({
  ticket: z.object({
    comment: z
      .object({
        body: z.string().min(1).max(65_536).optional(),
        html_body: z.string().min(1).max(65_536).optional(),
        public: z.boolean().default(true),
        author_id: z.number().int().optional(),
      })
      .refine(
        (c) => c.body !== undefined || c.html_body !== undefined,
        "body or html_body is required",
      )
      .optional(),
    status: z.enum(["new", "open", "pending", "hold", "solved", "closed"]).optional(),
    tags: z.array(z.string().max(80)).optional(),
  }),
});

/** The webhooks API answers errors as a list, JSON:API style. */
const webhookError = (status: number, code: string, detail: string) =>
  new ProviderError(status, { errors: [{ code, title: code, detail }] });

function webhookJson(h: ZendeskWebhook) {
  return {
    id: h.id,
    name: h.name,
    status: h.status,
    subscriptions: h.subscriptions,
    endpoint: h.endpoint,
    http_method: "POST",
    request_format: "json",
    created_at: h.createdAt,
    created_by: "sandbox",
    updated_at: h.createdAt,
  };
}

function findWebhook(acc: ZendeskAccount, id: string): ZendeskWebhook {
  const h = acc.webhooks.find((x) => x.id === id);
  if (!h) throw webhookError(404, "WebhookNotFound", "Webhook not found");
  return h;
}

export function createWebhook(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const acc = account(ctx, sub);
  const p = parseWith(webhookSchema, bodyObject(req), (m) =>
    webhookError(400, "InvalidInput", m),
  ).webhook;
  const hook: ZendeskWebhook = {
    id: ulid(),
    name: p.name,
    endpoint: p.endpoint,
    status: p.status,
    subscriptions: p.subscriptions,
    signingSecret: newSigningSecret(),
    createdAt: new Date().toISOString(),
  };
  acc.webhooks.push(hook);
  ctx.state.tokens.push({
    id: ctx.store.nextId(),
    value: hook.signingSecret,
    provider: "zendesk",
    kind: "webhook_secret",
    account: sub,
    createdAt: hook.createdAt,
  });
  ctx.store.changed();
  return json(201, { webhook: webhookJson(hook) }, { location: `/api/v2/webhooks/${hook.id}` });
}

export function listWebhooks(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const hooks = account(ctx, sub).webhooks.map(webhookJson);
  return json(200, {
    webhooks: hooks,
    meta: { has_more: false, after_cursor: null, before_cursor: null },
    links: { next: null, prev: null },
  });
}

export function showWebhook(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  id: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  return json(200, { webhook: webhookJson(findWebhook(account(ctx, sub), id)) });
}

export function webhookSecret(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  id: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const hook = findWebhook(account(ctx, sub), id);
  return json(200, { signing_secret: { algorithm: "SHA256", secret: hook.signingSecret } });
}

export function deleteWebhook(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  id: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const acc = account(ctx, sub);
  const hook = findWebhook(acc, id);
  acc.webhooks = acc.webhooks.filter((h) => h !== hook);
  const secret = ctx.state.tokens.find((t) => t.value === hook.signingSecret);
  if (secret) secret.revokedAt = new Date().toISOString();
  ctx.store.changed();
  return { status: 204 };
}

export function showTicket(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  id: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const acc = account(ctx, sub);
  return json(200, { ticket: ticketJson(acc, findTicket(acc, id)) });
}

/** Comments oldest first; `?include=users` sideloads their authors (with roles), as Zendesk does. */
export function listComments(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  id: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const acc = account(ctx, sub);
  const t = findTicket(acc, id);
  const out: Record<string, unknown> = {
    comments: t.comments.map(commentJson),
    next_page: null,
    previous_page: null,
    count: t.comments.length,
  };
  if ((req.url.searchParams.get("include") ?? "").split(",").includes("users")) {
    const ids = new Set(t.comments.map((c) => c.authorId));
    out.users = acc.users.filter((u) => ids.has(u.id)).map((u) => userJson(acc, u));
  }
  return json(200, out);
}

export function showUser(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  id: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const acc = account(ctx, sub);
  const n = Number(/^(\d+)(?:\.json)?$/.exec(id)?.[1]);
  const u = acc.users.find((x) => x.id === n);
  if (!u) throw notFound();
  return json(200, { user: userJson(acc, u) });
}

/** `GET /api/v2/users/me.json`: who the token acts as (the admin who consented). */
export function me(ctx: SandboxContext, req: SandboxRequest, sub: string): SandboxResponse {
  requireToken(ctx, req, sub);
  const acc = account(ctx, sub);
  return json(200, { user: userJson(acc, acc.users.find((u) => u.role === "admin")!) });
}

/** Adds a comment to a ticket and delivers `ticket.comment_added`. */
export function addComment(
  ctx: SandboxContext,
  acc: ZendeskAccount,
  t: ZendeskTicket,
  c: { body: string; public: boolean; authorId: number },
): ZendeskComment {
  const comment: ZendeskComment = {
    id: ctx.store.nextId(),
    authorId: c.authorId,
    body: c.body,
    public: c.public,
    createdAt: new Date().toISOString(),
  };
  t.comments.push(comment);
  t.updatedAt = comment.createdAt;
  ctx.store.changed();
  deliverTicketEvent(ctx, acc, "zen:event-type:ticket.comment_added", t, comment);
  return comment;
}

/** `PUT /api/v2/tickets/{id}.json` with `ticket.comment`: how an integration posts a comment. */
export function updateTicket(
  ctx: SandboxContext,
  req: SandboxRequest,
  sub: string,
  id: string,
): SandboxResponse {
  requireToken(ctx, req, sub);
  const acc = account(ctx, sub);
  const t = findTicket(acc, id);
  const p = parseWith(updateTicketSchema, bodyObject(req), invalid).ticket;
  let audit: unknown = null;
  if (p.comment) {
    const authorId = p.comment.author_id ?? acc.users.find((u) => u.role === "admin")!.id;
    if (!acc.users.some((u) => u.id === authorId))
      throw invalid("author_id is not a user of this account");
    const body = p.comment.body ?? p.comment.html_body!.replace(/<[^>]*>/g, "");
    const c = addComment(ctx, acc, t, { body, public: p.comment.public, authorId });
    audit = {
      id: ctx.store.nextId(),
      ticket_id: t.id,
      author_id: authorId,
      created_at: c.createdAt,
      events: [{ id: c.id, type: "Comment", body: c.body, public: c.public, author_id: authorId }],
    };
  }
  if (p.status) t.status = p.status;
  if (p.tags) t.tags = p.tags;
  t.updatedAt = new Date().toISOString();
  ctx.store.changed();
  return json(200, { ticket: ticketJson(acc, t), audit });
}
