import { formatDateTime } from "@/components/format-date";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { IntegrationSummary } from "@/lib/integrations/overview";

const STATUS = {
  connected: { label: "Connected", variant: "success" },
  error: { label: "Needs attention", variant: "destructive" },
  disconnected: { label: "Not connected", variant: "outline" },
} as const;

/**
 * One provider's card: its name and status (a word, not only a colour), what it is for, the
 * connection's details when there is one, the controls passed in as children, and the webhook
 * delivery log.
 */
export function ProviderCard({
  provider,
  title,
  description,
  integration,
  account,
  connectedBy,
  deliveryLog,
  children,
}: {
  provider: string;
  title: string;
  description: string;
  integration: IntegrationSummary | undefined;
  account: string | undefined;
  connectedBy: string | undefined;
  /** the provider's webhook delivery log, shown below the controls while connected */
  deliveryLog?: React.ReactNode;
  children: React.ReactNode;
}) {
  const status = STATUS[integration?.status ?? "disconnected"];
  return (
    <Card
      data-testid={`integration-${provider}`}
      data-status={integration?.status ?? "disconnected"}
    >
      <CardHeader>
        <div className="flex items-center justify-between gap-3">
          <CardTitle>{title}</CardTitle>
          <Badge variant={status.variant} data-testid={`${provider}-status`}>
            {status.label}
          </Badge>
        </div>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        {integration ? (
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
            <Detail label="Account" testId={`${provider}-account`}>
              {account ?? integration.externalAccountId}
            </Detail>
            <Detail label="Connected by">
              {connectedBy ?? "A former member"}
              {integration.connectedAt ? (
                <span className="text-muted-foreground">
                  {" "}
                  on{" "}
                  <time dateTime={integration.connectedAt}>
                    {formatDateTime(integration.connectedAt)}
                  </time>
                </span>
              ) : null}
            </Detail>
            <Detail label="Last event received" testId={`${provider}-last-event`}>
              {integration.lastEventAt ? (
                <time dateTime={integration.lastEventAt}>
                  {formatDateTime(integration.lastEventAt)}
                </time>
              ) : (
                <span className="text-muted-foreground">None yet</span>
              )}
            </Detail>
            <Detail label="Last error" testId={`${provider}-last-error`}>
              {integration.lastError ? (
                <span className="text-destructive">
                  {integration.lastError}
                  {integration.lastErrorAt ? (
                    <span className="text-muted-foreground">
                      {" "}
                      (
                      <time dateTime={integration.lastErrorAt}>
                        {formatDateTime(integration.lastErrorAt)}
                      </time>
                      )
                    </span>
                  ) : null}
                </span>
              ) : (
                <span className="text-muted-foreground">None</span>
              )}
            </Detail>
          </dl>
        ) : null}
        {children}
        {integration ? deliveryLog : null}
      </CardContent>
    </Card>
  );
}

function Detail({
  label,
  testId,
  children,
}: {
  label: string;
  testId?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs font-medium tracking-wide text-muted-foreground uppercase">{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
