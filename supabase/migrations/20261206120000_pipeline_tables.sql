-- The pipeline's data: tickets and their public messages (from Zendesk/Intercom), bugs extracted
-- from them, the code locations a bug maps to, the review queue for what falls below a gate, the
-- per-repository code index (derived data, never source text) and the workspace's gate settings.
--
-- Who writes what:
-- - Inngest jobs write everything through the service role, scoped by organization_id.
-- - Members with bugs.write edit a bug's fields, mark a location mismapped, and accept or dismiss
--   a review item (column-level grants + one policy per command).
-- - Owners and admins (organization.update) change the gate thresholds.
-- Every member (bugs.read) reads all of it, except the serialized index.
--
-- The meter: a bug is a Mapped Bug when its status is `mapped`; billed_at is set by the database
-- the first time that happens (insert or update, whoever writes) and can never change afterwards.

-- Tenant-consistent foreign keys below reference (id, organization_id).
alter table public.integration_repositories
  add constraint integration_repositories_id_organization_key unique (id, organization_id);

-- ── tickets ─────────────────────────────────────────────────────────────────────────────────

create table public.tickets (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- the support integration it came through; kept null if that row is ever deleted
  integration_id uuid,
  provider text not null check (provider in ('zendesk', 'intercom')),
  -- Zendesk ticket id, Intercom conversation id
  external_id text not null check (char_length(external_id) between 1 and 100),
  subject text not null default '' check (char_length(subject) <= 500),
  requester_name text check (char_length(requester_name) <= 300),
  requester_external_id text check (char_length(requester_external_id) <= 100),
  channel text check (char_length(channel) <= 100),
  -- lower-cased, de-duplicated provider tags (the noise filter's skip tags read them)
  tags text[] not null default '{}' check (cardinality(tags) <= 500),
  assigned_team text check (char_length(assigned_team) <= 100),
  -- what the pipeline did with it
  status text not null default 'received'
    check (status in ('received', 'processing', 'skipped', 'bug', 'review', 'error')),
  -- the noise filter's class (bug, billing, account_access, how_to, feature_request, spam,
  -- thanks_closing) and, for a skipped ticket, why it was set aside (shown on the ticket)
  classification text check (classification in (
    'bug', 'billing', 'account_access', 'how_to', 'feature_request', 'spam', 'thanks_closing'
  )),
  skip_reason text check (char_length(skip_reason) between 1 and 500),
  -- ISO 639-1 of the customer's words (detected, else the provider's locale)
  language text check (language ~ '^[a-z]{2}$'),
  dropped_internal_notes integer not null default 0 check (dropped_internal_notes >= 0),
  -- the truncation note when a very long thread was cut to the text budget
  truncation_note text check (char_length(truncation_note) <= 500),
  last_error text check (char_length(last_error) <= 1000),
  provider_created_at timestamptz not null,
  provider_updated_at timestamptz,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tickets_id_organization_key unique (id, organization_id),
  constraint tickets_external_key unique (organization_id, provider, external_id),
  constraint tickets_skipped_has_reason check ((status = 'skipped') = (skip_reason is not null)),
  constraint tickets_integration_fkey foreign key (integration_id, organization_id)
    references public.integrations (id, organization_id) on delete set null (integration_id)
);
comment on table public.tickets is
  'Support tickets (Zendesk tickets, Intercom conversations) a workspace received, unique per provider and external id, with what the pipeline decided (status, noise class, skip reason, language). Members read them (bugs.read); all writes by the service role (the ticket intake and pipeline jobs).';

create index tickets_organization_received_idx on public.tickets (organization_id, received_at desc);
create index tickets_organization_status_idx on public.tickets (organization_id, status);
create index tickets_integration_idx on public.tickets (integration_id, organization_id);

create trigger tickets_set_updated_at
  before update on public.tickets
  for each row execute function private.set_updated_at();

alter table public.tickets enable row level security;
revoke all on table public.tickets from public, anon, authenticated, service_role;
grant select on table public.tickets to authenticated;
grant select, insert, update, delete on table public.tickets to service_role;

create policy tickets_select on public.tickets
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));

