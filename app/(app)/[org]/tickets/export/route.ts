import { orgRoute } from "@/lib/auth/guards";
import { toCsv } from "@/lib/pipeline-data/csv";
import { CLASSIFICATION_LABEL, labelOf, TICKET_STATUS_LABEL } from "@/lib/pipeline-data/labels";
import { ticketFiltersInput } from "@/lib/pipeline-data/schemas";
import { ticketsForExport } from "@/lib/pipeline-data/tickets";

const HEADER = [
  "Source",
  "Ticket number",
  "Subject",
  "Requester",
  "Status",
  "Classification",
  "Skip reason",
  "Language",
  "Bug id",
  "Received at (UTC)",
  "Processed at (UTC)",
] as const;

/**
 * The tickets matching the list's filters as CSV (members and viewers: bugs.read). Every field is
 * quoted and formula-safe (lib/pipeline-data/csv.ts); the filters are the list's zod schema, so
 * a bad value is a 422 rather than a silently different export.
 */
export const GET = orgRoute(
  { permission: "bugs.read", schema: ticketFiltersInput },
  async ({ org, input, supabase }) => {
    const rows = await ticketsForExport(supabase, org.id, {
      status: input.status,
      classification: input.classification,
      provider: input.provider,
      q: input.q,
    });
    const body = toCsv(
      HEADER,
      rows.map((t) => [
        t.provider,
        t.externalId,
        t.subject,
        t.requesterName,
        labelOf(TICKET_STATUS_LABEL, t.status),
        labelOf(CLASSIFICATION_LABEL, t.classification),
        t.skipReason,
        t.language,
        t.bugId,
        t.receivedAt,
        t.processedAt,
      ]),
    );
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="tickets-${org.slug}-${day}.csv"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
);
