-- The only ways to change workspaces, memberships and invitations. Each function checks the
-- caller's role itself (private.role_permissions), writes the audit log, and raises with
-- PostgREST's PTxyz codes so the HTTP status and lib/errors.ts agree:
--   PT401 not signed in, PT403 your role does not allow it, PT404 not there or not yours,
--   PT409 conflict, PT410 expired/used/revoked link, PT422 invalid input.
-- All are security definer with an empty search_path, executable by authenticated only.

create function private.require_user() returns uuid
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
  return v_uid;
end;
$$;
comment on function private.require_user() is
  'Returns auth.uid() or raises PT401. Used inside workspace RPCs; not executable by client roles.';
revoke all on function private.require_user() from public;

create function private.require_permission(p_organization_id uuid, p_action text) returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_role text;
begin
  perform private.require_user();
  select m.role into v_role
  from public.memberships m
  where m.organization_id = p_organization_id and m.user_id = (select auth.uid());
  if v_role is null then
    -- not a member: the same answer as "no such workspace"
    raise exception 'Workspace not found' using errcode = 'PT404';
  end if;
  if not exists (
    select 1 from private.role_permissions rp where rp.role = v_role and rp.action = p_action
  ) then
    raise exception 'Your role (%) does not allow %', v_role, p_action using errcode = 'PT403';
  end if;
  return v_role;
end;
$$;
comment on function private.require_permission(uuid, text) is
  'Returns the caller''s role if it allows the action; raises PT404 for non-members, PT403 for members whose role does not allow it. Used inside workspace RPCs only.';
revoke all on function private.require_permission(uuid, text) from public;

create function private.hash_token(p_token text) returns text
language sql
immutable
set search_path = ''
as $$
  select encode(sha256(convert_to(p_token, 'UTF8')), 'hex');
$$;
comment on function private.hash_token(text) is
  'SHA-256 (hex) of an invitation token, as stored in invitations.token_hash.';
revoke all on function private.hash_token(text) from public;

-- create_organization ------------------------------------------------------------------------
create function public.create_organization(p_name text, p_slug text)
returns public.organizations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_org public.organizations;
begin
  begin
    insert into public.organizations (name, slug, created_by)
    values (btrim(p_name), lower(btrim(p_slug)), v_uid)
    returning * into v_org;
  exception
    when unique_violation then
      raise exception 'The URL "%" is already taken', lower(btrim(p_slug)) using errcode = 'PT409';
    when check_violation then
      raise exception 'Name must be 1-80 characters; URL must be 3-40 lowercase letters, digits or single dashes, and not a reserved word'
        using errcode = 'PT422';
  end;
  insert into public.memberships (organization_id, user_id, role) values (v_org.id, v_uid, 'owner');
  perform private.write_audit(v_org.id, 'organization.created', 'organization', v_org.id::text,
    jsonb_build_object('name', v_org.name, 'slug', v_org.slug));
  return v_org;
end;
$$;
comment on function public.create_organization(text, text) is
  'Creates a workspace and makes the caller its owner, atomically. Any signed-in user. Raises PT409 if the slug is taken, PT422 if name/slug are invalid.';

-- create_invitation --------------------------------------------------------------------------
create function public.create_invitation(p_organization_id uuid, p_email text, p_role text)
returns table (invitation_id uuid, email text, role text, expires_at timestamptz, token text)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_email text := lower(btrim(coalesce(p_email, '')));
  v_token text;
  v_invitation public.invitations;
