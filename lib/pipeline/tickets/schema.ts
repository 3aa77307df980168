import { z } from "zod";

/**
 * The provider-neutral ticket every pipeline stage reads. Converters (`zendesk.ts`,
 * `intercom.ts`) build it from the providers' API JSON; nothing downstream knows which provider a
 * ticket came from except through `provider`.
 *
 * Invariants the converters guarantee (and the schema checks where it can):
 * - every text field is plain text: HTML converted, control characters stripped (`text.ts`);
 * - internal notes never enter: they are agents' private words and must not be classified,
 *   extracted, shown to the customer in an RCA or sent to a model;
 * - the whole ticket fits the text budget (`truncate.ts`); a larger one is cut with a note.
 */

export const PROVIDERS = ["zendesk", "intercom"] as const;
export const AUTHOR_ROLES = ["customer", "agent", "bot"] as const;

/**
 * How a message was produced, from provider metadata when it says so. `person` means a human
 * typed it (or nothing says otherwise); the noise filter also recognises macros and automatic
 * replies by their text, so this is a hint, not the only signal.
 */
export const MESSAGE_ORIGINS = ["person", "macro", "automation", "survey"] as const;

export const attachmentSchema = z.object({
  /** File name as uploaded; never the download URL (providers sign those with tokens). */
  name: z.string().max(300),
  contentType: z.string().max(200).nullable(),
});

export const ticketMessageSchema = z.object({
  id: z.string().min(1).max(100),
  authorRole: z.enum(AUTHOR_ROLES),
  /** Always true once normalized: internal notes are dropped (kept in the shape for readers). */
  public: z.literal(true),
  origin: z.enum(MESSAGE_ORIGINS),
  createdAt: z.iso.datetime({ offset: true }),
  /** Plain text, never markup. Render it as text only. */
  body: z.string(),
  attachments: z.array(attachmentSchema).max(100),
});

export const truncationSchema = z.object({
  /** Characters of message text before and after truncation. */
  originalChars: z.number().int().nonnegative(),
  keptChars: z.number().int().nonnegative(),
  omittedMessages: z.number().int().nonnegative(),
  /** A sentence for people: what was cut and why. */
  note: z.string(),
});

export const normalizedTicketSchema = z.object({
  provider: z.enum(PROVIDERS),
  externalId: z.string().min(1).max(100),
  subject: z.string().max(500),
  /** Lower-cased, trimmed, de-duplicated. */
  tags: z.array(z.string().max(200)).max(500),
  requester: z.object({
    externalId: z.string().max(100).nullable(),
    name: z.string().max(300).nullable(),
  }),
  /** Where the ticket came in: `email`, `web`, `chat`, `api`… as the provider names it. */
  channel: z.string().max(100).nullable(),
  /** ISO 639-1 code when the provider knows it (the requester's locale), else null. */
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .nullable(),
  /** The team or group the provider assigned the ticket to (Intercom team, Zendesk group). */
  assignedTeam: z.string().max(100).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  messages: z.array(ticketMessageSchema),
  /** How many internal notes the converter dropped (a count only, never their text). */
  droppedInternalNotes: z.number().int().nonnegative(),
  truncation: truncationSchema.nullable(),
});

export type Attachment = z.infer<typeof attachmentSchema>;
export type TicketMessage = z.infer<typeof ticketMessageSchema>;
export type NormalizedTicket = z.infer<typeof normalizedTicketSchema>;
export type AuthorRole = (typeof AUTHOR_ROLES)[number];
export type MessageOrigin = (typeof MESSAGE_ORIGINS)[number];
