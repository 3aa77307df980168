-- The append-only audit log: sign-ins, failed sign-ins, MFA changes, membership and role
-- changes, invitations, admin-client uses. Owners and admins read their workspace's rows.
-- Nobody updates or deletes a row (a trigger refuses it, whoever asks), except the cascade when
-- the workspace itself is deleted.

create table public.audit_log (
  id bigint generated always as identity primary key,
  -- null: an event that belongs to no workspace (an admin-client use before any workspace
  -- exists, a failed sign-in of an unknown address). Only the service role sees those.
  organization_id uuid references public.organizations (id) on delete cascade,
  -- who did it; null for the system. No foreign key: the record outlives the account.
  actor_id uuid,
  action text not null check (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  target_type text check (target_type is null or target_type ~ '^[a-z_]+$'),
  target_id text check (target_id is null or char_length(target_id) <= 200),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now()
);
comment on table public.audit_log is
  'Append-only record of security-relevant events per workspace. Owners and admins read it (audit_log.read); rows are written only by security definer RPCs and the audited admin client (service role). Updates and deletes are refused by trigger.';

create index audit_log_organization_created_idx on public.audit_log (organization_id, created_at desc);
create index audit_log_actor_id_idx on public.audit_log (actor_id);

create function private.audit_log_append_only() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    if old.organization_id is not null
       and not exists (select 1 from public.organizations o where o.id = old.organization_id) then
      return old; -- cascade from deleting the workspace itself
    end if;
  end if;
  raise exception 'audit_log is append-only: % is not allowed', lower(tg_op)
    using errcode = '42501';
end;
$$;
comment on function private.audit_log_append_only() is
  'Trigger: refuses UPDATE, DELETE and TRUNCATE on audit_log (except the cascade of a deleted workspace). Not callable directly.';
revoke all on function private.audit_log_append_only() from public;

create trigger audit_log_append_only
  before update or delete on public.audit_log
  for each row execute function private.audit_log_append_only();
create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function private.audit_log_append_only();

alter table public.audit_log enable row level security;

revoke all on table public.audit_log from public, anon, authenticated, service_role;
grant select on table public.audit_log to authenticated;
grant select, insert on table public.audit_log to service_role;

create policy audit_log_select on public.audit_log
  for select to authenticated
  using ((select private.has_permission(organization_id, 'audit_log.read')));

-- Writes one audit row. Called by the workspace RPCs (which run as their owner); nobody else.
create function private.write_audit(
  p_organization_id uuid,
  p_action text,
  p_target_type text default null,
  p_target_id text default null,
  p_metadata jsonb default '{}'::jsonb
) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.audit_log (organization_id, actor_id, action, target_type, target_id, metadata)
  values (p_organization_id, (select auth.uid()), p_action, p_target_type, p_target_id,
          coalesce(p_metadata, '{}'::jsonb));
$$;
comment on function private.write_audit(uuid, text, text, text, jsonb) is
  'Appends an audit_log row with the calling user as actor. Used inside security definer RPCs only; not executable by any client role.';
revoke all on function private.write_audit(uuid, text, text, text, jsonb) from public;
