-- Re-mapping a bug after a person edits it (issue 14: "an edit re-runs mapping").
--
-- Saving a bug's fields stamps bugs.edited_at (private.bugs_meter) and sends `bug/edited`; the
-- `remap-bug` job maps the edited text through the same engine and replaces the bug's locations
-- with this function, in one transaction, so the page never shows a bug half re-mapped (old rows
-- deleted, new ones not yet written) and a retry of the job converges on the same rows.
--
-- bugs.remapped_edit_at records which edit the current locations answer: the page shows
-- "re-mapping…" while edited_at is later than it. It is written by this function only (no client
-- grant), and billed_at is never touched: re-mapping never meters a bug again.

alter table public.bugs add column remapped_edit_at timestamptz;
comment on column public.bugs.remapped_edit_at is
  'The edited_at of the fields the current locations were re-mapped from (set by public.replace_bug_locations). Null: never re-mapped. Earlier than edited_at: a re-map is pending.';

create function public.replace_bug_locations(
  p_organization_id uuid,
  p_bug_id uuid,
  -- the edited_at the job read with the fields it mapped
  p_edited_at timestamptz,
  p_mapping_confidence numeric,
  -- [{repository_id, repository_full_name, commit_sha, path, function_name, start_line, end_line,
  --   confidence, explanation, rank, mismapped, mismapped_reason, mismapped_by, mismapped_at}]
  p_locations jsonb
) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_edited_at timestamptz;
  v_count integer;
begin
  -- the bug's row lock orders two replacements of the same bug
  select b.edited_at into v_edited_at
    from public.bugs b
   where b.id = p_bug_id and b.organization_id = p_organization_id
     for update;
  if not found then
    return null;
  end if;
  -- a newer edit landed after the job read the fields: its own run will re-map, keep its answer
  if v_edited_at is distinct from p_edited_at then
    return -1;
  end if;
  delete from public.bug_locations
   where bug_id = p_bug_id and organization_id = p_organization_id;
  insert into public.bug_locations (
    organization_id, bug_id, repository_id, repository_full_name, commit_sha, path, function_name,
    start_line, end_line, confidence, explanation, rank, mismapped, mismapped_reason,
    mismapped_by, mismapped_at
  )
  select p_organization_id, p_bug_id, l.repository_id, l.repository_full_name, l.commit_sha,
         l.path, l.function_name, l.start_line, l.end_line, l.confidence,
         coalesce(l.explanation, ''), l.rank, coalesce(l.mismapped, false), l.mismapped_reason,
         l.mismapped_by, l.mismapped_at
    from jsonb_to_recordset(coalesce(p_locations, '[]'::jsonb)) as l(
      repository_id uuid, repository_full_name text, commit_sha text, path text,
      function_name text, start_line integer, end_line integer, confidence numeric,
      explanation text, rank integer, mismapped boolean, mismapped_reason text,
      mismapped_by uuid, mismapped_at timestamptz
    );
  get diagnostics v_count = row_count;
  update public.bugs
     set mapping_confidence = p_mapping_confidence,
         remapped_edit_at = p_edited_at
   where id = p_bug_id and organization_id = p_organization_id;
  return v_count;
end;
$$;
comment on function public.replace_bug_locations(uuid, uuid, timestamptz, numeric, jsonb) is
  'Replaces a bug''s code locations after a re-map (remap-bug job), sets its mapping confidence and remapped_edit_at, in one transaction; returns the rows written, -1 when the bug was edited again since the job read it (nothing changed), null when there is no such bug in the workspace. Never touches status or billed_at. Service role only.';
revoke all on function public.replace_bug_locations(uuid, uuid, timestamptz, numeric, jsonb)
  from public, anon, authenticated;
grant execute on function public.replace_bug_locations(uuid, uuid, timestamptz, numeric, jsonb)
  to service_role;
