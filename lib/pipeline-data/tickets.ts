import "server-only";
import { dataOrThrow } from "@/lib/organizations/result";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import {
  type Cursor,
  keysetFilter,
  likePattern,
  type Page,
  type PageRequest,
  readsAscending,
  toPage,
} from "./cursor";
import type { Classification, TicketStatus } from "./labels";

/**
 * Reads of a workspace's tickets for the Tickets pages and the CSV export, as the signed-in
 * member (RLS: bugs.read). Keyset-paginated on (received_at desc, id desc).
 */

export const TICKETS_PAGE_SIZE = 25;
/** The CSV export's ceiling: a download, not a backup (the filters narrow it). */
export const TICKETS_CSV_LIMIT = 5_000;

export interface TicketFilters {
  status?: TicketStatus;
  classification?: Classification;
  provider?: "zendesk" | "intercom";
  /** words in the subject, or the provider's ticket number */
  q?: string;
}

export interface TicketListRow {
  id: string;
  provider: string;
  externalId: string;
  subject: string;
  requesterName: string | null;
  status: TicketStatus;
  classification: Classification | null;
  skipReason: string | null;
  language: string | null;
  receivedAt: string;
  processedAt: string | null;
  bugId: string | null;
}

const LIST_COLUMNS =
  "id, provider, external_id, subject, requester_name, status, classification, skip_reason, language, received_at, processed_at, bug_tickets(bug_id)";

interface RawTicket {
  id: string;
  provider: string;
  external_id: string;
  subject: string;
  requester_name: string | null;
  status: string;
  classification: string | null;
  skip_reason: string | null;
  language: string | null;
  received_at: string;
  processed_at: string | null;
  bug_tickets: { bug_id: string } | Array<{ bug_id: string }> | null;
}

function toRow(t: RawTicket): TicketListRow {
  // bug_tickets' primary key is ticket_id: PostgREST embeds it as one object (or null)
  const link = Array.isArray(t.bug_tickets) ? t.bug_tickets[0] : t.bug_tickets;
  return {
    id: t.id,
    provider: t.provider,
    externalId: t.external_id,
    subject: t.subject,
    requesterName: t.requester_name,
    status: t.status as TicketStatus,
    classification: t.classification as Classification | null,
    skipReason: t.skip_reason,
    language: t.language,
    receivedAt: t.received_at,
    processedAt: t.processed_at,
    bugId: link?.bug_id ?? null,
  };
}

function filtered(supabase: ServerSupabaseClient, organizationId: string, filters: TicketFilters) {
  let query = supabase.from("tickets").select(LIST_COLUMNS).eq("organization_id", organizationId);
  if (filters.status) query = query.eq("status", filters.status);
  if (filters.classification) query = query.eq("classification", filters.classification);
  if (filters.provider) query = query.eq("provider", filters.provider);
  if (filters.q) {
    const q = filters.q.trim();
    // a ticket number is looked up exactly; words search the subject
    query = /^\d{1,20}$/.test(q)
      ? query.eq("external_id", q)
      : query.ilike("subject", likePattern(q));
  }
  return query;
}

/** One page of tickets, newest first (`after`: older, `before`: newer). */
export async function listTickets(
  supabase: ServerSupabaseClient,
  organizationId: string,
  filters: TicketFilters,
  page: PageRequest = {},
): Promise<Page<TicketListRow>> {
  const ascending = readsAscending(page);
  let query = filtered(supabase, organizationId, filters);
  if (page.after) {
    query = query
      .lte("received_at", page.after.at)
      .or(keysetFilter("received_at", page.after, "older"));
  } else if (page.before) {
    query = query
      .gte("received_at", page.before.at)
      .or(keysetFilter("received_at", page.before, "newer"));
  }
  const raw = dataOrThrow(
    await query
      .order("received_at", { ascending })
      .order("id", { ascending })
      .limit(TICKETS_PAGE_SIZE + 1),
  ) as unknown as RawTicket[];
  return toPage(raw, TICKETS_PAGE_SIZE, page, toRow, (r) => ({ at: r.receivedAt, id: r.id }));
}

