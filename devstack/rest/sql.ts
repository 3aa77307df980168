import type { Table } from "./schema-cache";

/** Collects parameter values; every value in a statement goes through `p()`, never into the text. */
export class Sql {
  readonly params: unknown[] = [];
  private aliases = 0;

  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** A fresh alias number for a relation or a lateral join. */
  next(): number {
    this.aliases += 1;
    return this.aliases;
  }
}

/** Double-quotes an identifier. Names reaching here were checked against the schema cache. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function tableRef(t: { schema: string; name: string }): string {
  return `${ident(t.schema)}.${ident(t.name)}`;
}

/** Every output column of `*` on a relation. */
export function starColumns(t: Table): string[] {
  return t.columnOrder;
}

/**
 * A row count for LIMIT/OFFSET, written into the text like PostgREST writes it. It must be in
 * the text, not a parameter: a generic plan of a prepared statement cannot see a parameter's
 * value and assumes a small limit, which turns filtered reads into full index scans.
 */
export function sqlCount(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row count: ${n}`);
  return String(n);
}
