import { z } from "zod";
import type { SandboxContext } from "../context";
import { bodyObject, json, parseWith } from "../http";
import type { Router } from "../router";
import type { ZendeskTicket } from "../state";
import {
  account,
  commentJson,
  endUser,
  findTicket,
  invalid,
  SUBDOMAIN,
  ticketJson,
  userByRole,
} from "./account";
import { addComment } from "./api";
import { deliverTicketEvent } from "./events";

const ticketSchema = z.object({
  subdomain: z.string().regex(SUBDOMAIN),
  subject: z.string().min(1).max(250),
  body: z.string().min(1).max(65_536),
  requester: z
    .object({ name: z.string().min(1).max(120).optional(), email: z.string().email().optional() })
    .default({}),
  tags: z.array(z.string().min(1).max(80)).max(20).default([]),
  priority: z.enum(["low", "normal", "high", "urgent"]).nullable().default(null),
});

const commentSchema = z.object({
  subdomain: z.string().regex(SUBDOMAIN),
  body: z.string().min(1).max(65_536),
  public: z.boolean().default(true),
  author_role: z.enum(["end-user", "agent", "admin"]).default("end-user"),
});

/**
 * `POST /_control/zendesk/tickets` (a customer writes in: `ticket.created` is delivered),
 * `POST /_control/zendesk/tickets/:id/comments` (someone replies: `ticket.comment_added`) and
 * `GET /_control/zendesk/tickets/:id?subdomain=` (the ticket and every comment, public or not,
 * with its author's role: what the customer and the agents see, without an API token).
 */
export function registerZendeskControl(router: Router, ctx: SandboxContext): void {
  router.add("POST", "/_control/zendesk/tickets", (req) => {
    const p = parseWith(ticketSchema, bodyObject(req), invalid);
    const acc = account(ctx, p.subdomain);
    const requester = endUser(ctx, acc, p.requester);
    const now = new Date().toISOString();
    const ticket: ZendeskTicket = {
      id: ctx.store.nextId(),
      subject: p.subject,
      status: "new",
      priority: p.priority,
      requesterId: requester.id,
      tags: p.tags,
      comments: [
        {
          id: ctx.store.nextId(),
          authorId: requester.id,
          body: p.body,
          public: true,
          createdAt: now,
        },
      ],
      createdAt: now,
      updatedAt: now,
    };
    acc.tickets.push(ticket);
    ctx.store.changed();
    const deliveries = deliverTicketEvent(ctx, acc, "zen:event-type:ticket.created", ticket);
    return json(201, {
      ticket: ticketJson(acc, ticket),
      deliveries: deliveries.map((d) => ({ id: d.id, url: d.url })),
    });
  });

  router.add("GET", "/_control/zendesk/tickets/:id", (req, [id]) => {
    const p = parseWith(
      z.object({ subdomain: z.string().regex(SUBDOMAIN) }),
      Object.fromEntries(req.url.searchParams),
      invalid,
    );
    const acc = account(ctx, p.subdomain);
    const ticket = findTicket(acc, id!);
    return json(200, {
      ticket: ticketJson(acc, ticket),
      comments: ticket.comments.map((c) => ({
        ...commentJson(c),
        author_role: acc.users.find((u) => u.id === c.authorId)?.role ?? null,
      })),
    });
  });

  router.add("POST", "/_control/zendesk/tickets/:id/comments", (req, [id]) => {
    const p = parseWith(commentSchema, bodyObject(req), invalid);
    const acc = account(ctx, p.subdomain);
    const ticket = findTicket(acc, id!);
    const author =
      p.author_role === "end-user"
        ? acc.users.find((u) => u.id === ticket.requesterId)!
        : userByRole(acc, p.author_role);
    const before = ctx.state.deliveries.length;
    const comment = addComment(ctx, acc, ticket, {
      body: p.body,
      public: p.public,
      authorId: author.id,
    });
    const deliveries = ctx.state.deliveries.slice(before);
    return json(201, {
      comment: commentJson(comment),
      deliveries: deliveries.map((d) => ({ id: d.id, url: d.url })),
    });
  });
}
