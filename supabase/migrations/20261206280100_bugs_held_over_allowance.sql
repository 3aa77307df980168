-- Held over allowance (issue 18): with the overage cap equal to the allowance (the default), a bug
-- that would be billed past the cap becomes `held` instead of `mapped`: never lost, not billed
-- while held, released (mapped and billed, once) when the cap is raised or a new period starts.
-- Decided where billed_at is stamped (private.bugs_meter), so every writer gets the same rule:
-- the pipeline job (lib/pipeline/jobs/persist-decision.ts), a reviewer's accept
-- (private.review_items_resolve), the console. The terms are lib/billing/meter.ts (meterTerms)
-- and the decision lib/billing/cap.ts (admitBug); tests compare them on the same readings.

alter table public.bugs drop constraint bugs_status_check;
alter table public.bugs add constraint bugs_status_check
  check (status in ('mapped', 'held', 'review', 'dismissed'));
alter table public.bugs add column held_at timestamptz;
alter table public.bugs add constraint bugs_held_has_time check (status <> 'held' or held_at is not null);
comment on column public.bugs.held_at is
  'When the meter held the bug over the allowance (status held); release order is oldest first. Set by private.bugs_meter only.';
create index bugs_organization_held_idx on public.bugs (organization_id, held_at, id)
  where status = 'held';

-- Whether one more Mapped Bug fits under the workspace's cap now (meterTerms + admitBug): a trial
-- admits up to its bug limit until its end; an active, pending or halted period up to
-- max(allowance, overage_cap); an ended trial or a cancelled subscription admits none. Takes the
-- meter's advisory lock (the same as private.raise_usage_warnings), so two bugs billed at once
-- see each other and the cap is never passed.
create function private.meter_admits(p_organization_id uuid) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_sub public.subscriptions%rowtype;
  v_start timestamptz;
  v_end timestamptz;
  v_allowance integer;
  v_cap integer;
  v_used integer;
  v_key text;
  v_window text;
  v_cached text;
begin
  select * into v_sub from public.subscriptions s where s.organization_id = p_organization_id;
  if not found then
    -- no subscription row (a workspace from before billing): nothing to hold against
    return true;
  end if;
  if v_sub.status = 'trialing' then
    if now() >= v_sub.trial_ends_at then
      return false;
    end if;
    v_start := v_sub.trial_started_at;
    v_end := v_sub.trial_ends_at;
    v_cap := v_sub.trial_bug_limit;
  elsif v_sub.status in ('active', 'pending', 'halted') and v_sub.current_period_start is not null then
    v_start := v_sub.current_period_start;
    v_end := v_sub.current_period_end;
    select p.included_bugs into v_allowance from public.plans p where p.id = v_sub.plan_id;
    if v_allowance is null then
      return true;
    end if;
    v_cap := greatest(v_allowance, coalesce(v_sub.overage_cap, v_allowance));
  else
    return false;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('billing-meter:' || p_organization_id::text, 0));
  -- counted once per transaction and window, then carried in a transaction-local setting: the
  -- lock keeps other transactions from billing this workspace meanwhile, so a bulk insert (the
  -- demo seed, a backfill) does not recount the period for every row
  v_key := 'patchline.meter_' || replace(p_organization_id::text, '-', '');
  v_window := extract(epoch from v_start)::text;
  v_cached := current_setting(v_key, true);
  if v_cached is not null and split_part(v_cached, ':', 1) = v_window then
    v_used := split_part(v_cached, ':', 2)::integer;
  else
    select count(*) into v_used
    from public.bugs b
    where b.organization_id = p_organization_id
      and b.billed_at >= v_start and b.billed_at < v_end;
  end if;
  if v_used < v_cap then
    -- the caller bills it now (private.bugs_meter): one more in the window
    perform set_config(v_key, v_window || ':' || (v_used + 1)::text, true);
    return true;
  end if;
  perform set_config(v_key, v_window || ':' || v_used::text, true);
  return false;
end;
$$;
comment on function private.meter_admits(uuid) is
  'Whether one more Mapped Bug fits under the workspace''s cap in its current trial or period (lib/billing meterTerms + admitBug), under the meter''s advisory lock. Called by private.bugs_meter; executable by no client role.';
revoke all on function private.meter_admits(uuid) from public;

