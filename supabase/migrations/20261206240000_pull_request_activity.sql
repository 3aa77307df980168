-- CI and review state of a bug's pull requests (issue 17): what GitHub's check_run, check_suite,
-- status, pull_request, pull_request_review and issue_comment deliveries leave on the row.
--
-- Deliveries arrive late and twice, so the row keeps, next to each summary, the GitHub time it
-- came from: a state only moves forward in GitHub's own clock (lib/fixes/pull-requests/).
--   state_at   GitHub's pull_request.updated_at of the last state applied (open, draft, closed,
--              merged, reopened, head moved)
--   checks     (existing) one entry per check name: source, id, sha, outcome, conclusion, at
--   reviews    one entry per reviewer: requested / approved / changes_requested / commented /
--              dismissed, with the review id and time
--   comments   the latest conversation comments and review bodies (author, time, an excerpt),
--              shown on the bug page; never ticket text
--
-- Written only by the webhook consumers (service role): no column here is granted to clients
-- for insert or update (the table's column grants of 20261206200000 stay as they are); members
-- read them with the row (bugs.read).

alter table public.pull_requests
  add column state_at timestamptz,
  add column closed_at timestamptz,
  add column reviews jsonb not null default '[]'::jsonb
    constraint pull_requests_reviews_array check (jsonb_typeof(reviews) = 'array'
                                                  and jsonb_array_length(reviews) <= 100),
  add column comments jsonb not null default '[]'::jsonb
    constraint pull_requests_comments_array check (jsonb_typeof(comments) = 'array'
                                                   and jsonb_array_length(comments) <= 20);

alter table public.pull_requests
  add constraint pull_requests_checks_bounded
    check (jsonb_typeof(checks) <> 'array' or jsonb_array_length(checks) <= 200);

comment on column public.pull_requests.state_at is
  'GitHub''s pull_request.updated_at of the last state applied: an older delivery arriving late never undoes a newer state. Service role only.';
comment on column public.pull_requests.closed_at is
  'When GitHub closed (or merged) the pull request; null while open. Service role only.';
comment on column public.pull_requests.reviews is
  'Per reviewer, the latest of: review requested, approved, changes requested, commented, dismissed (login, state, review id, GitHub time). review_state summarises it. Service role only.';
comment on column public.pull_requests.comments is
  'The latest PR conversation comments and review bodies (id, kind, author, GitHub time, excerpt, url), at most 20. Service role only.';

-- status deliveries name only a commit: find the PRs whose head it is
create index pull_requests_repository_head_idx
  on public.pull_requests (repository_id, head_sha) where head_sha is not null;
