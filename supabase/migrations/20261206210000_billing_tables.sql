-- Billing by the Mapped Bug (issue 18), the data it stands on:
-- - plans: the catalog (included Mapped Bugs per period, INR price before 18% GST, USD price with
--   no sales tax, per-bug overage prices), seeded here and nowhere else;
-- - subscriptions: one per workspace; a new workspace starts a trial (14 days or 10 Mapped Bugs,
--   whichever ends first) by a trigger on organizations;
-- - usage_warnings: the 80% and 100% warnings, at most once per workspace, period and threshold;
-- - bug_credits: a credit for a mismapped Mapped Bug, at most one per bug, within 7 days of billed_at;
-- - invoices + invoice_lines: per period, in integer minor units (paise, cents), totals add up;
-- - billing_details: contact, address, country and GSTIN for the invoice.
--
-- Who writes what: money state (subscriptions' plan/status/periods/Razorpay ids, warnings, credits,
-- invoices) is written only by the service role (Razorpay intake, jobs). Owners set the overage
-- cap (billing.manage); owners and admins keep the billing details (billing.update) and read
-- everything billing (billing.read). Members and viewers see none of it.
--
-- All amounts are integers in minor units: INR in paise, USD in cents. Tax rates in basis points.

-- ── permissions ─────────────────────────────────────────────────────────────────────────────

insert into private.role_permissions (role, action)
values
  ('owner', 'billing.read'),
  ('admin', 'billing.read'),
  ('owner', 'billing.update'),
  ('admin', 'billing.update');

-- ── plans ───────────────────────────────────────────────────────────────────────────────────

create table public.plans (
  -- a stable slug (used by Razorpay plan mapping and in URLs), not a surrogate id
  id text primary key check (id ~ '^[a-z][a-z0-9_]{1,39}$'),
  name text not null check (char_length(name) between 1 and 100),
  -- Mapped Bugs included per billing period
  included_bugs integer not null check (included_bugs > 0),
  -- INR prices are before GST (added on the invoice at gst_rate_bp); USD carries no sales tax
  price_inr_paise bigint not null check (price_inr_paise >= 0),
  gst_rate_bp integer not null default 1800 check (gst_rate_bp between 0 and 10000),
  price_usd_cents bigint not null check (price_usd_cents >= 0),
  -- each Mapped Bug past the allowance, up to the workspace's cap
  overage_inr_paise bigint not null check (overage_inr_paise >= 0),
  overage_usd_cents bigint not null check (overage_usd_cents >= 0),
  -- Razorpay plan ids per currency, filled in when the plans are created on Razorpay
  razorpay_plan_id_inr text unique check (char_length(razorpay_plan_id_inr) between 1 and 100),
  razorpay_plan_id_usd text unique check (char_length(razorpay_plan_id_usd) between 1 and 100),
  -- a retired plan keeps its subscribers but is no longer offered
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now()
);
comment on table public.plans is
  'The plan catalog: Mapped Bugs included per billing period, INR price before 18% GST, USD price without tax, per-bug overage prices, all in integer minor units (paise, cents). Seeded by migration; not tenant data (no organization_id). Any signed-in user reads the active plans; only the service role (and migrations) write.';

alter table public.plans enable row level security;
revoke all on table public.plans from public, anon, authenticated, service_role;
grant select on table public.plans to authenticated;
grant select, insert, update, delete on table public.plans to service_role;

