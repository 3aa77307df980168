-- Review rounds (issue 17): a review asking for changes on a pull request Patchline drafted. With
-- an LLM provider, and while the workspace's fix_settings.review_rounds_max allows, the
-- fix-review-round job asks the model for a new patch with the reviewer's comments (redacted) and
-- commits it on top of the same branch (never a force-push). Otherwise the request is recorded as
-- shown, with why, and the bug page says so. One row per (pull request, GitHub review id): a
-- second delivery of the same review finds its row and does nothing.
--
-- Also: how a customer RCA's draft was written (offline template, the model, or the template
-- because the model's prose failed the plain-language check), so the RCA panel can say so.

create table public.fix_review_rounds (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  bug_id uuid not null,
  pull_request_id uuid not null,
  -- GitHub's id of the review that asked for changes (the idempotency key, with the PR)
  github_review_id bigint not null check (github_review_id > 0),
  reviewer text not null check (char_length(reviewer) between 1 and 100),
  -- running: the model is asked / the commit is being written; pushed: a new commit is on the
  -- branch; shown: not re-patched (reason); failed: the round's patch could not be made
  status text not null default 'running'
    check (status in ('running', 'pushed', 'shown', 'failed')),
  -- 1, 2, … for a round that asks the model; a shown request or a failed round takes no slot
  round integer check (round between 1 and 20),
  reason text check (reason in ('limit_reached', 'no_provider')),
  failure_kind text check (failure_kind in (
    'llm_refused', 'llm_failed', 'llm_malformed', 'no_fix', 'patch_unparsable',
    'patch_outside_repository', 'patch_does_not_apply', 'github_error'
  )),
  failure_detail text check (char_length(failure_detail) <= 1000),
  commit_sha text check (commit_sha ~ '^[0-9a-f]{40}$'),
  -- the provider call (provider, model, outcome, token counts, latency, PII-risk tags): never
  -- the prompt, the answer or the reviewer's text
  llm_call jsonb check (llm_call is null or jsonb_typeof(llm_call) = 'object'),
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint fix_review_rounds_review_key unique (pull_request_id, github_review_id),
  constraint fix_review_rounds_round_slot check ((round is not null) = (status in ('running', 'pushed'))),
  constraint fix_review_rounds_shown_has_reason check ((status = 'shown') = (reason is not null)),
  constraint fix_review_rounds_failed_has_kind check ((status = 'failed') = (failure_kind is not null)),
  constraint fix_review_rounds_pushed_has_commit check ((status = 'pushed') = (commit_sha is not null)),
  constraint fix_review_rounds_pull_request_fkey foreign key (pull_request_id, organization_id)
    references public.pull_requests (id, organization_id) on delete cascade,
  constraint fix_review_rounds_bug_fkey foreign key (bug_id, organization_id)
    references public.bugs (id, organization_id) on delete cascade
);
comment on table public.fix_review_rounds is
  'Reviews asking for changes on a pull request Patchline drafted, and what Patchline did: a new commit on the same branch (a round, at most fix_settings.review_rounds_max), or shown only (limit reached, no LLM provider), or failed with a kind. Members read (bugs.read); written by the fix-review-round job (service role).';

-- two runs for one PR can never both take round n
create unique index fix_review_rounds_round_idx
  on public.fix_review_rounds (pull_request_id, round) where round is not null;
create index fix_review_rounds_pull_request_idx
  on public.fix_review_rounds (pull_request_id, organization_id);
create index fix_review_rounds_bug_idx on public.fix_review_rounds (bug_id, organization_id);
create index fix_review_rounds_organization_idx on public.fix_review_rounds (organization_id);

create trigger fix_review_rounds_set_updated_at
  before update on public.fix_review_rounds
  for each row execute function private.set_updated_at();

alter table public.fix_review_rounds enable row level security;
revoke all on table public.fix_review_rounds from public, anon, authenticated, service_role;
grant select on table public.fix_review_rounds to authenticated;
grant select, insert, update, delete on table public.fix_review_rounds to service_role;

create policy fix_review_rounds_select on public.fix_review_rounds
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));

-- ── rcas: how the draft was written ────────────────────────────────────────────────────────────

alter table public.rcas
  add column draft_source text not null default 'offline'
    check (draft_source in ('offline', 'llm', 'offline_fallback')),
  -- why the model's draft was not used (a sentence without the model's text), for the panel
  add column draft_note text check (char_length(draft_note) <= 500);
comment on column public.rcas.draft_source is
  'How the sections were drafted: offline (the template), llm (the workspace''s model, checked for plain language), offline_fallback (the model''s prose failed a check; draft_note says which). Written by the drafting job only.';
