import { ListChecksIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { BugStatusBadge, SeverityBadge } from "@/components/pipeline/badges";
import { Confidence } from "@/components/pipeline/confidence";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { can } from "@/lib/auth/permissions";
import { orgRoutes } from "@/lib/auth/routes";
import { readGates } from "@/lib/pipeline/gates/settings-store";
import { GATE_LABEL, REVIEW_STATUSES, type ReviewStatus } from "@/lib/pipeline-data/labels";
import { listReviewItems } from "@/lib/pipeline-data/review";
import { parseFilters, reviewFiltersInput } from "@/lib/pipeline-data/schemas";
import { requireOrgPage } from "../org-pages";
import { ReviewButtons } from "./review-buttons";

export const metadata: Metadata = { title: "Review queue" };

const TAB_LABEL: Record<ReviewStatus, string> = {
  open: "Waiting",
  accepted: "Accepted",
  dismissed: "Dismissed",
};

export default async function ReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org: slug } = await params;
  const { org, role, supabase } = await requireOrgPage(slug, "review");
  const { status } = parseFilters(reviewFiltersInput, await searchParams);
  const [items, gates] = await Promise.all([
    listReviewItems(supabase, org.id, status),
    // the bars are coloured against the gates these bugs fell below
    readGates(supabase, org.id),
  ]);
  const routes = orgRoutes(org.slug);
  const mayDecide = can(role, "bugs.write") && status === "open";
  return (
    <>
      <PageHeader
        title="Review queue"
        description="Bugs whose extraction or mapping confidence fell below your workspace's gate wait here for a person. Accept one to make it a Mapped Bug, edit it first, or dismiss it."
      />
      <nav aria-label="Review status" className="mb-4 flex gap-1" data-testid="review-tabs">
        {REVIEW_STATUSES.map((s) => (
          <Link
            key={s}
            href={s === "open" ? routes.review : `${routes.review}?status=${s}`}
            aria-current={s === status ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground hover:bg-secondary hover:text-foreground",
              s === status && "bg-card text-foreground shadow-xs ring-1 ring-border",
            )}
          >
            {TAB_LABEL[s]}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <EmptyState
          icon={ListChecksIcon}
          title={
            status === "open"
              ? "Nothing waits for review"
              : `No ${TAB_LABEL[status].toLowerCase()} items`
          }
          testId="review-empty"
          action={
            <Button asChild variant="outline">
              <Link href={routes.bugs}>See all bugs</Link>
            </Button>
          }
        >
          {status === "open"
            ? "When a ticket's bug is uncertain (a vague report, or no code location that fits well), it waits here instead of being guessed."
            : "Decisions taken in the queue are listed here."}
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y" data-testid="review-list">
            {items.map((item) => {
              const title = item.bug?.title ?? item.ticket?.subject ?? "Untitled";
              return (
                <li
                  key={item.id}
                  className="grid gap-3 p-5 md:grid-cols-[1fr_auto] md:items-center"
                  data-testid="review-item"
                  data-item-id={item.id}
                  data-bug-id={item.bug?.id}
                >
                  <div className="grid min-w-0 gap-1.5">
                    <div className="flex flex-wrap items-center gap-2">
                      {item.gates.map((g) => (
                        <Badge key={g.gate} variant="warning">
                          {GATE_LABEL[g.gate]} gate
                        </Badge>
                      ))}
                      {item.bug ? <SeverityBadge severity={item.bug.severity} /> : null}
                      {item.bug && status !== "open" ? (
                        <BugStatusBadge status={item.bug.status} />
                      ) : null}
                    </div>
                    {item.bug ? (
                      <Link
                        href={routes.bug(item.bug.id)}
                        className="font-medium hover:underline"
                        data-testid="review-bug-link"
                      >
                        {title}
                      </Link>
                    ) : item.ticket ? (
                      <Link
                        href={routes.ticket(item.ticket.id)}
                        className="font-medium hover:underline"
                      >
                        {title}
                      </Link>
                    ) : (
                      <span className="font-medium">{title}</span>
                    )}
                    {item.gates.map((g) => (
                      <p
                        key={g.gate}
                        className="text-sm text-muted-foreground"
                        data-testid="review-reason"
                      >
                        {g.reason}
                      </p>
                    ))}
                    <div className="flex flex-wrap items-center gap-4 text-xs text-muted-foreground">
                      {item.bug ? (
                        <>
                          <span className="inline-flex items-center gap-1">
                            Extraction
                            <Confidence
                              value={item.bug.extractionConfidence}
                              label="Extraction confidence"
                              gate={gates.extraction}
                            />
                          </span>
                          <span className="inline-flex items-center gap-1">
                            Mapping
                            <Confidence
                              value={item.bug.mappingConfidence}
                              label="Mapping confidence"
                              gate={gates.mapping}
                            />
                          </span>
                          {item.bug.top ? (
                            <span className="font-mono">
                              {item.bug.top.path}
                              {item.bug.top.functionName ? ` · ${item.bug.top.functionName}` : ""}
                            </span>
                          ) : null}
                        </>
                      ) : null}
                      <time dateTime={item.resolvedAt ?? item.createdAt}>
                        {formatDateTime(item.resolvedAt ?? item.createdAt)}
                      </time>
                    </div>
                  </div>
                  <div className="flex flex-wrap items-center gap-2">
                    {item.bug ? (
                      <Button asChild variant="ghost" size="sm">
                        <Link
                          href={routes.bug(item.bug.id)}
                          aria-label={`${mayDecide ? "Edit" : "Open"}: ${title}`}
                        >
                          {mayDecide ? "Edit" : "Open"}
                        </Link>
                      </Button>
                    ) : null}
                    {mayDecide ? (
                      <ReviewButtons org={org.slug} itemId={item.id} title={title} />
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
        </Card>
      )}
    </>
  );
}
