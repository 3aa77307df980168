-- The webhook dedupe ledger and delivery log: one row per verified delivery from Zendesk,
-- Intercom, GitHub or Razorpay, unique per provider event id. A forged or unsigned delivery
-- never reaches this table (it is refused before anything is written).
--
-- Life of a row: `pending` (recorded, Inngest event not yet accepted) → `sent` (the event was
-- accepted; the payload copy is dropped) → `processed` (the consuming function finished), or
-- `ignored` from the start (unknown or disconnected tenant, ping, an event we do not consume).
-- A scheduled function re-sends `pending` rows, so a delivery acknowledged while Inngest was
-- unreachable is never lost.

create table public.webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  provider text not null check (provider in ('zendesk', 'intercom', 'github', 'razorpay')),
  -- Zendesk/Intercom body `id`, X-GitHub-Delivery, X-Razorpay-Event-Id
  provider_event_id text not null check (char_length(provider_event_id) between 1 and 200),
  -- null: the delivery names a tenant we do not know (recorded, acknowledged, never processed)
  organization_id uuid references public.organizations (id) on delete cascade,
  integration_id uuid references public.integrations (id) on delete set null,
  -- zen:event-type:ticket.created, conversation.user.created, push, payment.captured, …
  event_type text not null check (char_length(event_type) between 1 and 200),
  status text not null default 'pending'
    check (status in ('pending', 'sent', 'processed', 'ignored')),
  -- why a row is `ignored` (never free text from the body)
  ignored_reason text check (
    ignored_reason in ('unknown_tenant', 'disconnected', 'ping', 'unsupported_event')
  ),
  -- the validated event data, kept only until Inngest accepted the event (re-sent from here)
  event_data jsonb check (event_data is null or jsonb_typeof(event_data) = 'object'),
  send_attempts integer not null default 0 check (send_attempts >= 0),
  received_at timestamptz not null default now(),
  sent_at timestamptz,
  processed_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint webhook_deliveries_provider_event_key unique (provider, provider_event_id),
  constraint webhook_deliveries_ignored_has_reason check ((status = 'ignored') = (ignored_reason is not null)),
  -- a row that can still be processed belongs to a workspace; a pending one can be re-sent
  constraint webhook_deliveries_live_has_tenant check (status = 'ignored' or organization_id is not null),
  constraint webhook_deliveries_pending_has_data check (status <> 'pending' or event_data is not null),
  constraint webhook_deliveries_done_has_no_data check (status = 'pending' or event_data is null)
);
comment on table public.webhook_deliveries is
  'Dedupe ledger and delivery log of verified inbound webhooks (unique per provider event id): status pending → sent → processed, or ignored with a reason. event_data holds the validated event only while pending (for re-sending) and is never readable by clients. Owners and admins read their workspace''s log (integrations.manage); all writes by the service role (webhook intake, Inngest jobs).';
comment on column public.webhook_deliveries.event_data is
  'The Inngest event data to re-send while the row is pending; cleared once sent. Service role only.';

create index webhook_deliveries_organization_received_idx
  on public.webhook_deliveries (organization_id, received_at desc);
create index webhook_deliveries_integration_id_idx on public.webhook_deliveries (integration_id);
-- what the re-send job scans
create index webhook_deliveries_pending_idx on public.webhook_deliveries (received_at)
  where status = 'pending';

create trigger webhook_deliveries_set_updated_at
  before update on public.webhook_deliveries
  for each row execute function private.set_updated_at();

alter table public.webhook_deliveries enable row level security;

revoke all on table public.webhook_deliveries from public, anon, authenticated, service_role;
-- column-level: event_data (ticket text) is not in this list, so `select *` as a client fails
grant select (
  id, provider, provider_event_id, organization_id, integration_id, event_type, status,
  ignored_reason, send_attempts, received_at, sent_at, processed_at, updated_at
) on table public.webhook_deliveries to authenticated;
grant select, insert, update, delete on table public.webhook_deliveries to service_role;

create policy webhook_deliveries_select on public.webhook_deliveries
  for select to authenticated
  using ((select private.has_permission(organization_id, 'integrations.manage')));