-- ── ticket_messages ─────────────────────────────────────────────────────────────────────────

create table public.ticket_messages (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  ticket_id uuid not null,
  -- Zendesk comment id, Intercom part id (the source message for conversations)
  external_id text not null check (char_length(external_id) between 1 and 100),
  author_role text not null check (author_role in ('customer', 'agent', 'bot')),
  -- how the turn was produced: typed by a person, a macro, an automation, a survey
  origin text not null default 'person' check (origin in ('person', 'macro', 'automation', 'survey')),
  -- order in the public thread, from 0
  position integer not null check (position >= 0),
  -- plain text (HTML converted, control characters stripped); rendered as text only
  body text not null check (char_length(body) <= 100000),
  attachments jsonb not null default '[]'::jsonb check (jsonb_typeof(attachments) = 'array'),
  created_at timestamptz not null,
  inserted_at timestamptz not null default now(),
  constraint ticket_messages_external_key unique (ticket_id, external_id),
  constraint ticket_messages_ticket_fkey foreign key (ticket_id, organization_id)
    references public.tickets (id, organization_id) on delete cascade
);
comment on table public.ticket_messages is
  'The public thread of a ticket (customer, agent and bot turns, in order). Internal notes are never stored: the converters drop them before anything is written. Members read them (bugs.read); all writes by the service role.';

create index ticket_messages_ticket_position_idx
  on public.ticket_messages (ticket_id, organization_id, position);
create index ticket_messages_organization_idx on public.ticket_messages (organization_id);

alter table public.ticket_messages enable row level security;
revoke all on table public.ticket_messages from public, anon, authenticated, service_role;
grant select on table public.ticket_messages to authenticated;
grant select, insert, update, delete on table public.ticket_messages to service_role;

create policy ticket_messages_select on public.ticket_messages
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));

-- ── bugs ────────────────────────────────────────────────────────────────────────────────────

create table public.bugs (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 300),
  severity text not null check (severity in ('critical', 'high', 'medium', 'low')),
  -- the customer's words that decided the severity
  severity_cue text check (char_length(severity_cue) <= 500),
  steps text[] not null default '{}' check (cardinality(steps) <= 30),
  expected text check (char_length(expected) <= 2000),
  actual text check (char_length(actual) <= 2000),
  feature text check (char_length(feature) <= 200),
  impact text check (char_length(impact) <= 1000),
  error_messages text[] not null default '{}' check (cardinality(error_messages) <= 20),
  stack_traces text[] not null default '{}' check (cardinality(stack_traces) <= 10),
  -- the customer's own words, unchanged, and their language
  verbatim text not null default '' check (char_length(verbatim) <= 100000),
  verbatim_language text check (verbatim_language ~ '^[a-z]{2}$'),
  extraction_confidence numeric(4, 3) not null check (extraction_confidence between 0 and 1),
  extraction_reasons text[] not null default '{}',
  -- the top location's calibrated confidence; null when nothing could be mapped
  mapping_confidence numeric(4, 3) check (mapping_confidence between 0 and 1),
  status text not null check (status in ('mapped', 'review', 'dismissed')),
  -- the meter: set by the database when the bug first becomes `mapped`, never changed afterwards
  billed_at timestamptz,
  -- the ticket whose processing created it (the first of its linked tickets)
  source_ticket_id uuid unique,
  -- set when a person edits the fields (the job that re-maps reads it)
  edited_at timestamptz,
  edited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint bugs_id_organization_key unique (id, organization_id),
  constraint bugs_mapped_is_billed check (status <> 'mapped' or billed_at is not null),
  constraint bugs_source_ticket_fkey foreign key (source_ticket_id, organization_id)
    references public.tickets (id, organization_id) on delete set null (source_ticket_id)
);
comment on table public.bugs is
  'Structured bugs extracted from tickets, with both confidences and a status: mapped (a Mapped Bug, billed once), review (held below a gate) or dismissed. billed_at is set by the database the first time status becomes mapped and is immutable afterwards. Members read (bugs.read); members with bugs.write edit the fields and status; the pipeline jobs write through the service role.';
