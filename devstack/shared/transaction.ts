import type pg from "pg";

const ROLLBACK = Symbol("rollback");

/** What `rollback(value)` returns: tells `withTransaction` to roll back and return `value`. */
export interface RolledBack<T> {
  readonly [ROLLBACK]: T;
}

/**
 * Ends the transaction with ROLLBACK instead of COMMIT, without an error: `withTransaction`
 * returns `value`. For a transaction that found it must not apply (a lease lost, a row gone) after
 * it already wrote or locked something.
 */
export function rollback<T>(value: T): RolledBack<T> {
  return { [ROLLBACK]: value };
}

function isRolledBack<T>(out: T | RolledBack<T>): out is RolledBack<T> {
  return typeof out === "object" && out !== null && ROLLBACK in out;
}

/**
 * Runs `fn` in one transaction on a client of its own from `pool`: COMMIT when `fn` returns,
 * ROLLBACK when it throws (the error is rethrown) or returns `rollback(value)`, and the client goes
 * back to the pool either way. The one way the devstack's auth service, executor and migrations
 * write more than one statement atomically (the REST gateway pipelines its own, `rest/transaction.ts`).
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (tx: pg.PoolClient) => Promise<T | RolledBack<T>>,
): Promise<T> {
  const client = await pool.connect();
  // The pool stops listening for a client's errors while it is checked out; a connection that dies
  // then (Postgres shutting down under us) would raise an uncaught 'error' and end the process. The
  // statement in flight rejects with the same error, which is what the caller sees; the broken
  // client is discarded on release instead of going back to the pool.
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on("error", onError);
  try {
    await client.query("begin");
    const out = await fn(client);
    if (isRolledBack(out)) {
      await client.query("rollback");
      return out[ROLLBACK];
    }
    await client.query("commit");
    return out;
  } catch (err) {
    // A failed rollback means the connection is broken; the original error is what matters.
    await client.query("rollback").catch(() => {});
    throw err;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}
