import { DownloadIcon, InboxIcon, SearchXIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { formatDate } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { TicketStatusBadge } from "@/components/pipeline/badges";
import { FilterBar } from "@/components/pipeline/filter-bar";
import { Pager } from "@/components/pipeline/pager";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { orgRoutes } from "@/lib/auth/routes";
import { decodeCursor } from "@/lib/pipeline-data/cursor";
import {
  CLASSIFICATION_LABEL,
  CLASSIFICATIONS,
  labelOf,
  TICKET_STATUS_LABEL,
  TICKET_STATUSES,
} from "@/lib/pipeline-data/labels";
import { parseFilters, ticketFiltersInput } from "@/lib/pipeline-data/schemas";
import { listTickets } from "@/lib/pipeline-data/tickets";
import { requireOrgPage } from "../org-pages";

export const metadata: Metadata = { title: "Tickets" };

export default async function TicketsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org: slug } = await params;
  const { org, supabase } = await requireOrgPage(slug, "tickets");
  const f = parseFilters(ticketFiltersInput, await searchParams);
  const filters = {
    status: f.status,
    classification: f.classification,
    provider: f.provider,
    q: f.q,
  };
  const page = await listTickets(supabase, org.id, filters, {
    after: decodeCursor(f.after),
    before: decodeCursor(f.before),
  });
  const routes = orgRoutes(org.slug);
  const filtered = Boolean(f.status || f.classification || f.provider || f.q);
  const csv = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) csv.set(k, v);
  const csvHref = csv.size ? `${routes.ticketsCsv}?${csv}` : routes.ticketsCsv;
  return (
    <>
      <PageHeader
        title="Tickets"
        description="Every support ticket Patchline received, and what it did with each: a bug, a review item, or set aside with the reason."
        actions={
          <Button asChild variant="outline">
            {/* a download, not a page: no client-side navigation */}
            <a href={csvHref} download data-testid="tickets-csv">
              <DownloadIcon aria-hidden="true" />
              Download CSV
            </a>
          </Button>
        }
      />
      <FilterBar
        action={routes.tickets}
        q={f.q}
        searchLabel="Search subjects or ticket number"
        searchPlaceholder="e.g. refund, or 1042"
        active={filtered}
        testId="ticket-filters"
        selects={[
          {
            name: "status",
            label: "Status",
            value: f.status,
            options: TICKET_STATUSES.map((s) => ({ value: s, label: TICKET_STATUS_LABEL[s] })),
          },
          {
            name: "classification",
            label: "Classification",
            value: f.classification,
            options: CLASSIFICATIONS.map((c) => ({ value: c, label: CLASSIFICATION_LABEL[c] })),
          },
          {
            name: "provider",
            label: "Source",
            value: f.provider,
            options: [
              { value: "zendesk", label: "Zendesk" },
              { value: "intercom", label: "Intercom" },
            ],
          },
        ]}
      />
      {page.rows.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={SearchXIcon}
            title="No tickets match these filters"
            testId="tickets-empty-filtered"
            action={
              <Button asChild variant="outline">
                <Link href={routes.tickets}>Clear filters</Link>
              </Button>
            }
          >
            Try another status or classification, or search for fewer words.
          </EmptyState>
        ) : (
          <EmptyState icon={InboxIcon} title="No tickets yet" testId="tickets-empty">
            Tickets arrive here from Zendesk or Intercom once a support tool is connected in
            Settings. New tickets are read within seconds.
          </EmptyState>
        )
      ) : (
        <Card>
          <Table data-testid="tickets-table">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Ticket</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Classification</TableHead>
                <TableHead>Outcome</TableHead>
                <TableHead className="text-right">Received</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((t) => (
                <TableRow key={t.id} data-testid="ticket-row" data-ticket-id={t.id}>
                  <TableCell className="max-w-sm">
                    <Link
                      href={routes.ticket(t.id)}
                      className="font-medium hover:underline"
                      data-testid="ticket-link"
                    >
                      {t.subject || "(no subject)"}
                    </Link>
                    <div className="mt-0.5 text-xs text-muted-foreground">
                      <span className="capitalize">{t.provider}</span> #{t.externalId}
                      {t.requesterName ? ` · ${t.requesterName}` : ""}
                    </div>
                  </TableCell>
                  <TableCell>
                    <TicketStatusBadge status={t.status} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {labelOf(CLASSIFICATION_LABEL, t.classification)}
                  </TableCell>
                  <TableCell className="max-w-xs text-sm text-muted-foreground">
                    {t.skipReason ? (
                      <span data-testid="ticket-skip-reason">{t.skipReason}</span>
                    ) : t.bugId ? (
                      <Link href={routes.bug(t.bugId)} className="text-primary hover:underline">
                        Open the bug
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell className="text-right whitespace-nowrap text-muted-foreground">
                    <time dateTime={t.receivedAt}>{formatDate(t.receivedAt)}</time>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      <Pager
        base={routes.tickets}
        params={filters}
        previous={page.previous}
        next={page.next}
        testId="tickets-pager"
      />
    </>
  );
}