comment on column public.bugs.billed_at is
  'When the bug became a Mapped Bug and was metered: set once by private.bugs_meter, never changed or cleared.';

create index bugs_organization_created_idx on public.bugs (organization_id, created_at desc);
create index bugs_organization_status_idx on public.bugs (organization_id, status);
create index bugs_source_ticket_idx on public.bugs (source_ticket_id, organization_id);
create index bugs_edited_by_idx on public.bugs (edited_by);

-- The meter and the bug's fixed columns, whatever the writer (job, member, console).
create function private.bugs_meter() returns trigger
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
  if new.status = 'mapped' and new.billed_at is null then
    new.billed_at := now();
  end if;
  return new;
end;
$$;
comment on function private.bugs_meter() is
  'Trigger: meters a bug exactly once (billed_at := now() the first time status is mapped), forbids changing billed_at once set, keeps organization_id and created_at fixed, stamps edited_at/edited_by on a person''s correction. Not callable directly.';
revoke all on function private.bugs_meter() from public;

create trigger bugs_meter
  before insert or update on public.bugs
  for each row execute function private.bugs_meter();
create trigger bugs_set_updated_at
  before update on public.bugs
  for each row execute function private.set_updated_at();

alter table public.bugs enable row level security;
revoke all on table public.bugs from public, anon, authenticated, service_role;
grant select on table public.bugs to authenticated;
-- the fields a person corrects on the bug page, and its status (accept/dismiss)
grant update (
  title, severity, steps, expected, actual, feature, impact, error_messages, status
) on table public.bugs to authenticated;
grant select, insert, update, delete on table public.bugs to service_role;

create policy bugs_select on public.bugs
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));
create policy bugs_update on public.bugs
  for update to authenticated
  using ((select private.has_permission(organization_id, 'bugs.write')))
  with check ((select private.has_permission(organization_id, 'bugs.write')));

-- ── bug_tickets ─────────────────────────────────────────────────────────────────────────────

create table public.bug_tickets (
  organization_id uuid not null,
  bug_id uuid not null,
  -- a ticket joins one bug
  ticket_id uuid not null primary key,
  -- why it joined: it created the bug, or duplicate detection matched an open bug
  link_reason text not null default 'created' check (link_reason in ('created', 'duplicate')),
  linked_at timestamptz not null default now(),
  constraint bug_tickets_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade,
  constraint bug_tickets_ticket_fkey foreign key (ticket_id, organization_id)
    references public.tickets (id, organization_id) on delete cascade
);
comment on table public.bug_tickets is
  'Which tickets report which bug (a ticket joins one bug; several tickets may join the same bug through duplicate detection). Members read (bugs.read); written by the pipeline jobs (service role).';

create index bug_tickets_bug_idx on public.bug_tickets (bug_id, organization_id);
create index bug_tickets_ticket_organization_idx on public.bug_tickets (ticket_id, organization_id);
create index bug_tickets_organization_idx on public.bug_tickets (organization_id);

alter table public.bug_tickets enable row level security;
revoke all on table public.bug_tickets from public, anon, authenticated, service_role;
grant select on table public.bug_tickets to authenticated;
grant select, insert, update, delete on table public.bug_tickets to service_role;

create policy bug_tickets_select on public.bug_tickets
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));

-- ── bug_locations ───────────────────────────────────────────────────────────────────────────