/** Every ticket matching the filters (newest first, at most TICKETS_CSV_LIMIT), for the CSV. */
export async function ticketsForExport(
  supabase: ServerSupabaseClient,
  organizationId: string,
  filters: TicketFilters,
): Promise<TicketListRow[]> {
  const rows: TicketListRow[] = [];
  let after: Cursor | undefined;
  // pages of 1,000 (the API's max_rows), by keyset like the list
  while (rows.length < TICKETS_CSV_LIMIT) {
    let query = filtered(supabase, organizationId, filters);
    if (after)
      query = query.lte("received_at", after.at).or(keysetFilter("received_at", after, "older"));
    const raw = dataOrThrow(
      await query
        .order("received_at", { ascending: false })
        .order("id", { ascending: false })
        .limit(Math.min(1000, TICKETS_CSV_LIMIT - rows.length)),
    ) as unknown as RawTicket[];
    rows.push(...raw.map(toRow));
    const last = raw.at(-1);
    if (raw.length < 1000 || !last) break;
    after = { at: last.received_at, id: last.id };
  }
  return rows;
}

export interface TicketMessage {
  id: string;
  authorRole: "customer" | "agent" | "bot";
  origin: string;
  position: number;
  body: string;
  createdAt: string;
}

export interface TicketDetail extends TicketListRow {
  requesterExternalId: string | null;
  channel: string | null;
  tags: string[];
  droppedInternalNotes: number;
  truncationNote: string | null;
  lastError: string | null;
  providerCreatedAt: string;
  messages: TicketMessage[];
  bug: { id: string; title: string; status: string; linkReason: string } | null;
  reviewItems: Array<{ id: string; gate: string; reason: string; status: string }>;
}

/** One ticket with its public thread and what the pipeline did; null when not this workspace's. */
export async function getTicket(
  supabase: ServerSupabaseClient,
  organizationId: string,
  ticketId: string,
): Promise<TicketDetail | null> {
  const { data, error } = await supabase
    .from("tickets")
    .select(
      `${LIST_COLUMNS.replace("bug_tickets(bug_id)", "bug_tickets(bug_id, link_reason, bugs(id, title, status))")},
       requester_external_id, channel, tags, dropped_internal_notes, truncation_note, last_error,
       provider_created_at,
       ticket_messages(id, author_role, origin, position, body, created_at),
       review_items(id, gate, reason, status)`,
    )
    .eq("organization_id", organizationId)
    .eq("id", ticketId)
    .order("position", { referencedTable: "ticket_messages" })
    .maybeSingle();
  if (error) throw error;
  if (!data) return null;
  const d = data as unknown as RawTicket & {
    requester_external_id: string | null;
    channel: string | null;
    tags: string[];
    dropped_internal_notes: number;
    truncation_note: string | null;
    last_error: string | null;
    provider_created_at: string;
    ticket_messages: Array<{
      id: string;
      author_role: "customer" | "agent" | "bot";
      origin: string;
      position: number;
      body: string;
      created_at: string;
    }>;
    review_items: Array<{ id: string; gate: string; reason: string; status: string }>;
  };
  const link = (Array.isArray(d.bug_tickets) ? d.bug_tickets[0] : d.bug_tickets) as
    | {
        bug_id: string;
        link_reason: string;
        bugs: { id: string; title: string; status: string } | null;
      }
    | null
    | undefined;
  return {
    ...toRow(d),
    requesterExternalId: d.requester_external_id,
    channel: d.channel,
    tags: d.tags ?? [],
    droppedInternalNotes: d.dropped_internal_notes,
    truncationNote: d.truncation_note,
    lastError: d.last_error,
    providerCreatedAt: d.provider_created_at,
    messages: [...d.ticket_messages]
      .sort((a, b) => a.position - b.position)
      .map((m) => ({
        id: m.id,
        authorRole: m.author_role,
        origin: m.origin,
        position: m.position,
        body: m.body,
        createdAt: m.created_at,
      })),
    bug: link?.bugs
      ? {
          id: link.bugs.id,
          title: link.bugs.title,
          status: link.bugs.status,
          linkReason: link.link_reason,
        }
      : null,
    reviewItems: d.review_items ?? [],
  };
}
