-- State of the local Inngest-compatible executor (devstack/executor). Lives in the `devstack`
-- schema, which the REST gateway never exposes. Idempotent: runs on every devstack start.
create schema if not exists devstack;

-- Apps the executor has synced: one row per serve URL.
create table if not exists devstack.executor_apps (
  url text primary key,
  app_id text not null,
  sdk text,
  framework text,
  config_hash text not null,
  synced_at timestamptz not null default now()
);

-- Functions learnt from the apps' registration (the SDK's own function configs).
create table if not exists devstack.executor_functions (
  id text primary key,
  app_url text not null,
  app_id text not null,
  name text not null,
  config jsonb not null,
  updated_at timestamptz not null default now()
);

-- Every event received, deduplicated by id. `processed_at` is set in the same transaction that
-- starts the runs the event triggers, so no event is lost if the executor stops in between.
create table if not exists devstack.executor_events (
  seq bigserial primary key,
  id text not null unique,
  name text not null,
  data jsonb not null,
  payload jsonb not null,
  ts bigint not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz
);
create index if not exists executor_events_unprocessed_idx
  on devstack.executor_events (seq) where processed_at is null;
create index if not exists executor_events_name_idx on devstack.executor_events (name, seq desc);

-- One run per (function, triggering event): the unique key is what makes "never twice" hold.
create table if not exists devstack.executor_runs (
  id text primary key,
  function_id text not null,
  event_id text not null,
  event jsonb not null,
  events jsonb not null,
  status text not null,
  reason text,
  output jsonb,
  error jsonb,
  concurrency jsonb not null default '[]',
  disable_immediate boolean not null default false,
  parent_run_id text,
  parent_step text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  ended_at timestamptz,
  unique (function_id, event_id)
);
create index if not exists executor_runs_created_idx on devstack.executor_runs (created_at desc);
create index if not exists executor_runs_active_idx
  on devstack.executor_runs (function_id) where status in ('queued', 'running');

-- Step memo and state: what the SDK gets back as `steps` in the call request.
create table if not exists devstack.executor_steps (
  run_id text not null references devstack.executor_runs (id) on delete cascade,
  hash text not null,
  name text,
  op text not null,
  state text not null,
  memo jsonb,
  seq bigserial,
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  primary key (run_id, hash)
);

-- Timeline of a run: every call, attempt, result and error, in order.
create table if not exists devstack.executor_history (
  id bigserial primary key,
  run_id text not null references devstack.executor_runs (id) on delete cascade,
  at timestamptz not null default now(),
  kind text not null,
  step_hash text,
  step_name text,
  attempt int,
  detail jsonb
);
create index if not exists executor_history_run_idx on devstack.executor_history (run_id, id);

-- Work to do. A worker claims a due row with `for update skip locked` and holds a lease while it
-- calls the app; an expired lease (the executor died) makes the row claimable again.
create table if not exists devstack.executor_queue (
  id bigserial primary key,
  run_id text not null references devstack.executor_runs (id) on delete cascade,
  kind text not null,
  step_id text not null,
  attempt int not null default 0,
  run_at timestamptz not null default now(),
  lease_owner text,
  lease_until timestamptz,
  dedupe_key text unique,
  concurrency jsonb not null default '[]',
  payload jsonb
);
create index if not exists executor_queue_due_idx on devstack.executor_queue (run_at);
create index if not exists executor_queue_run_idx on devstack.executor_queue (run_id);

-- Pending step.waitForEvent calls.
create table if not exists devstack.executor_waits (
  id bigserial primary key,
  run_id text not null references devstack.executor_runs (id) on delete cascade,
  step_hash text not null,
  event_name text not null,
  expression text,
  expires_at timestamptz not null,
  created_seq bigint not null default 0,
  unique (run_id, step_hash)
);
create index if not exists executor_waits_event_idx on devstack.executor_waits (event_name);

-- Cron schedule per function and expression: the next tick to fire.
create table if not exists devstack.executor_crons (
  function_id text not null,
  cron text not null,
  next_at timestamptz not null,
  primary key (function_id, cron)
);

-- Flow-control keys: idempotency (24 h), rate limit and throttle windows.
create table if not exists devstack.executor_keys (
  scope text not null,
  key text not null,
  expires_at timestamptz not null,
  primary key (scope, key)
);
create table if not exists devstack.executor_starts (
  scope text not null,
  start_at timestamptz not null
);
create index if not exists executor_starts_scope_idx on devstack.executor_starts (scope, start_at);

-- singleton: the key of the run, to find a running run with the same key.
alter table devstack.executor_runs add column if not exists singleton_key text;
create index if not exists executor_runs_singleton_idx
  on devstack.executor_runs (singleton_key) where singleton_key is not null;

-- debounce: the latest event per (function, key) and when it fires.
create table if not exists devstack.executor_debounces (
  function_id text not null,
  key text not null,
  event jsonb not null,
  first_at timestamptz not null default now(),
  fire_at timestamptz not null,
  primary key (function_id, key)
);

-- priority.run: a queue row sorts as if it became due `sort_at` (earlier = sooner under contention).
alter table devstack.executor_queue add column if not exists sort_at timestamptz;

-- batchEvents: events collected per (function, key) until maxSize or the timeout.
create table if not exists devstack.executor_batches (
  function_id text not null,
  key text not null,
  events jsonb not null default '[]',
  fire_at timestamptz not null,
  primary key (function_id, key)
);

-- Lookups by event (visibility API, pruning) and by function (run lists).
create index if not exists executor_runs_event_idx on devstack.executor_runs (event_id);
create index if not exists executor_runs_function_created_idx
  on devstack.executor_runs (function_id, created_at desc);
