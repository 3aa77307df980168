-- The private schema holds the security helpers RLS policies call, and the role → action table
-- that mirrors lib/auth/permissions.ts. PostgREST never exposes it.

create schema if not exists private;
comment on schema private is
  'Security helpers (security definer, empty search_path) and internal tables. Not exposed over REST; only authenticated may use it, for the functions RLS policies call.';

revoke all on schema private from public;
grant usage on schema private to authenticated;

-- One row per (role, action) a workspace role may perform. lib/auth/permissions.ts is the same
-- table in TypeScript; supabase/tests/permissions-mirror.test.ts fails when they differ.
create table private.role_permissions (
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  action text not null check (action ~ '^[a-z_]+\.[a-z_]+$'),
  primary key (role, action)
);
comment on table private.role_permissions is
  'What each workspace role may do (role, action). Mirrors PERMISSIONS in lib/auth/permissions.ts; read by private.has_permission. Nobody but the migration owner writes it.';
revoke all on table private.role_permissions from public;

insert into private.role_permissions (role, action)
select r.role, p.action
from (values
  ('organization.read', array['owner', 'admin', 'member', 'viewer']),
  ('organization.update', array['owner', 'admin']),
  ('organization.transfer', array['owner']),
  ('members.read', array['owner', 'admin', 'member', 'viewer']),
  ('members.invite', array['owner', 'admin']),
  ('members.update_role', array['owner', 'admin']),
  ('members.remove', array['owner', 'admin']),
  ('invitations.read', array['owner', 'admin']),
  ('invitations.revoke', array['owner', 'admin']),
  ('audit_log.read', array['owner', 'admin']),
  ('bugs.read', array['owner', 'admin', 'member', 'viewer']),
  ('bugs.write', array['owner', 'admin', 'member']),
  ('integrations.manage', array['owner', 'admin']),
  ('billing.manage', array['owner'])
) as p (action, roles)
cross join lateral unnest(p.roles) as r (role);

-- Keeps updated_at honest whatever the caller sends.
create function private.set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.set_updated_at() is
  'Trigger: sets updated_at to now() on update. Not callable directly.';
revoke all on function private.set_updated_at() from public;
