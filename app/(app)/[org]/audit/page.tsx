import { ScrollTextIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { auditCategory, describeAudit } from "@/components/audit/describe";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
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
import { listAuditLog } from "@/lib/organizations/audit-log";
import { listMembers } from "@/lib/organizations/members";
import { requireOrgPage } from "../org-pages";

export const metadata: Metadata = { title: "Audit log" };

const PAGE = 50;

const CATEGORY_LABEL = {
  auth: "Sign-in",
  members: "Members",
  workspace: "Workspace",
  admin: "Admin access",
  other: "Other",
} as const;

const CATEGORY_VARIANT = {
  auth: "default",
  members: "secondary",
  workspace: "outline",
  admin: "warning",
  other: "outline",
} as const;

/** Owners and admins only; for other roles this page does not exist (404). */
export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const { org: slug } = await params;
  const { before } = await searchParams;
  const { org, supabase } = await requireOrgPage(slug, "audit");
  const beforeId = before && /^\d{1,18}$/.test(before) ? Number(before) : undefined;
  const [entries, members] = await Promise.all([
    listAuditLog(supabase, org.id, { limit: PAGE, beforeId }),
    listMembers(supabase, org.id),
  ]);
  const emails = new Map(members.map((m) => [m.user_id, m.email]));
  const targetName = (userId: string) => emails.get(userId);
  const last = entries.at(-1);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Security-relevant events in this workspace: sign-ins, failed sign-ins, two-factor changes, members, roles, invitations and privileged server access. Entries cannot be edited or deleted."
      />
      {entries.length === 0 ? (
        <EmptyState icon={ScrollTextIcon} title="No events yet" testId="audit-empty">
          {beforeId
            ? "There are no older events."
            : "Events appear here as people use the workspace."}
        </EmptyState>
      ) : (
        <Card>
          <Table data-testid="audit-table">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Event</TableHead>
                <TableHead>Who</TableHead>
                <TableHead className="text-right">When</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((e) => {
                const category = auditCategory(e.action);
                return (
                  <TableRow key={e.id} data-testid="audit-row" data-action={e.action}>
                    <TableCell>
                      <div className="flex items-start gap-2">
                        <Badge variant={CATEGORY_VARIANT[category]} className="mt-px shrink-0">
                          {CATEGORY_LABEL[category]}
                        </Badge>
                        <span className="min-w-0">{describeAudit(e, targetName)}</span>
                      </div>
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      {e.actor_email ?? (e.actor_id ? "Former user" : "System")}
                    </TableCell>
                    <TableCell className="text-right whitespace-nowrap text-muted-foreground">
                      <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      )}
      <div className="mt-4 flex justify-end gap-2">
        {beforeId ? (
          <Button asChild variant="outline" size="sm">
            <Link href={orgRoutes(org.slug).audit}>Newest</Link>
          </Button>
        ) : null}
        {entries.length === PAGE && last ? (
          <Button asChild variant="outline" size="sm">
            <Link href={`${orgRoutes(org.slug).audit}?before=${last.id}`}>Older events</Link>
          </Button>
        ) : null}
      </div>
    </>
  );
}
