-- From a Mapped Bug to a fix in production (issue 17): the pull requests that carry a bug's fix
-- (drafted by Patchline or linked by a person), the repository's deployments, the customer RCA of
-- a bug and its per-ticket publications, each repository's production environment name and the
-- workspace's fix settings.
--
-- Who writes what:
-- - Inngest jobs and the signed webhook intake write PR state, deployments, RCA drafts, parking
--   and publications through the service role, scoped by organization_id.
-- - Members with bugs.write link an existing pull request to a bug (and unlink it), and edit an
--   RCA's sections; owners and admins (rcas.approve) approve an RCA; owners and admins
--   (organization.update) change the fix settings.
-- Every member (bugs.read) reads all of it.
-- Policies resolve the caller's permitted workspaces once per statement
-- (private.permitted_organizations, migration …155000), not a membership lookup per row.
--
-- Exactly once per ticket: rca_publications holds (ticket, SHA-256 of the published version)
-- unique, inserted before anything is sent; an insert that conflicts means "already posted".

-- ── permissions ─────────────────────────────────────────────────────────────────────────────

-- Approving a customer RCA is an owner's or admin's call (mirrors lib/auth/permissions.ts).
insert into private.role_permissions (role, action)
values ('owner', 'rcas.approve'), ('admin', 'rcas.approve');

-- ── the repository's production environment ────────────────────────────────────────────────

