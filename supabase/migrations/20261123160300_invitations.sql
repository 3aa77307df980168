-- Invitations to join a workspace by email, with a role. The raw token exists only in the
-- invite link (returned once by public.create_invitation); the table keeps its SHA-256.
-- Invitations expire after 7 days and can be revoked; accepting one is public.accept_invitation.

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  email text not null
    check (email = lower(btrim(email)) and char_length(email) <= 320 and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by uuid references auth.users (id) on delete set null,
  expires_at timestamptz not null default (now() + interval '7 days'),
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint invitations_single_outcome check (accepted_at is null or revoked_at is null)
);
comment on table public.invitations is
  'Pending, accepted, revoked or expired invitations to a workspace. Owners and admins read them (invitations.read); created, revoked and accepted only through the workspace RPCs. Stores the SHA-256 of the token, never the token.';

create index invitations_organization_id_idx on public.invitations (organization_id);
create index invitations_invited_by_idx on public.invitations (invited_by);
create index invitations_accepted_by_idx on public.invitations (accepted_by);
create index invitations_revoked_by_idx on public.invitations (revoked_by);
-- One open invitation per address and workspace; re-inviting replaces (revokes) the old one.
create unique index invitations_one_pending_idx on public.invitations (organization_id, email)
  where accepted_at is null and revoked_at is null;

alter table public.invitations enable row level security;

revoke all on table public.invitations from public, anon, authenticated;
grant select on table public.invitations to authenticated;
grant select, insert, update, delete on table public.invitations to service_role;

create policy invitations_select on public.invitations
  for select to authenticated
  using ((select private.has_permission(organization_id, 'invitations.read')));
