-- Two-factor sign-in is enforced by the database, not only by middleware: a user who has a
-- verified TOTP factor is not a member of anything (RLS hides every workspace row, the RPCs
-- refuse) until their session is aal2. Users without a factor are unaffected.

create function private.mfa_satisfied() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select auth.jwt() ->> 'aal'), 'aal1') = 'aal2'
    or not exists (
      select 1
      from auth.mfa_factors f
      where f.user_id = (select auth.uid())
        and f.status = 'verified'
    );
$$;
comment on function private.mfa_satisfied() is
  'True when the session is aal2, or the calling user has no verified MFA factor. Gate of every membership check; executable by authenticated only.';
revoke all on function private.mfa_satisfied() from public;
grant execute on function private.mfa_satisfied() to authenticated;

create or replace function private.is_member(p_organization_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (select private.mfa_satisfied()) and exists (
    select 1
    from public.memberships m
    where m.organization_id = p_organization_id
      and m.user_id = (select auth.uid())
  );
$$;

create or replace function private.has_role(p_organization_id uuid, p_roles text[]) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (select private.mfa_satisfied()) and exists (
    select 1
    from public.memberships m
    where m.organization_id = p_organization_id
      and m.user_id = (select auth.uid())
      and m.role = any (p_roles)
  );
$$;

create or replace function private.has_permission(p_organization_id uuid, p_action text) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (select private.mfa_satisfied()) and exists (
    select 1
    from public.memberships m
    join private.role_permissions rp on rp.role = m.role
    where m.organization_id = p_organization_id
      and m.user_id = (select auth.uid())
      and rp.action = p_action
  );
$$;

create or replace function private.current_role_in(p_organization_id uuid) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select m.role
  from public.memberships m
  where m.organization_id = p_organization_id
    and m.user_id = (select auth.uid())
    and (select private.mfa_satisfied());
$$;

create or replace function private.require_user() returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is null then
    raise exception 'Sign in to continue' using errcode = 'PT401';
  end if;
  if not private.mfa_satisfied() then
    raise exception 'Complete two-factor sign-in first' using errcode = 'PT401';
  end if;
  return v_uid;
end;
$$;
