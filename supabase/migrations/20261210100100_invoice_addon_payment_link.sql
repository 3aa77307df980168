-- An add-on pending when the subscription is cancelled (billing mend of issue 18): Razorpay adds an
-- add-on to the subscription's next invoice and charges it with the next scheduled charge, and a
-- cancelled subscription has no next charge, so the overage it carries would never be collected.
-- At the cancellation Patchline asks for it with a Razorpay Payment Link instead (POST
-- /v1/payment_links, reference_id = the invoice id) and removes the add-on, so it is asked once and
-- can be paid once (docs/billing.md "An add-on pending at cancellation").
--
-- The link's payment is recorded in addon_collected_payment_id/_at like a charge's. Written by the
-- service role only (the Razorpay consumer); owners and admins read them with the invoice (the
-- table's select grant and policy cover new columns; supabase/tests/rls-invoices.test.ts).

alter table public.invoices
  add column addon_payment_link_id text unique
    check (char_length(addon_payment_link_id) between 1 and 100),
  add column addon_payment_link_url text
    check (addon_payment_link_url ~ '^https?://' and char_length(addon_payment_link_url) <= 500),
  add constraint invoices_payment_link_has_url
    check ((addon_payment_link_id is null) = (addon_payment_link_url is null)),
  -- only an add-on's amount is asked by link
  add constraint invoices_payment_link_for_addon
    check (addon_payment_link_id is null or razorpay_addon_id is not null);

comment on column public.invoices.addon_payment_link_id is
  'The Razorpay Payment Link asking for the add-on''s amount because the subscription was cancelled before the charge that would have collected it; null otherwise.';
comment on column public.invoices.addon_payment_link_url is
  'The link''s short_url, shown on the invoice row and PDF until it is paid.';
