-- Workspaces (organizations) and who belongs to them with which role.
-- Writes go through the RPCs in 20261123160400_workspace_rpcs.sql; clients may only read, and
-- owners/admins may rename. Exactly one owner per workspace is enforced here, whatever the caller.

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 80),
  slug text not null unique
    check (
      slug ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'
      and slug !~ '--'
      and slug <> all (array[
        'account', 'admin', 'api', 'app', 'auth', 'billing', 'callback', 'confirm', 'dashboard',
        'docs', 'forgot-password', 'help', 'invitations', 'invite', 'invites', 'login', 'logout',
        'mfa', 'new', 'onboarding', 'organizations', 'reset-password', 'security', 'settings',
        'sign-in', 'sign-out', 'sign-up', 'signin', 'signout', 'signup', 'static', 'status',
        'support', 'verify', 'well-known', 'workspaces', 'www'
      ])
    ),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.organizations is
  'A customer workspace (tenant). Members read it; owner/admin rename it; created only by public.create_organization, which also makes the caller its single owner. created_by is set by the server.';
comment on column public.organizations.slug is
  'URL segment, lowercase letters, digits and single dashes, 3-40 characters, not a reserved route name. Immutable.';

create index organizations_created_by_idx on public.organizations (created_by);

create table public.memberships (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint memberships_organization_user_key unique (organization_id, user_id)
);
comment on table public.memberships is
  'Who belongs to which workspace, with which role (owner, admin, member, viewer). Members read their workspace''s rows; all writes go through the workspace RPCs. Exactly one owner per workspace (unique partial index + deferred constraint triggers).';

create index memberships_user_id_idx on public.memberships (user_id);
-- At most one owner per workspace; the constraint triggers below add "at least one".
create unique index memberships_one_owner_idx on public.memberships (organization_id)
  where role = 'owner';

-- created_by comes from the session, never from the client; slug and created_by never change.
create function private.organizations_guard_columns() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.created_by := coalesce((select auth.uid()), new.created_by);
    if new.created_by is null then
      raise exception 'organizations.created_by must come from a signed-in user'
        using errcode = '23502';
    end if;
  else
    new.created_by := old.created_by;
    new.created_at := old.created_at;
    if new.slug is distinct from old.slug then
      raise exception 'A workspace URL cannot be changed' using errcode = 'PT422';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.organizations_guard_columns() is
  'Trigger: sets organizations.created_by from auth.uid() on insert; keeps slug, created_by and created_at immutable. Not callable directly.';
revoke all on function private.organizations_guard_columns() from public;

create trigger organizations_guard_columns
  before insert or update on public.organizations
  for each row execute function private.organizations_guard_columns();
create trigger organizations_set_updated_at
  before update on public.organizations
  for each row execute function private.set_updated_at();

-- A membership never moves to another workspace or user.
create function private.memberships_guard_columns() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.organization_id is distinct from old.organization_id
     or new.user_id is distinct from old.user_id then
    raise exception 'A membership cannot move to another workspace or user' using errcode = 'PT422';
  end if;
  new.created_at := old.created_at;
  return new;
end;
$$;
comment on function private.memberships_guard_columns() is
  'Trigger: keeps memberships.organization_id, user_id and created_at immutable. Not callable directly.';
revoke all on function private.memberships_guard_columns() from public;

create trigger memberships_guard_columns
  before update on public.memberships
  for each row execute function private.memberships_guard_columns();
create trigger memberships_set_updated_at
  before update on public.memberships
  for each row execute function private.set_updated_at();

