import { InboxIcon, TriangleAlertIcon } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format-date";
import { Pager } from "@/components/pipeline/pager";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import {
  type DeliveryLogPage,
  type DeliveryLogRow,
  listDeliveries,
} from "@/lib/integrations/delivery-log";
import { log } from "@/lib/log";
import { decodeCursor } from "@/lib/pipeline-data/cursor";
import type { WebhookProvider } from "@/lib/supabase/database.types";
import type { ServerSupabaseClient } from "@/lib/supabase/server";

/** The verdict of a delivery in words (colour is never the only signal). */
function verdict(row: DeliveryLogRow): {
  label: string;
  variant: "success" | "secondary" | "warning" | "outline";
} {
  switch (row.status) {
    case "processed":
      return { label: "Processed", variant: "success" };
    case "sent":
      return { label: "Processing", variant: "secondary" };
    case "pending":
      // recorded and acknowledged; the event is re-sent within a minute or two
      return { label: "Queued", variant: "warning" };
    case "ignored":
      return {
        label:
          row.ignoredReason === "disconnected"
            ? "Ignored: integration disconnected"
            : row.ignoredReason === "ping"
              ? "Ignored: test ping"
              : row.ignoredReason === "unsupported_event"
                ? "Ignored: event not used"
                : "Ignored",
        variant: "outline",
      };
  }
}

/**
 * One provider's webhook delivery log on Settings → Integrations: newest first, ten a page,
 * paginated on the server by `?log=<provider>&after|before=<cursor>` (the other providers' logs
 * stay on their first page). A failed read shows an error here and leaves the rest of the page
 * usable. Shows the provider's delivery id, time, event type and verdict — never the body.
 */
export async function DeliveryLog({
  supabase,
  organizationId,
  orgSlug,
  provider,
  providerName,
  query,
}: {
  supabase: ServerSupabaseClient;
  organizationId: string;
  orgSlug: string;
  provider: WebhookProvider;
  providerName: string;
  query: Record<string, string | string[] | undefined>;
}) {
  const mine = query.log === provider;
  const cursor = (key: "after" | "before") => {
    const value = query[key];
    return mine && typeof value === "string" ? decodeCursor(value) : undefined;
  };
  const testId = `${provider}-deliveries`;
  let page: DeliveryLogPage;
  try {
    page = await listDeliveries(supabase, organizationId, provider, {
      after: cursor("after"),
      before: cursor("before"),
    });
  } catch (error) {
    log.error(
      { err: error instanceof Error ? error.message : "unknown", provider },
      "delivery log read failed",
    );
    return (
      <section aria-labelledby={`${testId}-title`} data-testid={testId}>
        <LogTitle id={`${testId}-title`} />
        <Alert variant="destructive" data-testid={`${testId}-error`}>
          <TriangleAlertIcon aria-hidden="true" />
          <AlertTitle>The delivery log could not be loaded</AlertTitle>
          <AlertDescription>
            Deliveries are still received and processed. Reload the page to try again.
          </AlertDescription>
        </Alert>
      </section>
    );
  }

  return (
    <section aria-labelledby={`${testId}-title`} data-testid={testId}>
      <LogTitle id={`${testId}-title`} />
      {page.rows.length === 0 ? (
        <EmptyState
          icon={InboxIcon}
          title="No deliveries yet"
          testId={`${testId}-empty`}
          className="py-8"
        >
          {providerName} has not sent Patchline a webhook since it was connected. New{" "}
          {provider === "github" ? "pushes and installation changes" : "tickets and replies"} show
          up here within seconds.
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Received</TableHead>
                <TableHead>Event</TableHead>
                <TableHead>Verdict</TableHead>
                <TableHead>Delivery id</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((row) => {
                const v = verdict(row);
                return (
                  <TableRow
                    key={row.id}
                    data-testid="delivery-row"
                    data-delivery-id={row.deliveryId}
                    data-status={row.status}
                  >
                    <TableCell className="whitespace-nowrap">
                      <time dateTime={row.receivedAt}>{formatDateTime(row.receivedAt)}</time>
                    </TableCell>
                    <TableCell className="font-mono text-xs" data-testid="delivery-event">
                      {row.eventType}
                    </TableCell>
                    <TableCell>
                      <Badge variant={v.variant} data-testid="delivery-verdict">
                        {v.label}
                      </Badge>
                    </TableCell>
                    <TableCell
                      className="max-w-48 truncate font-mono text-xs text-muted-foreground"
                      title={row.deliveryId}
                    >
                      {row.deliveryId}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
      <Pager
        base={`/${orgSlug}/settings/integrations`}
        params={{ log: provider }}
        previous={page.previous}
        next={page.next}
        testId={`${testId}-pager`}
      />
    </section>
  );
}

function LogTitle({ id }: { id: string }) {
  return (
    <h3 id={id} className="mb-2 text-sm font-medium">
      Webhook deliveries
    </h3>
  );
}
