-- Invitations send mail on our domain's reputation: cap them per workspace (100 an hour), so a
-- compromised or careless admin account cannot turn the app into a mail cannon.

create index invitations_organization_created_idx on public.invitations (organization_id, created_at);

create function private.invitations_rate_limit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_recent integer;
begin
  select count(*) into v_recent
  from public.invitations i
  where i.organization_id = new.organization_id
    and i.created_at > now() - interval '1 hour';
  if v_recent >= 100 then
    raise exception 'Too many invitations from this workspace; try again in an hour'
      using errcode = 'PT429';
  end if;
  return new;
end;
$$;
comment on function private.invitations_rate_limit() is
  'Trigger: refuses a 101st invitation per workspace within an hour (PT429). Not callable directly.';
revoke all on function private.invitations_rate_limit() from public;

create trigger invitations_rate_limit
  before insert on public.invitations
  for each row execute function private.invitations_rate_limit();
