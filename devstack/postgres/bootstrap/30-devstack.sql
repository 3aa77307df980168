-- The platform's own state. Never exposed through the REST gateway (only `public` is) and not
-- reachable by the API roles.
create schema if not exists devstack;
revoke all on schema devstack from public;

create table if not exists devstack.mail (
  id uuid primary key default gen_random_uuid(),
  to_address text not null,
  from_address text not null,
  subject text not null,
  html text,
  text_body text,
  source text not null default 'app',
  created_at timestamptz not null default now()
);
create index if not exists mail_to_created_idx on devstack.mail (lower(to_address), created_at desc);
-- headers the app set (List-Unsubscribe), and the sender's idempotency key: a second send with the
-- same key is the first message again, like Resend's Idempotency-Key
alter table devstack.mail add column if not exists headers jsonb;
alter table devstack.mail add column if not exists idempotency_key text;
create unique index if not exists mail_idempotency_key_idx on devstack.mail (idempotency_key);