create table public.bug_locations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  bug_id uuid not null,
  repository_id uuid,
  -- owner/name and commit as indexed, so the link to the lines stays right after a re-index
  repository_full_name text not null
    check (repository_full_name ~ '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$'),
  commit_sha text not null check (commit_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  path text not null check (char_length(path) between 1 and 1000),
  -- qualified function name; null for a file-level location
  function_name text check (char_length(function_name) <= 500),
  start_line integer not null check (start_line >= 1),
  end_line integer not null,
  confidence numeric(4, 3) not null check (confidence between 0 and 1),
  explanation text not null default '' check (char_length(explanation) <= 4000),
  -- 1 = best
  rank integer not null check (rank between 1 and 50),
  mismapped boolean not null default false,
  mismapped_reason text check (char_length(mismapped_reason) between 1 and 1000),
  mismapped_by uuid references auth.users (id) on delete set null,
  mismapped_at timestamptz,
  created_at timestamptz not null default now(),
  constraint bug_locations_lines check (end_line >= start_line),
  constraint bug_locations_rank_key unique (bug_id, rank),
  constraint bug_locations_mismapped_reason check (mismapped or mismapped_reason is null),
  constraint bug_locations_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade,
  constraint bug_locations_repository_fkey foreign key (repository_id, organization_id)
    references public.integration_repositories (id, organization_id)
    on delete set null (repository_id)
);
comment on table public.bug_locations is
  'Ranked code locations a bug maps to (repository, commit, path, function, line span, calibrated confidence and the explanation in words). Members read (bugs.read); members with bugs.write mark a location mismapped with a reason; the mapping job writes the rest (service role).';

create index bug_locations_bug_idx on public.bug_locations (bug_id, organization_id);
create index bug_locations_organization_idx on public.bug_locations (organization_id);
create index bug_locations_repository_idx on public.bug_locations (repository_id, organization_id);
create index bug_locations_mismapped_by_idx on public.bug_locations (mismapped_by);
-- duplicate detection looks bugs up by their top location
create index bug_locations_top_idx on public.bug_locations (organization_id, path, function_name)
  where rank = 1;

-- Only the mismapped flag and its reason change after the mapping job wrote a location.
create function private.bug_locations_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (new.organization_id, new.bug_id, new.repository_full_name, new.commit_sha, new.path,
      new.function_name, new.start_line, new.end_line, new.rank, new.created_at)
     is distinct from
     (old.organization_id, old.bug_id, old.repository_full_name, old.commit_sha, old.path,
      old.function_name, old.start_line, old.end_line, old.rank, old.created_at) then
    raise exception 'A code location is replaced by re-mapping, not edited' using errcode = 'PT422';
  end if;
  if new.mismapped is distinct from old.mismapped then
    if new.mismapped then
      new.mismapped_at := now();
      new.mismapped_by := (select auth.uid());
    else
      new.mismapped_at := null;
      new.mismapped_by := null;
      new.mismapped_reason := null;
    end if;
  end if;
  return new;
end;
$$;
comment on function private.bug_locations_guard() is
  'Trigger: a location''s place in the code is fixed once written (re-mapping replaces rows); marking it mismapped stamps who and when. Not callable directly.';
revoke all on function private.bug_locations_guard() from public;

create trigger bug_locations_guard
  before update on public.bug_locations
  for each row execute function private.bug_locations_guard();

alter table public.bug_locations enable row level security;
revoke all on table public.bug_locations from public, anon, authenticated, service_role;
grant select on table public.bug_locations to authenticated;
grant update (mismapped, mismapped_reason) on table public.bug_locations to authenticated;
grant select, insert, update, delete on table public.bug_locations to service_role;

create policy bug_locations_select on public.bug_locations
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));
create policy bug_locations_update on public.bug_locations
  for update to authenticated
  using ((select private.has_permission(organization_id, 'bugs.write')))
  with check ((select private.has_permission(organization_id, 'bugs.write')));

-- ── review_items ────────────────────────────────────────────────────────────────────────────

create table public.review_items (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  bug_id uuid,
  ticket_id uuid,
  -- which confidence gate held it
  gate text not null check (gate in ('extraction', 'mapping')),
  reason text not null check (char_length(reason) between 1 and 2000),
  status text not null default 'open' check (status in ('open', 'accepted', 'dismissed')),
  resolved_by uuid references auth.users (id) on delete set null,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint review_items_subject check (bug_id is not null or ticket_id is not null),
  constraint review_items_resolved check ((status = 'open') = (resolved_at is null)),
  constraint review_items_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade,
  constraint review_items_ticket_fkey foreign key (ticket_id, organization_id)
    references public.tickets (id, organization_id) on delete cascade
);
comment on table public.review_items is
  'The review queue: a bug (or a ticket) held below a confidence gate, with the reason. Accepting a bug''s item makes the bug a Mapped Bug (metered once by the bugs trigger); dismissing it dismisses the bug. Members read (bugs.read); members with bugs.write accept or dismiss; the pipeline jobs create them (service role).';