begin
  perform private.require_permission(p_organization_id, 'members.invite');
  if p_role is null or p_role not in ('owner', 'admin', 'member', 'viewer') then
    raise exception 'Role must be owner, admin, member or viewer' using errcode = 'PT422';
  end if;
  if p_role = 'owner' then
    perform private.require_permission(p_organization_id, 'organization.transfer');
  end if;
  if v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' or char_length(v_email) > 320 then
    raise exception 'Enter a valid email address' using errcode = 'PT422';
  end if;
  if exists (
    select 1
    from public.memberships m
    join auth.users u on u.id = m.user_id
    where m.organization_id = p_organization_id and lower(u.email) = v_email
  ) then
    raise exception 'That person is already a member of this workspace' using errcode = 'PT409';
  end if;

  -- re-inviting replaces the open invitation (new token, new 7 days)
  update public.invitations i
  set revoked_at = now(), revoked_by = (select auth.uid())
  where i.organization_id = p_organization_id
    and i.email = v_email
    and i.accepted_at is null
    and i.revoked_at is null;

  -- 244 random bits from the server's strong RNG (gen_random_uuid uses pg_strong_random)
  v_token := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  insert into public.invitations (organization_id, email, role, token_hash, invited_by)
  values (p_organization_id, v_email, p_role, private.hash_token(v_token), (select auth.uid()))
  returning * into v_invitation;

  perform private.write_audit(p_organization_id, 'invitation.created', 'invitation',
    v_invitation.id::text, jsonb_build_object('email', v_email, 'role', p_role));

  return query select v_invitation.id, v_invitation.email, v_invitation.role,
    v_invitation.expires_at, v_token;
end;
$$;
comment on function public.create_invitation(uuid, text, text) is
  'Invites an email address with a role; returns the raw token once (only its hash is stored). Needs members.invite; inviting an owner needs organization.transfer. Re-inviting revokes the previous open invitation.';

