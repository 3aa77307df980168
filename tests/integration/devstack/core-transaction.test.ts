import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rollback, withTransaction } from "@/devstack/shared/transaction";
import { devstackEnv } from "../../helpers/devstack-env";

// A temporary table on the devstack's server: each test's pool sessions see their own writes only
// once committed, which is exactly what these tests look at.
const table = `tx_test_${process.pid}_${Date.now()}`;
let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: devstackEnv().DB_URL, max: 2 });
  await pool.query(`create table public.${table} (v text primary key)`);
});

afterAll(async () => {
  await pool?.query(`drop table if exists public.${table}`);
  await pool?.end();
});

const values = async () =>
  (await pool.query<{ v: string }>(`select v from public.${table} order by v`)).rows.map(
    (r) => r.v,
  );

describe("withTransaction (shared by auth, executor and migrations)", () => {
  it("commits what the function wrote and returns its value", async () => {
    const out = await withTransaction(pool, async (tx) => {
      await tx.query(`insert into public.${table} values ('a'), ('b')`);
      return 42;
    });
    expect(out).toBe(42);
    expect(await values()).toEqual(["a", "b"]);
  });

  it("rolls everything back when the function throws, and rethrows its error", async () => {
    await expect(
      withTransaction(pool, async (tx) => {
        await tx.query(`insert into public.${table} values ('c')`);
        await tx.query(`insert into public.${table} values ('a')`); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await values()).toEqual(["a", "b"]);
  });

  it("rolls back without an error when the function returns rollback(value)", async () => {
    const out = await withTransaction(pool, async (tx) => {
      await tx.query(`delete from public.${table}`);
      return rollback("kept");
    });
    expect(out).toBe("kept");
    expect(await values()).toEqual(["a", "b"]);
  });

  it("gives the client back to the pool whatever happened", async () => {
    for (let i = 0; i < 5; i++) {
      await withTransaction(pool, async () => {
        throw new Error("boom");
      }).catch(() => {});
      await withTransaction(pool, async () => rollback(null));
    }
    // Two connections at most: a leaked client would leave none free and this would hang.
    expect(pool.totalCount).toBeLessThanOrEqual(2);
    expect(pool.idleCount).toBe(pool.totalCount);
    expect(await values()).toEqual(["a", "b"]);
  });
});
