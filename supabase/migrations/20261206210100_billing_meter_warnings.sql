-- The meter raises the usage warnings (issue 18) where billed_at is stamped, whatever the writer
-- (the pipeline job, a reviewer accepting a bug, the console): when a bug is first billed, count
-- the workspace's Mapped Bugs in its current window (the trial, or the paid period) and record
-- the 80% and 100% warnings it reached, once per period (usage_warnings is unique per workspace,
-- period and threshold). The same rule is lib/billing/warnings.ts (warningsDue); an integration
-- test runs both on the same meter readings. Notifying people is the notifier's job, which reads
-- usage_warnings; nothing here sends anything.
--
-- Not here yet (docs/billing.md): holding bugs past the cap, which needs a bug state the pipeline
-- and its pages know.

-- The meter's count: Mapped Bugs of a workspace by billed_at.
create index bugs_organization_billed_idx on public.bugs (organization_id, billed_at)
  where billed_at is not null;

create function private.bugs_usage_warnings() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_sub public.subscriptions%rowtype;
  v_start timestamptz;
  v_end timestamptz;
  v_allowance integer;
  v_used integer;
begin
  select * into v_sub from public.subscriptions s where s.organization_id = new.organization_id;
  if not found then
    return null;
  end if;
  if v_sub.status = 'trialing' then
    v_start := v_sub.trial_started_at;
    v_end := v_sub.trial_ends_at;
    v_allowance := v_sub.trial_bug_limit;
  elsif v_sub.status in ('active', 'pending', 'halted') and v_sub.current_period_start is not null then
    v_start := v_sub.current_period_start;
    v_end := v_sub.current_period_end;
    select p.included_bugs into v_allowance from public.plans p where p.id = v_sub.plan_id;
  else
    return null;
  end if;
  if v_allowance is null or new.billed_at < v_start or new.billed_at >= v_end then
    return null;
  end if;
  -- one meter per workspace at a time, so two bugs billed together both see each other and a
  -- threshold crossed between them is not missed (read committed: the count below runs after
  -- the other transaction committed)
  perform pg_advisory_xact_lock(hashtextextended('billing-meter:' || new.organization_id::text, 0));
  select count(*) into v_used
  from public.bugs b
  where b.organization_id = new.organization_id
    and b.billed_at >= v_start and b.billed_at < v_end;
  insert into public.usage_warnings (organization_id, period_start, threshold, bugs_counted, allowance)
  select new.organization_id, v_start, t.threshold, v_used, v_allowance
  from (values (80::smallint), (100::smallint)) as t (threshold)
  where v_used * 100 >= v_allowance * t.threshold
  on conflict (organization_id, period_start, threshold) do nothing;
  return null;
end;
$$;
comment on function private.bugs_usage_warnings() is
  'Trigger: when a bug is first billed, counts the workspace''s Mapped Bugs in its trial or paid period and records the 80% and 100% usage warnings reached, once per period. Not callable directly.';
revoke all on function private.bugs_usage_warnings() from public;

create trigger bugs_usage_warnings_insert
  after insert on public.bugs
  for each row when (new.billed_at is not null)
  execute function private.bugs_usage_warnings();
create trigger bugs_usage_warnings_update
  after update of billed_at, status on public.bugs
  for each row when (old.billed_at is null and new.billed_at is not null)
  execute function private.bugs_usage_warnings();