-- get_invitation -----------------------------------------------------------------------------
create function public.get_invitation(p_token text)
returns table (
  invitation_id uuid,
  organization_id uuid,
  organization_name text,
  organization_slug text,
  email text,
  role text,
  expires_at timestamptz,
  status text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  perform private.require_user();
  return query
  select i.id, o.id, o.name, o.slug, i.email, i.role, i.expires_at,
    case
      when i.accepted_at is not null then 'accepted'
      when i.revoked_at is not null then 'revoked'
      when i.expires_at <= now() then 'expired'
      else 'pending'
    end
  from public.invitations i
  join public.organizations o on o.id = i.organization_id
  where i.token_hash = private.hash_token(coalesce(p_token, ''));
  if not found then
    raise exception 'Invitation not found' using errcode = 'PT404';
  end if;
end;
$$;
comment on function public.get_invitation(text) is
  'What an invite link is for (workspace, invited email, role, status), for the accept page. Any signed-in user holding the token; PT404 otherwise.';

-- accept_invitation --------------------------------------------------------------------------
create function public.accept_invitation(p_token text)
returns public.organizations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_invitation public.invitations;
  v_user_email text;
  v_org public.organizations;
  v_current_owner uuid;
begin
  select * into v_invitation
  from public.invitations i
  where i.token_hash = private.hash_token(coalesce(p_token, ''))
  for update;
  if not found then
    raise exception 'Invitation not found' using errcode = 'PT404';
  end if;
  if v_invitation.revoked_at is not null then
    raise exception 'This invitation was revoked' using errcode = 'PT410';
  end if;
  if v_invitation.accepted_at is not null then
    raise exception 'This invitation was already used' using errcode = 'PT410';
  end if;
  if v_invitation.expires_at <= now() then
    raise exception 'This invitation has expired; ask for a new one' using errcode = 'PT410';
  end if;

  select lower(u.email) into v_user_email from auth.users u where u.id = v_uid;
  if v_user_email is distinct from v_invitation.email then
    raise exception 'This invitation was sent to a different email address' using errcode = 'PT403';
  end if;

  select * into v_org from public.organizations o where o.id = v_invitation.organization_id;

  if exists (
    select 1 from public.memberships m
    where m.organization_id = v_org.id and m.user_id = v_uid
  ) then
    raise exception 'You are already a member of this workspace' using errcode = 'PT409';
  end if;

  if v_invitation.role = 'owner' then
    -- the owner hands over: the current owner becomes an admin (still exactly one owner)
    select m.user_id into v_current_owner
    from public.memberships m
    where m.organization_id = v_org.id and m.role = 'owner'
    for update;
    update public.memberships m set role = 'admin'
    where m.organization_id = v_org.id and m.user_id = v_current_owner;
  end if;

  insert into public.memberships (organization_id, user_id, role)
  values (v_org.id, v_uid, v_invitation.role);

  update public.invitations i
  set accepted_at = now(), accepted_by = v_uid
  where i.id = v_invitation.id;

  perform private.write_audit(v_org.id, 'invitation.accepted', 'invitation',
    v_invitation.id::text, jsonb_build_object('role', v_invitation.role));
  perform private.write_audit(v_org.id, 'member.added', 'user', v_uid::text,
    jsonb_build_object('role', v_invitation.role, 'via', 'invitation'));
  if v_current_owner is not null then
    perform private.write_audit(v_org.id, 'organization.ownership_transferred', 'user', v_uid::text,
      jsonb_build_object('from', v_current_owner, 'to', v_uid));
  end if;
  return v_org;
end;
$$;
comment on function public.accept_invitation(text) is
  'Joins the workspace of a pending, unexpired, unrevoked invitation addressed to the caller''s email, with its role (an owner invitation transfers ownership). PT404 unknown token, PT410 used/revoked/expired, PT403 other address, PT409 already a member.';

-- revoke_invitation --------------------------------------------------------------------------
create function public.revoke_invitation(p_invitation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invitation public.invitations;
begin
  perform private.require_user();
  select * into v_invitation from public.invitations i where i.id = p_invitation_id for update;
  if not found then
    raise exception 'Invitation not found' using errcode = 'PT404';
  end if;
  perform private.require_permission(v_invitation.organization_id, 'invitations.revoke');
  if v_invitation.accepted_at is not null then
    raise exception 'This invitation was already accepted' using errcode = 'PT409';
  end if;
  if v_invitation.revoked_at is not null then
    return; -- already revoked: nothing to do
  end if;
  update public.invitations i
  set revoked_at = now(), revoked_by = (select auth.uid())
  where i.id = p_invitation_id;
  perform private.write_audit(v_invitation.organization_id, 'invitation.revoked', 'invitation',
    p_invitation_id::text, jsonb_build_object('email', v_invitation.email, 'role', v_invitation.role));
end;
$$;
comment on function public.revoke_invitation(uuid) is
  'Revokes an open invitation. Needs invitations.revoke in its workspace (PT404 otherwise for non-members); PT409 if already accepted.';

-- change_member_role -------------------------------------------------------------------------
create function public.change_member_role(p_organization_id uuid, p_user_id uuid, p_role text)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_target public.memberships;
  v_previous_role text;
begin
  perform private.require_permission(p_organization_id, 'members.update_role');
  if p_role is null or p_role not in ('admin', 'member', 'viewer') then
    raise exception 'Role must be admin, member or viewer (use transfer ownership for owner)'
      using errcode = 'PT422';
  end if;
  select * into v_target
  from public.memberships m
  where m.organization_id = p_organization_id and m.user_id = p_user_id
  for update;
  if not found then
    raise exception 'Member not found' using errcode = 'PT404';
  end if;
  if v_target.role = 'owner' then
    raise exception 'The owner''s role changes only by transferring ownership' using errcode = 'PT403';
  end if;
  if v_target.role = p_role then
    return v_target;
  end if;
  v_previous_role := v_target.role;
  update public.memberships m set role = p_role where m.id = v_target.id returning * into v_target;
  perform private.write_audit(p_organization_id, 'member.role_changed', 'user', p_user_id::text,
    jsonb_build_object('from', v_previous_role, 'to', p_role));
  return v_target;
end;
$$;
comment on function public.change_member_role(uuid, uuid, text) is
  'Sets a non-owner member''s role to admin, member or viewer. Needs members.update_role; PT403 for the owner, PT404 for non-members.';

-- remove_member ------------------------------------------------------------------------------
create function public.remove_member(p_organization_id uuid, p_user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_target public.memberships;
begin
  if p_user_id = v_uid then
    perform private.require_permission(p_organization_id, 'organization.read');
  else
    perform private.require_permission(p_organization_id, 'members.remove');
  end if;
  select * into v_target
  from public.memberships m
  where m.organization_id = p_organization_id and m.user_id = p_user_id
  for update;
  if not found then
    raise exception 'Member not found' using errcode = 'PT404';
  end if;
  if v_target.role = 'owner' then
    raise exception 'The owner cannot be removed; transfer ownership first' using errcode = 'PT403';
  end if;
  delete from public.memberships m where m.id = v_target.id;
  perform private.write_audit(p_organization_id,
    case when p_user_id = v_uid then 'member.left' else 'member.removed' end,
    'user', p_user_id::text, jsonb_build_object('role', v_target.role));
end;
$$;
comment on function public.remove_member(uuid, uuid) is
  'Removes a non-owner member (needs members.remove), or lets the caller leave. The owner must transfer ownership first (PT403).';

-- transfer_ownership -------------------------------------------------------------------------
create function public.transfer_ownership(p_organization_id uuid, p_new_owner_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
begin
  perform private.require_permission(p_organization_id, 'organization.transfer');
  if p_new_owner_id = v_uid then
    raise exception 'You already own this workspace' using errcode = 'PT422';
  end if;
  if not exists (
    select 1 from public.memberships m
    where m.organization_id = p_organization_id and m.user_id = p_new_owner_id
  ) then
    raise exception 'Member not found' using errcode = 'PT404';
  end if;
  update public.memberships m set role = 'admin'
  where m.organization_id = p_organization_id and m.user_id = v_uid;
  update public.memberships m set role = 'owner'
  where m.organization_id = p_organization_id and m.user_id = p_new_owner_id;
  perform private.write_audit(p_organization_id, 'organization.ownership_transferred', 'user',
    p_new_owner_id::text, jsonb_build_object('from', v_uid, 'to', p_new_owner_id));
end;
$$;
comment on function public.transfer_ownership(uuid, uuid) is
  'Makes another member the owner; the caller (the owner, organization.transfer) becomes an admin. Exactly one owner before and after.';

-- get_organization_members -------------------------------------------------------------------
create function public.get_organization_members(p_organization_id uuid)
returns table (user_id uuid, email text, role text, joined_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  perform private.require_permission(p_organization_id, 'members.read');
  return query
  select m.user_id, u.email::text, m.role, m.created_at
  from public.memberships m
  join auth.users u on u.id = m.user_id
  where m.organization_id = p_organization_id
  order by array_position(array['owner', 'admin', 'member', 'viewer'], m.role), u.email;
end;
$$;
comment on function public.get_organization_members(uuid) is
  'Members of a workspace with their email and role, for the members page. Needs members.read (any member); PT404 for non-members.';

-- list_audit_log -----------------------------------------------------------------------------
create function public.list_audit_log(
  p_organization_id uuid,
  p_limit integer default 50,
  p_before_id bigint default null
)
returns table (
  id bigint,
  action text,
  actor_id uuid,
  actor_email text,
  target_type text,
  target_id text,
  metadata jsonb,
  created_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  perform private.require_permission(p_organization_id, 'audit_log.read');
  return query
  select a.id, a.action, a.actor_id, u.email::text, a.target_type, a.target_id, a.metadata, a.created_at
  from public.audit_log a
  left join auth.users u on u.id = a.actor_id
  where a.organization_id = p_organization_id
    and (p_before_id is null or a.id < p_before_id)
  order by a.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200);
end;
$$;
comment on function public.list_audit_log(uuid, integer, bigint) is
  'A page of a workspace''s audit log, newest first, with the actor''s email. Needs audit_log.read (owner, admin); PT404 for non-members, PT403 for other roles.';

-- record_auth_event (service role only) ------------------------------------------------------
create function public.record_auth_event(
  p_action text,
  p_user_id uuid default null,
  p_email text default null,
  p_metadata jsonb default '{}'::jsonb
)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := p_user_id;
  v_rows integer := 0;
begin
  if p_action is null or p_action !~ '^auth\.[a-z_]+(\.[a-z_]+)*$' then
    raise exception 'Auth events are named auth.<event>' using errcode = 'PT422';
  end if;
  if v_user is null and p_email is not null then
    select u.id into v_user from auth.users u where lower(u.email) = lower(btrim(p_email));
  end if;
  -- one row per workspace of the user, so each workspace's owners and admins see it
  insert into public.audit_log (organization_id, actor_id, action, target_type, target_id, metadata)
  select m.organization_id, v_user, p_action, 'user', v_user::text, coalesce(p_metadata, '{}'::jsonb)
  from public.memberships m
  where m.user_id = v_user;
  get diagnostics v_rows = row_count;
  if v_rows = 0 then
    insert into public.audit_log (organization_id, actor_id, action, target_type, target_id, metadata)
    values (null, v_user, p_action, 'user', v_user::text, coalesce(p_metadata, '{}'::jsonb));
    v_rows := 1;
  end if;
  return v_rows;
end;
$$;
comment on function public.record_auth_event(text, uuid, text, jsonb) is
  'Records a sign-in, failed sign-in, sign-out, password or MFA event in the audit log of every workspace of the user (by id or email). Service role only (lib/auth/audit.ts through the audited admin client).';

-- Execution rights: revoke the default PUBLIC execute, then grant exactly.
revoke all on function public.create_organization(text, text) from public, anon;
revoke all on function public.create_invitation(uuid, text, text) from public, anon;
revoke all on function public.get_invitation(text) from public, anon;
revoke all on function public.accept_invitation(text) from public, anon;
revoke all on function public.revoke_invitation(uuid) from public, anon;
revoke all on function public.change_member_role(uuid, uuid, text) from public, anon;
revoke all on function public.remove_member(uuid, uuid) from public, anon;
revoke all on function public.transfer_ownership(uuid, uuid) from public, anon;
revoke all on function public.get_organization_members(uuid) from public, anon;
revoke all on function public.list_audit_log(uuid, integer, bigint) from public, anon;
revoke all on function public.record_auth_event(text, uuid, text, jsonb) from public, anon, authenticated;

grant execute on function public.create_organization(text, text) to authenticated;
grant execute on function public.create_invitation(uuid, text, text) to authenticated;
grant execute on function public.get_invitation(text) to authenticated;
grant execute on function public.accept_invitation(text) to authenticated;
grant execute on function public.revoke_invitation(uuid) to authenticated;
grant execute on function public.change_member_role(uuid, uuid, text) to authenticated;
grant execute on function public.remove_member(uuid, uuid) to authenticated;
grant execute on function public.transfer_ownership(uuid, uuid) to authenticated;
grant execute on function public.get_organization_members(uuid) to authenticated;
grant execute on function public.list_audit_log(uuid, integer, bigint) to authenticated;
grant execute on function public.record_auth_event(text, uuid, text, jsonb) to service_role;

-- Renames are direct updates (column grant on name); record them too.
create function private.organizations_audit_update() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.name is distinct from old.name then
    perform private.write_audit(new.id, 'organization.renamed', 'organization', new.id::text,
      jsonb_build_object('from', old.name, 'to', new.name));
  end if;
  return null;
end;
$$;
comment on function private.organizations_audit_update() is
  'Trigger: writes organization.renamed to the audit log. Not callable directly.';
revoke all on function private.organizations_audit_update() from public;

create trigger organizations_audit_update
  after update on public.organizations
  for each row execute function private.organizations_audit_update();