-- A deployment counts for deploy detection only in this environment (GitHub's environment name).
-- Written like `selected`: by admin-gated server code through the service role.
alter table public.integration_repositories
  add column production_environment text not null default 'production'
    check (char_length(production_environment) between 1 and 255
           and production_environment !~ '[[:cntrl:]]');
comment on column public.integration_repositories.production_environment is
  'GitHub deployment environment whose successful deployments count as production for deploy detection (default production). Set by owners and admins through admin-gated server code.';

-- ── fix_settings ────────────────────────────────────────────────────────────────────────────

create table public.fix_settings (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  -- a Mapped Bug at or above this mapping confidence gets a fix attempt without a click
  auto_fix_threshold numeric(3, 2) not null default 0.90 check (auto_fix_threshold between 0 and 1),
  -- an RCA must be approved by an owner or admin before it is published
  rca_approval_required boolean not null default true,
  -- a bug with at least this many linked tickets gets an RCA whatever its severity
  rca_min_cluster_size integer not null default 3 check (rca_min_cluster_size between 1 and 1000),
  -- review comments asking for changes trigger at most this many new patches (LLM provider only)
  review_rounds_max integer not null default 3 check (review_rounds_max between 0 and 20),
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.fix_settings is
  'Per-workspace fix settings: auto-fix threshold (0.90), RCA approval required (true), minimum linked-ticket cluster for an RCA (3), review rounds (3); those defaults apply when no row exists. Members read (bugs.read); owners and admins insert and update (organization.update); jobs read through the service role.';

create index fix_settings_updated_by_idx on public.fix_settings (updated_by);

create function private.fix_settings_stamp() returns trigger
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
comment on function private.fix_settings_stamp() is
  'Trigger: keeps fix_settings.organization_id and created_at fixed and records who changed the settings. Not callable directly.';
revoke all on function private.fix_settings_stamp() from public;

create trigger fix_settings_stamp
  before insert or update on public.fix_settings
  for each row execute function private.fix_settings_stamp();
create trigger fix_settings_set_updated_at
  before update on public.fix_settings
  for each row execute function private.set_updated_at();

alter table public.fix_settings enable row level security;
revoke all on table public.fix_settings from public, anon, authenticated, service_role;
grant select on table public.fix_settings to authenticated;
grant insert (
  organization_id, auto_fix_threshold, rca_approval_required, rca_min_cluster_size,
  review_rounds_max
) on table public.fix_settings to authenticated;
grant update (auto_fix_threshold, rca_approval_required, rca_min_cluster_size, review_rounds_max)
  on table public.fix_settings to authenticated;
grant select, insert, update, delete on table public.fix_settings to service_role;

create policy fix_settings_select on public.fix_settings
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
create policy fix_settings_insert on public.fix_settings
  for insert to authenticated
  with check (organization_id = any ((select private.permitted_organizations('organization.update'))::uuid[]));
create policy fix_settings_update on public.fix_settings
  for update to authenticated
  using (organization_id = any ((select private.permitted_organizations('organization.update'))::uuid[]))
  with check (organization_id = any ((select private.permitted_organizations('organization.update'))::uuid[]));

-- ── pull_requests ───────────────────────────────────────────────────────────────────────────

create table public.pull_requests (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  bug_id uuid not null,
  repository_id uuid not null,
  -- owner/name, copied from the repository by the database (a stack lists it without a join)
  repository_full_name text not null
    check (repository_full_name ~ '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$'),
  number integer not null check (number > 0),
  url text not null check (url ~ '^https?://[^[:space:]]+$' and char_length(url) <= 500),
  -- drafted by Patchline through the GitHub App, or an existing PR a person linked
  origin text not null default 'linked' check (origin in ('drafted', 'linked')),
  title text check (char_length(title) <= 300),
  head_branch text check (char_length(head_branch) between 1 and 255),
  head_sha text check (head_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  state text not null default 'open' check (state in ('draft', 'open', 'merged', 'closed')),
  -- the head commit's check runs and commit statuses, summarised, and each by name
  checks_state text not null default 'none'
    check (checks_state in ('none', 'pending', 'passing', 'failing')),
  checks jsonb not null default '[]'::jsonb check (jsonb_typeof(checks) = 'array'),
  review_state text not null default 'none'
    check (review_state in ('none', 'review_requested', 'changes_requested', 'approved')),
  merge_sha text check (merge_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  merged_at timestamptz,
  -- deploy detection (lib/fixes/deploy-ancestry.ts) against the production environment
  deploy_state text not null default 'not_yet'
    check (deploy_state in ('not_yet', 'shipped', 'rolled_back')),
  deployed_sha text check (deployed_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  shipped_at timestamptz,
  deploy_checked_at timestamptz,
  linked_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pull_requests_id_organization_key unique (id, organization_id),
  -- one pull request per bug and repository (several repositories make a stack)
  constraint pull_requests_bug_repository_key unique (bug_id, repository_id),
  constraint pull_requests_merged_has_sha check ((state = 'merged') = (merge_sha is not null)),
  constraint pull_requests_deploy_needs_merge check (deploy_state = 'not_yet' or state = 'merged'),
  constraint pull_requests_shipped_at check ((deploy_state = 'not_yet') or shipped_at is not null),
  constraint pull_requests_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade,
  constraint pull_requests_repository_fkey foreign key (repository_id, organization_id)
    references public.integration_repositories (id, organization_id) on delete cascade
);
comment on table public.pull_requests is
  'The pull requests carrying a bug''s fix, one per bug and repository: drafted by Patchline or linked by a person, with state, CI checks, review state, merge commit and deploy detection (not_yet, shipped, rolled_back). Members read (bugs.read); members with bugs.write link an existing PR and unlink a linked one; everything else is written by the webhook intake and jobs (service role).';

create index pull_requests_bug_idx on public.pull_requests (bug_id, organization_id);
create index pull_requests_repository_idx on public.pull_requests (repository_id, organization_id);
create index pull_requests_organization_idx
  on public.pull_requests (organization_id, deploy_state, shipped_at desc);
create index pull_requests_linked_by_idx on public.pull_requests (linked_by);
-- webhook deliveries find the PR by repository and number
create index pull_requests_repository_number_idx
  on public.pull_requests (repository_id, number);

-- A PR belongs to its bug and repository for good; a person's link is stamped; the repository's
-- name comes from the repository row, whatever the writer sent.
create function private.pull_requests_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if (new.organization_id, new.bug_id, new.repository_id, new.number, new.origin)
       is distinct from
       (old.organization_id, old.bug_id, old.repository_id, old.number, old.origin) then
      raise exception 'A pull request keeps its bug, repository and number' using errcode = 'PT422';
    end if;
    new.created_at := old.created_at;
    new.linked_by := old.linked_by;
  else
    new.linked_by := (select auth.uid());
    if new.linked_by is not null then
      new.origin := 'linked';
      -- a caller who may not link learns nothing about repositories: RLS refuses the row next
      if not (select private.has_permission(new.organization_id, 'bugs.write')) then
        return new;
      end if;
    end if;
  end if;
  select r.full_name into new.repository_full_name
    from public.integration_repositories r
   where r.id = new.repository_id and r.organization_id = new.organization_id;
  if new.repository_full_name is null then
    raise exception 'No such repository in this workspace' using errcode = '23503';
  end if;
  return new;
end;
$$;
comment on function private.pull_requests_guard() is
  'Trigger: a pull request keeps its workspace, bug, repository, number and origin; a person''s link is origin linked and stamped with linked_by; repository_full_name is copied from the repository. Not callable directly.';
revoke all on function private.pull_requests_guard() from public;

create trigger pull_requests_guard
  before insert or update on public.pull_requests
  for each row execute function private.pull_requests_guard();
create trigger pull_requests_set_updated_at
  before update on public.pull_requests
  for each row execute function private.set_updated_at();

alter table public.pull_requests enable row level security;
revoke all on table public.pull_requests from public, anon, authenticated, service_role;
grant select on table public.pull_requests to authenticated;
-- linking an existing PR: the rest (state, checks, review, merge, deploy) comes from GitHub
grant insert (organization_id, bug_id, repository_id, repository_full_name, number, url)
  on table public.pull_requests to authenticated;
grant delete on table public.pull_requests to authenticated;
grant select, insert, update, delete on table public.pull_requests to service_role;

create policy pull_requests_select on public.pull_requests
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
create policy pull_requests_insert on public.pull_requests
  for insert to authenticated
  with check (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]));
-- only a linked PR is unlinked; a drafted one stays on record (the app never deletes branches)
create policy pull_requests_delete on public.pull_requests
  for delete to authenticated
  using (origin = 'linked'
         and organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]));

-- ── deployments ─────────────────────────────────────────────────────────────────────────────

create table public.deployments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  repository_id uuid not null,
  -- GitHub's deployment id: one row per deployment, its state following deployment_status
  github_deployment_id bigint not null check (github_deployment_id > 0),
  environment text not null check (char_length(environment) between 1 and 255),
  sha text not null check (sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  state text not null check (
    state in ('queued', 'pending', 'in_progress', 'success', 'failure', 'error', 'inactive')
  ),
  -- when GitHub reported the current state
  state_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint deployments_repository_deployment_key unique (repository_id, github_deployment_id),
  constraint deployments_repository_fkey foreign key (repository_id, organization_id)
    references public.integration_repositories (id, organization_id) on delete cascade
);
comment on table public.deployments is
  'GitHub deployments of a workspace''s repositories (environment, commit, latest deployment_status state and when): deploy detection compares the latest successful production deployment with each merged fix. Members read (bugs.read); written by the webhook intake and jobs (service role).';

create index deployments_repository_idx on public.deployments (repository_id, organization_id);
create index deployments_organization_idx on public.deployments (organization_id);
-- "the latest successful production deployment of this repository"
create index deployments_latest_idx
  on public.deployments (repository_id, environment, state_at desc) where state = 'success';

create trigger deployments_set_updated_at
  before update on public.deployments
  for each row execute function private.set_updated_at();

alter table public.deployments enable row level security;
revoke all on table public.deployments from public, anon, authenticated, service_role;
grant select on table public.deployments to authenticated;
grant select, insert, update, delete on table public.deployments to service_role;

create policy deployments_select on public.deployments
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));

