-- Issue 19, "Precise at the gate": the default mapping gate is chosen on the held-out gate curve
-- (lib/pipeline/mapping/gate-curve.json, docs/code-map.md), and the gates get a Settings card, so
-- a change of either gate is recorded in the audit log like a rename.

-- the default mapping gate: the lowest measured threshold, from 0.70 up, where at least 85% of
-- answers are right on held-out repositories (lib/pipeline/gates/settings.ts DEFAULT_GATES;
-- supabase/tests/pipeline-settings-defaults.test.ts keeps the two in step)
alter table public.pipeline_settings alter column mapping_threshold set default 0.75;

comment on table public.pipeline_settings is
  'Per-workspace pipeline settings: the extraction and mapping confidence gates (extraction 0.70, mapping 0.75 when no row exists). Members read (bugs.read); owners and admins insert and update (organization.update) from Settings, audited as pipeline.gates_changed; jobs read through the service role.';

-- People set the gates with direct writes (column grants); record who changed what.
create function private.pipeline_settings_audit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE'
     and new.extraction_threshold is not distinct from old.extraction_threshold
     and new.mapping_threshold is not distinct from old.mapping_threshold then
    return null;
  end if;
  perform private.write_audit(new.organization_id, 'pipeline.gates_changed', 'organization',
    new.organization_id::text,
    jsonb_build_object(
      'extraction_from', case when tg_op = 'UPDATE' then old.extraction_threshold::text end,
      'extraction_to', new.extraction_threshold::text,
      'mapping_from', case when tg_op = 'UPDATE' then old.mapping_threshold::text end,
      'mapping_to', new.mapping_threshold::text));
  return null;
end;
$$;
comment on function private.pipeline_settings_audit() is
  'Trigger: writes pipeline.gates_changed (old and new gates; no old ones on the first save) to the audit log. Not callable directly.';
revoke all on function private.pipeline_settings_audit() from public;

create trigger pipeline_settings_audit
  after insert or update on public.pipeline_settings
  for each row execute function private.pipeline_settings_audit();
