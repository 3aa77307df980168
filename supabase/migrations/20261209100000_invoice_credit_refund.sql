-- Credits above the overage refunded on Razorpay (issue 18 mend): when an invoice's credits
-- (mismapped bugs) are worth more than its overage, its total is below the plan's charge that
-- Razorpay already took with the payment that recorded it. An add-on cannot be negative, so the
-- difference is refunded on that payment (POST /v1/payments/{id}/refund, partial).
--
-- The invoice records its refund once (razorpay_refund_id, unique: a retried job finds it set and
-- refunds nothing more). Written by the service role only (the Razorpay consumer); owners and
-- admins read them with the invoice (the table's select grant and policy cover new columns).

alter table public.invoices
  add column razorpay_refund_id text unique
    check (char_length(razorpay_refund_id) between 1 and 100),
  add column razorpay_refund_minor bigint check (razorpay_refund_minor > 0),
  add constraint invoices_refund_has_amount
    check ((razorpay_refund_id is null) = (razorpay_refund_minor is null)),
  -- refunded on the payment that recorded the invoice, never more than that payment (the plan's
  -- charge: the base plus its tax, rounded half up as lib/billing/money.ts applyRate does)
  add constraint invoices_refund_has_payment
    check (razorpay_refund_id is null or razorpay_payment_id is not null),
  add constraint invoices_refund_within_payment
    check (
      razorpay_refund_minor is null
      or razorpay_refund_minor <= base_minor + (base_minor * tax_rate_bp + 5000) / 10000
    ),
  -- an invoice either asks more than the plan's charge (add-on) or less (refund), never both
  add constraint invoices_addon_or_refund
    check (razorpay_addon_id is null or razorpay_refund_id is null);

comment on column public.invoices.razorpay_refund_id is
  'The Razorpay refund giving back what this invoice is below the plan''s charge (credits above the overage, with their tax), made on razorpay_payment_id; null when nothing is owed back.';
comment on column public.invoices.razorpay_refund_minor is
  'The refund''s amount in minor units (the plan''s charge, base plus its tax, less total_minor).';
