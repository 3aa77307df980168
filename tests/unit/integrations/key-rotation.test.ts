import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import {
  type BatchResult,
  type RotationRow,
  type RotationStore,
  rotateAll,
  rotateBatch,
} from "@/lib/integrations/key-rotation";

/**
 * Key rotation on an in-memory integrations table: every value ends on the active key with its
 * plaintext intact; a second run rotates 0; a run killed after one batch is finished by the next.
 */

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const oldRing = createKeyring(new Map([["k1", oldKey]]));
const newRing = createKeyring(
  new Map([
    ["k2", newKey],
    ["k1", oldKey],
  ]),
);
const COLUMNS = ["access_token_enc", "refresh_token_enc", "webhook_secret_enc"] as const;

function memoryTable(rowsCount: number) {
  const rows: RotationRow[] = [];
  const plain = new Map<string, string>();
  for (let i = 0; i < rowsCount; i++) {
    const row: RotationRow = { id: randomUUID(), organizationId: randomUUID(), values: {} };
    for (const column of COLUMNS) {
      if (column === "webhook_secret_enc" && i % 2) continue; // not every row has every secret
      const value = `sbx_${column}_${i}`;
      row.values[column] = oldRing.encrypt(value, {
        organizationId: row.organizationId,
        table: "integrations",
        rowId: row.id,
        column,
      });
      plain.set(`${row.id}/${column}`, value);
    }
    rows.push(row);
  }
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  const audits: Array<{ organizationId: string; rotated: number }> = [];
  const store: RotationStore = {
    async page(table, after, limit) {
      // the rows are integrations rows; every other encrypted table is empty here
      if (table !== "integrations") return [];
      return rows
        .filter((r) => after === null || r.id > after)
        .slice(0, limit)
        .map((r) => ({ ...r, values: { ...r.values } }));
    },
    async replace(_table, row, column, expected, next) {
      const stored = rows.find((r) => r.id === row.id);
      if (!stored || stored.values[column] !== expected) return false;
      stored.values[column] = next;
      return true;
    },
    async audit(organizationId, entry) {
      audits.push({ organizationId, rotated: entry.rotated });
    },
  };
  return { rows, plain, store, audits };
}

const direct = <T>(_id: string, fn: () => Promise<T>) => fn();

describe("key rotation", () => {
  it("re-encrypts every value with the active key, keeping each plaintext and its place", async () => {
    const t = memoryTable(7);
    const out = await rotateAll(
      direct,
      (i) => rotateBatch(i, { keyring: newRing, store: t.store }),
      {
        limit: 3,
      },
    );
    // 3 batches of integrations, then one (empty) of llm_settings and one of slack_connections
    expect(out).toMatchObject({ scanned: 18, rotated: 18, failed: 0, batches: 5 });
    for (const row of t.rows) {
      for (const column of COLUMNS) {
        const c = row.values[column];
        if (!c) continue;
        expect(c.startsWith("v1.k2.")).toBe(true);
        const place = {
          organizationId: row.organizationId,
          table: "integrations",
          rowId: row.id,
          column,
        };
        expect(newRing.decrypt(c, place)).toBe(t.plain.get(`${row.id}/${column}`));
      }
    }
    expect(t.audits).toHaveLength(7);
  });

  it("is idempotent: a second run rotates 0 and writes no audit entry", async () => {
    const t = memoryTable(5);
    const run = () =>
      rotateAll(direct, (i) => rotateBatch(i, { keyring: newRing, store: t.store }), { limit: 2 });
    expect((await run()).rotated).toBe(13);
    const audits = t.audits.length;
    expect(await run()).toMatchObject({ scanned: 13, rotated: 0, failed: 0 });
    expect(t.audits.length).toBe(audits);
  });

  it("is resumable: killed after one batch, a rerun rotates exactly the rest", async () => {
    const t = memoryTable(6);
    const batch = (i: Parameters<typeof rotateBatch>[0]) =>
      rotateBatch(i, { keyring: newRing, store: t.store });
    let done = 0;
    const killAfterOne = async <T>(_id: string, fn: () => Promise<T>) => {
      if (done === 1) throw new Error("killed");
      done += 1;
      return fn();
    };
    await expect(rotateAll(killAfterOne, batch, { limit: 2 })).rejects.toThrow("killed");
    const onNewKey = () =>
      t.rows.flatMap((r) => Object.values(r.values)).filter((c) => c?.startsWith("v1.k2.")).length;
    const firstBatch = onNewKey();
    expect(firstBatch).toBeGreaterThan(0);
    expect(firstBatch).toBeLessThan(15);
    const rerun = await rotateAll(direct, batch, { limit: 2 });
    expect(rerun.rotated).toBe(15 - firstBatch);
    expect(onNewKey()).toBe(15);
    expect((await rotateAll(direct, batch, { limit: 2 })).rotated).toBe(0);
  });

  it("uses stable step ids: the same sequence on every replay", async () => {
    const t = memoryTable(5);
    const ids: string[] = [];
    const recording = <T>(id: string, fn: () => Promise<T>) => {
      ids.push(id);
      return fn();
    };
    await rotateAll(recording, (i) => rotateBatch(i, { keyring: newRing, store: t.store }), {
      limit: 2,
    });
    expect(ids).toEqual([
      "integrations-batch-0",
      "integrations-batch-1",
      "integrations-batch-2",
      "llm_settings-batch-0",
      "slack_connections-batch-0",
    ]);
  });

  it("counts a value it cannot decrypt as failed, reports the row id only, and leaves it", async () => {
    const t = memoryTable(2);
    const victim = t.rows[0] as RotationRow;
    const moved = t.rows[1]?.values.access_token_enc as string; // ciphertext of another row
    victim.values.access_token_enc = moved;
    const result: BatchResult = await rotateBatch(
      { table: "integrations", after: null, limit: 10 },
      { keyring: newRing, store: t.store },
    );
    expect(result).toMatchObject({ failed: 1, rotated: 4, failedRowIds: [victim.id] });
    expect(victim.values.access_token_enc).toBe(moved);
    expect(JSON.stringify(result)).not.toMatch(/sbx_|v1\./);
  });

  it("does not overwrite a value changed after it was read (a concurrent refresh)", async () => {
    const t = memoryTable(1);
    const row = t.rows[0] as RotationRow;
    const realReplace = t.store.replace;
    t.store.replace = async (table, r, column, expected, next) => {
      if (column === "access_token_enc") row.values.access_token_enc = "v1.k2.fresh.token";
      return realReplace(table, r, column, expected, next);
    };
    const result = await rotateBatch(
      { table: "integrations", after: null, limit: 10 },
      { keyring: newRing, store: t.store },
    );
    expect(row.values.access_token_enc).toBe("v1.k2.fresh.token");
    expect(result).toMatchObject({ rotated: 2, failed: 1 });
  });
});