-- one item per subject and gate: a re-run does not queue it twice
create unique index review_items_bug_gate_key on public.review_items (bug_id, gate)
  where bug_id is not null;
create unique index review_items_ticket_gate_key on public.review_items (ticket_id, gate)
  where bug_id is null;
create index review_items_organization_status_idx
  on public.review_items (organization_id, status, created_at desc);
create index review_items_bug_idx on public.review_items (bug_id, organization_id);
create index review_items_ticket_idx on public.review_items (ticket_id, organization_id);
create index review_items_resolved_by_idx on public.review_items (resolved_by);

-- An item is resolved once (open → accepted | dismissed), stamped with who and when; resolving a
-- bug's item carries the decision to the bug.
create function private.review_items_resolve() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (new.organization_id, new.bug_id, new.ticket_id, new.gate, new.created_at)
     is distinct from (old.organization_id, old.bug_id, old.ticket_id, old.gate, old.created_at) then
    raise exception 'A review item keeps its subject and gate' using errcode = 'PT422';
  end if;
  if new.status is distinct from old.status then
    if old.status <> 'open' then
      raise exception 'A review item is resolved once' using errcode = 'PT422';
    end if;
    new.resolved_at := now();
    new.resolved_by := (select auth.uid());
    if new.bug_id is not null then
      if new.status = 'accepted' then
        -- the bugs trigger meters it (billed_at) if it was never mapped before
        update public.bugs set status = 'mapped'
         where id = new.bug_id and organization_id = new.organization_id and status = 'review';
      elsif new.status = 'dismissed' then
        update public.bugs set status = 'dismissed'
         where id = new.bug_id and organization_id = new.organization_id and status = 'review'
           and not exists (
             select 1 from public.review_items r
              where r.bug_id = new.bug_id and r.id <> new.id and r.status = 'open'
           );
      end if;
    end if;
  end if;
  return new;
end;
$$;
comment on function private.review_items_resolve() is
  'Trigger: a review item keeps its subject and gate, is resolved once with who and when, and carries accept (bug → mapped, metered once) or dismiss (bug → dismissed) to its bug. Not callable directly.';
revoke all on function private.review_items_resolve() from public;

create trigger review_items_resolve
  before update on public.review_items
  for each row execute function private.review_items_resolve();
create trigger review_items_set_updated_at
  before update on public.review_items
  for each row execute function private.set_updated_at();

alter table public.review_items enable row level security;
revoke all on table public.review_items from public, anon, authenticated, service_role;
grant select on table public.review_items to authenticated;
grant update (status) on table public.review_items to authenticated;
grant select, insert, update, delete on table public.review_items to service_role;

create policy review_items_select on public.review_items
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));
create policy review_items_update on public.review_items
  for update to authenticated
  using ((select private.has_permission(organization_id, 'bugs.write')))
  with check ((select private.has_permission(organization_id, 'bugs.write')));

-- ── code_indexes ────────────────────────────────────────────────────────────────────────────

