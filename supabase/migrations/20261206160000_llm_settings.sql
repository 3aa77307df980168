-- The optional LLM stage (issue 14, docs/llm.md): a workspace's provider choice and API key,
-- and what is recorded on a bug about the calls made for it (never prompts or ticket text).

-- ── llm_settings ─────────────────────────────────────────────────────────────────────────────

create table public.llm_settings (
  -- its own id (not organization_id) so key rotation pages it like every encrypted table
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null unique references public.organizations (id) on delete cascade,
  provider text not null default 'none' check (provider in ('none', 'anthropic', 'openai')),
  -- null: the provider's default model (lib/pipeline/llm/settings.ts)
  model text check (model is null or model ~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,99}$'),
  api_key_enc text
    check (api_key_enc ~ '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  api_key_set_at timestamptz,
  -- a provider is only ever chosen together with the workspace's own key for it
  constraint llm_settings_provider_needs_key check (
    (provider = 'none' and api_key_enc is null and api_key_set_at is null)
    or (provider <> 'none' and api_key_enc is not null and api_key_set_at is not null)
  ),
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.llm_settings is
  'Per-workspace LLM provider (egress control; none when no row exists) and its API key as keyring ciphertext. Members read the non-secret columns (organization.read); api_key_enc is readable by the service role alone. All writes by the service role, from the admin-gated settings action after a membership check.';
comment on column public.llm_settings.api_key_enc is
  'Keyring ciphertext (lib/crypto), AAD = organization, llm_settings, row id, column. Never granted to clients.';

create index llm_settings_updated_by_idx on public.llm_settings (updated_by);

create function private.llm_settings_stamp() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    new.id := old.id;
    new.organization_id := old.organization_id;
    new.created_at := old.created_at;
  end if;
  return new;
end;
$$;
comment on function private.llm_settings_stamp() is
  'Trigger: keeps llm_settings.id (the ciphertext''s AAD), organization_id and created_at fixed. Not callable directly.';
revoke all on function private.llm_settings_stamp() from public;

create trigger llm_settings_stamp
  before update on public.llm_settings
  for each row execute function private.llm_settings_stamp();
create trigger llm_settings_set_updated_at
  before update on public.llm_settings
  for each row execute function private.set_updated_at();

alter table public.llm_settings enable row level security;
revoke all on table public.llm_settings from public, anon, authenticated, service_role;
-- column-level: api_key_enc is not in this list, so `select *` as a client fails
grant select (
  id, organization_id, provider, model, api_key_set_at, updated_by, created_at, updated_at
) on table public.llm_settings to authenticated;
grant select, insert, update, delete on table public.llm_settings to service_role;

-- the permitted workspaces resolved once per statement (20261206155000_rls_permitted_organizations)
create policy llm_settings_select on public.llm_settings
  for select to authenticated
  using (organization_id = any ((select private.permitted_organizations('organization.read'))::uuid[]));

-- ── bugs: what the LLM stage did for a bug ─────────────────────────────────────────────────────

alter table public.bugs
  add column extraction_source text not null default 'offline'
    check (extraction_source in ('offline', 'llm')),
  -- one object per call: task, provider, model, outcome, token counts, latency, PII-risk tags,
  -- the error class on failure (lib/pipeline/llm/types.ts LlmCallRecord); never text
  add column llm_calls jsonb not null default '[]'::jsonb
    check (jsonb_typeof(llm_calls) = 'array' and jsonb_array_length(llm_calls) <= 10);
comment on column public.bugs.extraction_source is
  'offline: the deterministic extraction alone; llm: the workspace''s model filled gaps (docs/llm.md).';
comment on column public.bugs.llm_calls is
  'Metadata of the LLM calls made while deciding the bug (model, token counts, outcome, PII-risk tags); empty when the workspace has no provider. Never prompts, answers or ticket text.';
