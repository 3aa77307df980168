-- A credit refund Razorpay leaves pending or ends failed (billing mend of issue 18): Razorpay
-- answers a refund `pending` (accepted, still with the bank) or `processed`, and later tells
-- `refund.processed` or `refund.failed` (docs/billing.md "Refund status"). The invoice keeps the
-- status of its refund, when it last changed, and which attempt it is: a failed refund is tried
-- once more by Patchline (attempt 2), and a second failure is final and shown.
--
-- Written by the service role only (the Razorpay consumer); owners and admins read them with the
-- invoice (the table's select grant and policy cover new columns; supabase/tests/rls-invoices.test.ts).

alter table public.invoices
  add column razorpay_refund_status text
    check (razorpay_refund_status in ('pending', 'processed', 'failed')),
  add column razorpay_refund_status_at timestamptz,
  add column razorpay_refund_attempt smallint check (razorpay_refund_attempt between 1 and 2);

-- refunds recorded before this migration were processed at once (the sandbox, and Razorpay's
-- answer was not kept): their status is the one the app acted on
update public.invoices
   set razorpay_refund_status = 'processed',
       razorpay_refund_status_at = updated_at,
       razorpay_refund_attempt = 1
 where razorpay_refund_id is not null;

alter table public.invoices
  -- a refund has a status, its date and its attempt; no refund has none
  add constraint invoices_refund_has_status check (
    (razorpay_refund_id is null) = (razorpay_refund_status is null)
    and (razorpay_refund_status is null) = (razorpay_refund_status_at is null)
    and (razorpay_refund_status is null) = (razorpay_refund_attempt is null)
  );

comment on column public.invoices.razorpay_refund_status is
  'The credit refund''s state on Razorpay: pending (accepted, with the bank), processed, or failed (refund.failed; tried once more, then final).';
comment on column public.invoices.razorpay_refund_status_at is
  'When razorpay_refund_status last changed (Razorpay''s answer or the event''s created_at).';
comment on column public.invoices.razorpay_refund_attempt is
  '1 for the first refund, 2 for the one Patchline made after the first failed; razorpay_refund_id is the latest attempt''s.';
