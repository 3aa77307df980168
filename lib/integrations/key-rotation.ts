import type { Keyring } from "@/lib/crypto/keyring";
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from "./encrypted-columns";

/**
 * Key rotation: re-encrypts, with the active key, every secret still on an older key
 * (ENCRYPTION_KEYS lists the new key first and keeps the old ones until this has run).
 *
 * Work is cut in batches of rows in primary-key order (a keyset cursor), so a run is:
 * - idempotent: a value already on the active key is counted as current and left alone, so a
 *   second run rotates 0;
 * - resumable: the database is the progress record; a run killed after some batches leaves those
 *   rows rotated and the rest on the old key, and any later run finishes them;
 * - safe beside token refresh: each value is replaced only if it still holds the ciphertext that
 *   was read (compare-and-swap), so a token refreshed meanwhile is not overwritten.
 * A value that cannot be decrypted (unknown key, tampered, wrong place) is counted as failed and
 * left as it is; its row id (never the value) is reported.
 *
 * Pure of I/O: `RotationStore` is the database (`rotation-store.ts`) or a test's memory.
 */

export type RotationTable = keyof typeof ENCRYPTED_COLUMNS;

export interface RotationRow {
  id: string;
  organizationId: string;
  values: Partial<Record<EncryptedColumn, string | null>>;
}

export interface RotationStore {
  /** Rows of `table` after the `after` id (exclusive), ordered by id, at most `limit`. */
  page(table: RotationTable, after: string | null, limit: number): Promise<RotationRow[]>;
  /** Replaces a value if it is still `expected`; true if it did. */
  replace(
    table: RotationTable,
    row: RotationRow,
    column: EncryptedColumn,
    expected: string,
    next: string,
  ): Promise<boolean>;
  /** One audit entry per workspace touched by a batch. */
  audit(
    organizationId: string,
    entry: RotationCounts & { table: RotationTable; keyId: string },
  ): Promise<void>;
}

export interface RotationCounts {
  /** encrypted values looked at */
  scanned: number;
  /** re-encrypted with the active key */
  rotated: number;
  /** left as they were because they could not be decrypted or were changed meanwhile */
  failed: number;
}

export interface BatchResult extends RotationCounts {
  table: RotationTable;
  /** cursor for the next batch, null when the table is done */
  next: string | null;
  failedRowIds: string[];
}

export const ROTATION_TABLES = Object.keys(ENCRYPTED_COLUMNS) as RotationTable[];

export function emptyCounts(): RotationCounts {
  return { scanned: 0, rotated: 0, failed: 0 };
}

export function addCounts(a: RotationCounts, b: RotationCounts): RotationCounts {
  return {
    scanned: a.scanned + b.scanned,
    rotated: a.rotated + b.rotated,
    failed: a.failed + b.failed,
  };
}

/** Rotates one batch of `table` after `after`. */
export async function rotateBatch(
  input: { table: RotationTable; after: string | null; limit: number },
  deps: { keyring: Keyring; store: RotationStore },
): Promise<BatchResult> {
  const { keyring, store } = deps;
  const rows = await store.page(input.table, input.after, input.limit);
  const result: BatchResult = {
    table: input.table,
    ...emptyCounts(),
    next: null,
    failedRowIds: [],
  };
  const perOrganization = new Map<string, RotationCounts>();

  for (const row of rows) {
    const counts = perOrganization.get(row.organizationId) ?? emptyCounts();
    for (const column of ENCRYPTED_COLUMNS[input.table]) {
      const ciphertext = row.values[column];
      if (!ciphertext) continue;
      counts.scanned += 1;
      let next: string;
      try {
        if (!keyring.needsRotation(ciphertext)) continue;
        const place = {
          organizationId: row.organizationId,
          table: input.table,
          rowId: row.id,
          column,
        };
        next = keyring.encrypt(keyring.decrypt(ciphertext, place), place);
      } catch {
        counts.failed += 1;
        if (!result.failedRowIds.includes(row.id)) result.failedRowIds.push(row.id);
        continue;
      }
      if (await store.replace(input.table, row, column, ciphertext, next)) counts.rotated += 1;
      else {
        // changed since it was read (a refresh or a disconnect): the next run looks again
        counts.failed += 1;
        if (!result.failedRowIds.includes(row.id)) result.failedRowIds.push(row.id);
      }
    }
    perOrganization.set(row.organizationId, counts);
  }

  for (const [organizationId, counts] of perOrganization) {
    Object.assign(result, addCounts(result, counts));
    if (counts.rotated > 0 || counts.failed > 0) {
      await store.audit(organizationId, {
        ...counts,
        table: input.table,
        keyId: keyring.activeKeyId,
      });
    }
  }
  result.next = rows.length === input.limit ? (rows[rows.length - 1]?.id ?? null) : null;
  return result;
}

/** Runs a step (an Inngest `step.run`, or the function itself in a test). */
export type StepRunner = <T>(id: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Every table, batch after batch, each batch a step with a stable id (`<table>-batch-<n>`: the
 * same sequence on every replay, since each cursor comes from the previous step's result).
 */
export async function rotateAll(
  runStep: StepRunner,
  batch: (input: {
    table: RotationTable;
    after: string | null;
    limit: number;
  }) => Promise<BatchResult>,
  options: { limit: number; maxBatches?: number },
): Promise<RotationCounts & { batches: number; failedRowIds: string[] }> {
  let totals = emptyCounts();
  let batches = 0;
  const failedRowIds: string[] = [];
  for (const table of ROTATION_TABLES) {
    let after: string | null = null;
    for (let n = 0; n < (options.maxBatches ?? 10_000); n++) {
      const cursor: string | null = after;
      const result: BatchResult = await runStep(`${table}-batch-${n}`, () =>
        batch({ table, after: cursor, limit: options.limit }),
      );
      batches += 1;
      totals = addCounts(totals, result);
      failedRowIds.push(...result.failedRowIds);
      after = result.next;
      if (!after) break;
    }
  }
  return { ...totals, batches, failedRowIds };
}
