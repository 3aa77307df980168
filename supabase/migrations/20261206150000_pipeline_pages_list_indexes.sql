-- The pipeline pages' lists (app/(app)/[org]/{bugs,tickets}) read one keyset page at a time in
-- (timestamp desc, id desc) order, optionally filtered by status. These indexes give each such
-- page an index range whatever the filter's selectivity (a rare status such as `dismissed` or
-- `error` would otherwise walk the whole workspace's rows), and break timestamp ties by id inside
-- the index. Measured with 10,000 bugs: tests/integration/pipeline-pages/ten-thousand-bugs.test.ts.

create index bugs_organization_status_created_idx
  on public.bugs (organization_id, status, created_at desc, id desc);
create index bugs_organization_created_id_idx
  on public.bugs (organization_id, created_at desc, id desc);
create index tickets_organization_status_received_idx
  on public.tickets (organization_id, status, received_at desc, id desc);
create index tickets_organization_received_id_idx
  on public.tickets (organization_id, received_at desc, id desc);
