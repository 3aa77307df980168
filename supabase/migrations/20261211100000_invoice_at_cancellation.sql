-- The cycle in which a subscription is cancelled is invoiced (billing mend of issue 18): an invoice
-- closed only at a subscription.charged, which bills the Mapped Bugs of the cycle that just ended.
-- A cancelled subscription has no next charge, so the Mapped Bugs of its last, partial cycle were
-- never invoiced. At subscription.cancelled the consumer now closes that cycle into a
-- "cancellation" invoice: period start -> cancellation time, its Mapped Bugs and overage, the
-- credits owed (those above the overage refunded on the payment of the charge that started the
-- cycle), no base (that charge paid it and Razorpay does not refund it on a cancel), GST for INR.
-- What it asks is asked with a Razorpay Payment Link (the columns of 20261210100100), since the
-- subscription can no longer carry an add-on (docs/billing.md "The cycle in which a subscription
-- is cancelled").
--
-- Exactly once: the partial cycle starts where the cycle's own invoice starts (that invoice is
-- dated to the cycle its charge starts), so the period key becomes (workspace, kind, period start),
-- and a cancellation invoice names its Razorpay subscription, unique among cancellation invoices.
-- Written by the service role only; owners and admins read them with the invoice (the table's
-- select grant and policy cover new columns; supabase/tests/rls-invoices.test.ts).

alter table public.invoices
  add column kind text not null default 'cycle' check (kind in ('cycle', 'cancellation')),
  add column razorpay_subscription_id text
    check (char_length(razorpay_subscription_id) between 1 and 100),
  -- the subscription is named by (and only by) the invoice that closes it
  add constraint invoices_cancellation_names_subscription
    check ((kind = 'cancellation') = (razorpay_subscription_id is not null)),
  -- the cycle's base was paid by the charge that started it; nothing rides on a later charge
  add constraint invoices_cancellation_shape
    check (
      kind = 'cycle'
      or (base_minor = 0 and razorpay_addon_id is null and razorpay_invoice_id is null)
    ),
  -- a payment link asks an add-on's amount, or a cancellation invoice's total
  drop constraint invoices_payment_link_for_addon,
  add constraint invoices_payment_link_for_addon
    check (addon_payment_link_id is null or razorpay_addon_id is not null or kind = 'cancellation'),
  -- ... and its payment is recorded the same way (addon_collected_payment_id/_at)
  drop constraint invoices_addon_collected_after_created,
  add constraint invoices_addon_collected_after_created
    check (
      addon_collected_payment_id is null
      or razorpay_addon_id is not null
      or (kind = 'cancellation' and addon_payment_link_id is not null)
    );

-- Credits above a cancellation invoice's overage are refunded on the payment of the charge that
-- started the cycle (razorpay_payment_id names it): the invoice has no base of its own to bound the
-- refund by, so that payment's own bound (Razorpay refuses a refund above what is left) holds.
alter table public.invoices
  drop constraint invoices_refund_within_payment,
  add constraint invoices_refund_within_payment
    check (
      razorpay_refund_minor is null
      or kind = 'cancellation'
      or razorpay_refund_minor <= base_minor + (base_minor * tax_rate_bp + 5000) / 10000
    );

alter table public.invoices drop constraint invoices_period_key;
alter table public.invoices
  add constraint invoices_period_key unique (organization_id, kind, period_start);
create unique index invoices_cancellation_subscription_key
  on public.invoices (razorpay_subscription_id) where kind = 'cancellation';

comment on column public.invoices.kind is
  'cycle: closed at a subscription.charged (the base of the cycle it starts, the Mapped Bugs of the cycle that ended). cancellation: closed at subscription.cancelled (the Mapped Bugs of the partial cycle up to the cancellation, no base).';
comment on column public.invoices.razorpay_subscription_id is
  'On a cancellation invoice: the Razorpay subscription whose cancellation closed the cycle (once per subscription).';
