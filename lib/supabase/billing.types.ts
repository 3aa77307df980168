/**
 * The billing tables (supabase/migrations/20261206210000_billing_tables.sql) in the shape
 * `supabase gen types typescript` produces; `database.types.ts` puts them into `Database`.
 * Written by hand; supabase/tests/database-types.test.ts compares the columns with the schema.
 * Amounts are integers in minor units (paise for INR, cents for USD).
 */

type Rel = {
  foreignKeyName: string;
  columns: string[];
  isOneToOne: boolean;
  referencedRelation: string;
  referencedColumns: string[];
};

/** Required keys of `Row` stay required in `Insert` unless listed as defaulted. */
type InsertOf<Row, Defaulted extends keyof Row> = Omit<Row, Defaulted> &
  Partial<Pick<Row, Defaulted>>;

export type Currency = "INR" | "USD";
export type SubscriptionStatus = "trialing" | "active" | "pending" | "halted" | "cancelled";
export type InvoiceStatus = "draft" | "issued" | "paid" | "failed" | "void";
export type InvoiceLineKind = "base" | "overage" | "credit" | "tax";
export type InvoiceKind = "cycle" | "cancellation";

export type PlanRow = {
  id: string;
  name: string;
  included_bugs: number;
  price_inr_paise: number;
  gst_rate_bp: number;
  price_usd_cents: number;
  overage_inr_paise: number;
  overage_usd_cents: number;
  razorpay_plan_id_inr: string | null;
  razorpay_plan_id_usd: string | null;
  active: boolean;
  sort_order: number;
  created_at: string;
};

export type SubscriptionRow = {
  organization_id: string;
  plan_id: string | null;
  currency: Currency | null;
  status: SubscriptionStatus;
  trial_started_at: string;
  trial_ends_at: string;
  trial_bug_limit: number;
  current_period_start: string | null;
  current_period_end: string | null;
  overage_cap: number | null;
  razorpay_customer_id: string | null;
  razorpay_subscription_id: string | null;
  cancelled_at: string | null;
  /** created_at of the newest Razorpay event applied (migration 20261206270000). */
  razorpay_event_at: string | null;
  action_needed: BillingActionNeeded | null;
  action_needed_at: string | null;
  /** When the trial notices were claimed (migration 20261206290000); service role only. */
  trial_ending_notified_at: string | null;
  trial_ended_notified_at: string | null;
  created_at: string;
  updated_at: string;
};

export type BillingActionNeeded = "payment_failed" | "halted";

export type UsageWarningRow = {
  id: string;
  organization_id: string;
  period_start: string;
  threshold: 80 | 100;
  bugs_counted: number;
  allowance: number;
  created_at: string;
  /** When notify-usage-warnings announced it (migration 20261206280300); null: not yet. */
  notified_at: string | null;
};

/** A refund's state on Razorpay (its refund entity's `status`). */
export type RefundStatus = "pending" | "processed" | "failed";

export type InvoiceRow = {
  id: string;
  organization_id: string;
  period_start: string;
  period_end: string;
  plan_id: string;
  currency: Currency;
  included_bugs: number;
  bugs_count: number;
  overage_bugs: number;
  credited_bugs: number;
  base_minor: number;
  overage_minor: number;
  credits_minor: number;
  subtotal_minor: number;
  tax_rate_bp: number;
  tax_minor: number;
  total_minor: number;
  status: InvoiceStatus;
  razorpay_invoice_id: string | null;
  razorpay_payment_id: string | null;
  issued_at: string | null;
  paid_at: string | null;
  /** The Razorpay add-on charging what the invoice adds to the plan's charge (migration 20261207110000). */
  razorpay_addon_id: string | null;
  razorpay_addon_minor: number | null;
  /** The payment of the next charge, which billed the add-on. */
  addon_collected_payment_id: string | null;
  addon_collected_at: string | null;
  /** The Payment Link asking for the add-on after a cancellation (migration 20261210100100). */
  addon_payment_link_id: string | null;
  addon_payment_link_url: string | null;
  /** The Razorpay refund of what the invoice is below the plan's charge (migration 20261209100000). */
  razorpay_refund_id: string | null;
  razorpay_refund_minor: number | null;
  /** Its state on Razorpay, when that last changed, and the attempt (migration 20261210100000). */
  razorpay_refund_status: RefundStatus | null;
  razorpay_refund_status_at: string | null;
  razorpay_refund_attempt: 1 | 2 | null;
  /** cycle (closed at a charge) or cancellation (the partial cycle, migration 20261211100000). */
  kind: InvoiceKind;
  /** On a cancellation invoice: the Razorpay subscription whose cancellation closed it. */
  razorpay_subscription_id: string | null;
  created_at: string;
  updated_at: string;
};

