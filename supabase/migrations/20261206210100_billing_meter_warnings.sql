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

-- Records the warnings a workspace's meter has reached in its current window.
create function private.raise_usage_warnings(p_organization_id uuid) returns void
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
  select * into v_sub from public.subscriptions s where s.organization_id = p_organization_id;
  if not found then
    return;
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
    return;
  end if;
  if v_allowance is null then
    return;
  end if;
  -- one meter per workspace at a time, so two bugs billed together both see each other and a
  -- threshold crossed between them is not missed (read committed: the count below runs after
  -- the other transaction committed)
  perform pg_advisory_xact_lock(hashtextextended('billing-meter:' || p_organization_id::text, 0));
  select count(*) into v_used
  from public.bugs b
  where b.organization_id = p_organization_id
    and b.billed_at >= v_start and b.billed_at < v_end;
  insert into public.usage_warnings (organization_id, period_start, threshold, bugs_counted, allowance)
  select p_organization_id, v_start, t.threshold, v_used, v_allowance
  from (values (80::smallint), (100::smallint)) as t (threshold)
  where v_used * 100 >= v_allowance * t.threshold
  on conflict (organization_id, period_start, threshold) do nothing;
end;
$$;
comment on function private.raise_usage_warnings(uuid) is
  'Counts the workspace''s Mapped Bugs (billed_at) in its trial or paid period and records the 80% and 100% usage warnings reached, once per period. Called by the bugs triggers below; executable by no client role.';
revoke all on function private.raise_usage_warnings(uuid) from public;

-- Statement-level with transition tables: a bulk insert (the demo seed, a backfill) meters each
-- workspace once per statement instead of recounting per row.
create function private.bugs_usage_warnings_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
begin
  for v_org in
    select distinct n.organization_id from new_rows n where n.billed_at is not null
  loop
    perform private.raise_usage_warnings(v_org);
  end loop;
  return null;
end;
$$;
comment on function private.bugs_usage_warnings_insert() is
  'Trigger (after insert, per statement): meters the workspaces of the bugs inserted already billed. Not callable directly.';
revoke all on function private.bugs_usage_warnings_insert() from public;

create function private.bugs_usage_warnings_update() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
begin
  for v_org in
    select distinct n.organization_id
    from new_rows n join old_rows o on o.id = n.id
    where o.billed_at is null and n.billed_at is not null
  loop
    perform private.raise_usage_warnings(v_org);
  end loop;
  return null;
end;
$$;
comment on function private.bugs_usage_warnings_update() is
  'Trigger (after update, per statement): meters the workspaces of the bugs that became billed (a reviewer accepted them, the pipeline mapped them). Not callable directly.';
revoke all on function private.bugs_usage_warnings_update() from public;

create trigger bugs_usage_warnings_insert
  after insert on public.bugs
  referencing new table as new_rows
  for each statement execute function private.bugs_usage_warnings_insert();
create trigger bugs_usage_warnings_update
  after update on public.bugs
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.bugs_usage_warnings_update();