comment on column public.invoices.addon_payment_link_id is
  'The Razorpay Payment Link asking for what the subscription can no longer charge: the add-on''s amount when it was cancelled before the charge that would have collected it, or a cancellation invoice''s total; null otherwise.';

-- The recorder takes the kind and the subscription (absent: a cycle invoice, as before).
create or replace function public.billing_record_invoice(
  p_organization_id uuid,
  p_invoice jsonb,
  p_lines jsonb,
  p_credited_bugs integer
) returns table (invoice_id uuid, created boolean)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
  v_kind text := coalesce(p_invoice ->> 'kind', 'cycle');
begin
  insert into public.invoices (
    organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
    overage_bugs, credited_bugs, base_minor, overage_minor, credits_minor, subtotal_minor,
    tax_rate_bp, tax_minor, total_minor, status, razorpay_invoice_id, razorpay_payment_id,
    issued_at, paid_at, kind, razorpay_subscription_id
  )
  values (
    p_organization_id,
    (p_invoice ->> 'period_start')::timestamptz,
    (p_invoice ->> 'period_end')::timestamptz,
    p_invoice ->> 'plan_id',
    p_invoice ->> 'currency',
    (p_invoice ->> 'included_bugs')::integer,
    (p_invoice ->> 'bugs_count')::integer,
    (p_invoice ->> 'overage_bugs')::integer,
    p_credited_bugs,
    (p_invoice ->> 'base_minor')::bigint,
    (p_invoice ->> 'overage_minor')::bigint,
    (p_invoice ->> 'credits_minor')::bigint,
    (p_invoice ->> 'subtotal_minor')::bigint,
    (p_invoice ->> 'tax_rate_bp')::integer,
    (p_invoice ->> 'tax_minor')::bigint,
    (p_invoice ->> 'total_minor')::bigint,
    p_invoice ->> 'status',
    p_invoice ->> 'razorpay_invoice_id',
    p_invoice ->> 'razorpay_payment_id',
    now(),
    (p_invoice ->> 'paid_at')::timestamptz,
    v_kind,
    p_invoice ->> 'razorpay_subscription_id'
  )
  -- the subscription's unique index is a backstop: its cycle's start does not move once cancelled
  on conflict (organization_id, kind, period_start) do nothing
  returning id into v_id;

  if v_id is null then
    -- recorded before (a replay or a retried step): the one already there, nothing more
    return query
      select i.id, false from public.invoices i
      where i.organization_id = p_organization_id
        and i.kind = v_kind
        and i.period_start = (p_invoice ->> 'period_start')::timestamptz;
    return;
  end if;

  insert into public.invoice_lines
    (organization_id, invoice_id, position, kind, description, quantity, unit_minor, amount_minor)
  select p_organization_id, v_id, (l.ordinality - 1)::smallint, l.value ->> 'kind',
         l.value ->> 'description', (l.value ->> 'quantity')::integer,
         (l.value ->> 'unit_minor')::bigint, (l.value ->> 'amount_minor')::bigint
  from jsonb_array_elements(p_lines) with ordinality as l (value, ordinality);

  -- the oldest credits first; what did not fit stays for the next invoice
  update public.bug_credits c set invoice_id = v_id
  where c.id in (
    select c2.id from public.bug_credits c2
    where c2.organization_id = p_organization_id and c2.invoice_id is null
    order by c2.credited_at, c2.id
    limit greatest(p_credited_bugs, 0)
    for update
  );

  return query select v_id, true;
end;
$$;
comment on function public.billing_record_invoice(uuid, jsonb, jsonb, integer) is
  'Records an invoice (lib/billing/invoice.ts computed it), its lines and the credits it applies: a cycle invoice once per (workspace, period start), a cancellation invoice once per (workspace, period start) and Razorpay subscription; a repeat returns the existing invoice with created = false. Service role only (the Razorpay delivery consumer).';
revoke all on function public.billing_record_invoice(uuid, jsonb, jsonb, integer) from public, anon, authenticated;
grant execute on function public.billing_record_invoice(uuid, jsonb, jsonb, integer) to service_role;
