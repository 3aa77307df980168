import { RocketIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { SeverityBadge } from "@/components/pipeline/badges";
import { Badge } from "@/components/ui/badge";
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
import { listShippedBugs } from "@/lib/fixes/deploys/shipped-bugs";
import type { Severity } from "@/lib/pipeline-data/labels";
import { requireOrgPage } from "../org-pages";

export const metadata: Metadata = { title: "Shipped" };

const RCA_LABEL: Record<
  string,
  { label: string; variant: "success" | "secondary" | "destructive" | "default" }
> = {
  draft: { label: "RCA draft", variant: "secondary" },
  approved: { label: "RCA approved", variant: "default" },
  published: { label: "RCA posted", variant: "success" },
  parked: { label: "RCA parked", variant: "destructive" },
};

/** Bugs whose fix runs in production (deploy detection confirmed every PR of the stack). */
export default async function ShippedPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org, supabase } = await requireOrgPage(slug, "shipped");
  const bugs = await listShippedBugs(supabase, org.id);
  const routes = orgRoutes(org.slug);
  return (
    <>
      <PageHeader
        title="Shipped"
        description="Bugs whose fix runs in production: a successful production deploy contains every pull request of the fix."
      />
      {bugs.length === 0 ? (
        <EmptyState icon={RocketIcon} title="Nothing shipped yet" testId="shipped-empty">
          A bug appears here once a production deploy contains its merged fix. Link the fix&apos;s
          pull request on the bug page; Patchline watches GitHub deployments for you.
        </EmptyState>
      ) : (
        <Card className="overflow-hidden p-0">
          <Table data-testid="shipped-table">
            <TableHeader>
              <TableRow>
                <TableHead>Bug</TableHead>
                <TableHead>Fix</TableHead>
                <TableHead>In production since</TableHead>
                <TableHead>Customers</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {bugs.map((b) => {
                const rca = b.rcaStatus ? RCA_LABEL[b.rcaStatus] : undefined;
                return (
                  <TableRow key={b.bugId} data-testid="shipped-bug" data-bug-id={b.bugId}>
                    <TableCell className="max-w-md">
                      <div className="grid justify-items-start gap-1">
                        <Link href={routes.bug(b.bugId)} className="font-medium hover:underline">
                          {b.title}
                        </Link>
                        <SeverityBadge severity={b.severity as Severity} />
                      </div>
                    </TableCell>
                    <TableCell>
                      <ul className="grid gap-0.5 text-sm">
                        {b.pullRequests.map((p) => (
                          <li key={`${p.repository}#${p.number}`}>
                            <a
                              href={p.url}
                              target="_blank"
                              rel="noopener noreferrer"
                              className="underline underline-offset-2"
                            >
                              {p.repository}#{p.number}
                              <span className="sr-only">(opens in a new tab)</span>
                            </a>
                          </li>
                        ))}
                      </ul>
                    </TableCell>
                    <TableCell className="text-sm">
                      {b.shippedAt ? (
                        <time dateTime={b.shippedAt}>{formatDateTime(b.shippedAt)}</time>
                      ) : (
                        "—"
                      )}
                      {b.deployedSha ? (
                        <span className="block font-mono text-xs text-muted-foreground">
                          {b.deployedSha.slice(0, 7)}
                        </span>
                      ) : null}
                    </TableCell>
                    <TableCell className="text-sm">
                      <div className="grid justify-items-start gap-1">
                        <span>{b.tickets === 1 ? "1 ticket" : `${b.tickets} tickets`}</span>
                        {rca ? <Badge variant={rca.variant}>{rca.label}</Badge> : null}
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      )}
    </>
  );
}
