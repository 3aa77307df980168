-- Owners synthesised per repository (issue 17, docs/fixes.md "Owners without CODEOWNERS"): for a
-- repository without a CODEOWNERS file, the synthesis job reads the last 365 days of commits
-- through the GitHub App and stores who owns each path, so fix attempts need not re-read history.
--
-- One row per repository: the commit the result was computed at (the job is idempotent per
-- repository and commit), its progress (pages read, commits counted) while it runs, the owners per
-- path, or the CODEOWNERS file that made synthesis unnecessary. Members read (bugs.read); only the
-- job (service role) writes, so nobody can make themselves the owner of code.

create table public.repository_owners (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  repository_id uuid not null unique,
  commit_sha text not null check (commit_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  -- where GitHub found a CODEOWNERS file at commit_sha; then nothing is synthesised
  codeowners_path text
    check (codeowners_path in ('.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS')),
  pages_read integer not null default 0 check (pages_read >= 0),
  commits_counted integer not null default 0 check (commits_counted >= 0),
  -- path → owners heaviest first: [{ id, login, email, name, weight, commits }]
  owners jsonb not null default '{}'::jsonb
    check (jsonb_typeof(owners) = 'object' and octet_length(owners::text) <= 5000000),
  error text check (char_length(error) between 1 and 500),
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint repository_owners_repository_fkey foreign key (repository_id, organization_id)
    references public.integration_repositories (id, organization_id) on delete cascade,
  constraint repository_owners_failed_has_error check ((status = 'failed') = (error is not null)),
  constraint repository_owners_codeowners_has_no_owners
    check (codeowners_path is null or owners = '{}'::jsonb)
);
comment on table public.repository_owners is
  'Owners per path synthesised from a repository''s last 365 days of commits (bots excluded, co-authors credited) at commit_sha, with the job''s progress, or the CODEOWNERS file that made it unnecessary. Members read (bugs.read); written by the synthesize-owners job (service role).';

-- the repository foreign key's index (the unique key on repository_id alone does not serve it)
create index repository_owners_repository_idx
  on public.repository_owners (repository_id, organization_id);
create index repository_owners_organization_idx on public.repository_owners (organization_id);

create trigger repository_owners_set_updated_at
  before update on public.repository_owners
  for each row execute function private.set_updated_at();

alter table public.repository_owners enable row level security;
revoke all on table public.repository_owners from public, anon, authenticated, service_role;
grant select on table public.repository_owners to authenticated;
grant select, insert, update, delete on table public.repository_owners to service_role;

create policy repository_owners_select on public.repository_owners
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