-- ── rcas ────────────────────────────────────────────────────────────────────────────────────

create table public.rcas (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  bug_id uuid not null unique,
  -- the five editable sections (lib/fixes/rca/sections.ts), each plain text
  sections jsonb not null check (
    jsonb_typeof(sections) = 'object'
    and sections ?& array['customer_impact', 'timeline', 'root_cause', 'fix', 'prevention']
    and jsonb_typeof(sections -> 'customer_impact') = 'string'
    and jsonb_typeof(sections -> 'timeline') = 'string'
    and jsonb_typeof(sections -> 'root_cause') = 'string'
    and jsonb_typeof(sections -> 'fix') = 'string'
    and jsonb_typeof(sections -> 'prevention') = 'string'
    and octet_length(sections::text) <= 60000
  ),
  -- draft → approved → published; parked when a rollback removed the fix before publishing
  status text not null default 'draft'
    check (status in ('draft', 'approved', 'published', 'parked')),
  -- bumped by the database on every change of the sections
  version integer not null default 1 check (version >= 1),
  parked_reason text check (char_length(parked_reason) between 1 and 500),
  approved_by uuid references auth.users (id) on delete set null,
  approved_at timestamptz,
  approved_version integer,
  published_version integer,
  published_at timestamptz,
  edited_by uuid references auth.users (id) on delete set null,
  edited_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint rcas_id_organization_key unique (id, organization_id),
  constraint rcas_parked_has_reason check ((status = 'parked') = (parked_reason is not null)),
  constraint rcas_approved_is_current
    check (status <> 'approved' or (approved_at is not null and approved_version = version)),
  constraint rcas_published_is_current
    check (status <> 'published' or (published_at is not null and published_version = version)),
  constraint rcas_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade
);
comment on table public.rcas is
  'The customer root-cause analysis of a bug: five editable sections, a version bumped on every edit, and a status (draft, approved, published, parked). Members read (bugs.read); members with bugs.write edit the sections (which withdraws an approval); owners and admins (rcas.approve) approve; drafting, parking and publishing are the jobs'' (service role), and publishing needs a current approval when the workspace requires one.';

