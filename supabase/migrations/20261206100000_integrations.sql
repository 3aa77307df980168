-- Connected providers per workspace (one support tool, one GitHub installation), the GitHub
-- repositories an installation sees, and the single-use OAuth `state` nonces of the connect flows.
-- Secrets (tokens, refresh tokens, per-tenant webhook secrets) are stored only as keyring
-- ciphertext (lib/crypto/keyring.ts, `v1.<keyId>.<iv>.<body>`), bound to organization, table, row
-- and column; the database never sees them in clear and clients never read them at all.
-- Every write is the service role's, from admin-gated server code, OAuth callbacks and jobs.

create table public.integrations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  provider text not null check (provider in ('zendesk', 'intercom', 'github')),
  category text not null generated always as (
    case when provider = 'github' then 'code' else 'support' end
  ) stored,
  status text not null default 'connected' check (status in ('connected', 'error', 'disconnected')),
  -- Zendesk subdomain, Intercom app id, GitHub installation id (as text)
  external_account_id text not null
    check (char_length(external_account_id) between 1 and 200),
  -- non-secret display details (Zendesk subdomain, Intercom workspace and team, GitHub login)
  account jsonb not null default '{}'::jsonb check (jsonb_typeof(account) = 'object'),
  access_token_enc text
    check (access_token_enc ~ '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  refresh_token_enc text
    check (refresh_token_enc ~ '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  webhook_secret_enc text
    check (webhook_secret_enc ~ '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  provider_webhook_id text check (char_length(provider_webhook_id) <= 200),
  token_expires_at timestamptz,
  last_error text check (char_length(last_error) <= 1000),
  last_error_at timestamptz,
  last_event_at timestamptz,
  connected_by uuid references auth.users (id) on delete set null,
  connected_at timestamptz,
  disconnected_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- the target of integration_repositories' (integration, organization) foreign key
  constraint integrations_id_organization_key unique (id, organization_id),
  -- disconnecting deletes the credentials; a disconnected row keeps only its history
  constraint integrations_disconnected_holds_no_secret check (
    status <> 'disconnected'
    or (access_token_enc is null and refresh_token_enc is null and webhook_secret_enc is null)
  )
);
comment on table public.integrations is
  'A provider connected to a workspace: Zendesk or Intercom (category support) and the GitHub App (category code), at most one live row per category and workspace, and an external account belongs to one workspace. Owners and admins read the non-secret columns (integrations.manage); the *_enc columns hold keyring ciphertext only and are readable by the service role alone. All writes by the service role.';
comment on column public.integrations.access_token_enc is
  'Keyring ciphertext (lib/crypto), AAD = organization, integrations, row id, column. Never granted to clients.';
comment on column public.integrations.refresh_token_enc is
  'Keyring ciphertext (lib/crypto), AAD = organization, integrations, row id, column. Never granted to clients.';
comment on column public.integrations.webhook_secret_enc is
  'Keyring ciphertext of the per-workspace webhook signing secret (Zendesk). Never granted to clients.';

create index integrations_organization_id_idx on public.integrations (organization_id);
create index integrations_connected_by_idx on public.integrations (connected_by);
-- One support tool and one GitHub installation per workspace, while connected or in error.
create unique index integrations_one_per_category_idx on public.integrations (organization_id, category)
  where status <> 'disconnected';
-- An external account (subdomain, app, installation) belongs to one workspace at a time.
create unique index integrations_one_owner_per_account_idx on public.integrations (provider, external_account_id)
  where status <> 'disconnected';

-- An integration never moves to another workspace, provider or account.
create function private.integrations_guard_columns() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.organization_id is distinct from old.organization_id
     or new.provider is distinct from old.provider
     or new.external_account_id is distinct from old.external_account_id then
    raise exception 'An integration cannot move to another workspace, provider or account'
      using errcode = 'PT422';
  end if;
  new.created_at := old.created_at;
  return new;
end;
$$;
comment on function private.integrations_guard_columns() is
  'Trigger: keeps integrations.organization_id, provider, external_account_id and created_at immutable. Not callable directly.';
revoke all on function private.integrations_guard_columns() from public;

create trigger integrations_guard_columns
  before update on public.integrations
  for each row execute function private.integrations_guard_columns();
create trigger integrations_set_updated_at
  before update on public.integrations
  for each row execute function private.set_updated_at();

alter table public.integrations enable row level security;

revoke all on table public.integrations from public, anon, authenticated, service_role;
-- column-level: the *_enc columns are not in this list, so `select *` as a client fails
grant select (
  id, organization_id, provider, category, status, external_account_id, account,
  provider_webhook_id, token_expires_at, last_error, last_error_at, last_event_at,
  connected_by, connected_at, disconnected_at, created_at, updated_at
) on table public.integrations to authenticated;
grant select, insert, update, delete on table public.integrations to service_role;

create policy integrations_select on public.integrations
  for select to authenticated
  using ((select private.has_permission(organization_id, 'integrations.manage')));

create table public.integration_repositories (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  integration_id uuid not null,
  github_repository_id bigint not null check (github_repository_id > 0),
  full_name text not null
    check (full_name ~ '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$'),
  default_branch text check (char_length(default_branch) between 1 and 255),
  private boolean not null default false,
  selected boolean not null default false,
  head_sha text check (head_sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint integration_repositories_integration_repository_key
    unique (integration_id, github_repository_id),
  -- the repository's workspace is its integration's workspace, whatever the writer sends
  constraint integration_repositories_integration_fkey
    foreign key (integration_id, organization_id)
    references public.integrations (id, organization_id) on delete cascade
);
comment on table public.integration_repositories is
  'GitHub repositories an installation can see, and which of them the workspace selected for mapping; head_sha is the last known head of the default branch (for re-indexing). Members with bugs.read read them (the pipeline pages show names); all writes by the service role.';

create index integration_repositories_organization_integration_idx
  on public.integration_repositories (organization_id, integration_id);

create trigger integration_repositories_set_updated_at
  before update on public.integration_repositories
  for each row execute function private.set_updated_at();

alter table public.integration_repositories enable row level security;

revoke all on table public.integration_repositories from public, anon, authenticated, service_role;
grant select on table public.integration_repositories to authenticated;
grant select, insert, update, delete on table public.integration_repositories to service_role;

create policy integration_repositories_select on public.integration_repositories
  for select to authenticated
  using ((select private.has_permission(organization_id, 'bugs.read')));

create table public.oauth_states (
  -- SHA-256 (hex) of the nonce carried in the signed `state`; the nonce itself is never stored
  nonce_hash text primary key check (nonce_hash ~ '^[0-9a-f]{64}$'),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  provider text not null check (provider in ('zendesk', 'intercom', 'github')),
  expires_at timestamptz not null,
  consumed_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.oauth_states is
  'Single-use OAuth/installation state nonces (hashed) for the connect flows: bound to a workspace, a user and a provider, expiring; consumed by one atomic update where consumed_at is null. Service role only: no client role has any grant.';

create index oauth_states_organization_id_idx on public.oauth_states (organization_id);
create index oauth_states_user_id_idx on public.oauth_states (user_id);
create index oauth_states_expires_at_idx on public.oauth_states (expires_at);

alter table public.oauth_states enable row level security;

revoke all on table public.oauth_states from public, anon, authenticated, service_role;
grant select, insert, update, delete on table public.oauth_states to service_role;
