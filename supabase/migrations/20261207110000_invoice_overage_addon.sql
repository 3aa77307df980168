-- Overage collected on Razorpay (issue 18): Razorpay charges a subscription its plan's amount
-- each cycle; what an invoice adds to that (the overage, less the credits applied, with its GST)
-- is created as an add-on on the subscription (POST /v1/subscriptions/{id}/addons), which
-- Razorpay bills on the subscription's next invoice and collects with its next charge.
--
-- The invoice records its add-on once (razorpay_addon_id, unique: a retried job finds it set and
-- creates nothing) and, when the next charge bills it, the payment that collected it. Written by
-- the service role only (the Razorpay consumer); owners and admins read them with the invoice
-- (the table's select grant and policy cover new columns).

alter table public.invoices
  add column razorpay_addon_id text unique
    check (char_length(razorpay_addon_id) between 1 and 100),
  add column razorpay_addon_minor bigint check (razorpay_addon_minor > 0),
  add column addon_collected_payment_id text
    check (char_length(addon_collected_payment_id) between 1 and 100),
  add column addon_collected_at timestamptz,
  add constraint invoices_addon_has_amount
    check ((razorpay_addon_id is null) = (razorpay_addon_minor is null)),
  -- never more than the invoice asks beyond the plan's own charge
  add constraint invoices_addon_within_total
    check (razorpay_addon_minor is null or razorpay_addon_minor <= total_minor),
  add constraint invoices_addon_collected_after_created
    check (addon_collected_payment_id is null or razorpay_addon_id is not null),
  add constraint invoices_addon_collected_has_date
    check ((addon_collected_payment_id is null) = (addon_collected_at is null));

comment on column public.invoices.razorpay_addon_id is
  'The Razorpay add-on that charges what this invoice adds to the plan''s charge (overage less credits, with GST), collected with the subscription''s next charge; null when nothing is owed beyond the plan.';
comment on column public.invoices.razorpay_addon_minor is
  'The add-on''s amount in minor units (total_minor less the plan''s charge: base plus its GST).';
comment on column public.invoices.addon_collected_payment_id is
  'The Razorpay payment of the charge that billed the add-on.';