-- The meter, now with the cap: a bug becoming mapped for the first time is billed if it fits,
-- else held. Everything else as before (20261206120000_pipeline_tables.sql).
create or replace function private.bugs_meter() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if new.organization_id is distinct from old.organization_id then
      raise exception 'A bug cannot move to another workspace' using errcode = 'PT422';
    end if;
    if old.billed_at is not null and new.billed_at is distinct from old.billed_at then
      raise exception 'billed_at is set once and never changed' using errcode = 'PT422';
    end if;
    new.created_at := old.created_at;
    -- a person's correction is stamped (the re-mapping job reads edited_at)
    if (select auth.uid()) is not null
       and (new.title, new.severity, new.steps, new.expected, new.actual, new.feature, new.impact,
            new.error_messages)
           is distinct from
           (old.title, old.severity, old.steps, old.expected, old.actual, old.feature, old.impact,
            old.error_messages) then
      new.edited_at := now();
      new.edited_by := (select auth.uid());
    end if;
  end if;
  -- only the meter holds a bug: asking for held is asking for mapped
  if new.status = 'held' and (tg_op = 'INSERT' or old.status is distinct from 'held') then
    new.status := 'mapped';
  end if;
  if new.status = 'mapped' and new.billed_at is null then
    if (select private.meter_admits(new.organization_id)) then
      new.billed_at := now();
      new.held_at := null;
    else
      new.status := 'held';
      new.held_at := coalesce(new.held_at, now());
    end if;
  elsif new.status <> 'held' then
    new.held_at := null;
  end if;
  return new;
end;
$$;
comment on function private.bugs_meter() is
  'Trigger: meters a bug exactly once (billed_at := now() the first time status is mapped, if it fits under the cap, else status held with held_at), forbids changing billed_at once set, keeps organization_id and created_at fixed, stamps edited_at/edited_by on a person''s correction. Not callable directly.';

-- Releases held bugs, oldest first, while they fit (lib/billing/cap.ts releaseHeld): each becomes
-- mapped and billed by the meter above; the first that does not fit ends the release. billed_at
-- is set once, so a second release (a retried job, two triggers) bills nothing twice.
create function private.release_held_bugs(p_organization_id uuid) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_bug uuid;
  v_status text;
  v_released integer := 0;
begin
  for v_bug in
    select b.id from public.bugs b
     where b.organization_id = p_organization_id and b.status = 'held'
     order by b.held_at, b.id
  loop
    v_status := null;
    update public.bugs set status = 'mapped'
     where id = v_bug and organization_id = p_organization_id and status = 'held'
     returning status into v_status;
    exit when v_status is distinct from 'mapped';
    v_released := v_released + 1;
  end loop;
  return v_released;
end;
$$;
comment on function private.release_held_bugs(uuid) is
  'Releases a workspace''s held bugs oldest first while they fit under the cap (each billed once by private.bugs_meter); returns how many. Called by the subscriptions trigger below and public.release_held_bugs; executable by no client role.';
revoke all on function private.release_held_bugs(uuid) from public;

-- Room appears when the cap rises, a period starts or the subscription becomes active: release
-- then, in the same transaction as the change, whoever made it (the owner's cap, the Razorpay
-- intake's period and status).
create function private.subscriptions_release_held() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (new.overage_cap, new.current_period_start, new.status, new.plan_id, new.trial_ends_at,
      new.trial_bug_limit)
     is distinct from
     (old.overage_cap, old.current_period_start, old.status, old.plan_id, old.trial_ends_at,
      old.trial_bug_limit) then
    perform private.release_held_bugs(new.organization_id);
  end if;
  return null;
end;
$$;
comment on function private.subscriptions_release_held() is
  'Trigger (after update of subscriptions): releases held bugs when the cap, period, status, plan or trial terms change. Not callable directly.';
revoke all on function private.subscriptions_release_held() from public;

create trigger subscriptions_release_held
  after update on public.subscriptions
  for each row execute function private.subscriptions_release_held();

-- For jobs (a period that turned by time, a sweep): the same release, service role only.
create function public.release_held_bugs(p_organization_id uuid) returns integer
language sql
security definer
set search_path = ''
as $$
  select private.release_held_bugs(p_organization_id);
$$;
comment on function public.release_held_bugs(uuid) is
  'Releases the workspace''s held bugs that now fit under its cap, oldest first, each billed once. For the billing jobs: executable by service_role only.';
revoke all on function public.release_held_bugs(uuid) from public, anon, authenticated;
grant execute on function public.release_held_bugs(uuid) to service_role;
