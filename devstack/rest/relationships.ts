import { RestError } from "./errors";
import type { DbFunction, ForeignKey, SchemaCache, Table } from "./schema-cache";

/**
 * Relationship detection for embedding, after PostgREST: many-to-one and one-to-many through a
 * foreign key (one-to-one when the key columns are unique), many-to-many through a junction table
 * whose primary key holds both keys' columns.
 */
export type Cardinality = "many-to-one" | "one-to-one" | "one-to-many" | "many-to-many";

export interface Relationship {
  cardinality: Cardinality;
  constraint: string;
  source: Table;
  target: Table;
  /** A computed relationship: a function of the source row returning rows of `target`. */
  computed?: DbFunction;
  /** Equalities `source.col = target.col` (empty for many-to-many). */
  pairs: Array<[string, string]>;
  junction?: {
    table: Table;
    /** `junction.col = source.col` and `junction.col = target.col`. */
    sourcePairs: Array<[string, string]>;
    targetPairs: Array<[string, string]>;
    sourceConstraint: string;
    targetConstraint: string;
  };
}

export const isToOne = (r: Relationship): boolean =>
  r.cardinality === "many-to-one" || r.cardinality === "one-to-one";

const sameSet = (a: string[], b: string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));
const isUnique = (t: Table, cols: string[]): boolean => t.uniques.some((u) => sameSet(u, cols));
const zip = (a: string[], b: string[]): Array<[string, string]> => a.map((x, i) => [x, b[i] ?? ""]);

/** Every relationship from `source` to any table, in both directions. */
function relationshipsOf(cache: SchemaCache, source: Table): Relationship[] {
  const out: Relationship[] = [];
  for (const fk of cache.foreignKeys) {
    if (fk.table === source) {
      out.push({
        cardinality: isUnique(fk.table, fk.columns) ? "one-to-one" : "many-to-one",
        constraint: fk.name,
        source,
        target: fk.ref,
        pairs: zip(fk.columns, fk.refColumns),
      });
    }
    if (fk.ref === source) {
      out.push({
        cardinality: isUnique(fk.table, fk.columns) ? "one-to-one" : "one-to-many",
        constraint: fk.name,
        source,
        target: fk.table,
        pairs: zip(fk.refColumns, fk.columns),
      });
    }
  }
  const byTable = new Map<Table, ForeignKey[]>();
  for (const fk of cache.foreignKeys) {
    const l = byTable.get(fk.table) ?? [];
    l.push(fk);
    byTable.set(fk.table, l);
  }
  for (const [junction, fks] of byTable) {
    if (junction.primaryKey.length === 0) continue;
    for (const a of fks) {
      if (a.ref !== source) continue;
      for (const b of fks) {
        if (a === b) continue;
        const cols = [...a.columns, ...b.columns];
        if (!cols.every((c) => junction.primaryKey.includes(c))) continue;
        out.push({
          cardinality: "many-to-many",
          constraint: b.name,
          source,
          target: b.ref,
          pairs: [],
          junction: {
            table: junction,
            sourcePairs: zip(a.columns, a.refColumns),
            targetPairs: zip(b.columns, b.refColumns),
            sourceConstraint: a.name,
            targetConstraint: b.name,
          },
        });
      }
    }
  }
  return out;
}

function describe(r: Relationship): Record<string, string> {
  const els = (xs: string[]) => `(${xs.join(", ")})`;
  if (r.junction) {
    const j = r.junction;
    return {
      embedding: `${r.source.name} with ${r.target.name}`,
      cardinality: r.cardinality,
      relationship: `${j.table.name} using ${j.sourceConstraint}${els(j.sourcePairs.map((p) => p[0]))} and ${j.targetConstraint}${els(j.targetPairs.map((p) => p[0]))}`,
    };
  }
  return {
    embedding: `${r.source.name} with ${r.target.name}`,
    cardinality: r.cardinality,
    relationship: `${r.constraint} using ${r.source.name}${els(r.pairs.map((p) => p[0]))} and ${r.target.name}${els(r.pairs.map((p) => p[1]))}`,
  };
}

/** Computed relationships of `source`: functions of its row returning rows of a table. */
function computedOf(source: Table): Relationship[] {
  const out: Relationship[] = [];
  for (const fn of source.computedRelations ?? []) {
    if (fn.resultTable) {
      out.push({
        cardinality: !fn.returnsSet || fn.rows === 1 ? "many-to-one" : "one-to-many",
        constraint: fn.name,
        source,
        target: fn.resultTable,
        pairs: [],
        computed: fn,
      });
    }
  }
  return out;
}

const singleCol = (r: Relationship, side: 0 | 1): string | undefined =>
  !r.junction && !r.computed && r.pairs.length === 1 ? r.pairs[0]?.[side] : undefined;

/**
 * Finds the relationship for embedding `name` from `source`, narrowed by `hint`, with
 * PostgREST's rules (`Plan.hs findRel`): `name` is a table or view, a computed relationship
 * (function), or, for tables, a foreign-key constraint or a single key column of `source`; a hint
 * is a constraint, a key column on either side or a junction table. A self-referencing key gives
 * one-to-many by the table name (`children:t(*)`, `t!parent_id(*)`) and many-to-one by the column
 * (`parent_id(*)`). Throws PGRST200 (none) or PGRST201 (ambiguous).
 */
export function findRelationship(
  cache: SchemaCache,
  source: Table,
  name: string,
  hint: string | undefined,
): Relationship {
  const all = relationshipsOf(cache, source);
  const sameSchema = (r: Relationship) => r.target.schema === source.schema;
  let found = all.filter((r) => {
    if (!sameSchema(r)) return false;
    const isSelf = !r.junction && r.target === source;
    const targetIsView = r.target.kind === "v" || r.target.kind === "m";
    if (isSelf) {
      if (hint === undefined) {
        return (
          (r.target.name === name && r.cardinality === "one-to-many") ||
          (singleCol(r, 0) === name && r.cardinality === "many-to-one")
        );
      }
      return r.target.name === name && r.cardinality === "one-to-many" && singleCol(r, 1) === hint;
    }
    if (hint === undefined) {
      return (
        r.target.name === name ||
        (!targetIsView && !r.junction && r.constraint === name) ||
        (!targetIsView && singleCol(r, 0) === name)
      );
    }
    return (
      r.target.name === name &&
      ((!r.junction && r.constraint === hint) ||
        singleCol(r, 0) === hint ||
        singleCol(r, 1) === hint ||
        r.junction?.table.name === hint)
    );
  });
  found.push(...computedOf(source).filter((r) => r.constraint === name));
  if (found.length > 1 && found.some((r) => r.computed)) found = found.filter((r) => r.computed);
  if (found.length === 1 && found[0]) return found[0];
  if (found.length === 0) {
    throw new RestError(
      400,
      "PGRST200",
      `Could not find a relationship between '${source.name}' and '${name}' in the schema cache`,
      `Searched for a foreign key relationship between '${source.name}' and '${name}'${hint !== undefined ? ` using the hint '${hint}'` : ""} in the schema '${source.schema}', but no matches were found.`,
    );
  }
  const hints = found
    .map((r) => `'${r.target.name}!${r.junction ? r.junction.table.name : r.constraint}'`)
    .join(", ");
  throw new RestError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${source.name}' and '${name}'`,
    found.map(describe),
    `Try changing '${name}' to one of the following: ${hints}. Find the desired relationship in the 'details' key.`,
  );
}
