import { z } from "zod";
import { attachmentList, bodyText, finishTicket } from "./build";
import type { AuthorRole, MessageOrigin, NormalizedTicket, TicketMessage } from "./schema";

/**
 * Zendesk Support → normalized ticket. Input is what the Tickets API returns: the ticket
 * (`GET /api/v2/tickets/{id}`), its comments (`GET /api/v2/tickets/{id}/comments`) and,
 * when sideloaded (`?include=users`), the users, whose `role` tells end-users from agents.
 * Only the fields read here are declared; everything else passes through untouched.
 */

const id = z.union([z.number().int(), z.string().min(1)]).transform(String);
const via = z
  .looseObject({
    channel: z.union([z.string(), z.number()]).nullish(),
    source: z.looseObject({ rel: z.string().nullish() }).nullish(),
  })
  .nullish();

export const zendeskTicketSchema = z.looseObject({
  id,
  subject: z.string().nullish(),
  raw_subject: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  requester_id: id.nullish(),
  group_id: id.nullish(),
  via,
  created_at: z.iso.datetime({ offset: true }),
});

export const zendeskCommentSchema = z.looseObject({
  id,
  author_id: id.nullish(),
  body: z.string().nullish(),
  html_body: z.string().nullish(),
  plain_body: z.string().nullish(),
  public: z.boolean().default(true),
  created_at: z.iso.datetime({ offset: true }),
  via,
  attachments: z
    .array(z.looseObject({ file_name: z.string().nullish(), content_type: z.string().nullish() }))
    .default([]),
});

export const zendeskUserSchema = z.looseObject({
  id,
  role: z.string().nullish(),
  name: z.string().nullish(),
  locale: z.string().nullish(),
});

export const zendeskInputSchema = z.object({
  ticket: zendeskTicketSchema,
  comments: z.array(zendeskCommentSchema),
  users: z.array(zendeskUserSchema).default([]),
});

export type ZendeskInput = z.input<typeof zendeskInputSchema>;

// Zendesk channels through which no person writes: triggers and automations ("rule"), the
// Answer Bot / AI agents, and side conversations' system messages.
const BOT_CHANNELS = new Set(["answer_bot", "answer_bot_for_agents", "ai_agent", "sunshine_bot"]);
const AUTOMATION_CHANNELS = new Set(["rule", "system"]);

function commentOrigin(comment: z.infer<typeof zendeskCommentSchema>): MessageOrigin {
  const rel = comment.via?.source?.rel ?? "";
  const channel = String(comment.via?.channel ?? "");
  if (/macro/i.test(rel)) return "macro";
  if (/survey|satisfaction/i.test(rel) || /satisfaction/i.test(channel)) return "survey";
  if (AUTOMATION_CHANNELS.has(channel) || /trigger|automation/i.test(rel)) return "automation";
  return "person";
}

/** Parses the API JSON and converts it. Throws a ZodError if the JSON is not a Zendesk ticket. */
export function fromZendesk(input: ZendeskInput): NormalizedTicket {
  const { ticket, comments, users } = zendeskInputSchema.parse(input);
  const roles = new Map(users.map((u) => [u.id, u.role ?? ""]));
  const requester = users.find((u) => u.id === ticket.requester_id);

  function authorRole(comment: z.infer<typeof zendeskCommentSchema>): AuthorRole {
    if (BOT_CHANNELS.has(String(comment.via?.channel ?? ""))) return "bot";
    const authorId = comment.author_id ?? "";
    // Zendesk writes system comments as author -1.
    if (authorId === "-1") return "bot";
    const role = roles.get(authorId);
    if (role === "end-user") return "customer";
    if (role === "agent" || role === "admin") return "agent";
    return authorId === ticket.requester_id ? "customer" : "agent";
  }

  let droppedInternalNotes = 0;
  const messages: TicketMessage[] = [];
  for (const comment of comments) {
    if (!comment.public) {
      droppedInternalNotes++;
      continue;
    }
    messages.push({
      id: comment.id,
      authorRole: authorRole(comment),
      public: true,
      origin: commentOrigin(comment),
      createdAt: new Date(comment.created_at).toISOString(),
      // html_body is Zendesk's rendering of the comment; plain_body and body are fallbacks.
      body: bodyText(comment.html_body, comment.plain_body || comment.body),
      attachments: attachmentList(
        comment.attachments.map((a) => ({ name: a.file_name, contentType: a.content_type })),
      ),
    });
  }

  return finishTicket({
    provider: "zendesk",
    externalId: ticket.id,
    subject: ticket.subject ?? ticket.raw_subject,
    tags: ticket.tags,
    requester: { externalId: ticket.requester_id ?? null, name: requester?.name ?? null },
    channel: ticket.via?.channel != null ? String(ticket.via.channel) : null,
    locale: requester?.locale,
    assignedTeam: ticket.group_id ?? null,
    createdAt: new Date(ticket.created_at).toISOString(),
    messages,
    droppedInternalNotes,
  });
}
