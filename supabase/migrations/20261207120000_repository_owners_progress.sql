-- Owner synthesis with progress, incremental re-runs and the one-click CODEOWNERS draft PR
-- (issue 17, docs/fixes.md "Owners without CODEOWNERS").
--
-- * A person may ask for a synthesis from the Codebase page before any run has a commit: the row
--   is then `queued` without one (the job fills it in when it reads the default branch's head).
-- * `commits_total`: how many commits the run will read (GitHub's count for the 365-day window on
--   a full run, the Compare API's for an incremental one), so the page can show "n of total".
-- * `synthesized_sha`/`synthesized_at`: the commit and the moment `owners` and `history` are for.
--   A re-run keeps them (the page shows the last owners while it runs) and reads only the commits
--   that are not in `history` yet.
-- * `history`: what each commit of the window credits (author, co-authors, files), so a re-run
--   re-scores at its own time (the decay depends on the date) and drops commits older than 365 days
--   without reading the year again.
-- * `codeowners_pr_*`: the draft pull request that adds `.github/CODEOWNERS`, opened through the
--   GitHub App; a second click shows it instead of opening another.

alter table public.repository_owners alter column commit_sha drop not null;
alter table public.repository_owners
  add constraint repository_owners_commit_unless_queued
    check (commit_sha is not null or status = 'queued');

alter table public.repository_owners
  add column commits_total integer check (commits_total >= 0),
  add column synthesized_sha text check (synthesized_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  add column synthesized_at timestamptz,
  add column history jsonb not null default '[]'::jsonb
    check (jsonb_typeof(history) = 'array' and octet_length(history::text) <= 16000000),
  add column requested_by uuid references auth.users (id) on delete set null,
  add column codeowners_pr_number integer check (codeowners_pr_number > 0),
  add column codeowners_pr_url text check (codeowners_pr_url ~ '^https?://' and char_length(codeowners_pr_url) <= 500),
  add column codeowners_pr_branch text check (char_length(codeowners_pr_branch) between 1 and 200),
  add column codeowners_pr_opened_at timestamptz,
  add constraint repository_owners_pr_complete check (
    (codeowners_pr_number is null) = (codeowners_pr_url is null)
    and (codeowners_pr_number is null) = (codeowners_pr_opened_at is null)
  );

comment on column public.repository_owners.commits_total is
  'Commits the current run reads (the 365-day window on a full run, the new commits on a re-run); null until known.';
comment on column public.repository_owners.synthesized_sha is
  'The commit that owners and history were synthesised at; kept while a re-run is queued or running.';
comment on column public.repository_owners.history is
  'Per commit of the window: { sha, at, author, coAuthors, files } (bots kept with no files, so they are not read again). A re-run adds the new commits, drops those older than 365 days and re-scores at its own time.';
comment on column public.repository_owners.requested_by is
  'Who last asked for a synthesis from the Codebase page (null for a push or a selection).';
comment on column public.repository_owners.codeowners_pr_number is
  'The draft pull request that adds .github/CODEOWNERS from the synthesised owners (opened through the GitHub App, never merged by Patchline).';

create index repository_owners_requested_by_idx on public.repository_owners (requested_by);
