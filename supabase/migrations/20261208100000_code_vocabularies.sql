-- Each workspace's own vocabulary bridge (issue 19, docs/code-map.md "Each workspace's
-- vocabulary"): which words of a report predict which words of the code, learned from the
-- repository's own fix commits at indexing time and from people's corrections (a merged fix of a
-- bug, a location marked mismapped). The mapping job merges it with the shipped public table.
--
-- One row per repository: the learned table (words and weights only, never source), how many
-- pairs came from commits and from corrections, the commits read so far (an incremental index
-- reads only the new ones), the last commit read and when it was learned. Members read
-- (bugs.read), so the Codebase page can say what the vocabulary was learned from; only the jobs
-- (service role) write it.

create table public.code_vocabularies (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  repository_id uuid not null unique,
  -- lib/pipeline/mapping/vocabulary/table.ts BridgeJson: { version, source, pairs, words }
  bridge jsonb not null default '{"version": 1, "source": "", "pairs": 0, "words": {}}'::jsonb
    check (jsonb_typeof(bridge) = 'object' and octet_length(bridge::text) <= 2000000),
  -- the fix pairs read from commits so far (each: source, text, code), kept so an incremental
  -- index learns over all of them again without re-reading GitHub; capped like the table
  commit_pairs jsonb not null default '[]'::jsonb
    check (jsonb_typeof(commit_pairs) = 'array' and octet_length(commit_pairs::text) <= 8000000),
  commits_read integer not null default 0 check (commits_read >= 0),
  pairs_from_commits integer not null default 0 check (pairs_from_commits >= 0),
  pairs_from_corrections integer not null default 0 check (pairs_from_corrections >= 0),
  commit_learned_at text check (commit_learned_at ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  learned_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint code_vocabularies_repository_fkey foreign key (repository_id, organization_id)
    references public.integration_repositories (id, organization_id) on delete cascade
);
comment on table public.code_vocabularies is
  'A repository''s own vocabulary bridge (report words → code terms) learned from its fix commits and its people''s corrections, merged with the shipped table when bugs are mapped. Words and weights only. Members read (bugs.read); written by the indexing and re-learn jobs (service role).';

create index code_vocabularies_repository_idx
  on public.code_vocabularies (repository_id, organization_id);
create index code_vocabularies_organization_idx on public.code_vocabularies (organization_id);

create trigger code_vocabularies_set_updated_at
  before update on public.code_vocabularies
  for each row execute function private.set_updated_at();

alter table public.code_vocabularies enable row level security;
revoke all on table public.code_vocabularies from public, anon, authenticated, service_role;
grant select on table public.code_vocabularies to authenticated;
grant select, insert, update, delete on table public.code_vocabularies to service_role;

create policy code_vocabularies_select on public.code_vocabularies
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