create table public.code_indexes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  -- one index per selected repository
  repository_id uuid not null unique,
  repository_full_name text not null
    check (repository_full_name ~ '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$'),
  branch text check (char_length(branch) between 1 and 255),
  -- the commit the stored index describes (null until the first index is ready)
  commit_sha text check (commit_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  -- the commit being indexed right now
  target_sha text check (target_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  status text not null default 'queued' check (status in ('queued', 'indexing', 'ready', 'error')),
  files_done integer not null default 0 check (files_done >= 0),
  files_total integer not null default 0 check (files_total >= 0),
  -- language → indexed files
  languages jsonb not null default '{}'::jsonb check (jsonb_typeof(languages) = 'object'),
  files_count integer not null default 0 check (files_count >= 0),
  functions_count integer not null default 0 check (functions_count >= 0),
  lines_count bigint not null default 0 check (lines_count >= 0),
  skipped_count integer not null default 0 check (skipped_count >= 0),
  last_error text check (char_length(last_error) <= 1000),
  -- serializeIndex() output: names, spans, term counts, hashes, imports; never source text.
  -- Readable by the service role only (the mapping job).
  index_data text,
  index_bytes integer not null default 0 check (index_bytes >= 0),
  started_at timestamptz,
  indexed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint code_indexes_ready_has_index check (status <> 'ready' or (index_data is not null and commit_sha is not null)),
  constraint code_indexes_repository_fkey foreign key (repository_id, organization_id)
    references public.integration_repositories (id, organization_id) on delete cascade
);
comment on table public.code_indexes is
  'The code map of each selected repository: indexed commit, status and progress (files done/total), languages, counts, last error, and the serialized derived index (names, spans, term counts, hashes; never source text), which only the service role reads. Members read the rest (bugs.read); the indexing job writes (service role).';
comment on column public.code_indexes.index_data is
  'lib/pipeline/code-index serializeIndex() output: derived data only, no source text. Service role only.';

create index code_indexes_organization_idx on public.code_indexes (organization_id, status);
create index code_indexes_repository_organization_idx
  on public.code_indexes (repository_id, organization_id);

create trigger code_indexes_set_updated_at
  before update on public.code_indexes
  for each row execute function private.set_updated_at();

alter table public.code_indexes enable row level security;
revoke all on table public.code_indexes from public, anon, authenticated, service_role;
-- column-level: index_data is not in this list, so `select *` as a client fails
grant select (
  id, organization_id, repository_id, repository_full_name, branch, commit_sha, target_sha,
  status, files_done, files_total, languages, files_count, functions_count, lines_count,
  skipped_count, last_error, index_bytes, started_at, indexed_at, created_at, updated_at
) on table public.code_indexes to authenticated;
grant select, insert, update, delete on table public.code_indexes to service_role;

create policy code_indexes_select on public.code_indexes
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));

-- ── pipeline_settings ───────────────────────────────────────────────────────────────────────

create table public.pipeline_settings (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  -- the two confidence gates: at or above both → Mapped Bug; below either → review queue
  extraction_threshold numeric(3, 2) not null default 0.70
    check (extraction_threshold between 0 and 1),
  mapping_threshold numeric(3, 2) not null default 0.70
    check (mapping_threshold between 0 and 1),
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.pipeline_settings is
  'Per-workspace pipeline settings: the extraction and mapping confidence gates (0.70 each when no row exists). Members read (bugs.read); owners and admins insert and update (organization.update); jobs read through the service role.';

create index pipeline_settings_updated_by_idx on public.pipeline_settings (updated_by);

create function private.pipeline_settings_stamp() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    new.organization_id := old.organization_id;
    new.created_at := old.created_at;
  end if;
  new.updated_by := coalesce((select auth.uid()), new.updated_by);
  return new;
end;
$$;
comment on function private.pipeline_settings_stamp() is
  'Trigger: keeps pipeline_settings.organization_id and created_at fixed and records who changed the gates. Not callable directly.';
revoke all on function private.pipeline_settings_stamp() from public;

create trigger pipeline_settings_stamp
  before insert or update on public.pipeline_settings
  for each row execute function private.pipeline_settings_stamp();
create trigger pipeline_settings_set_updated_at
  before update on public.pipeline_settings
  for each row execute function private.set_updated_at();

alter table public.pipeline_settings enable row level security;
revoke all on table public.pipeline_settings from public, anon, authenticated, service_role;
grant select on table public.pipeline_settings to authenticated;
grant insert (organization_id, extraction_threshold, mapping_threshold)
  on table public.pipeline_settings to authenticated;
grant update (extraction_threshold, mapping_threshold) on table public.pipeline_settings to authenticated;
grant select, insert, update, delete on table public.pipeline_settings to service_role;

create policy pipeline_settings_select on public.pipeline_settings
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));
create policy pipeline_settings_insert on public.pipeline_settings
  for insert to authenticated
  with check ((select private.has_permission(organization_id, 'organization.update')));
create policy pipeline_settings_update on public.pipeline_settings
  for update to authenticated
  using ((select private.has_permission(organization_id, 'organization.update')))
  with check ((select private.has_permission(organization_id, 'organization.update')));
