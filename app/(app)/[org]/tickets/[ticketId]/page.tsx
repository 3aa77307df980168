import { ArrowLeftIcon, BotIcon, HeadsetIcon, UserIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format-date";
import { PageHeader } from "@/components/page-header";
import { BugStatusBadge, TicketStatusBadge } from "@/components/pipeline/badges";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { can } from "@/lib/auth/permissions";
import { orgRoutes } from "@/lib/auth/routes";
import {
  AUTHOR_ROLE_LABEL,
  type BugStatus,
  CLASSIFICATION_LABEL,
  GATE_LABEL,
  labelOf,
} from "@/lib/pipeline-data/labels";
import { getTicket, type TicketDetail } from "@/lib/pipeline-data/tickets";
import { requireOrgPage } from "../../org-pages";
import { ReprocessForm } from "./reprocess-form";

export const metadata: Metadata = { title: "Ticket" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const AUTHOR_ICON = { customer: UserIcon, agent: HeadsetIcon, bot: BotIcon } as const;

/** What the pipeline did with the ticket, in one sentence. */
function outcome(t: TicketDetail): string {
  switch (t.status) {
    case "skipped":
      return `Set aside: ${t.skipReason ?? "not a bug"}.`;
    case "bug":
      return t.bug?.linkReason === "duplicate"
        ? "Joined an existing bug as a duplicate report."
        : "Became a bug mapped to your code.";
    case "review":
      return "Became a bug that waits for a person in the review queue.";
    case "error":
      return "Processing failed. It can be processed again.";
    case "processing":
      return "Being processed now.";
    default:
      return "Received; waiting to be processed.";
  }
}

export default async function TicketPage({
  params,
}: {
  params: Promise<{ org: string; ticketId: string }>;
}) {
  const { org: slug, ticketId } = await params;
  const { org, role, supabase } = await requireOrgPage(slug, "tickets");
  if (!UUID.test(ticketId)) notFound();
  const t = await getTicket(supabase, org.id, ticketId);
  if (!t) notFound();
  const routes = orgRoutes(org.slug);
  const mayReprocess = can(role, "bugs.write");
  return (
    <>
      <div className="mb-4">
        <Button asChild variant="ghost" size="sm" className="-ml-2">
          <Link href={routes.tickets}>
            <ArrowLeftIcon aria-hidden="true" />
            All tickets
          </Link>
        </Button>
      </div>
      <PageHeader
        title={t.subject || "(no subject)"}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <TicketStatusBadge status={t.status} />
            <span>
              <span className="capitalize">{t.provider}</span> #{t.externalId}
              {t.requesterName ? ` from ${t.requesterName}` : ""} · received{" "}
              <time dateTime={t.receivedAt}>{formatDateTime(t.receivedAt)}</time>
            </span>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2" data-testid="ticket-thread">
          <CardHeader>
            <CardTitle>Conversation</CardTitle>
            <CardDescription>
              The public thread, in order. Internal notes are never stored
              {t.droppedInternalNotes ? ` (${t.droppedInternalNotes} left out of this ticket)` : ""}
              .
            </CardDescription>
          </CardHeader>
          {t.truncationNote ? (
            <CardContent>
              <Alert variant="info">
                <AlertDescription>{t.truncationNote}</AlertDescription>
              </Alert>
            </CardContent>
          ) : null}
          <ol className="divide-y border-t">
            {t.messages.map((m) => {
              const Icon = AUTHOR_ICON[m.authorRole];
              return (
                <li
                  key={m.id}
                  className={cn(
                    "grid gap-2 px-6 py-4",
                    m.authorRole !== "customer" && "bg-muted/30",
                  )}
                  data-testid="ticket-message"
                  data-author={m.authorRole}
                >
                  <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                    <Icon className="size-3.5" aria-hidden="true" />
                    <span className="font-medium text-foreground">
                      {AUTHOR_ROLE_LABEL[m.authorRole]}
                    </span>
                    {m.origin !== "person" ? (
                      <Badge variant="outline" className="capitalize">
                        {m.origin}
                      </Badge>
                    ) : null}
                    <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                  </div>
                  {/* plain text, rendered as text: HTML in a ticket is shown, never run */}
                  <p
                    className="text-sm whitespace-pre-wrap break-words"
                    data-testid="ticket-message-body"
                  >
                    {m.body}
                  </p>
                </li>
              );
            })}
            {t.messages.length === 0 ? (
              <li className="px-6 py-4 text-sm text-muted-foreground">
                No public messages were stored for this ticket.
              </li>
            ) : null}
          </ol>
        </Card>
        <div className="grid content-start gap-6">
          <Card data-testid="ticket-outcome">
            <CardHeader>
              <CardTitle>What Patchline did</CardTitle>
              <CardDescription data-testid="ticket-outcome-text">{outcome(t)}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4 text-sm">
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
                <dt className="text-muted-foreground">Classification</dt>
                <dd data-testid="ticket-classification">
                  {labelOf(CLASSIFICATION_LABEL, t.classification)}
                </dd>
                {t.skipReason ? (
                  <>
                    <dt className="text-muted-foreground">Skip reason</dt>
                    <dd data-testid="ticket-skip-reason">{t.skipReason}</dd>
                  </>
                ) : null}
                <dt className="text-muted-foreground">Language</dt>
                <dd>{t.language ?? "—"}</dd>
                <dt className="text-muted-foreground">Processed</dt>
                <dd>{t.processedAt ? formatDateTime(t.processedAt) : "Not yet"}</dd>
                {t.tags.length ? (
                  <>
                    <dt className="text-muted-foreground">Tags</dt>
                    <dd className="flex flex-wrap gap-1">
                      {t.tags.map((tag) => (
                        <Badge key={tag} variant="secondary">
                          {tag}
                        </Badge>
                      ))}
                    </dd>
                  </>
                ) : null}
              </dl>
              {t.lastError ? (
                <Alert variant="destructive">
                  <AlertTitle>Last error</AlertTitle>
                  <AlertDescription>{t.lastError}</AlertDescription>
                </Alert>
              ) : null}
              {t.bug ? (
                <div className="rounded-lg border p-3" data-testid="ticket-bug">
                  <p className="text-xs text-muted-foreground">Bug</p>
                  <Link href={routes.bug(t.bug.id)} className="font-medium hover:underline">
                    {t.bug.title}
                  </Link>
                  <div className="mt-1">
                    <BugStatusBadge status={t.bug.status as BugStatus} />
                  </div>
                </div>
              ) : null}
              {t.reviewItems.length ? (
                <ul className="grid gap-1 text-xs text-muted-foreground">
                  {t.reviewItems.map((r) => (
                    <li key={r.id}>
                      {labelOf(GATE_LABEL, r.gate)} gate ({r.status}): {r.reason}
                    </li>
                  ))}
                </ul>
              ) : null}
              {mayReprocess ? <ReprocessForm org={org.slug} ticketId={t.id} /> : null}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}
