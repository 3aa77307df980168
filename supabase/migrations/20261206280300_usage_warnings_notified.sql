-- Usage warnings reach people (issue 18): the meter trigger records a warning; the
-- notify-usage-warnings job claims the workspace's unannounced warnings (notified_at) after a bug
-- is billed and sends `billing/usage.warned` for each, once (event id usage-warning:<id>).

alter table public.usage_warnings add column notified_at timestamptz;
comment on column public.usage_warnings.notified_at is
  'When the notify-usage-warnings job claimed the warning and sent billing/usage.warned for it (null: not yet). Service role only.';
create index usage_warnings_unannounced_idx on public.usage_warnings (organization_id)
  where notified_at is null;
