-- Mark mismapped (issue 18): any role may flag a Mapped Bug's location as mismapped with a reason,
-- viewers included (they read the code and can tell the mapping is wrong). A new action,
-- bugs.flag_mismapped (lib/auth/permissions.ts), for every role; the bug_locations update policy
-- uses it. The column grant stays (mismapped, mismapped_reason) and private.bug_locations_guard
-- still refuses any other change, so a viewer can flag or clear a flag and do nothing else. The
-- credit rule is unchanged (private.bug_credits: within 7 days of billed_at, once per bug).

insert into private.role_permissions (role, action)
values
  ('owner', 'bugs.flag_mismapped'),
  ('admin', 'bugs.flag_mismapped'),
  ('member', 'bugs.flag_mismapped'),
  ('viewer', 'bugs.flag_mismapped');

drop policy bug_locations_update on public.bug_locations;
create policy bug_locations_update on public.bug_locations
  for update to authenticated
  using ((select private.has_permission(organization_id, 'bugs.flag_mismapped')))
  with check ((select private.has_permission(organization_id, 'bugs.flag_mismapped')));

comment on table public.bug_locations is
  'Ranked code locations a bug maps to (repository, commit, path, function, line span, calibrated confidence and the explanation in words). Members read (bugs.read); any role marks a location mismapped with a reason (bugs.flag_mismapped); the mapping job writes the rest (service role).';
