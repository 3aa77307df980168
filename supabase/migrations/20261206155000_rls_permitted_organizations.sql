-- Pipeline tables' policies resolve the caller's permitted workspaces once per statement.
--
-- Their policies called `(select private.has_permission(organization_id, 'bugs.read'))`: the
-- argument is the row's column, so the subselect is a SubPlan run for every row (~45 µs each), and
-- as ILIKE is not leakproof the policy runs before a search's filter on every row of the workspace
-- (a title search over 10,000 bugs took 1.2 s; docs/pipeline-pages.md). The same rule written as
-- `organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[])` is an
-- InitPlan: the membership lookup runs once per statement and each row costs an array probe. Who
-- may read or write what does not change (the RLS tests per role in supabase/tests prove it).

create function private.permitted_organizations(p_action text) returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  -- Gated like private.has_permission: a user with a verified factor has no workspace until the
  -- session is aal2 (20261123160500_mfa_aware_membership.sql).
  select coalesce(array_agg(m.organization_id), '{}'::uuid[])
  from public.memberships m
  join private.role_permissions rp on rp.role = m.role
  where m.user_id = (select auth.uid())
    and rp.action = p_action
    and (select private.mfa_satisfied());
$$;
comment on function private.permitted_organizations(text) is
  'The workspaces whose role of the calling user allows the action (private.role_permissions), none until MFA is satisfied (private.mfa_satisfied), for policies that must not run a lookup per row. Executable by authenticated only.';
revoke all on function private.permitted_organizations(text) from public;
grant execute on function private.permitted_organizations(text) to authenticated;

alter policy tickets_select on public.tickets
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
alter policy ticket_messages_select on public.ticket_messages
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
alter policy bugs_select on public.bugs
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
alter policy bugs_update on public.bugs
  using (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]))
  with check (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]));
alter policy bug_tickets_select on public.bug_tickets
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
alter policy bug_locations_select on public.bug_locations
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
alter policy bug_locations_update on public.bug_locations
  using (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]))
  with check (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]));
alter policy review_items_select on public.review_items
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
alter policy review_items_update on public.review_items
  using (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]))
  with check (organization_id = any ((select private.permitted_organizations('bugs.write'))::uuid[]));
alter policy code_indexes_select on public.code_indexes
  using (organization_id = any ((select private.permitted_organizations('bugs.read'))::uuid[]));
