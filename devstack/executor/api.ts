import type pg from "pg";

/** The JSON visibility API: what the page at `/` shows, for tests and people. */

export interface RunSummary {
  id: string;
  function_id: string;
  event_id: string;
  status: string;
  reason: string | null;
  output: unknown;
  error: unknown;
  parent_run_id: string | null;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

export async function listEvents(
  pool: pg.Pool,
  q: { name?: string; limit?: number },
): Promise<unknown[]> {
  const { rows } = await pool.query(
    `select e.id, e.name, e.data, e.ts, e.received_at, e.processed_at,
       coalesce((select json_agg(json_build_object('id', r.id, 'function_id', r.function_id,
                 'status', r.status) order by r.created_at)
                 from devstack.executor_runs r where r.event_id = e.id), '[]') as runs
     from devstack.executor_events e
     where ($1::text is null or e.name = $1)
     order by e.seq desc limit $2`,
    [q.name ?? null, clampLimit(q.limit)],
  );
  return rows;
}

export async function getEvent(pool: pg.Pool, id: string): Promise<unknown | undefined> {
  const { rows } = await pool.query(
    `select e.id, e.name, e.data, e.payload, e.ts, e.received_at, e.processed_at,
       coalesce((select json_agg(json_build_object('id', r.id, 'function_id', r.function_id,
                 'status', r.status) order by r.created_at)
                 from devstack.executor_runs r where r.event_id = e.id), '[]') as runs
     from devstack.executor_events e where e.id = $1`,
    [id],
  );
  return rows[0];
}

export async function listRuns(
  pool: pg.Pool,
  q: { status?: string; functionId?: string; eventId?: string; limit?: number },
): Promise<RunSummary[]> {
  const { rows } = await pool.query<RunSummary>(
    `select id, function_id, event_id, status, reason, output, error, parent_run_id,
            created_at, started_at, ended_at
     from devstack.executor_runs
     where ($1::text is null or status = $1) and ($2::text is null or function_id = $2)
       and ($3::text is null or event_id = $3)
     order by created_at desc, id desc limit $4`,
    [q.status ?? null, q.functionId ?? null, q.eventId ?? null, clampLimit(q.limit)],
  );
  return rows;
}

interface HistoryRow {
  id: string;
  at: Date;
  kind: string;
  step_hash: string | null;
  step_name: string | null;
  attempt: number | null;
  detail: unknown;
}

/** One run with its steps (memo, state, attempts) and its full timeline. */
export async function getRun(pool: pg.Pool, id: string): Promise<unknown | undefined> {
  const run = await pool.query<RunSummary & { event: unknown }>(
    `select id, function_id, event_id, event, status, reason, output, error, parent_run_id,
            created_at, started_at, ended_at
     from devstack.executor_runs where id = $1`,
    [id],
  );
  const row = run.rows[0];
  if (!row) return undefined;
  const [steps, history] = await Promise.all([
    pool.query<{ hash: string; name: string | null; op: string; state: string; memo: unknown }>(
      `select hash, name, op, state, memo, created_at, ended_at from devstack.executor_steps
       where run_id = $1 order by seq`,
      [id],
    ),
    pool.query<HistoryRow>(
      `select id, at, kind, step_hash, step_name, attempt, detail from devstack.executor_history
       where run_id = $1 order by id`,
      [id],
    ),
  ]);
  const attemptsByStep = new Map<string, number>();
  let callAttempts = 1;
  for (const h of history.rows) {
    if (h.attempt === null) continue;
    if (h.step_hash) {
      attemptsByStep.set(
        h.step_hash,
        Math.max(attemptsByStep.get(h.step_hash) ?? 0, h.attempt + 1),
      );
    } else {
      callAttempts = Math.max(callAttempts, h.attempt + 1);
    }
  }
  return {
    ...row,
    attempts: callAttempts,
    steps: steps.rows.map((s) => ({ ...s, attempts: attemptsByStep.get(s.hash) ?? 1 })),
    timeline: history.rows,
  };
}

export async function listFunctions(pool: pg.Pool): Promise<unknown[]> {
  const { rows } = await pool.query(
    `select f.id, f.name, f.app_id, f.app_url, f.config, f.updated_at from devstack.executor_functions f
     order by f.id`,
  );
  return rows;
}

export async function listApps(pool: pg.Pool): Promise<unknown[]> {
  const { rows } = await pool.query(
    "select url, app_id, sdk, framework, synced_at from devstack.executor_apps order by url",
  );
  return rows;
}

function clampLimit(n: number | undefined): number {
  if (!n || !Number.isFinite(n) || n <= 0) return 100;
  return Math.min(Math.floor(n), 1000);
}
