-- Razorpay subscriptions (issue 18, the "Razorpay" part): what the delivery consumer needs to
-- apply Razorpay's events idempotently and in order, and to tell owners and admins when a payment
-- needs them, plus one function that records a period's invoice, its lines and the credits it
-- applies in one transaction.
--
-- No new table: the new columns live on public.subscriptions, whose policies already hold
-- (owners and admins read, billing.read; only overage_cap is granted to clients, so these
-- columns are written by the service role alone).

alter table public.subscriptions
  -- the created_at of the newest Razorpay event applied to the status: an older event (Razorpay
  -- does not promise order, and retries for a day) must not undo a newer state
  add column razorpay_event_at timestamptz,
  -- a payment failed or the subscription halted: the owner must act (update the card on
  -- Razorpay's page); cleared by the next successful charge
  add column action_needed text check (action_needed in ('payment_failed', 'halted')),
  add column action_needed_at timestamptz,
  add constraint subscriptions_action_needed_dated check ((action_needed is null) = (action_needed_at is null));

comment on column public.subscriptions.razorpay_event_at is
  'created_at of the newest Razorpay event applied to status/period; an event older than this changes nothing (service role only).';
comment on column public.subscriptions.action_needed is
  'payment_failed or halted while the owner must fix the payment method on Razorpay; null otherwise. Set and cleared by the Razorpay delivery consumer (service role only); the billing page and notifications read it.';

-- Records one invoice with its lines and marks the oldest unapplied credits as applied to it, in
-- one transaction, once per (workspace, period start): a second call for the same period (a
-- redelivered or replayed subscription.charged) changes nothing and returns the existing id.
create function public.billing_record_invoice(
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
begin
  insert into public.invoices (
    organization_id, period_start, period_end, plan_id, currency, included_bugs, bugs_count,
    overage_bugs, credited_bugs, base_minor, overage_minor, credits_minor, subtotal_minor,
    tax_rate_bp, tax_minor, total_minor, status, razorpay_invoice_id, razorpay_payment_id,
    issued_at, paid_at
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
    (p_invoice ->> 'paid_at')::timestamptz
  )
  on conflict (organization_id, period_start) do nothing
  returning id into v_id;

  if v_id is null then
    return query
      select i.id, false from public.invoices i
      where i.organization_id = p_organization_id
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
  'Records a period''s invoice (lib/billing/invoice.ts computed it), its lines and the credits it applies, once per (workspace, period start); a repeat returns the existing invoice with created = false. Service role only (the Razorpay delivery consumer).';
revoke all on function public.billing_record_invoice(uuid, jsonb, jsonb, integer) from public, anon, authenticated;
grant execute on function public.billing_record_invoice(uuid, jsonb, jsonb, integer) to service_role;