-- Prices are public; a retired plan is read through the service role (the billing page reads
-- the workspace's own plan that way).
create policy plans_select on public.plans
  for select to authenticated
  using (active);

insert into public.plans
  (id, name, included_bugs, price_inr_paise, gst_rate_bp, price_usd_cents,
   overage_inr_paise, overage_usd_cents, sort_order)
values
  ('starter', 'Starter', 50, 499900, 1800, 5900, 11900, 149, 1),
  ('growth', 'Growth', 200, 1499900, 1800, 17900, 8900, 109, 2),
  ('scale', 'Scale', 1000, 4999900, 1800, 59900, 5900, 79, 3);

-- ── subscriptions ───────────────────────────────────────────────────────────────────────────

create table public.subscriptions (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  -- null while trialing without having chosen a plan
  plan_id text references public.plans (id),
  currency text check (currency in ('INR', 'USD')),
  status text not null default 'trialing'
    check (status in ('trialing', 'active', 'pending', 'halted', 'cancelled')),
  -- the trial: 14 days or trial_bug_limit Mapped Bugs, whichever ends first (lib/billing/trial.ts)
  trial_started_at timestamptz not null default now(),
  trial_ends_at timestamptz not null default (now() + interval '14 days'),
  trial_bug_limit integer not null default 10 check (trial_bug_limit > 0),
  -- the paid billing period (Razorpay's current_start/current_end); null during the trial
  current_period_start timestamptz,
  current_period_end timestamptz,
  -- total Mapped Bugs per period the workspace accepts; null (or at most the allowance) means no
  -- overage: bugs past the allowance are held until the cap rises or the period turns
  overage_cap integer check (overage_cap between 1 and 1000000),
  razorpay_customer_id text unique check (char_length(razorpay_customer_id) between 1 and 100),
  razorpay_subscription_id text unique
    check (char_length(razorpay_subscription_id) between 1 and 100),
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint subscriptions_trial_window check (trial_ends_at > trial_started_at),
  constraint subscriptions_period check (
    (current_period_start is null) = (current_period_end is null)
    and (current_period_end is null or current_period_end > current_period_start)
  ),
  constraint subscriptions_paid_has_plan check (
    status in ('trialing', 'cancelled') or (plan_id is not null and currency is not null)
  )
);
comment on table public.subscriptions is
  'One per workspace: the plan, currency, Razorpay state (trialing, active, pending, halted, cancelled), the trial window and bug limit, the current period and the overage cap. A new workspace gets a trial row by trigger. Owners and admins read it (billing.read); owners set overage_cap only (billing.manage); everything else is written by the service role (Razorpay intake and jobs).';
comment on column public.subscriptions.overage_cap is
  'Total Mapped Bugs per period the workspace accepts. Null or at most the plan allowance: no overage, bugs past the allowance are held. Higher: bugs up to it are billed as overage.';

create index subscriptions_plan_idx on public.subscriptions (plan_id);

create trigger subscriptions_set_updated_at
  before update on public.subscriptions
  for each row execute function private.set_updated_at();

alter table public.subscriptions enable row level security;
revoke all on table public.subscriptions from public, anon, authenticated, service_role;
grant select on table public.subscriptions to authenticated;
grant update (overage_cap) on table public.subscriptions to authenticated;
grant select, insert, update, delete on table public.subscriptions to service_role;

create policy subscriptions_select on public.subscriptions
  for select to authenticated
  using ((select private.has_permission(organization_id, 'billing.read')));
create policy subscriptions_update on public.subscriptions
  for update to authenticated
  using ((select private.has_permission(organization_id, 'billing.manage')))
  with check ((select private.has_permission(organization_id, 'billing.manage')));

-- Every workspace starts on a trial, whoever creates it (RPC, console, fixtures).
create function private.start_trial() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.subscriptions (organization_id) values (new.id)
  on conflict (organization_id) do nothing;
  return new;
end;
$$;
comment on function private.start_trial() is
  'Trigger: gives a new workspace its trial subscription (14 days or 10 Mapped Bugs, no card). Not callable directly.';
revoke all on function private.start_trial() from public;

create trigger organizations_start_trial
  after insert on public.organizations
  for each row execute function private.start_trial();

-- Workspaces that exist before billing start their trial now.
insert into public.subscriptions (organization_id)
select id from public.organizations
on conflict (organization_id) do nothing;

-- ── usage_warnings ──────────────────────────────────────────────────────────────────────────

create table public.usage_warnings (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- the start of the period (or trial) the warning belongs to
  period_start timestamptz not null,
  threshold smallint not null check (threshold in (80, 100)),
  -- what the meter read when the warning was raised
  bugs_counted integer not null check (bugs_counted >= 0),
  allowance integer not null check (allowance > 0),
  created_at timestamptz not null default now(),
  constraint usage_warnings_once unique (organization_id, period_start, threshold)
);
comment on table public.usage_warnings is
  'Usage warnings raised at 80% and 100% of the allowance, at most once per workspace, period and threshold (the unique key makes a second raise a no-op). Owners and admins read them (billing.read); the meter job writes them (service role).';

alter table public.usage_warnings enable row level security;
revoke all on table public.usage_warnings from public, anon, authenticated, service_role;
grant select on table public.usage_warnings to authenticated;
grant select, insert, update, delete on table public.usage_warnings to service_role;

create policy usage_warnings_select on public.usage_warnings
  for select to authenticated
  using ((select private.has_permission(organization_id, 'billing.read')));

-- ── invoices ────────────────────────────────────────────────────────────────────────────────

create table public.invoices (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  period_start timestamptz not null,
  period_end timestamptz not null,
  plan_id text not null references public.plans (id),
  currency text not null check (currency in ('INR', 'USD')),
  included_bugs integer not null check (included_bugs >= 0),
  -- Mapped Bugs billed in the period, and those past the allowance
  bugs_count integer not null check (bugs_count >= 0),
  overage_bugs integer not null check (overage_bugs >= 0),
  credited_bugs integer not null default 0 check (credited_bugs >= 0),
  base_minor bigint not null check (base_minor >= 0),
  overage_minor bigint not null check (overage_minor >= 0),
  credits_minor bigint not null default 0 check (credits_minor >= 0),
  subtotal_minor bigint not null check (subtotal_minor >= 0),
  tax_rate_bp integer not null check (tax_rate_bp between 0 and 10000),
  tax_minor bigint not null check (tax_minor >= 0),
  total_minor bigint not null check (total_minor >= 0),
  status text not null default 'draft' check (status in ('draft', 'issued', 'paid', 'failed', 'void')),
  razorpay_invoice_id text unique check (char_length(razorpay_invoice_id) between 1 and 100),
  razorpay_payment_id text check (char_length(razorpay_payment_id) between 1 and 100),
  issued_at timestamptz,
  paid_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint invoices_id_organization_key unique (id, organization_id),
  constraint invoices_period_key unique (organization_id, period_start),
  constraint invoices_period check (period_end > period_start),
  constraint invoices_overage_within_count check (overage_bugs <= bugs_count),
  constraint invoices_subtotal_adds_up check (subtotal_minor = base_minor + overage_minor - credits_minor),
  constraint invoices_total_adds_up check (total_minor = subtotal_minor + tax_minor),
  constraint invoices_usd_untaxed check (currency = 'INR' or tax_minor = 0),
  constraint invoices_paid_has_date check ((status = 'paid') = (paid_at is not null))
);
comment on table public.invoices is
  'One invoice per workspace and billing period: plan and base amount, Mapped Bug count, overage, credits applied, tax (GST for INR, none for USD), total and payment status, in integer minor units; constraints make the totals add up. Owners and admins read them (billing.read); the billing jobs and the Razorpay intake write them (service role).';

create index invoices_organization_period_idx on public.invoices (organization_id, period_start desc);
create index invoices_plan_idx on public.invoices (plan_id);

create trigger invoices_set_updated_at
  before update on public.invoices
  for each row execute function private.set_updated_at();

alter table public.invoices enable row level security;
revoke all on table public.invoices from public, anon, authenticated, service_role;
grant select on table public.invoices to authenticated;
grant select, insert, update, delete on table public.invoices to service_role;

create policy invoices_select on public.invoices
  for select to authenticated
  using ((select private.has_permission(organization_id, 'billing.read')));

-- ── invoice_lines ───────────────────────────────────────────────────────────────────────────

create table public.invoice_lines (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  invoice_id uuid not null,
  position smallint not null check (position between 0 and 100),
  kind text not null check (kind in ('base', 'overage', 'credit', 'tax')),
  description text not null check (char_length(description) between 1 and 300),
  quantity integer not null check (quantity >= 0),
  -- negative for a credit
  unit_minor bigint not null,
  amount_minor bigint not null,
  created_at timestamptz not null default now(),
  constraint invoice_lines_position_key unique (invoice_id, position),
  constraint invoice_lines_amount check (amount_minor = quantity * unit_minor),
  constraint invoice_lines_sign check ((kind = 'credit') = (amount_minor < 0) or amount_minor = 0),
  constraint invoice_lines_invoice_fkey foreign key (invoice_id, organization_id)
    references public.invoices (id, organization_id) on delete cascade
);
comment on table public.invoice_lines is
  'The lines of an invoice (base, overage, credit, tax), each quantity × unit in integer minor units; the lines of an invoice sum to its total (lib/billing/invoice.ts builds both). Owners and admins read them (billing.read); written by the billing jobs (service role).';

create index invoice_lines_invoice_idx on public.invoice_lines (invoice_id, organization_id);
create index invoice_lines_organization_idx on public.invoice_lines (organization_id);

alter table public.invoice_lines enable row level security;
revoke all on table public.invoice_lines from public, anon, authenticated, service_role;
grant select on table public.invoice_lines to authenticated;
grant select, insert, update, delete on table public.invoice_lines to service_role;

create policy invoice_lines_select on public.invoice_lines
  for select to authenticated
  using ((select private.has_permission(organization_id, 'billing.read')));

-- ── bug_credits ─────────────────────────────────────────────────────────────────────────────

create table public.bug_credits (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  -- at most one credit per bug, ever
  bug_id uuid not null unique,
  -- copied from the bug by the trigger below (the 7-day window is judged against it)
  bug_billed_at timestamptz not null,
  reason text not null check (char_length(reason) between 1 and 1000),
  flagged_by uuid references auth.users (id) on delete set null,
  credited_at timestamptz not null default now(),
  -- the invoice the credit was applied to; null until then
  invoice_id uuid,
  created_at timestamptz not null default now(),
  constraint bug_credits_within_seven_days
    check (credited_at >= bug_billed_at and credited_at <= bug_billed_at + interval '7 days'),
  constraint bug_credits_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade,
  constraint bug_credits_invoice_fkey foreign key (invoice_id, organization_id)
    references public.invoices (id, organization_id) on delete set null (invoice_id)
);
comment on table public.bug_credits is
  'A credit for a Mapped Bug flagged mismapped within 7 days of its billed_at, at most one per bug (unique bug_id), applied to the next invoice (invoice_id). Owners and admins read them (billing.read); recorded by the mismapped-flag trigger (migration 20261206210200) or the service role; clients never write them.';

create index bug_credits_organization_idx on public.bug_credits (organization_id, credited_at);
create index bug_credits_bug_idx on public.bug_credits (bug_id, organization_id);
create index bug_credits_invoice_idx on public.bug_credits (invoice_id, organization_id);
create index bug_credits_flagged_by_idx on public.bug_credits (flagged_by);

-- The credit's window is the bug's own billed_at, whatever the writer claims.
create function private.bug_credits_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_billed_at timestamptz;
begin
  if tg_op = 'UPDATE' then
    if (new.organization_id, new.bug_id, new.bug_billed_at, new.credited_at)
       is distinct from (old.organization_id, old.bug_id, old.bug_billed_at, old.credited_at) then
      raise exception 'A credit is applied to an invoice, not edited' using errcode = 'PT422';
    end if;
    return new;
  end if;
  select b.billed_at into v_billed_at
  from public.bugs b
  where b.id = new.bug_id and b.organization_id = new.organization_id;
  if v_billed_at is null then
    raise exception 'Only a Mapped Bug earns a credit' using errcode = 'PT422';
  end if;
  new.bug_billed_at := v_billed_at;
  if new.credited_at > v_billed_at + interval '7 days' then
    raise exception 'A credit is given within 7 days of billing' using errcode = 'PT422';
  end if;
  return new;
end;
$$;
comment on function private.bug_credits_guard() is
  'Trigger: copies the bug''s billed_at into a new credit, refuses a bug that was never billed or a credit past 7 days, and lets an update only set invoice_id. Not callable directly.';
revoke all on function private.bug_credits_guard() from public;

create trigger bug_credits_guard
  before insert or update on public.bug_credits
  for each row execute function private.bug_credits_guard();

alter table public.bug_credits enable row level security;
revoke all on table public.bug_credits from public, anon, authenticated, service_role;
grant select on table public.bug_credits to authenticated;
grant select, insert, update, delete on table public.bug_credits to service_role;

create policy bug_credits_select on public.bug_credits
  for select to authenticated
  using ((select private.has_permission(organization_id, 'billing.read')));

-- ── billing_details ─────────────────────────────────────────────────────────────────────────

create table public.billing_details (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  contact_name text not null check (char_length(contact_name) between 1 and 200),
  contact_email text not null
    check (char_length(contact_email) <= 320 and contact_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  address_line1 text check (char_length(address_line1) <= 300),
  address_line2 text check (char_length(address_line2) <= 300),
  city text check (char_length(city) <= 100),
  region text check (char_length(region) <= 100),
  postal_code text check (char_length(postal_code) <= 20),
  -- ISO 3166-1 alpha-2; IN bills in INR with GST, elsewhere USD
  country text not null check (country ~ '^[A-Z]{2}$'),
  -- Indian GST registration: 2-digit state, PAN, entity number, Z, check character
  gstin text check (gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'),
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint billing_details_gstin_in_india check (gstin is null or country = 'IN')
);
comment on table public.billing_details is
  'Who and where an invoice is addressed to: contact, address, country and GSTIN (format checked; only for India). Owners and admins read and write it (billing.read, billing.update); never deleted by clients.';

create index billing_details_updated_by_idx on public.billing_details (updated_by);

create function private.billing_details_stamp() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.updated_by := (select auth.uid());
  new.updated_at := now();
  if tg_op = 'UPDATE' then
    new.organization_id := old.organization_id;
    new.created_at := old.created_at;
  end if;
  return new;
end;
$$;
comment on function private.billing_details_stamp() is
  'Trigger: records who last changed the billing details (from the session, never the client) and keeps the workspace and creation time fixed. Not callable directly.';
revoke all on function private.billing_details_stamp() from public;

create trigger billing_details_stamp
  before insert or update on public.billing_details
  for each row execute function private.billing_details_stamp();

alter table public.billing_details enable row level security;
revoke all on table public.billing_details from public, anon, authenticated, service_role;
grant select on table public.billing_details to authenticated;
grant insert (
  organization_id, contact_name, contact_email, address_line1, address_line2, city, region,
  postal_code, country, gstin
) on table public.billing_details to authenticated;
grant update (
  contact_name, contact_email, address_line1, address_line2, city, region, postal_code, country,
  gstin
) on table public.billing_details to authenticated;
grant select, insert, update, delete on table public.billing_details to service_role;

create policy billing_details_select on public.billing_details
  for select to authenticated
  using ((select private.has_permission(organization_id, 'billing.read')));
create policy billing_details_insert on public.billing_details
  for insert to authenticated
  with check ((select private.has_permission(organization_id, 'billing.update')));
create policy billing_details_update on public.billing_details
  for update to authenticated
  using ((select private.has_permission(organization_id, 'billing.update')))
  with check ((select private.has_permission(organization_id, 'billing.update')));
