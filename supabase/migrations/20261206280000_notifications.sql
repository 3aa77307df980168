-- Notifications (issue 18): what happened in a workspace, told to the people who care, in the
-- app (a bell) and by email, each person choosing per event.
-- - private.notification_events: the event catalog (admin-only, locked channels, defaults); the
--   same table as NOTIFICATION_EVENTS in lib/notifications/catalog.ts (a test compares them);
-- - notifications: the in-app inbox, one row per (workspace, recipient, event key): a retried
--   job writes nothing twice. The payload holds ids and small facts, never ticket text or secrets.
-- - notification_preferences: per (workspace, user, event) in-app and email toggles. A missing
--   row means the catalog's default. Locked channels are forced on by a trigger, whoever writes.
-- - notification_deliveries: the ledger of outgoing messages (email now, Slack later), one per
--   (workspace, recipient, event key, channel), recorded BEFORE the message is sent so a retried
--   send reuses its row (and its idempotency key) and never sends twice. Service role only.
-- A recipient is always a member: rows hang off memberships and go when the member goes.

-- ── the catalog ─────────────────────────────────────────────────────────────────────────────

create table private.notification_events (
  event_type text primary key check (event_type ~ '^[a-z_]{3,40}$'),
  -- only owners and admins receive it (and see its toggles)
  admin_only boolean not null,
  -- the channel cannot be turned off
  locked_in_app boolean not null,
  locked_email boolean not null,
  -- what a person gets before choosing
  in_app_default boolean not null,
  email_default boolean not null,
  -- the daily digest is an email; it has no in-app form
  email_only boolean not null default false,
  constraint notification_events_locked_default check (
    (not locked_in_app or in_app_default) and (not locked_email or email_default)
  ),
  constraint notification_events_email_only check (
    not email_only or (not in_app_default and not locked_in_app)
  )
);
comment on table private.notification_events is
  'The notification catalog (event type, admin-only, locked channels, defaults). Mirrors NOTIFICATION_EVENTS in lib/notifications/catalog.ts; read by the preference trigger. Written by migrations only.';
revoke all on table private.notification_events from public;

insert into private.notification_events
  (event_type, admin_only, locked_in_app, locked_email, in_app_default, email_default, email_only)
values
  ('bug_created',              false, false, false, true,  false, false),
  ('bug_status_changed',       false, false, false, true,  false, false),
  ('critical_bug',             false, true,  false, true,  true,  false),
  ('pipeline_failed',          true,  false, false, true,  true,  false),
  ('usage_warning',            true,  true,  false, true,  false, false),
  ('integration_disconnected', true,  true,  false, true,  true,  false),
  ('billing_action_needed',    true,  true,  true,  true,  true,  false),
  ('rca_published',            false, false, false, true,  false, false),
  ('daily_digest',             false, false, false, false, false, true);

-- ── notifications (the in-app inbox) ────────────────────────────────────────────────────────

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  user_id uuid not null,
  event_type text not null references private.notification_events (event_type),
  -- names the occurrence ('critical_bug:<bugId>'): one row per recipient however often it is sent
  event_key text not null check (char_length(event_key) between 1 and 300),
  -- ids and small facts (severity, status, threshold, provider); never ticket text or secrets
  payload jsonb not null default '{}'
    check (jsonb_typeof(payload) = 'object' and pg_column_size(payload) <= 4000),
  read_at timestamptz,
  created_at timestamptz not null default now(),
  constraint notifications_once unique (organization_id, user_id, event_key),
  constraint notifications_member_fkey foreign key (organization_id, user_id)
    references public.memberships (organization_id, user_id) on delete cascade
);
comment on table public.notifications is
  'The in-app inbox: one row per workspace, recipient and event occurrence (event_key), written by the notify-in-app job (service role). A person reads and marks read (read_at) only their own.';

create index notifications_user_idx on public.notifications (user_id, organization_id, created_at desc);
create index notifications_unread_idx on public.notifications (organization_id, user_id)
  where read_at is null;
create index notifications_event_type_idx on public.notifications (event_type);

alter table public.notifications enable row level security;
revoke all on table public.notifications from public, anon, authenticated, service_role;
grant select on table public.notifications to authenticated;
grant update (read_at) on table public.notifications to authenticated;
grant select, insert, update, delete on table public.notifications to service_role;

create policy notifications_select on public.notifications
  for select to authenticated
  using (user_id = (select auth.uid()) and (select private.is_member(organization_id)));
create policy notifications_update on public.notifications
  for update to authenticated
  using (user_id = (select auth.uid()) and (select private.is_member(organization_id)))
  with check (user_id = (select auth.uid()) and (select private.is_member(organization_id)));

-- ── notification_preferences ────────────────────────────────────────────────────────────────

create table public.notification_preferences (
  organization_id uuid not null,
  user_id uuid not null,
  event_type text not null references private.notification_events (event_type),
  in_app boolean not null,
  email boolean not null,
  updated_at timestamptz not null default now(),
  primary key (organization_id, user_id, event_type),
  constraint notification_preferences_member_fkey foreign key (organization_id, user_id)
    references public.memberships (organization_id, user_id) on delete cascade
);
comment on table public.notification_preferences is
  'Per workspace, user and event: in-app and email on or off (no row: the catalog default). Each person reads and writes only their own; locked channels stay on and admin-only events are refused for members and viewers (trigger). The unsubscribe link writes through the service role.';

