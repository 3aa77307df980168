import { RestError } from "./errors";
import type { ForeignKey, SchemaCache, Table } from "./schema-cache";

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
      cardinality: r.cardinality,
      embedding: `${r.source.name} with ${r.target.name}`,
      relationship: `${j.table.name} using ${j.sourceConstraint}${els(j.sourcePairs.map((p) => p[0]))} and ${j.targetConstraint}${els(j.targetPairs.map((p) => p[0]))}`,
    };
  }
  return {
    cardinality: r.cardinality,
    embedding: `${r.source.name} with ${r.target.name}`,
    relationship: `${r.constraint} using ${r.source.name}${els(r.pairs.map((p) => p[0]))} and ${r.target.name}${els(r.pairs.map((p) => p[1]))}`,
  };
}

/**
 * Finds the relationship for embedding `name` (a table, or a foreign-key column or constraint
 * name) from `source`, narrowed by `hint`. Throws PGRST200 (none) or PGRST201 (ambiguous).
 */
export function findRelationship(
  cache: SchemaCache,
  source: Table,
  name: string,
  hint: string | undefined,
): Relationship {
  const all = relationshipsOf(cache, source);
  let found = all.filter((r) => r.target.name === name && r.target.schema === source.schema);
  if (found.length === 0) {
    // Embedding by foreign-key column (`author_id(*)`) or constraint name.
    found = all.filter(
      (r) =>
        !r.junction &&
        r.cardinality !== "one-to-many" &&
        (r.constraint === name || (r.pairs.length === 1 && r.pairs[0]?.[0] === name)),
    );
  }
  if (hint !== undefined) {
    found = found.filter((r) => {
      if (r.constraint === hint) return true;
      if (r.junction) {
        return r.junction.table.name === hint || r.junction.sourceConstraint === hint;
      }
      return r.pairs.some(([s, t]) => s === hint || t === hint);
    });
  }
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
