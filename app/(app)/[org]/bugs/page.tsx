import { BugIcon, SearchXIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { formatDate } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { BugStatusBadge, SeverityBadge } from "@/components/pipeline/badges";
import { Confidence } from "@/components/pipeline/confidence";
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
import { readGates } from "@/lib/pipeline/gates/settings-store";
import { listBugs, listRepositoryNames } from "@/lib/pipeline-data/bugs";
import { decodeCursor } from "@/lib/pipeline-data/cursor";
import {
  BUG_STATUS_LABEL,
  BUG_STATUSES,
  SEVERITIES,
  SEVERITY_LABEL,
} from "@/lib/pipeline-data/labels";
import { bugFiltersInput, parseFilters } from "@/lib/pipeline-data/schemas";
import { requireOrgPage } from "../org-pages";

export const metadata: Metadata = { title: "Bugs" };

export default async function BugsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org: slug } = await params;
  const { org, supabase } = await requireOrgPage(slug, "bugs");
  const f = parseFilters(bugFiltersInput, await searchParams);
  const filters = { status: f.status, severity: f.severity, repository: f.repository, q: f.q };
  const [page, repositories, gates] = await Promise.all([
    listBugs(supabase, org.id, filters, {
      after: decodeCursor(f.after),
      before: decodeCursor(f.before),
    }),
    listRepositoryNames(supabase, org.id),
    // the bars are coloured against the gates that decided these bugs
    readGates(supabase, org.id),
  ]);
  const routes = orgRoutes(org.slug);
  const filtered = Boolean(f.status || f.severity || f.repository || f.q);
  return (
    <>
      <PageHeader
        title="Bugs"
        description="Bugs found in your support tickets, each pinned to the code most likely responsible. Open one to correct it or check its code locations."
      />
      <FilterBar
        action={routes.bugs}
        q={f.q}
        searchLabel="Search titles"
        searchPlaceholder="e.g. checkout total"
        active={filtered}
        testId="bug-filters"
        selects={[
          {
            name: "status",
            label: "Status",
            value: f.status,
            options: BUG_STATUSES.map((s) => ({ value: s, label: BUG_STATUS_LABEL[s] })),
          },
          {
            name: "severity",
            label: "Severity",
            value: f.severity,
            options: SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABEL[s] })),
          },
          ...(repositories.length > 0
            ? [
                {
                  name: "repository",
                  label: "Repository",
                  value: f.repository,
                  options: repositories.map((r) => ({ value: r, label: r })),
                },
              ]
            : []),
        ]}
      />
      {page.rows.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={SearchXIcon}
            title="No bugs match these filters"
            testId="bugs-empty-filtered"
            action={
              <Button asChild variant="outline">
                <Link href={routes.bugs}>Clear filters</Link>
              </Button>
            }
          >
            Try another status or severity, or search for fewer words.
          </EmptyState>
        ) : (
          <EmptyState
            icon={BugIcon}
            title="No bugs yet"
            testId="bugs-empty"
            action={
              <Button asChild variant="outline">
                <Link href={routes.tickets}>See tickets</Link>
              </Button>
            }
          >
            Bugs appear here as tickets arrive from Zendesk or Intercom and are mapped to your
            indexed repositories. Connect a support tool and select a repository in Settings to
            start.
          </EmptyState>
        )
      ) : (
        <Card>
          <Table data-testid="bugs-table">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Bug</TableHead>
                <TableHead>Severity</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Extraction</TableHead>
                <TableHead>Mapping</TableHead>
                <TableHead className="text-right">Found</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((b) => (
                <TableRow key={b.id} data-testid="bug-row" data-bug-id={b.id}>
                  <TableCell className="min-w-64">
                    <Link
                      href={routes.bug(b.id)}
                      className="font-medium hover:underline focus-visible:underline"
                      data-testid="bug-link"
                    >
                      {b.title}
                    </Link>
                    <div className="mt-0.5 truncate font-mono text-xs text-muted-foreground">
                      {b.top
                        ? `${b.top.path}${b.top.functionName ? ` · ${b.top.functionName}` : ""}`
                        : "No code location"}
                      {b.ticketCount > 1 ? ` · ${b.ticketCount} tickets` : ""}
                    </div>
                  </TableCell>
                  <TableCell>
                    <SeverityBadge severity={b.severity} />
                  </TableCell>
                  <TableCell>
                    <BugStatusBadge status={b.status} />
                  </TableCell>
                  <TableCell>
                    <Confidence
                      value={b.extractionConfidence}
                      label="Extraction confidence"
                      gate={gates.extraction}
                      compact
                    />
                  </TableCell>
                  <TableCell>
                    <Confidence
                      value={b.mappingConfidence}
                      label="Mapping confidence"
                      gate={gates.mapping}
                      compact
                    />
                  </TableCell>
                  <TableCell className="text-right whitespace-nowrap text-muted-foreground">
                    <time dateTime={b.createdAt}>{formatDate(b.createdAt)}</time>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      <Pager
        base={routes.bugs}
        params={filters}
        previous={page.previous}
        next={page.next}
        testId="bugs-pager"
      />
    </>
  );
}