create index notification_preferences_user_idx on public.notification_preferences (user_id);
create index notification_preferences_event_type_idx
  on public.notification_preferences (event_type);

-- Locked channels stay on and email-only events stay off in the app, whoever writes; admin-only
-- events are for owners and admins.
create function private.notification_preferences_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_event private.notification_events%rowtype;
  v_role text;
begin
  select * into v_event from private.notification_events e where e.event_type = new.event_type;
  if v_event.admin_only then
    select m.role into v_role from public.memberships m
     where m.organization_id = new.organization_id and m.user_id = new.user_id;
    -- a non-member is refused by the membership key and the policies, not here
    if v_role is not null and v_role not in ('owner', 'admin') then
      raise exception 'Only owners and admins receive this notification' using errcode = 'PT403';
    end if;
  end if;
  if v_event.locked_in_app then
    new.in_app := true;
  end if;
  if v_event.locked_email then
    new.email := true;
  end if;
  if v_event.email_only then
    new.in_app := false;
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.notification_preferences_guard() is
  'Trigger: keeps locked channels on, email-only events off in the app, and admin-only events for owners and admins. Not callable directly.';
revoke all on function private.notification_preferences_guard() from public;

create trigger notification_preferences_guard
  before insert or update on public.notification_preferences
  for each row execute function private.notification_preferences_guard();

alter table public.notification_preferences enable row level security;
revoke all on table public.notification_preferences from public, anon, authenticated, service_role;
grant select, delete on table public.notification_preferences to authenticated;
grant insert (organization_id, user_id, event_type, in_app, email)
  on table public.notification_preferences to authenticated;
grant update (in_app, email) on table public.notification_preferences to authenticated;
grant select, insert, update, delete on table public.notification_preferences to service_role;

create policy notification_preferences_select on public.notification_preferences
  for select to authenticated
  using (user_id = (select auth.uid()) and (select private.is_member(organization_id)));
create policy notification_preferences_insert on public.notification_preferences
  for insert to authenticated
  with check (user_id = (select auth.uid()) and (select private.is_member(organization_id)));
create policy notification_preferences_update on public.notification_preferences
  for update to authenticated
  using (user_id = (select auth.uid()) and (select private.is_member(organization_id)))
  with check (user_id = (select auth.uid()) and (select private.is_member(organization_id)));
create policy notification_preferences_delete on public.notification_preferences
  for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.is_member(organization_id)));

-- ── notification_deliveries (the outgoing ledger) ───────────────────────────────────────────

create table public.notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  user_id uuid not null,
  event_type text not null references private.notification_events (event_type),
  event_key text not null check (char_length(event_key) between 1 and 300),
  channel text not null check (channel in ('email', 'slack')),
  -- sending: recorded, not yet confirmed; sent: the provider accepted it
  status text not null default 'sending' check (status in ('sending', 'sent')),
  attempts integer not null default 0 check (attempts >= 0),
  provider_message_id text check (char_length(provider_message_id) <= 200),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  constraint notification_deliveries_once unique (organization_id, user_id, event_key, channel),
  constraint notification_deliveries_sent check ((status = 'sent') = (sent_at is not null)),
  constraint notification_deliveries_member_fkey foreign key (organization_id, user_id)
    references public.memberships (organization_id, user_id) on delete cascade
);
comment on table public.notification_deliveries is
  'Outgoing notification messages (email, later Slack): one row per workspace, recipient, event occurrence and channel, recorded before sending; its id is the provider idempotency key, so a retried job never sends twice. Service role only.';

create index notification_deliveries_user_idx on public.notification_deliveries (user_id);
create index notification_deliveries_event_type_idx on public.notification_deliveries (event_type);

alter table public.notification_deliveries enable row level security;
revoke all on table public.notification_deliveries from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.notification_deliveries to service_role;

-- ── who hears about an event ────────────────────────────────────────────────────────────────

-- The members of a workspace an event goes to, with the channels each one has on (their choice,
-- else the catalog default; locked channels on; admin-only events to owners and admins only).
-- One query for the notify jobs, so the rule lives here and not in each channel.
create function public.notification_recipients(p_organization_id uuid, p_event_type text)
returns table (user_id uuid, email text, role text, in_app boolean, email_on boolean)
language sql
stable
security definer
set search_path = ''
as $$
  select m.user_id,
         u.email::text,
         m.role,
         case when e.email_only then false
              when e.locked_in_app then true
              else coalesce(p.in_app, e.in_app_default) end,
         case when e.locked_email then true
              else coalesce(p.email, e.email_default) end
    from public.memberships m
    join auth.users u on u.id = m.user_id
    join private.notification_events e on e.event_type = p_event_type
    left join public.notification_preferences p
      on p.organization_id = m.organization_id and p.user_id = m.user_id
     and p.event_type = e.event_type
   where m.organization_id = p_organization_id
     and (not e.admin_only or m.role in ('owner', 'admin'))
   order by m.user_id;
$$;
comment on function public.notification_recipients(uuid, text) is
  'The members an event goes to and the channels each has on (preference, else the catalog default; locked channels on; admin-only events to owners and admins). For the notify jobs: executable by service_role only.';
revoke all on function public.notification_recipients(uuid, text) from public, anon, authenticated;
grant execute on function public.notification_recipients(uuid, text) to service_role;
