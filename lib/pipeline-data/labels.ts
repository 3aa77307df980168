/**
 * Words and badge variants for the pipeline's states, shared by the pages and the CSV export.
 * Pure data: safe in client and server components. Colour is never the only signal: every badge
 * carries its word.
 */

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const BUG_STATUSES = ["mapped", "held", "review", "dismissed"] as const;
export type BugStatus = (typeof BUG_STATUSES)[number];

export const TICKET_STATUSES = [
  "received",
  "processing",
  "skipped",
  "bug",
  "review",
  "error",
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const CLASSIFICATIONS = [
  "bug",
  "billing",
  "account_access",
  "how_to",
  "feature_request",
  "spam",
  "thanks_closing",
] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const REVIEW_STATUSES = ["open", "accepted", "dismissed"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

type Variant = "default" | "secondary" | "outline" | "success" | "warning" | "destructive";

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};
export const SEVERITY_VARIANT: Record<Severity, Variant> = {
  critical: "destructive",
  high: "warning",
  medium: "default",
  low: "secondary",
};

export const BUG_STATUS_LABEL: Record<BugStatus, string> = {
  mapped: "Mapped",
  held: "Held: over allowance",
  review: "In review",
  dismissed: "Dismissed",
};
export const BUG_STATUS_VARIANT: Record<BugStatus, Variant> = {
  mapped: "success",
  held: "warning",
  review: "warning",
  dismissed: "outline",
};

export const TICKET_STATUS_LABEL: Record<TicketStatus, string> = {
  received: "Received",
  processing: "Processing",
  skipped: "Skipped",
  bug: "Bug",
  review: "In review",
  error: "Error",
};
export const TICKET_STATUS_VARIANT: Record<TicketStatus, Variant> = {
  received: "secondary",
  processing: "secondary",
  skipped: "outline",
  bug: "success",
  review: "warning",
  error: "destructive",
};

export const CLASSIFICATION_LABEL: Record<Classification, string> = {
  bug: "Bug report",
  billing: "Billing",
  account_access: "Account access",
  how_to: "How-to question",
  feature_request: "Feature request",
  spam: "Spam",
  thanks_closing: "Thanks / closing",
};

export const GATE_LABEL = { extraction: "Extraction", mapping: "Mapping" } as const;

export const AUTHOR_ROLE_LABEL = { customer: "Customer", agent: "Agent", bot: "Bot" } as const;

/** "0.83" → "83%": confidences are stored in [0, 1]. */
export function percent(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = Number(value);
  if (!Number.isFinite(n)) return "—";
  return `${Math.round(n * 100)}%`;
}

/** A label from a table, or the raw value for anything newer than the table. */
export function labelOf<K extends string>(table: Record<K, string>, value: string | null): string {
  if (value === null) return "—";
  return (table as Record<string, string>)[value] ?? value;
}
