import { createHash } from "node:crypto";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";
import type { Json } from "@/lib/supabase/database.types";
import type { TicketMessageRow, TicketRow } from "@/lib/supabase/pipeline.types";
import { type NormalizedTicket, normalizedTicketSchema } from "../tickets";

/**
 * Tickets and their public threads in Postgres (public.tickets, public.ticket_messages), written
 * through the audited admin client by the intake job and read back by the processing job. Every
 * query names the organization. Writes are upserts on the natural keys (organization + provider +
 * external id; ticket + message id), so a retried or duplicated delivery changes nothing.
 */

export interface StoredTicket {
  ticketId: string;
  /** Hash of the public thread (message ids and bodies): a new comment changes it. */
  fingerprint: string;
}

/** The thread's fingerprint: the same thread always hashes the same. */
export function threadFingerprint(ticket: NormalizedTicket): string {
  const h = createHash("sha256");
  h.update(ticket.subject);
  for (const m of ticket.messages) h.update(`\0${m.id}\0${m.authorRole}\0${m.body}`);
  return h.digest("hex").slice(0, 32);
}

function fail(what: string, error: { message: string; code?: string }): never {
  // the database's message names columns and constraints, never the ticket's text
  throw new Error(`${what}: ${error.code ?? ""} ${error.message}`);
}

/** Insert or update the ticket and its public messages; returns the row id and fingerprint. */
export async function upsertTicket(
  admin: AdminSupabaseClient,
  organizationId: string,
  integrationId: string | null,
  ticket: NormalizedTicket,
): Promise<StoredTicket> {
  const row = {
    organization_id: organizationId,
    integration_id: integrationId,
    provider: ticket.provider,
    external_id: ticket.externalId,
    subject: ticket.subject,
    requester_name: ticket.requester.name,
    requester_external_id: ticket.requester.externalId,
    channel: ticket.channel,
    tags: ticket.tags,
    assigned_team: ticket.assignedTeam,
    dropped_internal_notes: ticket.droppedInternalNotes,
    truncation_note: ticket.truncation?.note.slice(0, 500) ?? null,
    provider_created_at: ticket.createdAt,
    // the thread's latest public activity (the converters keep no separate updated time)
    // (ISO strings in UTC sort as time does)
    provider_updated_at:
      [ticket.createdAt, ...ticket.messages.map((m) => m.createdAt)].sort().at(-1) ??
      ticket.createdAt,
  };
  const { data, error } = await admin
    .from("tickets")
    .upsert(row, { onConflict: "organization_id,provider,external_id" })
    .select("id")
    .single();
  if (error || !data) fail("store ticket", error ?? { message: "no row" });
  const ticketId = data.id;
  // The stored language is the one processing detected from the customer's own words; the
  // provider's (the requester's locale, often absent) only fills a ticket that has none yet.
  // Written on every delivery, it overwrote "es" with null or the agent's locale each time our
  // own RCA comment came back as `comment_added`, and the ticket read as English until it was
  // processed again (issue 17).
  if (ticket.language) {
    const { error: languageError } = await admin
      .from("tickets")
      .update({ language: ticket.language })
      .eq("organization_id", organizationId)
      .eq("id", ticketId)
      .is("language", null);
    if (languageError) fail("store ticket language", languageError);
  }

  if (ticket.messages.length) {
    const messages = ticket.messages.map((m, position) => ({
      organization_id: organizationId,
      ticket_id: ticketId,
      external_id: m.id,
      author_role: m.authorRole,
      origin: m.origin,
      position,
      body: m.body,
      attachments: m.attachments as unknown as Json,
      created_at: m.createdAt,
    }));
    const { error: messagesError } = await admin
      .from("ticket_messages")
      .upsert(messages, { onConflict: "ticket_id,external_id" });
    if (messagesError) fail("store ticket messages", messagesError);
  }
  return { ticketId, fingerprint: threadFingerprint(ticket) };
}

/** The stored ticket as the pipeline stages read it (the normalized shape). */
export async function loadTicket(
  admin: AdminSupabaseClient,
  organizationId: string,
  ticketId: string,
): Promise<{ row: TicketRow; ticket: NormalizedTicket } | null> {
  const { data: row, error } = await admin
    .from("tickets")
    .select("*")
    .eq("organization_id", organizationId)
    .eq("id", ticketId)
    .maybeSingle();
  if (error) fail("read ticket", error);
  if (!row) return null;
  const { data: messages, error: messagesError } = await admin
    .from("ticket_messages")
    .select("*")
    .eq("organization_id", organizationId)
    .eq("ticket_id", ticketId)
    .order("position", { ascending: true });
  if (messagesError) fail("read ticket messages", messagesError);
  const ticket = normalizedTicketSchema.parse({
    provider: row.provider,
    externalId: row.external_id,
    subject: row.subject,
    tags: row.tags,
    requester: { externalId: row.requester_external_id, name: row.requester_name },
    channel: row.channel,
    language: row.language,
    assignedTeam: row.assigned_team,
    createdAt: new Date(row.provider_created_at).toISOString(),
    messages: (messages ?? []).map((m: TicketMessageRow) => ({
      id: m.external_id,
      authorRole: m.author_role,
      public: true,
      origin: m.origin,
      createdAt: new Date(m.created_at).toISOString(),
      body: m.body,
      attachments: Array.isArray(m.attachments) ? m.attachments : [],
    })),
    droppedInternalNotes: row.dropped_internal_notes,
    truncation: null,
  });
  return { row, ticket };
}
