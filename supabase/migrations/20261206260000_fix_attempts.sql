-- Fix attempts (issue 17): a Mapped Bug's request for a drafted fix, and what became of it. A
-- member (bugs.write) asks from the bug page, or the pipeline asks when the bug's mapping
-- confidence is at or above the workspace's auto-fix threshold; the fix-attempt job (service
-- role) reads the mapped files, asks the workspace's LLM for a patch and a test, checks it, and
-- opens one draft pull request per repository (public.pull_requests, origin drafted). The
-- attempt row is what the bug page shows: queued, running, opened, or failed with why.

create table public.fix_attempts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  bug_id uuid not null,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'opened', 'failed')),
  -- manual: a person's click; auto: mapping confidence at or above the auto-fix threshold
  trigger text not null default 'manual' check (trigger in ('manual', 'auto')),
  -- why it failed, as a kind the page words and a sentence without ticket text or secrets
  failure_kind text check (failure_kind in (
    'no_provider', 'no_locations', 'llm_refused', 'llm_failed', 'llm_malformed', 'no_fix',
    'patch_unparsable', 'patch_outside_repository', 'patch_does_not_apply', 'github_error'
  )),
  failure_detail text check (char_length(failure_detail) <= 1000),
  -- the provider call (task, provider, model, outcome, token counts, latency): never prompt or answer
  llm_call jsonb check (llm_call is null or jsonb_typeof(llm_call) = 'object'),
  -- progress shown while running, e.g. "Reading 2 files", "Opening the pull request"
  progress text check (char_length(progress) <= 200),
  requested_by uuid references auth.users (id) on delete set null,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint fix_attempts_id_organization_key unique (id, organization_id),
  constraint fix_attempts_failed_has_kind check ((status = 'failed') = (failure_kind is not null)),
  constraint fix_attempts_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade
);
comment on table public.fix_attempts is
  'Requests for a drafted fix of a bug and their outcome (queued, running, opened, failed with a kind and a sentence). Members read (bugs.read); members with bugs.write request one for a Mapped Bug (a queued manual attempt, at most one unfinished per bug); the fix-attempt job writes the rest (service role).';

-- at most one unfinished attempt per bug: a second click while one runs is refused (23505)
create unique index fix_attempts_one_active_idx
  on public.fix_attempts (bug_id) where status in ('queued', 'running');
create index fix_attempts_bug_idx on public.fix_attempts (bug_id, organization_id, created_at desc);
create index fix_attempts_organization_idx on public.fix_attempts (organization_id);
create index fix_attempts_requested_by_idx on public.fix_attempts (requested_by);

-- A person's request is a queued manual attempt stamped with who asked, for a Mapped Bug only;
-- its outcome is the job's to write. An attempt keeps its workspace and bug.
create function private.fix_attempts_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if (new.organization_id, new.bug_id, new.trigger, new.requested_by, new.created_at)
       is distinct from
       (old.organization_id, old.bug_id, old.trigger, old.requested_by, old.created_at) then
      raise exception 'A fix attempt keeps its bug and requester' using errcode = 'PT422';
    end if;
    return new;
  end if;
  if (select auth.uid()) is not null then
    -- a caller who may not ask learns nothing about the bug: RLS refuses the row next
    if not (select private.has_permission(new.organization_id, 'bugs.write')) then
      return new;
    end if;
    new.requested_by := (select auth.uid());
    new.status := 'queued';
    new.trigger := 'manual';
    new.failure_kind := null;
    new.failure_detail := null;
    new.llm_call := null;
    new.progress := null;
    new.started_at := null;
    new.finished_at := null;
    new.created_at := now();
  end if;
  -- a queued request whose job never started (the event could not be sent) is given up after
  -- five minutes, so it does not block the next request for the bug
  update public.fix_attempts a
     set status = 'failed', failure_kind = 'github_error',
         failure_detail = 'The attempt never started. It was replaced by a new request.',
         finished_at = now()
   where a.bug_id = new.bug_id and a.organization_id = new.organization_id
     and a.status = 'queued' and a.created_at < now() - interval '5 minutes';
  if not exists (
    select 1 from public.bugs b
     where b.id = new.bug_id and b.organization_id = new.organization_id and b.status = 'mapped'
  ) then
    -- RLS refuses an outsider first; a member learns only that the bug is not a Mapped Bug
    raise exception 'Only a Mapped Bug gets a fix attempt' using errcode = 'PT422';
  end if;
  return new;
end;
$$;
comment on function private.fix_attempts_guard() is
  'Trigger: a person''s fix attempt is a queued manual request stamped with requested_by, for a Mapped Bug only; an attempt keeps its workspace, bug, trigger and requester. Not callable directly.';
revoke all on function private.fix_attempts_guard() from public;

create trigger fix_attempts_guard
  before insert or update on public.fix_attempts
  for each row execute function private.fix_attempts_guard();
create trigger fix_attempts_set_updated_at
  before update on public.fix_attempts
  for each row execute function private.set_updated_at();

alter table public.fix_attempts enable row level security;
revoke all on table public.fix_attempts from public, anon, authenticated, service_role;
grant select on table public.fix_attempts to authenticated;
grant insert (organization_id, bug_id) on table public.fix_attempts to authenticated;
grant select, insert, update, delete on table public.fix_attempts to service_role;

create policy fix_attempts_select on public.fix_attempts
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
create policy fix_attempts_insert on public.fix_attempts
  for insert to authenticated
  with check (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]));