create index rcas_bug_idx on public.rcas (bug_id, organization_id);
create index rcas_organization_status_idx on public.rcas (organization_id, status);
create index rcas_approved_by_idx on public.rcas (approved_by);
create index rcas_edited_by_idx on public.rcas (edited_by);

-- The RCA's life, whatever the writer: edits bump the version and withdraw an approval; only
-- rcas.approve approves; people never publish or park; publishing needs a current approval when
-- the workspace requires it.
create function private.rcas_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_person uuid := (select auth.uid());
  v_approval_required boolean;
  -- whether the writer asked for a new status (an edit's own withdrawal of approval is not asked)
  v_status_asked boolean;
begin
  if tg_op = 'INSERT' then
    new.version := 1;
    new.approved_by := null;
    new.approved_at := null;
    new.approved_version := null;
    new.published_version := null;
    new.published_at := null;
    if new.status not in ('draft', 'parked') then
      raise exception 'An RCA starts as a draft' using errcode = 'PT422';
    end if;
    return new;
  end if;

  if (new.organization_id, new.bug_id) is distinct from (old.organization_id, old.bug_id) then
    raise exception 'An RCA keeps its bug' using errcode = 'PT422';
  end if;
  new.created_at := old.created_at;
  new.version := old.version;
  new.approved_by := old.approved_by;
  new.approved_at := old.approved_at;
  new.approved_version := old.approved_version;
  new.published_version := old.published_version;
  new.published_at := old.published_at;

  v_status_asked := new.status is distinct from old.status;
  if new.sections is distinct from old.sections then
    new.version := old.version + 1;
    new.edited_at := now();
    new.edited_by := coalesce(v_person, old.edited_by);
    -- an edited text is a new version: the old approval does not cover it
    if old.status in ('approved', 'published') and new.status = old.status then
      new.status := 'draft';
    end if;
  else
    new.edited_at := old.edited_at;
    new.edited_by := old.edited_by;
  end if;

  if v_status_asked then
    if v_person is not null then
      if not (new.status in ('draft', 'approved') and old.status in ('draft', 'approved')) then
        raise exception 'Publishing and parking an RCA are done by Patchline' using errcode = 'PT403';
      end if;
      if not (select private.has_permission(new.organization_id, 'rcas.approve')) then
        raise exception 'Only owners and admins approve an RCA' using errcode = 'PT403';
      end if;
    end if;
    if new.status = 'approved' and v_person is not null then
      new.approved_by := v_person;
      new.approved_at := now();
      new.approved_version := new.version;
    elsif new.status = 'approved' then
      -- Patchline restores an approval (a parked RCA un-parked), it never grants one
      if old.approved_version is distinct from new.version then
        raise exception 'Only a person approves an RCA' using errcode = 'PT422';
      end if;
    elsif new.status = 'published' then
      select coalesce(
        (select s.rca_approval_required from public.fix_settings s
          where s.organization_id = new.organization_id), true)
        into v_approval_required;
      if v_approval_required
         and (old.status <> 'approved' or old.approved_version is distinct from new.version) then
        raise exception 'This workspace publishes an RCA only once it is approved'
          using errcode = 'PT422';
      end if;
      new.published_version := new.version;
      new.published_at := now();
    end if;
  end if;

  if new.status = 'parked' and new.parked_reason is null then
    raise exception 'A parked RCA says why' using errcode = 'PT422';
  end if;
  if new.status <> 'parked' then
    new.parked_reason := null;
  end if;
  return new;
end;
$$;
comment on function private.rcas_guard() is
  'Trigger: an RCA starts as a draft at version 1, keeps its bug, bumps its version on every edit of the sections (withdrawing an approval), lets only rcas.approve approve, keeps publishing and parking to the service role, and refuses to publish without a current approval when fix_settings requires one. Not callable directly.';
revoke all on function private.rcas_guard() from public;

create trigger rcas_guard
  before insert or update on public.rcas
  for each row execute function private.rcas_guard();
create trigger rcas_set_updated_at
  before update on public.rcas
  for each row execute function private.set_updated_at();

alter table public.rcas enable row level security;
revoke all on table public.rcas from public, anon, authenticated, service_role;
grant select on table public.rcas to authenticated;
grant update (sections, status) on table public.rcas to authenticated;
grant select, insert, update, delete on table public.rcas to service_role;

create policy rcas_select on public.rcas
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
create policy rcas_update on public.rcas
  for update to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]))
  with check (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]));

