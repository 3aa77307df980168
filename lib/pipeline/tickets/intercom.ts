import { z } from "zod";
import { attachmentList, bodyText, finishTicket } from "./build";
import type { AuthorRole, MessageOrigin, NormalizedTicket, TicketMessage } from "./schema";

/**
 * Intercom → normalized ticket. Input is a conversation as `GET /conversations/{id}` returns it
 * (with `conversation_parts`): the `source` is the opening message, each part a later turn.
 * Bodies are HTML. Only the fields read here are declared; the rest passes through.
 */

const id = z.union([z.number().int(), z.string().min(1)]).transform(String);
const unixSeconds = z.number().transform((s) => new Date(s * 1000).toISOString());

const author = z.looseObject({
  type: z.string().nullish(),
  id: id.nullish(),
  name: z.string().nullish(),
  from_ai_agent: z.boolean().nullish(),
  is_ai_answer: z.boolean().nullish(),
});

const attachments = z
  .array(z.looseObject({ name: z.string().nullish(), content_type: z.string().nullish() }))
  .default([]);

export const intercomPartSchema = z.looseObject({
  id,
  part_type: z.string(),
  body: z.string().nullish(),
  created_at: unixSeconds,
  author: author.nullish(),
  attachments,
});

export const intercomConversationSchema = z.looseObject({
  id,
  created_at: unixSeconds,
  title: z.string().nullish(),
  source: z.looseObject({
    type: z.string().nullish(),
    id: id.nullish(),
    delivered_as: z.string().nullish(),
    subject: z.string().nullish(),
    body: z.string().nullish(),
    author: author.nullish(),
    attachments,
  }),
  tags: z.looseObject({ tags: z.array(z.looseObject({ name: z.string() })).default([]) }).nullish(),
  team_assignee_id: id.nullish(),
  conversation_parts: z
    .looseObject({ conversation_parts: z.array(intercomPartSchema).default([]) })
    .nullish(),
});

export type IntercomConversation = z.input<typeof intercomConversationSchema>;

// Part types that are notes only admins see.
const INTERNAL_PARTS = new Set(["note", "note_and_reopen"]);
// Openings Intercom sends on its own (Series, outbound campaigns, custom bots) rather than a
// customer writing in.
const AUTOMATED_DELIVERY = new Set(["automated", "campaigns_initiated", "operator_initiated"]);

function roleOf(a: z.infer<typeof author> | null | undefined): AuthorRole {
  if (!a) return "bot";
  if (a.from_ai_agent || a.is_ai_answer || a.type === "bot") return "bot";
  if (a.type === "user" || a.type === "lead" || a.type === "contact") return "customer";
  return "agent";
}

/**
 * Parses the API JSON and converts it. `contactLocale` is the contact's language if the caller
 * fetched the contact (`browser_language` or `language_override`); a conversation has none.
 */
export function fromIntercom(
  conversation: IntercomConversation,
  options: { contactLocale?: string | null } = {},
): NormalizedTicket {
  const c = intercomConversationSchema.parse(conversation);
  const source = c.source;
  const sourceOrigin: MessageOrigin = AUTOMATED_DELIVERY.has(source.delivered_as ?? "")
    ? "automation"
    : "person";
  const messages: TicketMessage[] = [
    {
      id: source.id ?? `${c.id}-source`,
      authorRole: roleOf(source.author),
      public: true,
      origin: sourceOrigin,
      createdAt: c.created_at,
      body: bodyText(source.body),
      attachments: attachmentList(
        source.attachments.map((a) => ({ name: a.name, contentType: a.content_type })),
      ),
    },
  ];
  let droppedInternalNotes = 0;
  for (const part of c.conversation_parts?.conversation_parts ?? []) {
    if (INTERNAL_PARTS.has(part.part_type)) {
      droppedInternalNotes++;
      continue;
    }
    const body = bodyText(part.body);
    // Assignment, open, close and snooze parts carry no words; they are state, not messages.
    if (body === "" && part.attachments.length === 0) continue;
    messages.push({
      id: part.id,
      authorRole: roleOf(part.author),
      public: true,
      origin: "person",
      createdAt: part.created_at,
      body,
      attachments: attachmentList(
        part.attachments.map((a) => ({ name: a.name, contentType: a.content_type })),
      ),
    });
  }
  const customer = source.author && roleOf(source.author) === "customer" ? source.author : null;
  return finishTicket({
    provider: "intercom",
    externalId: c.id,
    // An email subject can carry HTML; a title has no use for image markers.
    subject: source.subject
      ? bodyText(source.subject).replace(/\s*\[image(?::[^\]]*)?\]\s*/g, " ")
      : (c.title ?? ""),
    tags: (c.tags?.tags ?? []).map((t) => t.name),
    requester: { externalId: customer?.id ?? null, name: customer?.name ?? null },
    channel: source.type === "conversation" ? "chat" : (source.type ?? null),
    locale: options.contactLocale,
    assignedTeam: c.team_assignee_id ?? null,
    createdAt: c.created_at,
    messages,
    droppedInternalNotes,
  });
}
