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
