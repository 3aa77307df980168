import { Badge } from "@/components/ui/badge";
import {
  BUG_STATUS_LABEL,
  BUG_STATUS_VARIANT,
  type BugStatus,
  SEVERITY_LABEL,
  SEVERITY_VARIANT,
  type Severity,
  TICKET_STATUS_LABEL,
  TICKET_STATUS_VARIANT,
  type TicketStatus,
} from "@/lib/pipeline-data/labels";

/** Severity as a word in a tinted pill (the word carries it; colour only helps). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge variant={SEVERITY_VARIANT[severity]} data-testid="severity" data-severity={severity}>
      {SEVERITY_LABEL[severity]}
    </Badge>
  );
}

export function BugStatusBadge({ status }: { status: BugStatus }) {
  return (
    <Badge variant={BUG_STATUS_VARIANT[status]} data-testid="bug-status" data-status={status}>
      {BUG_STATUS_LABEL[status]}
    </Badge>
  );
}

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  return (
    <Badge
      variant={TICKET_STATUS_VARIANT[status] ?? "outline"}
      data-testid="ticket-status"
      data-status={status}
    >
      {TICKET_STATUS_LABEL[status] ?? status}
    </Badge>
  );
}