-- Exactly one owner: checked at commit (deferred), so an RPC may demote then promote.
create function private.assert_single_owner(p_organization_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owners integer;
begin
  if p_organization_id is null
     or not exists (select 1 from public.organizations o where o.id = p_organization_id) then
    return; -- the workspace itself is gone (deleted): nothing to keep
  end if;
  select count(*) into v_owners
  from public.memberships m
  where m.organization_id = p_organization_id and m.role = 'owner';
  if v_owners <> 1 then
    raise exception 'A workspace must have exactly one owner (found %)', v_owners
      using errcode = '23514', hint = 'Transfer ownership instead of removing or demoting the owner.';
  end if;
end;
$$;
comment on function private.assert_single_owner(uuid) is
  'Raises check_violation unless the workspace (if it still exists) has exactly one owner. Called by the deferred constraint triggers; not callable by clients.';
revoke all on function private.assert_single_owner(uuid) from public;

create function private.memberships_single_owner_trigger() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.assert_single_owner(old.organization_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.assert_single_owner(new.organization_id);
  end if;
  return null;
end;
$$;
comment on function private.memberships_single_owner_trigger() is
  'Constraint trigger on memberships: every affected workspace keeps exactly one owner at commit. Not callable directly.';
revoke all on function private.memberships_single_owner_trigger() from public;

create constraint trigger memberships_single_owner
  after insert or update or delete on public.memberships
  deferrable initially deferred
  for each row execute function private.memberships_single_owner_trigger();

create function private.organizations_single_owner_trigger() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.assert_single_owner(new.id);
  return null;
end;
$$;
comment on function private.organizations_single_owner_trigger() is
  'Constraint trigger on organizations: a new workspace has exactly one owner by commit. Not callable directly.';
revoke all on function private.organizations_single_owner_trigger() from public;

create constraint trigger organizations_single_owner
  after insert on public.organizations
  deferrable initially deferred
  for each row execute function private.organizations_single_owner_trigger();

-- Membership helpers for RLS policies. security definer so a policy on memberships can read
-- memberships without recursing into its own policy; empty search_path so nothing can shadow
-- the tables they read.
create function private.is_member(p_organization_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    where m.organization_id = p_organization_id
      and m.user_id = (select auth.uid())
  );
$$;
comment on function private.is_member(uuid) is
  'True when the calling user (auth.uid()) belongs to the workspace. Used by RLS policies; executable by authenticated only.';

create function private.has_role(p_organization_id uuid, p_roles text[]) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    where m.organization_id = p_organization_id
      and m.user_id = (select auth.uid())
      and m.role = any (p_roles)
  );
$$;
comment on function private.has_role(uuid, text[]) is
  'True when the calling user holds one of the given roles in the workspace. Executable by authenticated only.';

create function private.has_permission(p_organization_id uuid, p_action text) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join private.role_permissions rp on rp.role = m.role
    where m.organization_id = p_organization_id
      and m.user_id = (select auth.uid())
      and rp.action = p_action
  );
$$;
comment on function private.has_permission(uuid, text) is
  'True when the calling user''s role in the workspace allows the action (private.role_permissions, mirrored by lib/auth/permissions.ts). Executable by authenticated only.';

create function private.current_role_in(p_organization_id uuid) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select m.role
  from public.memberships m
  where m.organization_id = p_organization_id
    and m.user_id = (select auth.uid());
$$;
comment on function private.current_role_in(uuid) is
  'The calling user''s role in the workspace, or null when not a member. Executable by authenticated only.';

revoke all on function private.is_member(uuid) from public;
revoke all on function private.has_role(uuid, text[]) from public;
revoke all on function private.has_permission(uuid, text) from public;
revoke all on function private.current_role_in(uuid) from public;
grant execute on function private.is_member(uuid) to authenticated;
grant execute on function private.has_role(uuid, text[]) to authenticated;
grant execute on function private.has_permission(uuid, text) to authenticated;
grant execute on function private.current_role_in(uuid) to authenticated;

-- Row level security, grants (revoke first; nothing to anon), one policy per allowed command.
alter table public.organizations enable row level security;
alter table public.memberships enable row level security;

revoke all on table public.organizations from public, anon, authenticated;
revoke all on table public.memberships from public, anon, authenticated;
grant select on table public.organizations to authenticated;
grant update (name) on table public.organizations to authenticated;
grant select on table public.memberships to authenticated;
grant select, insert, update, delete on table public.organizations to service_role;
grant select, insert, update, delete on table public.memberships to service_role;

create policy organizations_select on public.organizations
  for select to authenticated
  using ((select private.is_member(id)));
create policy organizations_update on public.organizations
  for update to authenticated
  using ((select private.has_permission(id, 'organization.update')))
  with check ((select private.has_permission(id, 'organization.update')));

create policy memberships_select on public.memberships
  for select to authenticated
  using ((select private.is_member(organization_id)));
