-- Cross-process single flight for OAuth token refresh (lib/integrations/token-refresh.ts).
-- Two jobs that need a fresh token for the same integration at once must refresh it once: a
-- provider rotates the refresh token on use, so a second refresh with the old one would fail and
-- mark the integration in error. A lease row is claimed before calling the provider and released
-- after; the REST gateway runs one transaction per request, so a row lock or an advisory lock
-- could not be held across the provider call, a lease with an expiry can (and a crashed holder's
-- lease simply runs out).
-- (The bootstrap grants every new public function to anon and authenticated by default, as
-- Supabase does: the revokes below name them.)

create table private.integration_refresh_leases (
  integration_id uuid primary key references public.integrations (id) on delete cascade,
  holder text not null check (char_length(holder) between 1 and 100),
  expires_at timestamptz not null
);
comment on table private.integration_refresh_leases is
  'Who is refreshing an integration''s OAuth token right now, until when. Written only by public.claim_integration_refresh / release_integration_refresh (service role).';
revoke all on table private.integration_refresh_leases from public;

create function public.claim_integration_refresh(
  p_integration_id uuid,
  p_organization_id uuid,
  p_holder text,
  p_ttl_seconds integer default 30
) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_claimed boolean;
begin
  if p_ttl_seconds is null or p_ttl_seconds not between 1 and 300 then
    raise exception 'lease ttl must be 1-300 seconds' using errcode = '22023';
  end if;
  if not exists (
    select 1 from public.integrations i
     where i.id = p_integration_id and i.organization_id = p_organization_id
  ) then
    raise exception 'integration not found' using errcode = 'P0002';
  end if;
  -- concurrent claims serialize on the primary key; the loser sees the winner's unexpired lease
  insert into private.integration_refresh_leases as l (integration_id, holder, expires_at)
  values (p_integration_id, p_holder, clock_timestamp() + make_interval(secs => p_ttl_seconds))
  on conflict (integration_id) do update
    set holder = excluded.holder, expires_at = excluded.expires_at
    where l.expires_at <= clock_timestamp() or l.holder = excluded.holder
  returning true into v_claimed;
  return coalesce(v_claimed, false);
end;
$$;
comment on function public.claim_integration_refresh(uuid, uuid, text, integer) is
  'Claims the token-refresh lease of an integration of the given workspace for p_holder (true) unless another holder has an unexpired one (false). Service role only.';
revoke all on function public.claim_integration_refresh(uuid, uuid, text, integer) from public, anon, authenticated;
grant execute on function public.claim_integration_refresh(uuid, uuid, text, integer) to service_role;

create function public.release_integration_refresh(
  p_integration_id uuid,
  p_organization_id uuid,
  p_holder text
) returns void
language sql
security definer
set search_path = ''
as $$
  delete from private.integration_refresh_leases l
   where l.integration_id = p_integration_id and l.holder = p_holder
     and exists (select 1 from public.integrations i
                  where i.id = p_integration_id and i.organization_id = p_organization_id);
$$;
comment on function public.release_integration_refresh(uuid, uuid, text) is
  'Releases the token-refresh lease held by p_holder (no-op otherwise). Service role only.';
revoke all on function public.release_integration_refresh(uuid, uuid, text) from public, anon, authenticated;
grant execute on function public.release_integration_refresh(uuid, uuid, text) to service_role;
