-- Trial notices (issue 18: "a trial ending tells the owners and admins what to do"). The hourly
-- notify-trial-ending job claims a workspace's notice by stamping one of these columns (where it
-- is still null) before it sends `billing/action.needed`, so a cron re-run or a retried step tells
-- each workspace once per reason. Written by the service role only: the column grants of
-- `subscriptions` let clients update overage_cap alone; reading them (billing.read) is harmless.

alter table public.subscriptions
  add column trial_ending_notified_at timestamptz,
  add column trial_ended_notified_at timestamptz;

comment on column public.subscriptions.trial_ending_notified_at is
  'When notify-trial-ending claimed the "trial ending" notice (3 days left or 8 of 10 trial bugs used); null: not told yet. Service role only.';
comment on column public.subscriptions.trial_ended_notified_at is
  'When notify-trial-ending claimed the "trial ended" notice (ended without a subscription); null: not told yet. Service role only.';

create index subscriptions_trial_notice_due_idx on public.subscriptions (trial_ends_at)
  where status = 'trialing' and trial_ended_notified_at is null;
