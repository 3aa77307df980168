import { htmlToText } from "./html";
import {
  type Attachment,
  type NormalizedTicket,
  normalizedTicketSchema,
  type TicketMessage,
} from "./schema";
import { normalizeText, oneLine } from "./text";
import { fitToBudget } from "./truncate";

/** The parts every converter fills; `finishTicket` applies the shared rules. */
export interface TicketDraft {
  provider: NormalizedTicket["provider"];
  externalId: string;
  subject: string | null | undefined;
  tags: string[];
  requester: NormalizedTicket["requester"];
  channel: string | null;
  locale: string | null | undefined;
  assignedTeam: string | null;
  createdAt: string;
  messages: TicketMessage[];
  droppedInternalNotes: number;
}

/** A provider's body as plain text: HTML when it has markup, plain text otherwise. */
export function bodyText(html: string | null | undefined, plain?: string | null): string {
  if (html && html.trim() !== "") return htmlToText(html);
  return normalizeText(plain ?? "");
}

export function attachmentList(
  items: Array<{ name?: string | null; contentType?: string | null }> | undefined,
): Attachment[] {
  return (items ?? []).slice(0, 100).map((item) => ({
    name: oneLine(item.name ?? "attachment", 300),
    contentType: item.contentType ? oneLine(item.contentType, 200) : null,
  }));
}

/** `pt-BR`, `es_419`, `de` → `pt`, `es`, `de`; anything else → null. */
export function languageFromLocale(locale: string | null | undefined): string | null {
  const match = /^([a-z]{2})(?:[-_]|$)/i.exec(locale?.trim() ?? "");
  return match ? match[1]!.toLowerCase() : null;
}

/** Lower-case, trim, de-duplicate and sort provider tags. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => oneLine(t, 200).toLowerCase()).filter(Boolean))].sort();
}

/**
 * Orders messages by time (stable), applies the text budget and validates the result. Throws
 * only if a converter broke an invariant (a bug in Patchline, not in the ticket).
 */
export function finishTicket(draft: TicketDraft): NormalizedTicket {
  const ordered = draft.messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.createdAt.localeCompare(b.message.createdAt) || a.index - b.index)
    .map(({ message }) => message);
  const { messages, truncation } = fitToBudget(ordered);
  return normalizedTicketSchema.parse({
    provider: draft.provider,
    externalId: draft.externalId,
    subject: oneLine(draft.subject ?? "", 500),
    tags: normalizeTags(draft.tags),
    requester: draft.requester,
    channel: draft.channel,
    language: languageFromLocale(draft.locale),
    assignedTeam: draft.assignedTeam,
    createdAt: draft.createdAt,
    messages,
    droppedInternalNotes: draft.droppedInternalNotes,
    truncation,
  });
}