-- ── rca_publications ────────────────────────────────────────────────────────────────────────

create table public.rca_publications (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  rca_id uuid not null,
  ticket_id uuid not null,
  -- the RCA version posted and the SHA-256 (hex) of exactly what was posted to this ticket
  version integer not null check (version >= 1),
  version_hash text not null check (version_hash ~ '^[0-9a-f]{64}$'),
  -- the language the fixed parts were posted in (ISO 639-1)
  language text not null check (language ~ '^[a-z]{2}$'),
  -- recorded as sending before the post; sent (or failed) after it. sent is final; failed (the
  -- provider refused, so nothing was posted) may be claimed again for a retry.
  status text not null default 'sending' check (status in ('sending', 'sent', 'failed')),
  -- the provider's id of the posted comment or reply
  external_id text check (char_length(external_id) between 1 and 200),
  last_error text check (char_length(last_error) <= 1000),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  -- the exactly-once key: a version is posted to a ticket once, whoever retries
  constraint rca_publications_ticket_version_key unique (ticket_id, version_hash),
  constraint rca_publications_sent_at check ((status = 'sent') = (sent_at is not null)),
  constraint rca_publications_rca_fkey foreign key (rca_id, organization_id)
    references public.rcas (id, organization_id) on delete cascade,
  constraint rca_publications_ticket_fkey foreign key (ticket_id, organization_id)
    references public.tickets (id, organization_id) on delete cascade
);
comment on table public.rca_publications is
  'The publish history of RCAs per linked ticket: the version, the SHA-256 of what was posted, the language and the outcome. (ticket_id, version_hash) is unique and the row is written before sending, so a retry or a second deploy never posts the same version twice. Members read (bugs.read); written by the publishing job (service role) and never rewritten except its outcome.';

create index rca_publications_rca_idx on public.rca_publications (rca_id, organization_id);
create index rca_publications_ticket_idx on public.rca_publications (ticket_id, organization_id);
create index rca_publications_organization_idx
  on public.rca_publications (organization_id, created_at desc);

-- Only the outcome of a post changes: sending → sent | failed, failed → sending (a retry of a
-- post the provider refused); sent is final.
create function private.rca_publications_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (new.organization_id, new.rca_id, new.ticket_id, new.version, new.version_hash,
      new.language, new.created_at)
     is distinct from
     (old.organization_id, old.rca_id, old.ticket_id, old.version, old.version_hash,
      old.language, old.created_at) then
    raise exception 'A publication record is never rewritten' using errcode = 'PT422';
  end if;
  if new.status is distinct from old.status
     and not (old.status = 'sending' or (old.status = 'failed' and new.status = 'sending')) then
    raise exception 'A sent publication is final' using errcode = 'PT422';
  end if;
  return new;
end;
$$;
comment on function private.rca_publications_guard() is
  'Trigger: an RCA publication keeps what was posted where (rca, ticket, version, hash, language); its outcome goes sending → sent or failed, failed → sending for a retry, and sent is final. Not callable directly.';
revoke all on function private.rca_publications_guard() from public;

create trigger rca_publications_guard
  before update on public.rca_publications
  for each row execute function private.rca_publications_guard();

alter table public.rca_publications enable row level security;
revoke all on table public.rca_publications from public, anon, authenticated, service_role;
grant select on table public.rca_publications to authenticated;
grant select, insert, update, delete on table public.rca_publications to service_role;

create policy rca_publications_select on public.rca_publications
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
