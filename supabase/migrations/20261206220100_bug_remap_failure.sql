-- A re-map that fails for good (remap-bug's retries exhausted) is recorded on the bug, so the bug
-- page says so and offers a retry instead of "Re-mapping…" forever (issue 14). Written by the
-- job's failure handler (service role) for the edit it was re-mapping; members read it with the
-- rest of the bug (table-level select) and never write it (not in their column update grant).
-- The page shows it only while that edit is still the latest and still not re-mapped.

alter table public.bugs
  add column remap_failed_edit_at timestamptz,
  add column remap_error text check (char_length(remap_error) <= 500);
comment on column public.bugs.remap_failed_edit_at is
  'The edited_at of the edit whose re-map failed after every retry (remap-bug''s failure handler). Current while it equals edited_at and remapped_edit_at is earlier.';
comment on column public.bugs.remap_error is
  'What people read about that failure: the attempts and the error class, never a message that could quote the bug or ticket.';
