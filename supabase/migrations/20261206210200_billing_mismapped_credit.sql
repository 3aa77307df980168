-- A mismapped flag earns its credit where the flag is stamped (issue 18): when a member marks a
-- Mapped Bug's top location (rank 1, the mapping the bug was billed for) mismapped within 7 days
-- of the bug's billed_at, a credit is recorded for the next invoice; later, the flag is kept and
-- no credit is given; a bug earns at most one credit (bug_credits is unique per bug and checks
-- the window itself). Clearing the flag withdraws a credit not yet applied to an invoice, so
-- flagging and clearing cannot mint credits. Same rule as lib/billing/credits.ts (creditFor).
-- Lower-ranked locations are alternatives, not what was billed: flagging them earns nothing.

create function private.bug_locations_credit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_billed_at timestamptz;
begin
  if new.rank <> 1 or new.mismapped is not distinct from old.mismapped then
    return null;
  end if;
  if not new.mismapped then
    delete from public.bug_credits c
    where c.bug_id = new.bug_id and c.organization_id = new.organization_id
      and c.invoice_id is null;
    return null;
  end if;
  select b.billed_at into v_billed_at
  from public.bugs b
  where b.id = new.bug_id and b.organization_id = new.organization_id;
  if v_billed_at is null or now() > v_billed_at + interval '7 days' then
    return null;
  end if;
  insert into public.bug_credits (organization_id, bug_id, reason, flagged_by)
  values (
    new.organization_id, new.bug_id, coalesce(new.mismapped_reason, 'Marked mismapped'),
    new.mismapped_by
  )
  on conflict (bug_id) do nothing;
  return null;
end;
$$;
comment on function private.bug_locations_credit() is
  'Trigger: marking a Mapped Bug''s top location mismapped within 7 days of billed_at records its one credit; clearing the flag withdraws a credit not yet on an invoice. Not callable directly.';
revoke all on function private.bug_locations_credit() from public;

create trigger bug_locations_credit
  after update of mismapped on public.bug_locations
  for each row execute function private.bug_locations_credit();