export type InvoiceLineRow = {
  id: string;
  organization_id: string;
  invoice_id: string;
  position: number;
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unit_minor: number;
  amount_minor: number;
  created_at: string;
};

export type BugCreditRow = {
  id: string;
  organization_id: string;
  bug_id: string;
  bug_billed_at: string;
  reason: string;
  flagged_by: string | null;
  credited_at: string;
  invoice_id: string | null;
  created_at: string;
};

export type BillingDetailsRow = {
  organization_id: string;
  contact_name: string;
  contact_email: string;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string;
  gstin: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
};

type BillingDetailsEditable = Omit<
  BillingDetailsRow,
  "organization_id" | "updated_by" | "created_at" | "updated_at"
>;

export type BillingTables = {
  plans: {
    Row: PlanRow;
    Insert: InsertOf<
      PlanRow,
      | "gst_rate_bp"
      | "razorpay_plan_id_inr"
      | "razorpay_plan_id_usd"
      | "active"
      | "sort_order"
      | "created_at"
    >;
    Update: Partial<Omit<PlanRow, "id" | "created_at">>;
    Relationships: Rel[];
  };
  subscriptions: {
    Row: SubscriptionRow;
    Insert: InsertOf<SubscriptionRow, Exclude<keyof SubscriptionRow, "organization_id">>;
    Update: Partial<Omit<SubscriptionRow, "organization_id" | "created_at" | "updated_at">>;
    Relationships: Rel[];
  };
  usage_warnings: {
    Row: UsageWarningRow;
    Insert: InsertOf<UsageWarningRow, "id" | "created_at" | "notified_at">;
    Update: Partial<Pick<UsageWarningRow, "bugs_counted" | "allowance" | "notified_at">>;
    Relationships: Rel[];
  };
  invoices: {
    Row: InvoiceRow;
    Insert: InsertOf<
      InvoiceRow,
      | "id"
      | "credited_bugs"
      | "credits_minor"
      | "status"
      | "razorpay_invoice_id"
      | "razorpay_payment_id"
      | "issued_at"
      | "paid_at"
      | "razorpay_addon_id"
      | "razorpay_addon_minor"
      | "addon_collected_payment_id"
      | "addon_collected_at"
      | "addon_payment_link_id"
      | "addon_payment_link_url"
      | "razorpay_refund_id"
      | "razorpay_refund_minor"
      | "razorpay_refund_status"
      | "razorpay_refund_status_at"
      | "razorpay_refund_attempt"
      | "kind"
      | "razorpay_subscription_id"
      | "created_at"
      | "updated_at"
    >;
    Update: Partial<
      Pick<
        InvoiceRow,
        | "status"
        | "razorpay_invoice_id"
        | "razorpay_payment_id"
        | "issued_at"
        | "paid_at"
        | "razorpay_addon_id"
        | "razorpay_addon_minor"
        | "addon_collected_payment_id"
        | "addon_collected_at"
        | "addon_payment_link_id"
        | "addon_payment_link_url"
        | "razorpay_refund_id"
        | "razorpay_refund_minor"
        | "razorpay_refund_status"
        | "razorpay_refund_status_at"
        | "razorpay_refund_attempt"
      >
    >;
    Relationships: Rel[];
  };
  invoice_lines: {
    Row: InvoiceLineRow;
    Insert: InsertOf<InvoiceLineRow, "id" | "created_at">;
    Update: Partial<Pick<InvoiceLineRow, "description">>;
    Relationships: Rel[];
  };
  bug_credits: {
    Row: BugCreditRow;
    Insert: InsertOf<
      BugCreditRow,
      "id" | "bug_billed_at" | "flagged_by" | "credited_at" | "invoice_id" | "created_at"
    >;
    Update: Partial<Pick<BugCreditRow, "invoice_id">>;
    Relationships: Rel[];
  };
  billing_details: {
    Row: BillingDetailsRow;
    Insert: InsertOf<
      Pick<BillingDetailsRow, "organization_id"> & BillingDetailsEditable,
      "address_line1" | "address_line2" | "city" | "region" | "postal_code" | "gstin"
    >;
    Update: Partial<BillingDetailsEditable>;
    Relationships: Rel[];
  };
};
